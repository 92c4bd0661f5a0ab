"""The bundled demo portal: rendered PDFs, the site model, and the HTTP server (port 0)."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from demo_portal.render import (
    load_seeds,
    make_variant,
    render_notice_pdf,
    render_pdf,
    split_doc,
)
from demo_portal.server import DemoPortal
from demo_portal.site import SECTIONS, build_site
from extract.fields import AMOUNT_FIELDS

REPO = Path(__file__).resolve().parent.parent

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # harmless "FontBBox" warnings


# --- helpers ----------------------------------------------------------------------------


def fetch(url: str, headers: dict | None = None, method: str = "GET", data: bytes | None = None):
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def pdf_text(data: bytes) -> str:
    """All text, via pypdfium2 (fast); commas removed so 7,569.77 reads 7569.77."""
    doc = pdfium.PdfDocument(data)
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def number_forms(value: float) -> list[str]:
    forms = [f"{value:.2f}"]
    if round(value, 1) == value:
        forms.append(f"{value:.1f}")
    if value == int(value):
        forms.append(f"{int(value)} ")
        forms.append(f"{int(value)}万")
    return forms


class Links(HTMLParser):
    """The href of every <a> in the visible HTML (not inside scripts)."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def hrefs(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


@pytest.fixture(scope="module")
def portal():
    with DemoPortal() as running:
        yield running


@pytest.fixture(scope="module")
def initial():
    return build_site("initial")


@pytest.fixture(scope="module")
def revised():
    return build_site("revised")


# --- render.py -----------------------------------------------------------------------------


def test_seed_pdf_cjk_text_survives_pdfplumber():
    seed = load_seeds()[0]
    with pdfplumber.open(io.BytesIO(render_pdf(seed))) as pdf:
        first = pdf.pages[0].extract_text()
        assert len(pdf.pages) > 3
    assert seed.labels["unit_name"] in first
    assert "2024 年部门预算" in first
    assert "目录" in first


@pytest.mark.parametrize("index", [0, 1, 2])
def test_seed_pdf_contains_each_labelled_total(index):
    seed = load_seeds()[index]
    data = render_pdf(seed)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data).replace(",", "")
    assert seed.labels["unit_name"] in text
    amounts = {k: seed.labels[k] for k in AMOUNT_FIELDS if seed.labels.get(k)}
    amounts.update({f"by_function.{k}": v for k, v in seed.labels["by_function"].items()})
    missing = {k: v for k, v in amounts.items() if not any(f in text for f in number_forms(v))}
    assert not missing
    assert "377.86" in pdf_text(render_pdf(load_seeds()[0]))


def test_variant_has_scaled_truthful_labels():
    seed = load_seeds()[0]
    variant = make_variant(
        seed, unit_name="演示市教育局", year=2025, factor=1.37, doc_type="final_account"
    )
    assert variant.labels["unit_name"] == "演示市教育局"
    assert variant.labels["year"] == 2025
    assert variant.labels["doc_type"] == "final_account"
    assert variant.labels["revenue_total"] == 517.67  # 377.86 × 1.37 = 517.6682
    assert variant.labels["gov_fund_income"] == 0
    assert variant.labels["by_function"]["卫生健康支出"] == 421.25
    assert seed.labels["revenue_total"] == 377.86  # the seed is untouched

    text = pdf_text(render_pdf(variant))
    assert "517.67" in text
    assert "演示市教育局" in text
    assert "2025 年部门决算" in text.split("目录")[0]
    assert seed.labels["unit_name"] not in text
    assert not re.search(r"(?<!\d)2024(?!\d)", text.split("目录")[0])

    same = make_variant(seed, unit_name="演示市教育局", year=2024)
    assert same.labels["revenue_total"] == 377.86
    assert "一般公共预算拨款收入 377.86 万元" in same.text


def test_variant_scope_and_thousands_separators():
    seed = load_seeds()[2]  # 7,674.07 in its tables
    variant = make_variant(
        seed, unit_name="演示市科学技术局", year=2026, factor=2, scope="department"
    )
    assert variant.labels["revenue_total"] == 15348.14
    assert "15,348.14" in variant.text  # tables keep their grouping
    assert "15348.14 万元" in variant.text  # prose keeps its own
    assert "演示市科学技术局 2026 年部门预算" in variant.text
    assert variant.labels["scope"] == "department"


def test_split_doc_halves():
    seed = load_seeds()[0]
    prose, tables = split_doc(seed)
    assert "\t" not in prose.text and "\t" in tables.text
    assert tables.text.splitlines()[0].strip("*") == seed.labels["unit_name"]
    assert prose.labels == tables.labels == seed.labels


