"""The JSON-list-API family (Guangdong gkmlpt) end to end, with `budget-archive crawl`."""

from __future__ import annotations

import json

import sqlite_utils

from tests.localsite import LocalSite, crawl_command

PDF = b"%PDF-1.4\n% budget\n"
UNITS = ["甲局", "乙局", "丙局", "丁局", "戊局"]


def api_page(page: int) -> bytes:
    per_page = 3
    rows = [
        {
            "id": i,
            "url": f"/gkmlpt/content/1/{i}/post_{i}.html",
            "title": f"{u}2025年部门预算",
            "date": 1740873600 + i,
        }  # epoch seconds
        for i, u in enumerate(UNITS, start=1)
    ]
    rows.append(
        {
            "id": 9,
            "url": "/gkmlpt/content/1/9/post_9.html",
            "title": "甲局2025年车辆采购公告",
            "date": 1740873600,
        }
    )
    chunk = rows[(page - 1) * per_page : page * per_page]
    return json.dumps({"articles": chunk, "total": len(rows)}, ensure_ascii=False).encode()


def routes() -> dict:
    r = {"/robots.txt": (200, "text/plain", b"", 0)}
    for page in (1, 2):
        r[f"/gkmlpt/api/all/2987?page={page}&sid=757"] = (
            200,
            "application/json",
            api_page(page),
            0,
        )
    for i, unit in enumerate(UNITS, start=1):
        body = (
            f'<html><head><meta name="ArticleTitle" content="{unit}2025年部门预算"></head><body>'
            f'<a href="/attachment/0/{i}/{i}.pdf">{unit}预算.pdf</a></body></html>'
        )
        r[f"/gkmlpt/content/1/{i}/post_{i}.html"] = (
            200,
            "text/html; charset=utf-8",
            body.encode(),
            0,
        )
        r[f"/attachment/0/{i}/{i}.pdf"] = (200, "application/pdf", PDF + unit.encode(), 0)
    return r


def test_gkmlpt_json_list_pages(tmp_path):
    with LocalSite(routes()) as site:
        portals = site.portals_file(tmp_path, "gkmlpt", "/gkmlpt/api/all/2987?page=1&sid=757")
        done = crawl_command(portals, tmp_path / "a")
        assert done.returncode == 0, done.stderr[-3000:]
        assert "/gkmlpt/content/1/9/post_9.html" not in site.paths  # the notice is not fetched
    db = sqlite_utils.Database(tmp_path / "a" / "archive.db")
    rows = list(
        db.query("select title, publish_date, unit_name from disclosures order by unit_name")
    )
    assert sorted(r["unit_name"] for r in rows) == sorted(UNITS)
    assert {r["publish_date"] for r in rows} == {"2025-03-02"}
    assert db["files"].count == len(UNITS)
