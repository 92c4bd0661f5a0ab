"""Migrations: applied once, never changed once shipped, and an archive made by released
code migrates keeping every row."""

from __future__ import annotations

import gzip
import hashlib
import importlib
import inspect
import sqlite3
from pathlib import Path

import sqlite_utils

from archive.migrations import MIGRATIONS, migrate
from archive.store import Store
from extract.fields import AMOUNT_FIELDS, TEXT_FIELDS

FILES = Path(__file__).parent / "files"
# A demo archive (initial day, then revised day) made by release 0.1, commit 7ab2b8a.
RELEASED_DUMP = FILES / "archive-0.1-7ab2b8a.sql.gz"

# SHA-256 of each shipped migration's source. A shipped migration never changes: a new
# schema is a new migration. Add a line here when a migration ships.
SHIPPED = {
    "0001_initial": "00dd57a5b7f0a6921eb15022f199dc678716a64f1ac2a339c2d5512db4564f27",
    "0002_totals": "ad2c9691df05f3ace4cc06a8fe2d17ac17bb25f2bd3d2375e41dda84ff726944",
    "0003_history": "aa6aadfee8a375786b238efd276bc093a77a0d3f5b3a489fe00546761e1d7f88",
    "0004_sections": "c7a94cfc449a8e37a20ca952f1cb06bc71d0c6908b09eb49d8e291768e79f5c5",
    "0005_fixity": "9dbf9577b7b05001647fe961c9eeb097d065461c6b3bb21f55f01fd310963a44",
    "0006_changes": "b31a0d8dcc4e48819dc5f9190d1ab8425f4e8cd7b5322bb758f261386b9a8b20",
    "0007_watch": "ac5196bb17d0932e46bc4c5c69fdd16b3c0362b49770540cdc5cf49a0cae6c2d",
    "0008_revisits": "846765ee1b95872e9d0275cbe81030efb1cf483f43c8dc95a545d9c038cdc256",
    "0009_search": "2088874e98b825fb76719303dafec3048dd8301946f61d34c1eeae27e6ea415d",
    "0010_browse": "cb5a90e43d0b54eb1f0dface2eaf6ad026a8111d7b634937fa616b61906b1466",
}


def source_digest(module: str) -> str:
    return hashlib.sha256(inspect.getsource(importlib.import_module(module)).encode()).hexdigest()


def test_shipped_migrations_never_change():
    modules = dict(MIGRATIONS)
    for name, digest in SHIPPED.items():
        assert source_digest(modules[name]) == digest, (
            f"migration {name} has shipped: add a new migration instead of editing it"
        )


def test_first_migrations_build_the_released_schema():
    """0001 and 0002, moved into their own modules, build exactly the schema 0.1 shipped."""
    released = sqlite3.connect(":memory:")
    released.executescript(gzip.decompress(RELEASED_DUMP.read_bytes()).decode("utf-8"))
    db = sqlite_utils.Database(memory=True)
    for _name, module in MIGRATIONS[:2]:
        importlib.import_module(module).apply(db)

    def schema(conn: sqlite3.Connection) -> list[tuple]:
        return sorted(
            conn.execute(
                "select name, sql from sqlite_master"
                " where sql is not null and name not like '\\_migrations%' escape '\\'"
            )
        )

    assert schema(db.conn) == schema(released)


def test_migrations_apply_once(tmp_path):
    Store(tmp_path / "a").close()
    again = Store(tmp_path / "a")
    assert [r["name"] for r in again.db["_migrations"].rows] == [name for name, _ in MIGRATIONS]


def test_every_extracted_field_is_a_column():
    """A new field of the extractor needs its column, added by a new migration."""
    db = sqlite_utils.Database(memory=True)
    migrate(db)
    assert set(AMOUNT_FIELDS) | set(TEXT_FIELDS) <= set(db["totals"].columns_dict)


def released_archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    root.mkdir()
    conn = sqlite3.connect(root / "archive.db")
    conn.executescript(gzip.decompress(RELEASED_DUMP.read_bytes()).decode("utf-8"))
    conn.close()
    return root


def rows(db: sqlite_utils.Database, table: str, columns: list[str]) -> list[tuple]:
    return sorted(
        tuple(r[c] for c in columns)
        for r in db.query(f"select {', '.join(columns)} from [{table}]")
    )


def test_a_released_archive_migrates_and_keeps_every_row(tmp_path):
    root = released_archive(tmp_path)
    before = sqlite_utils.Database(root / "archive.db")
    tables = {t: list(before[t].columns_dict) for t in before.table_names()}
    kept = {t: rows(before, t, cols) for t, cols in tables.items() if t != "attachments"}
    attachments = rows(before, "attachments", ["id", "url", "current_sha256", "status"])
    assert [r["name"] for r in before["_migrations"].rows] == ["0001_initial", "0002_totals"]
    before.close()

    store = Store(root)  # migrates
    db = store.db
    for table, old_rows in kept.items():
        if table == "_migrations":
            continue
        assert rows(db, table, tables[table]) == old_rows, f"rows of {table} changed"
    # attachments: the same rows; those of a withdrawn page are now withdrawn too
    withdrawn_pages = {
        r[0] for r in db.execute("select id from disclosures where status = 'withdrawn'")
    }
    assert withdrawn_pages, "the released demo archive has a withdrawn page"
    now = {r["id"]: r for r in db.query("select * from attachments")}
    for att_id, url, sha, status in attachments:
        row = now[att_id]
        assert (row["url"], row["current_sha256"]) == (url, sha)
        expected = "withdrawn" if row["disclosure_id"] in withdrawn_pages else status
        assert row["status"] == expected
    # the page history starts with what each page showed
    assert db["page_versions"].count == db["disclosures"].count
    # extractions keep their rows, now keyed by (file, version)
    assert db["totals"].pks == ["sha256", "extractor_version"]
    assert db.execute("select count(*) from latest_totals").fetchone()[0] == db["totals"].count

    # and the migrated archive takes a new crawl's observations
    crawl = store.start_crawl(["demo"])
    page = db.execute("select url from disclosures where status = 'active' limit 1").fetchone()[0]
    assert store.record_gone(crawl, "demo", page, 404)
    assert store.event_counts(crawl) == {"withdrawn": 1}