def test_render_is_deterministic_across_processes():
    seed = load_seeds()[1]
    from demo_portal import render

    fresh = render._render_text.__wrapped__(seed.text)  # bypass the cache
    assert fresh == render_pdf(seed)
    notice = render_notice_pdf("演示市2025年公告", "第一段。\n第二段。")
    script = (
        "import hashlib\n"
        "from demo_portal.render import load_seeds, render_pdf, render_notice_pdf\n"
        "from demo_portal.site import build_site\n"
        "site = build_site('initial')\n"
        "h = hashlib.sha256()\n"
        "for path in sorted(site.resources):\n"
        "    r = site.resources[path]\n"
        "    if not r.fingerprint.startswith('lazy:'):\n"
        "        h.update(path.encode() + r.body)\n"
        "print(hashlib.sha256(render_pdf(load_seeds()[1])).hexdigest())\n"
        "print(hashlib.sha256(render_notice_pdf('演示市2025年公告', '第一段。\\n第二段。')).hexdigest())\n"
        "print(h.hexdigest())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    site = build_site("initial")
    h = hashlib.sha256()
    for path in sorted(site.resources):
        if not site.resources[path].fingerprint.startswith("lazy:"):
            h.update(path.encode() + site.resources[path].body)
    assert out == [
        hashlib.sha256(fresh).hexdigest(),
        hashlib.sha256(notice).hexdigest(),
        h.hexdigest(),
    ]


# --- site.py -------------------------------------------------------------------------------


def test_build_is_fast_and_deterministic(initial):
    started = time.perf_counter()
    again = build_site("initial")
    assert time.perf_counter() - started < 2.0
    assert list(again.resources) == list(initial.resources)
    for path, resource in initial.resources.items():
        other = again.resources[path]
        assert other.fingerprint == resource.fingerprint, path
        assert other.last_modified == resource.last_modified, path
        assert (other.status, other.content_type, other.delay) == (
            resource.status,
            resource.content_type,
            resource.delay,
        )
    assert again.expected == initial.expected
    assert again.noise == initial.noise


def test_expected_disclosures(initial):
    by_section = Counter(e.section for e in initial.expected)
    assert len(initial.expected) >= 40
    assert set(by_section) == {"trs", "jpage", "spa"}
    assert min(by_section.values()) >= 10
    assert len({e.path for e in initial.expected}) == len(initial.expected)
    assert len({(e.unit_name, e.year, e.doc_type) for e in initial.expected}) == len(
        initial.expected
    )
    assert {e.doc_type for e in initial.expected} == {"budget", "final_account"}
    assert {e.year for e in initial.expected} == {2022, 2023, 2024, 2025, 2026}
    for e in initial.expected:
        assert initial.resolve(e.path) is not None, e.path
        suffix = "决算" if e.doc_type == "final_account" else "预算"
        assert e.title.startswith(e.unit_name) and e.title.endswith(suffix)
        assert str(e.year) in e.title
        for a in e.attachments:
            resource = initial.resolve(a.path)
            if a.outcome == "ok":
                assert resource is not None and resource.content_type == "application/pdf"
            elif a.outcome == "http_404":
                assert resource is None
            else:
                assert resource is not None and resource.content_type.startswith("text/html")
        if e.attachments:
            assert e.labels["unit_name"] == e.unit_name and e.labels["year"] == e.year
    for path in initial.noise:
        assert initial.resolve(path) is not None
        assert path not in {e.path for e in initial.expected}


def test_special_cases(initial):
    trs = [e for e in initial.expected if e.section == "trs"]
    outcomes = Counter(a.outcome for e in trs for a in e.attachments)
    assert outcomes["http_404"] == 1 and outcomes["not_pdf"] == 1

    children = [e for e in trs if e.parent_path]
    assert len(children) == 3 and len({c.parent_path for c in children}) == 1
    parent = next(e for e in trs if e.path == children[0].parent_path)
    assert parent.attachments == []
    parent_html = initial.resolve(parent.path).body.decode()
    assert all(c.path in hrefs(parent_html) for c in children)
    trs_lists = [initial.resolve(f"/zwgk/czyjs/ys/index{s}.html").body for s in ("", "_1", "_2")]
    assert not any(c.path.rsplit("/", 1)[1].encode() in b"".join(trs_lists) for c in children)

    links = Counter(a.path for e in initial.expected for a in e.attachments)
    shared = [path for path, n in links.items() if n > 1]
    assert len(shared) == 1

    slow = [p for p, r in initial.resources.items() if r.delay]
    assert len(slow) == 1 and initial.resources[slow[0]].delay == 2.0
    assert slow[0] in {e.path for e in trs}

    assert any(len(e.attachments) >= 2 for e in trs)
    noise_titles = [
        re.search(r'name="ArticleTitle" content="([^"]+)"', initial.resolve(p).body.decode())[1]
        for p in initial.noise
        if p.startswith("/zwgk/")
    ]
    assert "演示市财政局2025年办公设备采购项目公开招标公告" in noise_titles
    assert "演示市教育局2025年公开招聘事业单位工作人员公告" in noise_titles
    assert "演示市民政局2019年部门决算" in noise_titles


def test_trs_attachment_forms(initial):
    forms = Counter()
    for e in initial.expected:
        if e.section != "trs" or not e.attachments:
            continue
        page = initial.resolve(e.path).body.decode()
        visible = hrefs(page)
        for a in e.attachments:
            file = "./" + a.path.rsplit("/", 1)[1]
            if file in visible:
                forms["link"] += 1
                assert 'oldsrc="/protect/P0' in page
            elif f"downloadFj('{a.name}','{file}')" in page:
                forms["downloadFj"] += 1
            else:
                assert re.search(r"var hasFJ = '[^']*" + re.escape(file), page), e.path
                forms["hasFJ"] += 1
    assert forms["link"] and forms["downloadFj"] and forms["hasFJ"]


def test_revised_differs_in_exactly_three_ways(initial, revised):
    changes = revised.changes
    assert set(changes) == {"revised_file", "withdrawn_disclosure", "new_disclosure"}
    assert initial.changes == {}

    # A PDF's fingerprint names the text it is rendered from (rendering is deterministic,
    # tested above), so equal fingerprints mean equal bytes without rendering every PDF.
    def served(resource):
        if resource is None:
            return None
        return (
            resource.fingerprint,
            resource.last_modified,
            resource.content_type,
            resource.status,
            resource.headers,
        )

    differing = {
        path
        for path in set(initial.resources) | set(revised.resources)
        if served(initial.resources.get(path)) != served(revised.resources.get(path))
    }

    withdrawn = next(e for e in initial.expected if e.path == changes["withdrawn_disclosure"])
    new = next(e for e in revised.expected if e.path == changes["new_disclosure"])
    assert withdrawn.section == "jpage" and new.section == "trs" and len(new.attachments) == 1
    allowed = {
        changes["revised_file"],
        withdrawn.path,
        *(a.path for a in withdrawn.attachments),
        new.path,
        *(a.path for a in new.attachments),
        SECTIONS["jpage"],
    }
    listish = {p for p in differing if re.fullmatch(r"/zwgk/czyjs/ys/index(_\d+)?\.html", p)} | {
        p for p in differing if p.startswith("/module/web/jpage/dataproxy.jsp?")
    }
    assert differing - listish == allowed

    # (1) the corrected file: same URL, other bytes, later Last-Modified, marked 更正版
    old, fixed = (
        initial.resources[changes["revised_file"]],
        revised.resources[changes["revised_file"]],
    )
    assert fixed.last_modified > old.last_modified
    assert old.body != fixed.body and fixed.body.startswith(b"%PDF-")
    assert "（更正版）" in pdf_text(fixed.body) and "（更正版）" not in pdf_text(old.body)
    owner = next(
        e for e in initial.expected if changes["revised_file"] in {a.path for a in e.attachments}
    )
    assert owner.section == "trs"
    assert (
        f'href="./{changes["revised_file"].rsplit("/", 1)[1]}"'
        in initial.resolve(owner.path).body.decode()
    )
    # (2) the withdrawal: gone from the records and from the expected disclosures
    assert revised.resolve(withdrawn.path) is None
    assert all(revised.resolve(a.path) is None for a in withdrawn.attachments)
    assert withdrawn.path not in {e.path for e in revised.expected}
    # (3) the new disclosure tops the TRS list
    top = hrefs(revised.resolve("/zwgk/czyjs/ys/index.html").body.decode())
    first = next(h for h in top if re.match(r"\./\d{6}/t\d{8}_\d+\.html", h))
    assert "/zwgk/czyjs/ys/" + first[2:] == new.path
    assert {e.path for e in initial.expected} - {withdrawn.path} == {
        e.path for e in revised.expected
    } - {new.path}


# --- server.py ----------------------------------------------------------------------------


def test_home_robots_and_404(portal):
    status, headers, body = fetch(portal.url + "/")
    assert status == 200
    assert set(SECTIONS.values()) <= set(hrefs(body.decode()))
    status, _, body = fetch(portal.url + "/robots.txt")
    assert body == b"User-agent: *\nDisallow: /private/\n"
    status, headers, body = fetch(portal.url + "/no/such/page.html")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert "页面不存在".encode() in body
    status, headers, _ = fetch(portal.url + "/col/col1201/index_1.html")
    assert status == 404
    # the private PDF exists (a polite crawler never asks for it) and a noise page links it
    linking = [
        p for p in portal.site.noise if b"/private/internal.pdf" in portal.site.resolve(p).body
    ]
    assert len(linking) == 1
    assert portal.site.resolve("/private/internal.pdf").content_type == "application/pdf"


def test_conditional_requests_get_304(portal):
    path = next(e.path for e in portal.site.expected if e.section == "trs")
    status, headers, body = fetch(portal.url + path)
    assert status == 200
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert etag == '"' + hashlib.sha256(body).hexdigest() + '"'
    assert modified.endswith(" GMT")

    assert fetch(portal.url + path, {"If-None-Match": etag})[0] == 304
    assert fetch(portal.url + path, {"If-None-Match": 'W/"x", ' + etag})[0] == 304
    assert fetch(portal.url + path, {"If-Modified-Since": modified})[0] == 304
    assert fetch(portal.url + path, {"If-None-Match": '"other"'})[0] == 200
    assert (
        fetch(portal.url + path, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200
    )
    # If-None-Match decides when both are sent
    assert (
        fetch(portal.url + path, {"If-None-Match": '"other"', "If-Modified-Since": modified})[0]
        == 200
    )

    status, head_headers, head_body = fetch(portal.url + path, method="HEAD")
    assert status == 200 and head_body == b"" and head_headers["ETag"] == etag
    assert head_headers["Content-Length"] == str(len(body))

    log = [r for r in portal.requests if r.path == path]
    assert [r.status for r in log] == [200, 304, 304, 304, 200, 200, 200, 200]
    assert log[1].headers["If-None-Match"] == etag
    assert log[3].headers["If-Modified-Since"] == modified
    assert log[0].headers["User-Agent"].startswith("Python-urllib")
    assert log[-1].method == "HEAD"


def test_trs_list_pages(portal):
    site = portal.site
    status, _, body = fetch(portal.url + SECTIONS["trs"])
    page = body.decode()
    m = re.search(r"createPageHTML\('page_div', (\d+), (\d+), 'index', 'html', (\d+)\);", page)
    pages, current, total = map(int, m.groups())
    assert (pages, current) == (3, 0) and "var countPage = 3//共多少页" in page
    assert "index_1.html" not in page  # no pagination links in the HTML
    details = []
    for n in range(pages):
        name = "index.html" if n == 0 else f"index_{n}.html"
        status, _, body = fetch(f"{portal.url}/zwgk/czyjs/ys/{name}")
        assert status == 200
        details += [h for h in hrefs(body.decode()) if re.match(r"\./\d{6}/t\d{8}_\d+\.html$", h)]
    assert len(details) == total == len(set(details))
    assert fetch(f"{portal.url}/zwgk/czyjs/ys/index_{pages}.html")[0] == 404
    listed = {"/zwgk/czyjs/ys/" + h[2:] for h in details}
    trs = {e.path for e in site.expected if e.section == "trs" and not e.parent_path}
    assert trs <= listed
    assert listed - trs == {p for p in site.noise if p.startswith("/zwgk/")}


def test_jpage_gbk_and_data_proxy(portal):
    site = portal.site
    status, headers, body = fetch(portal.url + SECTIONS["jpage"])
    assert headers["Content-Type"] == "text/html; charset=GBK"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    page = body.decode("gbk")
    assert 'content="text/html; charset=gbk"' in page
    assert (
        "<a "
        not in page.replace("<![CDATA[<li><a ", "").split("<recordset>")[1].split("</recordset>")[0]
    )
    first = re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", page)
    total = int(re.search(r"totalRecord: (\d+)", page)[1])
    assert len(first) == 10 and total == 24
    proxy = re.search(r"<nextgroup><!\[CDATA\[<a href=\"([^\"]+)\"", page)[1]
    assert proxy.startswith("/module/web/jpage/dataproxy.jsp?page=1&")

    records = []
    for n in (1, 2, 3, 4):
        url = portal.url + urllib.parse.quote(proxy.replace("page=1", f"page={n}"), safe="/?&=")
        status, headers, body = fetch(url)
        assert status == 200 and headers["Content-Type"] == "text/xml; charset=UTF-8"
        xml = body.decode()
        assert "<totalrecord>24</totalrecord><totalpage>3</totalpage>" in xml
        chunk = re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", xml)
        if n == 1:
            assert chunk == first
        records += chunk
    assert len(records) == 24 == len(set(records))
    assert all(re.search(r"<span>\d{4}年\d{1,2}月\d{1,2}日</span>", r) for r in records)

    status, _, body = fetch(
        portal.url + "/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=30&perpage=10",
        method="POST",
        data=b"col=1&appid=1&webid=1&columnid=1201&unitid=5001",
    )
    assert re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", body.decode()) == records

    paths = {re.search(r'href="([^"]+)"', r)[1] for r in records}
    jpage = {e.path for e in site.expected if e.section == "jpage"}
    assert len(jpage) == 18 and jpage <= paths
    assert paths - jpage == {p for p in site.noise if p.startswith("/art/")}

    e = next(
        e for e in site.expected if e.section == "jpage" and "downfile.jsp" in e.attachments[0].path
    )
    status, headers, body = fetch(portal.url + e.path)
    assert headers["Content-Type"] == "text/html; charset=GBK" and e.title in body.decode("gbk")
    # a browser or Scrapy sends showname percent-encoded in the page's encoding (GBK)
    link = e.attachments[0].path
    name = link.split("showname=")[1]
    url = portal.url + link.replace(name, urllib.parse.quote(name.encode("gbk")))
    status, headers, body = fetch(url)
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-") and not urllib.parse.urlsplit(url).path.endswith(".pdf")
    assert site.canonical(url) == link
    logged = next(r for r in reversed(portal.requests) if "downfile.jsp" in r.target)
    assert logged.path == link and logged.target != link  # logged in Site.expected's form


def test_spa_needs_its_script(portal):
    site = portal.site
    status, _, body = fetch(portal.url + SECTIONS["spa"])
    shell = body.decode()
    assert '<ul id="list"></ul>' in shell and '<div id="pager"></div>' in shell
    assert "api" not in shell and set(hrefs(shell)) == {"/"}
    status, headers, script = fetch(portal.url + "/static/bmys.js")
    assert b"/api/v2" not in script and b"['', 'api', 'v2', 'bmys', 'items'].join('/')" in script

    items = []
    for n in (1, 2):
        status, headers, body = fetch(f"{portal.url}/api/v2/bmys/items?page={n}")
        assert headers["Content-Type"] == "application/json; charset=utf-8"
        data = json.loads(body)
        assert (data["total"], data["page"], data["pages"]) == (12, n, 2)
        items += data["items"]
    assert json.loads(fetch(f"{portal.url}/api/v2/bmys/items?page=3")[2])["items"] == []
    assert json.loads(fetch(f"{portal.url}/api/v2/bmys/items")[2])["page"] == 1
    assert {i["url"] for i in items} == {e.path for e in site.expected if e.section == "spa"}
    e = next(e for e in site.expected if e.section == "spa")
    page = fetch(portal.url + e.path)[2].decode()
    assert f"<h1>{e.title}</h1>" in page and f'<span class="date">{e.published}</span>' in page
    assert e.attachments[0].path in hrefs(page) and e.attachments[0].path.startswith("/cmsres/")


def test_attachment_outcomes_over_http(portal):
    site = portal.site
    by_outcome = {a.outcome: a for e in site.expected for a in e.attachments}
    assert fetch(portal.url + by_outcome["http_404"].path)[0] == 404
    status, headers, body = fetch(portal.url + by_outcome["not_pdf"].path)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert not body.startswith(b"%PDF") and by_outcome["not_pdf"].path.endswith(".pdf")
    status, headers, body = fetch(portal.url + by_outcome["ok"].path)
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-")


def test_state_switch_at_runtime(portal):
    changes = build_site("revised").changes
    try:
        portal.state = "revised"
        assert fetch(portal.url + changes["withdrawn_disclosure"])[0] == 404
        assert fetch(portal.url + changes["new_disclosure"])[0] == 200
        page = fetch(portal.url + SECTIONS["jpage"])[2].decode("gbk")
        assert "totalRecord: 23" in page
    finally:
        portal.state = "initial"
    assert fetch(portal.url + changes["withdrawn_disclosure"])[0] == 200
    assert fetch(portal.url + changes["new_disclosure"])[0] == 404
