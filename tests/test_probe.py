"""`budget-archive probe`: on the saved real pages, on each family imitation's entry page
(saved, offline) and on a served imitation (fetched)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from budget_archive.cli import cli
from crawler.probe import decode, probe_page
from tests.imitations import ALL
from tests.imitations.site import Imitation, served

CQ = "https://jtj.cq.gov.cn/zwgk_240/zfxxgk/fdzdgknr/czyjs/ys/202603/"


def test_saved_real_trs_pages(real_dir):
    html = real_dir / "html"
    pages = {
        p.name: probe_page(CQ + "t20260302_1.html", decode(p.read_bytes()))
        for p in html.glob("*.html")
    }
    assert {p.detection.family for p in pages.values()} == {"trs"}
    downloadfj = pages["cq_czj_2026_detail_downloadFj.html"]
    assert downloadfj.is_disclosure and len(downloadfj.attachments) == 1
    assert downloadfj.attachments[0].url.endswith(".pdf") and "/W0" in downloadfj.attachments[0].url
    multi = pages["cq_fgw_2026_detail_multi_attach.html"]
    assert multi.is_disclosure and len(multi.attachments) >= 5
    index = pages["cq_jtj_2026_detail_index_of_subpages.html"]
    assert not index.is_disclosure  # a department page listing its units' pages
    assert len(index.candidates) >= 5
    assert all("预算" in c.title and c.url.endswith(".html") for c in index.candidates)


def test_probe_a_saved_page_from_the_command_line(real_dir):
    page = real_dir / "html" / "cq_jtj_2026_detail_index_of_subpages.html"
    result = CliRunner().invoke(cli, ["probe", str(page), "--url", CQ + "t20260302_1.html"])
    assert result.exit_code == 0, result.output
    assert "family: trs (from the page:" in result.output
    assert 'family = "trs"' in result.output and f'url = "{CQ}t20260302_1.html"' in result.output


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.__name__)
def test_probe_the_entry_page_of_each_imitation(kind: type[Imitation], tmp_path):
    imitation = kind()
    imitation.url, imitation.files_url = "http://127.0.0.1:1", "http://127.0.0.2:2"
    imitation.build()
    path = imitation.entry.split("#")[0]
    reply = imitation.get.get(path)  # an API has no page to GET
    html = reply.payload().decode(reply.encoding) if reply else ""
    report = probe_page(imitation.url + path, html)
    assert report.detection.family == imitation.detected
    assert report.walker == (imitation.auto_walker or imitation.family)
    listed = {c.url for c in report.candidates}
    assert listed <= imitation.disclosures | imitation.sublists()


def test_probe_fetches_politely(tmp_path):
    kind = ALL[0]
    with served(kind()) as imitation:
        result = CliRunner().invoke(cli, ["probe", imitation.url + imitation.entry])
        assert result.exit_code == 0, result.output
        assert imitation.requests[:2] == ["GET /robots.txt", f"GET {imitation.entry}"]
    assert f"family: {imitation.detected}" in result.output
    assert "page-count script" in result.output


def test_probe_refuses_what_is_not_a_page_or_a_url(tmp_path):
    result = CliRunner().invoke(cli, ["probe", "file:///etc/passwd"])
    assert result.exit_code == 1 and "neither a saved page nor an http(s) URL" in result.output
    saved = tmp_path / "x.html"
    saved.write_text("<html></html>")
    result = CliRunner().invoke(cli, ["probe", str(saved)])
    assert result.exit_code == 1 and "needs --url" in result.output
