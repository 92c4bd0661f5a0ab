"""`budget-archive export`: one row per disclosure, each key total a column; files that
disagree leave the cell empty and say so."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from archive.store import Store
from archive.totals import store_totals
from budget_archive.cli import cli


def make_archive(root: Path) -> None:
    store = Store(root)
    store.upsert_portal("p", "P", "", "http://p.example", [])
    files = {
        # disclosure 1: prose and tables in two files, agreeing where both speak
        ("a", 1): {"expenditure_total": 100.0, "operating_expenses": 3.5},
        ("b", 1): {"expenditure_total": 100.0, "basic_expenditure": 60.0},
        # disclosure 2: two files that disagree on 支出总计
        ("c", 2): {"expenditure_total": 200.0},
        ("d", 2): {"expenditure_total": 210.0, "basic_expenditure": 90.0},
    }
    for n, (unit, year, date) in enumerate(
        [("甲局", 2026, "2026-03-01"), ("乙局", 2025, "2025-03-01")], 1
    ):
        store.conn.execute(
            """insert into disclosures (id, portal_id, section, url, title, unit_name, year,
                 doc_type, publish_date, status, first_seen, last_seen)
               values (?, 'p', 's', ?, ?, ?, ?, 'budget', ?, 'active', 'x', 'x')""",
            [n, f"http://p.example/{n}", f"{unit}{year}年部门预算", unit, year, date],
        )
    for k, ((letter, disclosure), figures) in enumerate(files.items(), 1):
        sha = letter * 64
        store.conn.execute(
            "insert into files (sha256, size, kind, path) values (?, 1, 'pdf', 'x')", [sha]
        )
        store.conn.execute(
            """insert into attachments (id, disclosure_id, url, status, current_sha256)
               values (?, ?, ?, 'active', ?)""",
            [k, disclosure, f"http://p.example/{letter}.pdf", sha],
        )
        store.conn.commit()
        store_totals(store, sha, figures, "9")
    store.close()


def test_export_csv_and_json_lines(tmp_path):
    make_archive(tmp_path / "a")
    out = tmp_path / "totals.csv"
    result = CliRunner().invoke(
        cli, ["export", "--archive", str(tmp_path / "a"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [r["unit_name"] for r in rows] == ["甲局", "乙局"]  # newest first
    first, second = rows
    assert (
        first["expenditure_total"],
        first["basic_expenditure"],
        first["operating_expenses"],
    ) == (
        "100.0",
        "60.0",
        "3.5",
    )
    assert first["files"] == "2" and first["conflicts"] == ""
    assert second["expenditure_total"] == "" and second["conflicts"] == "expenditure_total"
    assert second["basic_expenditure"] == "90.0"
    result = CliRunner().invoke(
        cli, ["export", "--archive", str(tmp_path / "a"), "--format", "jsonl", "--year", "2025"]
    )
    assert result.exit_code == 0, result.output
    (line,) = [json.loads(x) for x in result.output.splitlines() if x.startswith("{")]
    assert line["unit_name"] == "乙局" and line["expenditure_total"] is None
