"""Precision and recall of the key-totals extractor against hand-read labels.

    .venv/bin/python bench/accuracy.py [--real DIR] [--no-seeds] [--verbose]

Reads the bundled seeds (rendered to PDF by the demo's renderer) and, when present, the
labelled real disclosures in ``../shared/real`` (``labels.json`` beside ``pdf/``). A figure
is every labelled field: the amounts (万元; a label in 元 is converted), each function
class, unit, year, type and scope.

- **recall**: labelled non-null figures the extractor gives, and gives right, over all
  labelled non-null figures (a figure the label lists as ``derived`` — not printed as such —
  counts only when the extractor gives it);
- **precision**: figures the extractor gives right over all it gives for labelled fields
  (a figure given where the label says null is wrong: the file does not state it).

Amounts are right within 0.006 万元; a unit's name is compared without its scope
marker (（本级）, （汇总）), which the extractor keeps apart. Wrong figures are listed one a
line. The aims (precision ≥ 0.99, recall ≥ 0.97) are printed, not asserted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo_portal.render import load_seeds, render_pdf  # noqa: E402
from extract.document import extract_pdf  # noqa: E402
from extract.fields import AMOUNT_FIELDS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REAL = ROOT.parent / "shared" / "real"
TEXT = ("unit_name", "year", "doc_type", "scope")
TOLERANCE = 0.006


def figures(record: dict[str, Any], factor: float = 1.0) -> dict[str, Any]:
    """field → value of a label or an extraction, function classes as by_function:<class>."""
    out: dict[str, Any] = {}
    for key in TEXT:
        value = record.get(key)
        if key == "unit_name" and value:
            value = re.sub(r"（(?:本级|汇总)）$", "", value)
        out[key] = value
    for key in AMOUNT_FIELDS:
        value = record.get(key)
        out[key] = None if value is None else value * factor
    for cls, amount in (record.get("by_function") or {}).items():
        out[f"by_function:{cls}"] = amount * factor
    return out


def same(want: Any, have: Any) -> bool:
    if isinstance(want, float | int) and not isinstance(want, bool):
        return have is not None and abs(float(have) - float(want)) <= TOLERANCE
    return bool(want == have)


def score(name: str, labels: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    factor = 0.0001 if labels.get("amount_unit") == "元" else 1.0
    want, have = figures(labels, factor), figures(result)
    derived = set(labels.get("derived") or [])
    keys = set(want) | {k for k in have if k.startswith("by_function:")}
    labelled = given = right = found = 0
    wrong: list[str] = []
    for key in sorted(keys):
        w, h = want.get(key), have.get(key)
        if key.startswith("by_function:") and labels.get("by_function") is None and h is None:
            continue
        if w is not None and key not in derived:
            labelled += 1
        if h is None:
            continue
        given += 1
        if w is not None and same(w, h):
            right += 1
            found += key not in derived
        else:
            wrong.append(f"{name}: {key} = {h!r}, label {w!r}")
    return {"labelled": labelled, "found": found, "given": given, "right": right, "wrong": wrong}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL)
    parser.add_argument("--no-seeds", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="a line per document")
    args = parser.parse_args()
    rows: list[tuple[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_seeds:
            for seed in load_seeds():
                path = Path(tmp) / f"{seed.name}.pdf"
                path.write_bytes(render_pdf(seed))
                rows.append((seed.name, score(seed.name, seed.labels, _extract(path))))
        labels_file = args.real / "labels.json"
        if labels_file.exists():
            for name, labels in json.loads(labels_file.read_text("utf-8")).items():
                if name.startswith("_") or "revenue_total" not in labels:
                    continue
                result = _extract(args.real / "pdf" / name)
                rows.append((name, score(name, labels, result)))
        else:
            print(f"(no labelled real disclosures at {labels_file})")
    total = {k: sum(r[k] for _, r in rows) for k in ("labelled", "found", "given", "right")}
    for name, r in rows:
        if args.verbose:
            print(f"{name:32} found {r['found']}/{r['labelled']}  right {r['right']}/{r['given']}")
        for line in r["wrong"]:
            print("WRONG", line)
    precision = total["right"] / total["given"] if total["given"] else 0.0
    recall = total["found"] / total["labelled"] if total["labelled"] else 0.0
    print(
        f"{len(rows)} documents, {total['labelled']} labelled figures: "
        f"precision {precision:.3f} ({total['right']}/{total['given']}), "
        f"recall {recall:.3f} ({total['found']}/{total['labelled']})"
    )
    print("aims: precision ≥ 0.99, recall ≥ 0.97")


def _extract(path: Path) -> dict[str, Any]:
    try:
        return extract_pdf(path).to_json()
    except Exception as exc:  # noqa: BLE001 - an unreadable file scores nothing
        print(f"{path.name}: {type(exc).__name__}: {exc}")
        return {}


if __name__ == "__main__":
    main()
