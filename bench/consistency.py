"""A label-free check of the key-totals extractor on many real documents.

    .venv/bin/python bench/consistency.py DIR [--workers N] [--timeout S] [--json OUT]

Runs the extractor over every PDF under DIR (worker processes, each file under a time
limit) and prints, per file and in total: whether it is a budget disclosure, its doc
type, how many key totals were found, and which reconciliations hold:

- `rev=exp`: 收入总计 = 支出总计;
- `b+p=exp`: 基本支出 + 项目支出 = 支出总计 (a budget's; a final account's 支出总计 also
  holds the year-end carry-over, so there it is `b+p≤exp`), also when the difference is
  exactly the other lines the document prints (结转下年, 上缴上级支出 …: the extractor's
  `basic_plus_project` check names them in `besides`);
- `3pub`: the four 三公 parts add up to the 三公 total;
- `class`: the function-class lines add up to 支出总计 (a final account's: at most), also
  when short by exactly the other lines it prints (the extractor's `by_function_sum`
  check names them in `besides`).

Each is `ok`, `FAIL` (both sides found, they disagree) or `-` (a side is missing). Sums
of parts allow one cent of rounding per part (amounts are in 万元 with two decimals).
Nobody labelled these documents: a reconciliation that holds is a sign, not a proof, that
the figures are right; one that fails names a figure to look at.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, TimeoutError
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHECKS = ("rev=exp", "b+p=exp", "3pub", "class")
THREE_PARTS = (
    "three_public_overseas",
    "three_public_vehicle_purchase",
    "three_public_vehicle_operation",
    "three_public_reception",
)


def _extract(path: str) -> dict[str, Any]:
    from extract.document import extract_pdf

    try:
        return extract_pdf(Path(path)).to_json()
    except Exception as exc:  # noqa: BLE001 - an unreadable file is a row of the report
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}


def _agrees(whole: float | None, parts: list[float | None], *, at_most: bool = False) -> str:
    if whole is None or any(p is None for p in parts):
        return "-"
    total = sum(p for p in parts if p is not None)
    slack = 0.01 * len(parts) + 1e-6
    if at_most:
        return "ok" if total <= whole + slack else "FAIL"
    return "ok" if abs(total - whole) <= slack else "FAIL"


def reconcile(r: dict[str, Any]) -> dict[str, str]:
    """Which reconciliations hold in one extraction."""
    final = r.get("doc_type") == "final_account"
    exp = r.get("expenditure_total")
    classes = list((r.get("by_function") or {}).values())
    bp = _agrees(exp, [r.get("basic_expenditure"), r.get("project_expenditure")], at_most=final)
    besides = ((r.get("checks") or {}).get("basic_plus_project") or {}).get("besides")
    if bp == "FAIL" and besides and r["checks"]["basic_plus_project"]["status"] == "ok":
        bp = "ok"  # short by exactly the other lines the document prints (结转下年 …)
    lines = _agrees(exp, classes or [None], at_most=final)
    by_function = (r.get("checks") or {}).get("by_function_sum") or {}
    if lines == "FAIL" and by_function.get("besides") and by_function["status"] == "ok":
        lines = "ok"  # the classes add up to 本年支出合计: 支出总计 less 结转下年 …
    return {
        "rev=exp": _agrees(r.get("revenue_total"), [exp]),
        "b+p=exp": bp,
        "3pub": _agrees(r.get("three_public_total"), [r.get(k) for k in THREE_PARTS]),
        "class": lines,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per file")
    parser.add_argument("--json", type=Path, help="write every extraction here")
    args = parser.parse_args()
    from extract.fields import AMOUNT_FIELDS

    files = sorted(args.folder.rglob("*.pdf"))
    results: dict[str, dict[str, Any]] = {}
    with ProcessPoolExecutor(args.workers) as pool:
        futures = {f: pool.submit(_extract, str(f)) for f in files}
        for f, future in futures.items():
            try:
                results[f.name] = future.result(timeout=args.timeout)
            except TimeoutError:
                results[f.name] = {"error": f"over {args.timeout:.0f} s"}
    print(
        f"{'file':28} {'budget':6} {'type':13} {'fields':>6}  "
        + "  ".join(f"{c:7}" for c in CHECKS)
    )
    totals: dict[str, Counter[str]] = {c: Counter() for c in CHECKS}
    kinds: Counter[str] = Counter()
    for name, r in results.items():
        if "error" in r:
            kinds["unreadable"] += 1
            print(f"{name:28} error: {r['error']}")
            continue
        budget = bool(r.get("is_budget_disclosure"))
        kinds["budget disclosure" if budget else "not a budget disclosure"] += 1
        if not r.get("text_layer"):
            kinds["no text layer"] += 1
        found = sum(1 for k in AMOUNT_FIELDS if r.get(k) is not None)
        checks = reconcile(r) if budget else dict.fromkeys(CHECKS, "-")
        if budget:
            for c, v in checks.items():
                totals[c][v] += 1
        print(
            f"{name:28} {'yes' if budget else 'no':6} {str(r.get('doc_type') or '-'):13}"
            f" {found:>6}  " + "  ".join(f"{checks[c]:7}" for c in CHECKS)
        )
    print()
    print(f"{len(results)} files: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    disclosures = kinds["budget disclosure"]
    for c in CHECKS:
        t = totals[c]
        both = t["ok"] + t["FAIL"]
        share = f"{t['ok'] / both:.0%}" if both else "-"
        print(
            f"{c:8} holds in {t['ok']} of {both} budget disclosures with both sides found"
            f" ({share}); a side missing in {t['-']} of {disclosures}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
