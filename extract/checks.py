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


#: Spending that 支出总计 holds besides 基本支出 and 项目支出, and besides the function
#: classes (read for the checks only):
#: the year-end carry-forward (a final account's 年末结转和结余, a budget's 结转下年), and
#: the template's other lines (上缴上级支出, 事业单位经营支出, 对附属单位补助支出).
BESIDES_BASIC_AND_PROJECT = ("carry_forward", "paid_upward", "business_spending", "to_affiliates")
#: 本年支出合计, printed above those lines: what the parts add up to when 支出总计 holds
#: lines besides them that no field names (未安排支出的资金 …).
THIS_YEAR = "spending_this_year"


def run_checks(
    values: Mapping[str, Any],
    by_function: Mapping[str, float],
    prose: Mapping[str, float],
    besides: Mapping[str, float] | None = None,
) -> dict[str, dict[str, Any]]:
    checks = {name: sum_check(values, total, parts) for name, (total, parts) in SUMS.items()}
    _with_other_spending(checks["basic_plus_project"], besides or {})
    checks["by_function_sum"] = function_check(values, by_function, besides or {})
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


def function_check(
    values: Mapping[str, Any], by_function: Mapping[str, float], besides: Mapping[str, float]
) -> dict[str, Any]:
    """The function-class lines add up to 支出总计 — or to it less the other lines it holds
    (结转下年 …), which a 收支总表 prints below its classes."""
    total = values.get("expenditure_total")
    if not by_function or total is None:
        return {"status": "not_applicable", "expected": total}
    actual = round(sum(by_function.values()), 6)
    status = "ok" if agree(total, actual, len(by_function)) else "failed"
    check = {"status": status, "expected": total, "actual": actual}
    _with_other_spending(check, besides, len(by_function))
    return check


def _with_other_spending(
    check: dict[str, Any], besides: Mapping[str, float], terms: int | None = None
) -> None:
    """Parts short of 支出总计 by exactly the other lines the document prints (a
    carry-forward, 上缴上级支出 …) hold, and the check says which it counted."""
    if check["status"] != "failed":
        return
    terms = len(check["parts"]) if terms is None else terms
    other = {k: v for k, v in besides.items() if k in BESIDES_BASIC_AND_PROJECT and v}
    actual = round(check["actual"] + sum(other.values()), 6)
    if other and agree(check["expected"], actual, terms + len(other)):
        check.update(status="ok", actual=actual, besides=other)
        return
    this_year = besides.get(THIS_YEAR)
    if this_year and this_year < check["expected"] and agree(this_year, check["actual"], terms):
        below = round(check["expected"] - this_year, 6)
        check.update(status="ok", actual=this_year + below, besides={"below_this_year": below})
