"""The archive in Datasette: metadata.json matches the schema, canned queries, files, read-only.

Requests go through Datasette's in-process client; one test serves the archive for real and
loads a page in headless Chromium.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
import sqlite_utils
from datasette.app import Datasette

from archive.filestore import FileStore
from archive.migrations import migrate
from archive.publish import DATABASE, datasette_app, load_metadata
from archive.store import Store
from tests.minipdf import text_pdf

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")

TITLE_2025 = "演示市教育局2025年部门预算"
TITLE_2024 = "演示市教育局2024年部门决算"
TITLE_2023 = "演示市教育局2023年部门预算"
TITLE_WITHDRAWN = "演示市卫生健康委员会2025年部门预算"
TITLE_SCHOOL = "演示市第一中学2025年单位预算"
PORTAL_URL = "http://zwgk.example.gov.cn"


def build_archive(root: Path) -> dict[str, Any]:
    """A small archive as three crawls would leave it; returns the facts tests check."""
    root.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(root / "archive.db")
    migrate(db)
    store = FileStore(root)
    old = store.put(text_pdf("jiaoyuju 2025 budget, first edition"), "pdf")
    new = store.put(text_pdf("jiaoyuju 2025 budget, corrected"), "pdf")
    final = store.put(text_pdf("jiaoyuju 2024 final account"), "pdf")
    health = store.put(text_pdf("weijianwei 2025 budget"), "pdf")
    older = store.put(text_pdf("jiaoyuju 2023 budget"), "pdf")
    t1, t2, t3 = "2026-11-20T02:00:00Z", "2026-11-21T02:00:00Z", "2026-11-22T02:00:00Z"

    db.table("portals").insert(
        {
            "id": "yanshi",
            "name": "演示市财政局",
            "region": "演示市",
            "base_url": PORTAL_URL,
            "sections": json.dumps(
                [{"id": "bmys", "name": "部门预决算", "family": "trs", "url": f"{PORTAL_URL}/ys/"}],
                ensure_ascii=False,
            ),
            "first_seen": t1,
            "last_crawled": t3,
        }
    )
    for crawl_id, started in enumerate((t1, t2, t3), 1):
        db.table("crawls").insert(
            {
                "id": crawl_id,
                "started_at": started,
                "finished_at": started.replace("02:00:00", "02:05:00"),
                "status": "finished",
                "portals": '["yanshi"]',
                "pages_fetched": 12,
                "disclosures_seen": 4,
                "attachments_seen": 4,
                "files_downloaded": 4 if crawl_id == 1 else 1,
                "files_not_modified": 0 if crawl_id == 1 else 3,
                "files_new": 4 if crawl_id == 1 else 1,
                "events": 0,
                "problems": 0,
                "stats": "{}",
            }
        )
    for stored, url in (
        (old, "a1.pdf"),
        (new, "a1.pdf"),
        (final, "a2.pdf"),
        (health, "a3.pdf"),
        (older, "a4.pdf"),
    ):
        db.table("files").insert(
            {
                "sha256": stored.sha256,
                "size": stored.size,
                "content_type": "application/pdf",
                "kind": "pdf",
                "path": stored.path,
                "first_seen": t2 if stored is new else t1,
                "first_url": f"{PORTAL_URL}/ys/{url}",
            }
        )

    def disclosure(id_: int, title: str, unit: str, year: int, doc_type: str, **extra: Any) -> None:
        db.table("disclosures").insert(
            {
                "id": id_,
                "portal_id": "yanshi",
                "section": "bmys",
                "url": f"{PORTAL_URL}/ys/t2026_{id_}.html",
                "title": title,
                "publish_date_shown": f"{year}-02-1{id_ % 10}",
                "publish_date": f"{year}-02-1{id_ % 10}",
                "unit_name": unit,
                "year": year,
                "doc_type": doc_type,
                "parent_id": None,
                "status": "active",
                "first_seen": t1,
                "last_seen": t3,
                "first_crawl_id": 1,
                "last_crawl_id": 3,
                "withdrawn_at": None,
                **extra,
            }
        )

    # Inserted out of year order: the unit query must sort them.
    disclosure(1, TITLE_2025, "演示市教育局", 2025, "budget")
    disclosure(2, TITLE_2024, "演示市教育局", 2024, "final_account")
    disclosure(3, TITLE_WITHDRAWN, "演示市卫生健康委员会", 2025, "budget", status="withdrawn")
    db.table("disclosures").update(3, {"withdrawn_at": t2, "last_seen": t1, "last_crawl_id": 2})
    disclosure(4, TITLE_2023, "演示市教育局", 2023, "budget")
    disclosure(5, TITLE_SCHOOL, "演示市第一中学", 2025, "budget", parent_id=1)

    def attachment(id_: int, disclosure_id: int, name: str, sha: str | None, **extra: Any) -> None:
        db.table("attachments").insert(
            {
                "id": id_,
                "disclosure_id": disclosure_id,
                "url": f"{PORTAL_URL}/ys/a{id_}.pdf",
                "name": name,
                "status": "active",
                "current_sha256": sha,
                "last_error": None,
                "first_seen": t1,
                "last_seen": t3,
                **extra,
            }
        )

    attachment(1, 1, "2025年部门预算公开表.pdf", new.sha256)
    attachment(2, 2, "2024年部门决算.pdf", final.sha256)
    attachment(3, 3, "2025年部门预算.pdf", health.sha256)
    attachment(4, 4, "2023年部门预算.pdf", older.sha256)
    attachment(5, 4, "2023年三公经费说明.pdf", None, status="failed", last_error="http_404")
    attachment(6, 2, "2024年决算说明.pdf", final.sha256, status="withdrawn")

    def version(
        id_: int, attachment_id: int, sha: str, first: str, last: str, crawls: tuple
    ) -> None:
        db.table("versions").insert(
            {
                "id": id_,
                "attachment_id": attachment_id,
                "sha256": sha,
                "first_seen": first,
                "last_seen": last,
                "first_crawl_id": crawls[0],
                "last_crawl_id": crawls[1],
                "etag": f'"{sha[:8]}"',
                "last_modified": "Mon, 16 Nov 2026 08:00:00 GMT",
                "content_type": "application/pdf",
            }
        )

    version(1, 1, old.sha256, t1, t1, (1, 1))
    version(2, 2, final.sha256, t1, t3, (1, 3))
    version(3, 3, health.sha256, t1, t1, (1, 1))
    version(4, 4, older.sha256, t1, t3, (1, 3))
    version(5, 1, new.sha256, t2, t3, (2, 3))
    version(6, 6, final.sha256, t1, t3, (1, 3))

    def event(
        id_: int, time_: str, crawl_id: int, type_: str, disclosure_id: int, **extra: Any
    ) -> None:
        db.table("events").insert(
            {
                "id": id_,
                "time": time_,
                "crawl_id": crawl_id,
                "type": type_,
                "portal_id": "yanshi",
                "disclosure_id": disclosure_id,
                "attachment_id": None,
                "old_sha256": None,
                "new_sha256": None,
                "note": None,
                **extra,
            }
        )

    for disclosure_id in (1, 2, 3, 4, 5):
        event(disclosure_id, t1, 1, "published", disclosure_id)
    event(6, t2, 2, "revised", 1, attachment_id=1, old_sha256=old.sha256, new_sha256=new.sha256)
    event(7, t2, 2, "withdrawn", 3, note="page answered 404")
    event(
        8,
        t2,
        2,
        "withdrawn",
        2,
        attachment_id=6,
        old_sha256=final.sha256,
        note="no longer linked from the page",
    )
    event(
        9, t3, 3, "reappeared", 2, attachment_id=6, old_sha256=final.sha256, new_sha256=final.sha256
    )
    event(
        10,
        t3,
        3,
        "withdrawn",
        2,
        attachment_id=6,
        old_sha256=final.sha256,
        note="no longer linked from the page",
    )
    db.table("fetch_problems").insert(
        {
            "id": 1,
            "crawl_id": 2,
            "time": t2,
            "portal_id": "yanshi",
            "url": f"{PORTAL_URL}/ys/a5.pdf",
            "page_url": f"{PORTAL_URL}/ys/t2026_4.html",
            "kind": "http_404",
            "http_status": 404,
            "detail": "附件不存在",
        }
    )
    db.close()
    Store(root).close()  # as any opening of the archive does: what was written by hand is indexed
    return {"old": old, "new": new, "final": final, "health": health, "older": older}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("publish") / "archive"
    return root, build_archive(root)


@pytest.fixture(scope="module")
def ds(archive: tuple[Path, dict[str, Any]]) -> Datasette:
    return datasette_app(archive[0])


def get(ds: Datasette, path: str, **kwargs: Any) -> httpx.Response:
    return asyncio.run(ds.client.get(path, **kwargs))


def query(ds: Datasette, name: str, **params: str) -> list[dict[str, Any]]:
    response = get(ds, f"/{DATABASE}/{name}.json", params={**params, "_shape": "objects"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("ok", True), body
    return body["rows"]


# -- metadata.json against the schema ------------------------------------------------------


def test_metadata_describes_exactly_the_schema(tmp_path: Path) -> None:
    db = sqlite_utils.Database(tmp_path / "archive.db")
    migrate(db)
    # full-text indexes and their shadow tables are SQLite's (Datasette hides them)
    fts = set(db.table_names(fts5=True))
    names = [n for n in db.table_names() if not any(n == f or n.startswith(f + "_") for f in fts)]
    schema = {name: set(db[name].columns_dict) for name in [*names, *db.view_names()]}
    assert fts == {"page_texts_fts", "disclosure_search_fts"}
    described = load_metadata()["databases"][DATABASE]["tables"]
    assert set(described) == set(schema), "every table described, and only real tables"
    for name, table in described.items():
        assert table.get("description"), f"{name} has no description"
        assert set(table["columns"]) == schema[name], f"columns of {name}"
        assert all(table["columns"].values()), f"a column of {name} has no description"
        for key in ("sort", "sort_desc", "label_column"):
            assert key not in table or table[key] in schema[name], f"{name}.{key}"
        assert set(table.get("facets", [])) <= schema[name], f"facets of {name}"


def test_metadata_has_the_descriptive_fields() -> None:
    metadata = load_metadata()
    for key in ("title", "description", "source", "source_url", "license", "license_url"):
        assert metadata.get(key), key
    assert "预算" in metadata["title"]
    tables = metadata["databases"][DATABASE]["tables"]
    assert tables["_migrations"]["hidden"] is True
    assert tables["events"]["facets"][0] == "type"
    assert {"portal_id", "doc_type", "year", "status"} <= set(tables["disclosures"]["facets"])


def test_the_repository_metadata_is_the_one_loaded() -> None:
    assert load_metadata() == json.loads((ROOT / "metadata.json").read_text("utf-8"))


def test_an_explicit_metadata_file_is_used(archive: tuple[Path, dict], tmp_path: Path) -> None:
    custom = tmp_path / "m.json"
    custom.write_text(json.dumps({"title": "另一个标题"}, ensure_ascii=False), "utf-8")
    response = get(datasette_app(archive[0], metadata=custom), "/")
    assert "另一个标题" in response.text


def test_a_missing_archive_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no archive database"):
        datasette_app(tmp_path / "nowhere")


# -- pages render, with Chinese intact --------------------------------------------------------


def test_index_shows_title_and_description(ds: Datasette) -> None:
    response = get(ds, "/")
    assert response.status_code == 200
    assert "charset=utf-8" in response.headers["content-type"]
    assert "budget-archive: 政府预算公开档案" in response.text
    assert "修改" in response.text and "撤回" in response.text  # description_html
    assert "政府信息公开" in response.text  # the data license in the footer


def test_database_page_lists_tables_and_queries_without_migrations(ds: Datasette) -> None:
    text = get(ds, f"/{DATABASE}").text
    for name in ("disclosures", "events", "Latest events (最新变动)", "单位历年预决算"):
        assert name in text
    assert "_migrations" not in text  # hidden


def test_table_page_renders_chinese_descriptions_and_facets(ds: Datasette) -> None:
    response = get(ds, f"/{DATABASE}/disclosures")
    assert response.status_code == 200
    text = response.text
    for snippet in (
        TITLE_2025,
        TITLE_WITHDRAWN,
        "公开页面",
        "budget (预算) or final_account (决算).",
    ):
        assert snippet in text
    facets = get(ds, f"/{DATABASE}/disclosures.json").json()["facet_results"]
    assert {"portal_id", "doc_type", "year", "status"} <= set(facets)
    assert facets["status"]["results"][0]["value"] in ("active", "withdrawn")


def test_unknown_urls_are_404_not_500(ds: Datasette) -> None:
    # Datasette 0.65 with rich installed turns these into a 500 (see publish._plain_error_pages).
    for path in (f"/{DATABASE}/events/-/insert", "/no/such/page/here", f"/{DATABASE}/nope"):
        assert get(ds, path).status_code == 404, path


def test_json_keeps_chinese_text(ds: Datasette) -> None:
    response = get(ds, f"/{DATABASE}/disclosures/1.json", params={"_shape": "objects"})
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["rows"][0]["title"] == TITLE_2025
    # Datasette 0.65 writes JSON with \u escapes (json.dumps default): valid, if not pretty.
    assert "\\u6f14" in response.text or TITLE_2025 in response.text


def test_row_labels_use_names_and_titles(ds: Datasette) -> None:
    text = get(ds, f"/{DATABASE}/events").text
    assert "演示市财政局" in text  # portal_id shown with the portal's name
    assert TITLE_2025 in text  # disclosure_id shown with the disclosure's title
    assert "2025年部门预算公开表.pdf" in text  # attachment_id with the attachment's name


# -- canned queries ---------------------------------------------------------------------------


def test_every_canned_query_runs_and_none_writes(ds: Datasette) -> None:
    queries = load_metadata()["databases"][DATABASE]["queries"]
    assert {"latest_events", "unit_disclosures", "search", "unit_totals"} <= set(queries)
    for name, spec in queries.items():
        assert not spec.get("write"), name
        assert spec.get("title") and spec.get("description"), name
        assert query(ds, name) is not None
        assert get(ds, f"/{DATABASE}/{name}").status_code == 200, name


def test_latest_events_newest_first(ds: Datasette, archive: tuple[Path, dict]) -> None:
    rows = query(ds, "latest_events")
    assert len(rows) == 10
    assert [row["time"] for row in rows] == sorted((row["time"] for row in rows), reverse=True)
    assert rows[0]["type"] in ("reappeared", "withdrawn") and rows[0]["crawl_id"] == 3
    assert rows[0]["attachment"] == "2024年决算说明.pdf" and rows[0]["unit"] == "演示市教育局"
    assert {row["type"] for row in rows} == {"published", "revised", "withdrawn", "reappeared"}


def test_latest_events_of_one_type(ds: Datasette, archive: tuple[Path, dict]) -> None:
    files = archive[1]
    (revised,) = query(ds, "latest_events", type="revised")
    assert revised["disclosure"] == TITLE_2025
    assert revised["attachment"] == "2025年部门预算公开表.pdf"
    assert (revised["old_sha256"], revised["new_sha256"]) == (
        files["old"].sha256,
        files["new"].sha256,
    )
    assert {row["type"] for row in query(ds, "latest_events", type="withdrawn")} == {"withdrawn"}


def test_unit_disclosures_over_the_years(ds: Datasette, archive: tuple[Path, dict]) -> None:
    files = archive[1]
    rows = query(ds, "unit_disclosures", unit="教育局")
    assert [(row["year"], row["doc_type"], row["title"]) for row in rows] == [
        (2023, "budget", TITLE_2023),
        (2024, "final_account", TITLE_2024),
        (2025, "budget", TITLE_2025),
    ]
    by_year = {row["year"]: row for row in rows}
    assert by_year[2025]["current_sha256s"] == files["new"].sha256  # the revised file's new content
    assert by_year[2025]["publish_date"] == "2025-02-11" and by_year[2025]["status"] == "active"
    assert by_year[2023]["attachments"] == 2  # one of them never fetched
    assert by_year[2023]["current_sha256s"] == files["older"].sha256
    assert by_year[2024]["current_sha256s"] == f"{files['final'].sha256} {files['final'].sha256}"
    (withdrawn,) = query(ds, "unit_disclosures", unit="卫生健康")
    assert withdrawn["status"] == "withdrawn"


def test_revised_files_pairs_old_and_new_versions(
    ds: Datasette, archive: tuple[Path, dict]
) -> None:
    files = archive[1]
    (row,) = query(ds, "revised_files")
    assert row["disclosure"] == TITLE_2025
    assert row["old_sha256"] == files["old"].sha256 and row["new_sha256"] == files["new"].sha256
    assert (row["old_first_seen"], row["old_last_seen"]) == ("2026-11-20T02:00:00Z",) * 2
    assert row["new_first_seen"] == "2026-11-21T02:00:00Z"
    assert (row["old_path"], row["new_path"]) == (files["old"].path, files["new"].path)
    assert row["old_size"] == files["old"].size


def test_withdrawn_lists_pages_and_files(ds: Datasette) -> None:
    rows = query(ds, "withdrawn")
    assert [(row["what"], row["disclosure"]) for row in rows] == [
        ("file", TITLE_2024),  # withdrawn again in crawl 3
        ("page", TITLE_WITHDRAWN),
    ]
    assert rows[0]["attachment"] == "2024年决算说明.pdf" and rows[0]["last_sha256"]


def test_problems_by_kind(ds: Datasette) -> None:
    (row,) = query(ds, "problems_by_kind")
    assert (row["kind"], row["portal_id"], row["problems"], row["urls"]) == (
        "http_404",
        "yanshi",
        1,
        1,
    )
    assert row["latest_url"].endswith("/a5.pdf")


# -- stored files and links -------------------------------------------------------------------


def test_stored_files_are_served_under_files(ds: Datasette, archive: tuple[Path, dict]) -> None:
    root, files = archive
    stored = files["new"]
    assert stored.path.startswith("files/")
    response = get(ds, "/" + stored.path)
    assert response.status_code == 200
    assert response.content == (root / stored.path).read_bytes()
    assert response.headers["content-type"].startswith("application/pdf")
    assert get(ds, "/files/00/" + "0" * 64 + ".pdf").status_code == 404


def test_the_database_is_not_served_as_a_file(ds: Datasette) -> None:
    for path in ("/files/../archive.db", "/files/%2e%2e/archive.db", "/files/..%2farchive.db"):
        response = get(ds, path)
        assert response.status_code != 200 or not response.content.startswith(b"SQLite"), path


def test_paths_and_digests_are_links(ds: Datasette, archive: tuple[Path, dict]) -> None:
    files = archive[1]
    text = get(ds, f"/{DATABASE}/files").text
    new = f"/-/download/{files['new'].sha256}"  # the file under a readable name
    assert f'<a href="{new}">{files["new"].path}</a>' in text
    text = get(ds, f"/{DATABASE}/revised_files").text
    assert f'href="/-/download/{files["old"].sha256}"' in text
    assert f'href="/{DATABASE}/files/{files["old"].sha256}"' in text
    assert 'href="/-/disclosure/1"' in text  # its own page
    text = get(ds, f"/{DATABASE}/events").text
    assert f'href="/{DATABASE}/files/{files["new"].sha256}"' in text


def test_other_datasette_instances_are_left_alone(archive: tuple[Path, dict]) -> None:
    datasette_app(archive[0])  # registers the plugin
    plain = Datasette(files=[str(archive[0] / "archive.db")])
    text = asyncio.run(plain.client.get(f"/{DATABASE}/files")).text
    assert 'href="/files/' not in text and 'href="/-/download/' not in text
    assert asyncio.run(plain.client.get("/-/download/" + "0" * 64)).status_code == 404


def test_a_stored_file_downloads_under_a_readable_name(
    ds: Datasette, archive: tuple[Path, dict]
) -> None:
    root, files = archive
    stored = files["new"]
    response = get(ds, f"/-/download/{stored.sha256}")
    assert response.status_code == 200
    assert response.content == (root / stored.path).read_bytes()
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('inline; filename="') and "filename*=UTF-8''" in disposition
    name = unquote(disposition.split("filename*=UTF-8''")[1])
    assert name.endswith(".pdf") and "_" in name and stored.sha256[:12] not in name
    assert get(ds, "/-/download/" + "0" * 64).status_code == 404


# -- read-only --------------------------------------------------------------------------------


def test_nothing_is_writable(ds: Datasette, archive: tuple[Path, dict]) -> None:
    db_path = archive[0] / "archive.db"

    def counts() -> tuple[int, int]:
        with sqlite3.connect(db_path) as conn:
            return (
                conn.execute("select count(*) from events").fetchone()[0],
                conn.execute("select count(*) from disclosures").fetchone()[0],
            )

    before = counts()
    response = get(ds, f"/{DATABASE}.json", params={"sql": "delete from events"})
    assert response.status_code == 400 and "SELECT" in response.text
    response = get(ds, f"/{DATABASE}.json", params={"sql": "update disclosures set title = 'x'"})
    assert response.status_code == 400
    for path in (f"/{DATABASE}/events/-/insert", f"/{DATABASE}/-/create", f"/{DATABASE}"):
        posted = asyncio.run(ds.client.post(path, json={"row": {"type": "published"}}))
        assert posted.status_code >= 400, path
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ds.get_database(DATABASE).connect().execute("delete from events")
    assert counts() == before


# -- serve() for real, in Chromium -------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.browser
def test_serve_renders_chinese_in_chromium(archive: tuple[Path, dict], tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent")
    from playwright.sync_api import sync_playwright

    port = _free_port()
    code = "import sys, pathlib; from archive.publish import serve; serve(pathlib.Path(sys.argv[1]), port=int(sys.argv[2]))"
    server = subprocess.Popen(
        [sys.executable, "-c", code, str(archive[0]), str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/-/versions.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve did not start: {server.communicate()[0]}")
            time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[
                    "--no-sandbox",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{base}/{DATABASE}/disclosures", wait_until="load")
                assert TITLE_2025 in page.inner_text("body")
                page.goto(f"{base}/", wait_until="load")
                assert "budget-archive: 政府预算公开档案" in page.inner_text("h1")
                page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
                page.goto(f"{base}/{DATABASE}/disclosures", wait_until="load")
                page.screenshot(path=str(tmp_path / "disclosures.png"), full_page=True)
            finally:
                browser.close()
        assert (tmp_path / "index.png").stat().st_size > 0
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert f"http://127.0.0.1:{port}/" in output


def test_events_as_an_atom_feed_filtered(ds: Datasette, archive: tuple[Path, dict]) -> None:
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    every = get(ds, f"/{DATABASE}/events_feed.atom")
    assert every.status_code == 200, every.text
    feed = ET.fromstring(every.text)
    assert feed.tag == f"{atom}feed"
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == len(query(ds, "latest_events")) == 10
    revised = get(ds, f"/{DATABASE}/events_feed.atom", params={"type": "revised"})
    (entry,) = ET.fromstring(revised.text).findall(f"{atom}entry")
    assert entry.findtext(f"{atom}title").endswith("revised — 2025年部门预算公开表.pdf")
    unit = get(ds, f"/{DATABASE}/events_feed.atom", params={"unit": "卫生健康"})
    titles = [e.findtext(f"{atom}title") for e in ET.fromstring(unit.text).findall(f"{atom}entry")]
    assert titles and all("卫生健康" in t for t in titles)
