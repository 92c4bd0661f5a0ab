"""Income lines that hold their carry-over, split by the 财政拨款收支总表.

Some 收支总表 templates list no 上年结转 line: each source's line (一般公共预算资金 …) is
this year's appropriation plus that source's carry-over, and only the 财政拨款收支总表
splits them, its income side in two sections (一、本年收入 with a line per source, 二、上年结转
with the same lines). This year's figures are the fields' (KEY_TOTALS.md: 一般公共预算拨款收入
is this year's); they replace the folded lines only when the split adds up to every line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import partial

from extract.checks import agree
from extract.grid import Grid
from extract.tables import SUMMARY_ROWS, Found, labelled_values, other_data, pattern

FISCAL = "fiscal"  # the 财政拨款收支总表's pages in a document's plan
SOURCES = ("general_budget_income", "gov_fund_income", "state_capital_income")
_THIS_YEAR = pattern(r"本年收入(?:合计|小计)?|本年财政拨款(?:收入)?")
_CARRY = SUMMARY_ROWS["carryover"]


def fiscal_sections(
    grids: Iterable[Grid], unit: str, *, year: int | None = None, final: bool = False
) -> tuple[dict[str, Found], dict[str, Found]]:
    """The income side's sections: ({source or "total": figure} this year, the same for
    the carry-over). A source line counts in the section whose heading is above it."""
    this: dict[str, Found] = {}
    carry: dict[str, Found] = {}
    section: dict[str, Found] | None = None
    skip = partial(other_data, year=year, final=final)
    for grid in grids:
        for text, value, row, _ in labelled_values(grid, skip):
            hit = Found(value, grid.amount_unit or unit, grid.page, "table", grid.row_text(row))
            if _THIS_YEAR(text):
                section = this
            elif any(rule(text) for rule in _CARRY):
                section = carry
            else:
                name = next((n for n in SOURCES if SUMMARY_ROWS[n][0](text)), None)
                if section is not None and name is not None:
                    section.setdefault(name, hit)
                continue
            section.setdefault("total", hit)
    return this, carry


def unfold_carryover(
    summary: dict[str, Found], this: dict[str, Found], carry: dict[str, Found]
) -> dict[str, Found]:
    """This year's source lines and the carry-over, for a 收支总表 whose lines fold them
    together; nothing unless each line it gives is this year's plus its carry-over, some
    carry-over is not 0 and the carry-over's parts add up to its total."""
    total = carry.get("total")
    if total is None or total.in_wan() == 0:
        return {}
    parts = [carry[n].in_wan() for n in SOURCES if n in carry]
    if not parts or not agree(total.in_wan(), sum(parts), len(parts)):
        return {}
    unfolded: dict[str, Found] = {}
    folded = False
    for name in SOURCES:
        line, now, before = summary.get(name), this.get(name), carry.get(name)
        before_wan = before.in_wan() if before is not None else 0.0
        if line is None:
            if before_wan or (now is not None and now.in_wan()):
                return {}  # a source the 收支总表 does not show: no telling what it folds
            continue
        now_wan = now.in_wan() if now is not None else 0.0
        if not agree(line.in_wan(), now_wan + before_wan, 2):
            return {}
        folded |= before_wan != 0
        if now is None:  # no line this year: nothing of that source but its carry-over
            now = Found(0.0, total.unit, total.page, "table", total.text, derived=True)
        unfolded[name] = replace(now, folded=line)
    if not folded:
        return {}
    return {**unfolded, "carryover": total}
