"""Reconciliations between the extracted figures: each ok, failed or not applicable, with the numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Rounding: each printed figure is rounded to 0.01 万元; allow that per term.
_TOLERANCE_PER_TERM = 0.011

SUMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "revenue_equals_expenditure": ("revenue_total", ("expenditure_total",)),
    "basic_plus_project": ("expenditure_total", ("basic_expenditure", "project_expenditure")),
    "personnel_plus_public": (
        "basic_expenditure",
        ("personnel_expenditure", "public_expenditure"),
    ),
    "three_public_parts": (
        "three_public_total",
        (
            "three_public_overseas",
            "three_public_vehicle_purchase",
            "three_public_vehicle_operation",
            "three_public_reception",
        ),
    ),
}


def agree(a: float, b: float, terms: int = 1) -> bool:
    return abs(a - b) <= _TOLERANCE_PER_TERM * max(1, terms) + 1e-9


def sum_check(values: Mapping[str, Any], total: str, parts: tuple[str, ...]) -> dict[str, Any]:
    expected = values.get(total)
    got = {p: values.get(p) for p in parts}
    if expected is None or any(v is None for v in got.values()):
        return {"status": "not_applicable", "expected": expected, "parts": got}
    actual = round(sum(v for v in got.values() if v is not None), 6)
    status = "ok" if agree(expected, actual, len(parts)) else "failed"
    return {"status": status, "expected": expected, "actual": actual, "parts": got}


#: Spending that 支出总计 holds besides 基本支出 and 项目支出 (read for the checks only):
#: the year-end carry-forward (a final account's 年末结转和结余, a budget's 结转下年), and
#: the template's other lines (上缴上级支出, 事业单位经营支出, 对附属单位补助支出).
BESIDES_BASIC_AND_PROJECT = ("carry_forward", "paid_upward", "business_spending", "to_affiliates")


def run_checks(
    values: Mapping[str, Any],
    by_function: Mapping[str, float],
    prose: Mapping[str, float],
    besides: Mapping[str, float] | None = None,
) -> dict[str, dict[str, Any]]:
    checks = {name: sum_check(values, total, parts) for name, (total, parts) in SUMS.items()}
    _with_other_spending(checks["basic_plus_project"], besides or {})
    total = values.get("expenditure_total")
    if by_function and total is not None:
        actual = round(sum(by_function.values()), 6)
        status = "ok" if agree(total, actual, len(by_function)) else "failed"
        checks["by_function_sum"] = {"status": status, "expected": total, "actual": actual}
    else:
        checks["by_function_sum"] = {"status": "not_applicable", "expected": total}
    compared = {
        field: {"table": values[field], "prose": prose[field]}
        for field in prose
        if values.get(field) is not None and field in values
    }
    disagree = {f: v for f, v in compared.items() if not agree(v["table"], v["prose"])}
    if not compared:
        checks["table_agrees_with_prose"] = {"status": "not_applicable"}
    else:
        checks["table_agrees_with_prose"] = {
            "status": "failed" if disagree else "ok",
            "compared": compared,
            "disagree": sorted(disagree),
        }
    return checks


def _with_other_spending(check: dict[str, Any], besides: Mapping[str, float]) -> None:
    """基本支出 + 项目支出 short of 支出总计 by exactly the other lines the document prints
    (a carry-forward, 上缴上级支出 …) holds, and says which it counted."""
    other = {k: v for k, v in besides.items() if k in BESIDES_BASIC_AND_PROJECT and v}
    if check["status"] != "failed" or not other:
        return
    actual = round(check["actual"] + sum(other.values()), 6)
    if agree(check["expected"], actual, len(check["parts"]) + len(other)):
        check.update(status="ok", actual=actual, besides=other)
