"""Config knobs for what detection cannot infer: detail-URL pattern, list-item selector,
pager template with its page-number base, extra noise words."""

from __future__ import annotations

from tests.imitations.site import Imitation, Reply, page, pdf
from tests.test_families import crawl, urls

UNITS = ["教育局", "民政局", "司法局", "财政局", "水利局"]


class Opaque(Imitation):
    """A list whose titles carry no year (the year is on the detail page), whose details are
    `show.do?articleId=N`, whose pages are `more.do?pageNum=N` reached only by a script
    button, beside a sidebar of other columns' disclosures, and a summary table that the
    user does not want."""

    family = "generic"
    entry = "/col/more.do?pageNum=1"

    def build(self) -> None:
        sidebar = (
            '<div class="side"><a href="/other/show.do?articleId=9">某局2020年部门预算</a></div>'
        )
        self.get["/other/show.do?articleId=9"] = Reply(page("<h1>某局2020年部门预算</h1>"))
        items = []
        for n, unit in enumerate(UNITS):
            detail = f"/col/show.do?articleId={100 + n}"
            f = f"/upload/{100 + n}.pdf"
            self.get[detail] = Reply(
                page(
                    f'<h1>{unit}2026年部门预算</h1><a href="{f}">附件</a>', f"{unit}2026年部门预算"
                )
            )
            self.get[f] = pdf(f)
            self.disclosures.add(self.url + detail)
            self.expected_files.add(self.url + f)
            items.append((detail, f"{unit}部门预算"))
        summary = "/col/show.do?articleId=199"
        self.get[summary] = Reply(page("<h1>全市2026年部门预算汇总表</h1>"))
        self.noise.add(self.url + summary)
        items.append((summary, "全市部门预算汇总表"))
        for k in (1, 2, 3):
            chunk = items[(k - 1) * 3 : k * 3]
            lis = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in chunk)
            button = '<button onclick="nextPage()">下一页</button>'
            self.get[f"/col/more.do?pageNum={k}"] = Reply(
                page(f'{sidebar}<ul class="newslist">{lis}</ul>{button}')
            )


def test_knobs_find_what_detection_cannot(tmp_path):
    knobs = {
        "detail_pattern": r"show\.do\?articleId=\d+",
        "item_selector": ".newslist a",
        "pager": "more.do?pageNum={n}",
        "page_base": 1,
        "noise": ["汇总表"],
    }
    imitation = Opaque()
    from tests.imitations.site import served

    with served(imitation):
        portals = tmp_path / "portals.toml"
        portals.write_text(imitation.portals_toml(None, **knobs), "utf-8")
        db = crawl(imitation, tmp_path, None, portals)
    found = urls(r["url"] for r in db.query("select url from disclosures"))
    assert found == urls(imitation.disclosures)
    assert urls(r["url"] for r in db.query("select url from attachments")) == urls(
        imitation.expected_files
    )
    skipped = {r["url"]: r["reason"] for r in db.query("select url, reason from skipped")}
    assert skipped == {
        f"{imitation.url}/col/show.do?articleId=199": "not a disclosure: 汇总表 (the section's noise words)"
    }
    asked = set(imitation.requests)
    # asked page after page until one listed nothing (page 3), no further
    assert "GET /col/more.do?pageNum=3" in asked and "GET /col/more.do?pageNum=4" not in asked


def test_without_knobs_less_is_found(tmp_path):
    imitation = Opaque()
    from tests.imitations.site import served

    with served(imitation):
        db = crawl(imitation, tmp_path, None, expect_ok=False)
    found = urls(r["url"] for r in db.query("select url from disclosures"))
    assert not found & urls(imitation.disclosures)


class ListApi(Imitation):
    """A platform's JSON list API that no walker knows: POST form paging, items under
    `data.rows`, their files in the item."""

    family = "json"
    entry = "/api/list.do"

    def build(self) -> None:
        self.rows = []
        for n, unit in enumerate(UNITS):
            files = [
                {"fileId": f"F{n}{k}", "fileName": f"{unit}表{k}.pdf"} for k in range(1 + n % 2)
            ]
            for f in files:
                path = f"/file/download?fileId={f['fileId']}"
                self.get[path] = pdf(path)
                self.expected_files.add(self.url + path)
            self.rows.append(
                {
                    "articleId": 900 + n,
                    "articleTitle": f"{unit}2026年部门预算",
                    "pubDate": f"2026-03-0{n + 1} 10:00:00",
                    "attachList": files,
                }
            )
            self.disclosures.add(f"{self.url}/detail.html?id={900 + n}")
        self.rows.insert(
            2,
            {
                "articleId": 999,
                "articleTitle": "关于2026年部门预算公开工作的通知",
                "pubDate": "2026-01-01",
                "attachList": [],
            },
        )
        self.noise.add(f"{self.url}/detail.html?id=999")

    def post(self, path: str, form: dict[str, str]) -> Reply | None:
        import json

        if path != "/api/list.do" or form.get("areaCode") != "320100":
            return None
        k, size = int(form["pageNum"]), int(form["pageSize"])
        chunk = self.rows[(k - 1) * size : k * size]
        return Reply(
            json.dumps({"code": 0, "data": {"rows": chunk}}, ensure_ascii=False),
            content_type="application/json",
        )


def test_a_list_api_described_by_keys(tmp_path):
    from tests.imitations.site import served

    imitation = ListApi()
    with served(imitation):
        portals = tmp_path / "portals.toml"
        portals.write_text(
            imitation.portals_toml(
                None,
                json_items="data.rows",
                json_title="articleTitle",
                json_date="pubDate",
                json_url="/detail.html?id={articleId}",
                json_files="attachList",
                json_file_url="/file/download?fileId={fileId}",
            )
            + '[portal.section.form]\npageNum = "{n}"\npageSize = 3\nareaCode = "320100"\n',
            "utf-8",
        )
        db = crawl(imitation, tmp_path, None, portals)
    assert urls(r["url"] for r in db.query("select url from disclosures")) == urls(
        imitation.disclosures
    )
    assert urls(r["url"] for r in db.query("select url from attachments")) == urls(
        imitation.expected_files
    )
    assert {r["publish_date"] for r in db.query("select publish_date from disclosures")} == {
        f"2026-03-0{n + 1}" for n in range(len(UNITS))
    }
    assert [r["url"] for r in db.query("select url from skipped")] == [
        f"{imitation.url}/detail.html?id=999"
    ]
    posts = [r for r in imitation.requests if r.startswith("POST")]
    assert len(posts) == 3  # pages 1, 2 and the empty page 3
