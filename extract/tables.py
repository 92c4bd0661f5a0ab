"""Key totals read from the standard tables: by row label, or by column header over a total row.

Two shapes cover the national template and its provincial variants:
- row labels: ``收入总计 | 7,674.07`` — a label cell, then the first cell to its right;
  an empty cell there means zero (``政府性基金预算拨款收入 | ``);
- column headers: ``合计 | 基本支出 | 项目支出`` over a ``合计`` row — the header path of a
  column (all header cells above it) is matched, and the value read from the total row.
  A header that spans sub-columns without a subtotal (``基本支出`` over ``人员支出`` and
  ``日常公用支出``) gives the sum of its sub-columns, marked as derived.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from extract.grid import Cell, Grid, Row, row_label
from extract.titles import clean_unit_name

# Function classes (类) of the government expenditure classification, current and older names.
FUNCTION_CLASSES = (
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
    "文化旅游体育与传媒支出", "文化体育与传媒支出", "社会保障和就业支出", "社会保险基金支出",
    "卫生健康支出", "医疗卫生与计划生育支出", "医疗卫生支出", "节能环保支出", "城乡社区支出",
    "农林水支出", "交通运输支出", "资源勘探工业信息等支出", "资源勘探信息等支出",
    "资源勘探电力信息等支出", "商业服务业等支出", "金融支出", "援助其他地区支出",
    "自然资源海洋气象等支出", "国土海洋气象等支出", "国土资源气象等支出", "住房保障支出",
    "粮油物资储备支出", "国有资本经营预算支出", "灾害防治及应急管理支出", "其他支出",
    "债务还本支出", "债务付息支出", "债务发行费用支出", "抗疫特别国债安排的支出",
    "预备费", "转移性支出",
)  # fmt: skip
_CLASS_SUFFIX = re.compile(r"[(（]类[)）]$")


@dataclass
class Found:
    """A figure as printed (in `unit`), where it was read, and how."""

    value: float
    unit: str
    page: int
    source: str  # table | sentence
    text: str
    derived: bool = False
    weak: bool = False  # from a fallback row: kept only if the checks agree
    folded: Found | None = None  # the line that held this figure and its carry-over

    def in_wan(self) -> float:
        return to_wan(self.value, self.unit)


def to_wan(value: float, unit: str) -> float:
    factor = {"元": 0.0001, "千元": 0.1, "万元": 1.0, "亿元": 10000.0}.get(unit, 1.0)
    return round(value * factor, 6)


# --- row labels -------------------------------------------------------------------------


def labelled_values(
    grid: Grid,
    skip: Callable[[list[str]], bool] | None = None,
    not_labels: Callable[[list[str]], bool] | None = None,
) -> Iterator[tuple[str, float, Row, bool]]:
    """(label, amount, row, printed) for each label cell followed by an amount or an empty
    cell (`printed` false: the 0 of an empty cell). Columns whose header path `skip` names
    (last year's, the plan beside a final account's actuals) are passed over; so are the
    labels of a column whose header path `not_labels` names."""
    stops = grid.label_columns()
    paths = grid.header_paths()
    centres = dict(grid.columns())
    passed: set[int] = set()
    if skip is not None:
        passed = {j for j, path in paths.items() if path and skip(path)}
        if len(passed) == len(paths):
            passed = set()  # headers that name no column this figure could be in: read none
    # a column of row numbers (行次 1, 2, 3 …) holds no amounts
    passed |= {j for j, path in paths.items() if path and _NUMBERING_COLUMN.fullmatch(path[-1])}
    # a header row has no amounts: its blanks are not zeros
    for row in grid.rows[grid.data_start() :]:
        for j, cell in enumerate(row):
            if cell is None or cell.blank or cell.amount is not None:
                continue
            text = cell.label
            if not text or text.isdigit():
                continue
            if not_labels is not None and paths.get(j) and not_labels(paths[j]):
                continue
            # columns under the label's own merged cell are the label's, not stops
            inside = {k for k, x in centres.items() if k > j and x < cell.x1}
            value = _value_right_of(row, j, stops - inside, passed)
            if value is not None:
                yield text, value[0], row, value[1]


_NUMBERING_COLUMN = re.compile(r"行次|栏次|行号|序号|编号|(?:科目)?编码|代码")


def _value_right_of(
    row: Row,
    j: int,
    stops: set[int],
    passed: set[int] = frozenset(),  # type: ignore[assignment]
) -> tuple[float, bool] | None:
    """The first amount right of a label; an empty value cell (blanks up to the next label) is 0.

    The search stops at a column that holds labels in other rows: an amount beyond it
    belongs to another label (one split over two rows, say).
    """
    saw_blank = False
    for k in range(j + 1, len(row)):
        cell = row[k]
        if k in stops and (cell is None or cell.blank):
            break
        if cell is None or (k in passed and cell.amount is not None):
            continue
        if cell.blank:
            saw_blank = True
            continue
        amount = cell.amount
        if amount is not None:
            return amount, True
        return (0.0, False) if saw_blank else None
    return (0.0, False) if saw_blank else None


RowRule = Callable[[str], bool]


def pattern(regex: str) -> RowRule:
    compiled = re.compile(regex)
    return lambda text: bool(compiled.fullmatch(text))


SUMMARY_ROWS: dict[str, list[RowRule]] = {
    "revenue_total": [pattern(r"收入总计"), pattern(r"收入(?:总)?合计|总收入")],
    "expenditure_total": [pattern(r"支出总计"), pattern(r"支出(?:总)?合计|总支出")],
    "general_budget_income": [
        pattern(r"(?:本年)?一般公共预算(?:财政)?(?:拨款)?(?:收入|资金)?(?:拨款)?")
    ],
    "gov_fund_income": [pattern(r"(?:本年)?政府性基金(?:预算?)?(?:财政)?(?:拨款)?(?:收入|资金)?")],
    "state_capital_income": [
        pattern(r"(?:本年)?国有资本经营(?:预算?)?(?:财政)?(?:拨款)?(?:收入|资金)?")
    ],
    "carryover": [
        pattern(
            r"上年结转(?:结余|和结余|资金|结余资金|和结余资金)?|上年结余[、,]?结转(?:资金)?"
            r"|年初结转(?:和|及)?结余(?:资金)?"
        )
    ],
    "carry_forward": [
        pattern(r"(?:年末|年终)结转(?:和|及)?结余(?:资金)?|结转下年(?:使用)?的?(?:资金)?")
    ],
    "paid_upward": [pattern(r"上缴上级支出")],
    "spending_this_year": [pattern(r"本年支出(?:合计|小计)")],
    "business_spending": [pattern(r"(?:事业单位)?经营支出")],
    "to_affiliates": [pattern(r"对附属单位补助支出")],
    "basic_expenditure": [pattern(r"基本支出|人员经费和公用经费(?:支出)?")],
    "project_expenditure": [pattern(r"项目支出|专项业务经费(?:支出)?")],
}


# A whole that an empty cell would make 0: a budget's totals are never nothing, so such a
# 0 stands only if a reconciliation confirms it.
PRINTED_ONLY = frozenset({"revenue_total", "expenditure_total"})


def read_rows(
    grids: Iterable[Grid],
    rules: dict[str, list[RowRule]],
    unit: str,
    *,
    year: int | None = None,
    final: bool = False,
) -> dict[str, Found]:
    """The first value of each field, by the first rule (in order of preference) that matches,
    read in the column of this year's figure (a final account's 决算数, not its 预算数)."""
    grids = list(grids)
    found: dict[str, Found] = {}
    skip = partial(other_data, year=year, final=final)
    for field, field_rules in rules.items():
        for rule in field_rules:
            hit = _first_labelled(grids, rule, unit, weak_blank=field in PRINTED_ONLY, skip=skip)
            if hit is not None:
                found[field] = hit
                break
    return found


def _first_labelled(
    grids: list[Grid],
    rule: RowRule,
    unit: str,
    *,
    weak_blank: bool = False,
    skip: Callable[[list[str]], bool] | None = None,
) -> Found | None:
    for grid in grids:
        for text, value, row, printed in labelled_values(grid, skip):
            if rule(text):
                return Found(
                    value,
                    grid.amount_unit or unit,
                    grid.page,
                    "table",
                    grid.row_text(row),
                    weak=weak_blank and not printed,
                )
    return None


def read_functions(
    grids: Iterable[Grid], unit: str, *, year: int | None = None, final: bool = False
) -> dict[str, Found]:
    """Function-class lines (类) of the expenditure side: class name → amount (non-zero)."""
    found: dict[str, Found] = {}
    seen: set[str] = set()
    skip = partial(other_data, year=year, final=final)
    for grid in grids:
        # under a 支出功能分类 header a class may be printed without its 支出 (教育, 卫生健康)
        bare = any("功能" in "/".join(p) for p in grid.header_paths().values())
        for text, value, row, _ in labelled_values(grid, skip, _economic):
            name = _CLASS_SUFFIX.sub("", text)
            if bare and name not in FUNCTION_CLASSES and f"{name}支出" in FUNCTION_CLASSES:
                name = f"{name}支出"
            if name not in FUNCTION_CLASSES or name in seen:
                continue
            seen.add(name)
            if value:
                found[name] = Found(value, grid.amount_unit or unit, grid.page, "table",
                                    grid.row_text(row))  # fmt: skip
    return found


def _economic(path: list[str]) -> bool:
    """A column of economic classes (经济分类: 工资福利支出, 其他支出 …), beside the function
    classes in a 收支总表 that breaks spending down both ways."""
    return any("经济" in p for p in path)


def paired_totals(grids: Iterable[Grid], unit: str, **kw: Any) -> dict[str, Found]:
    """A 收支总表 whose last row is ``总计 | … | 总计 | …`` (the final-account template):
    the left 总计 is the revenue side's, the right one the expenditure side's."""
    skip = partial(other_data, year=kw.get("year"), final=kw.get("final", False))
    for grid in grids:
        rows: dict[int, list[tuple[float, bool]]] = {}
        for text, value, row, printed in labelled_values(grid, skip):
            if text == "总计":
                rows.setdefault(id(row), []).append((value, printed))
                if len(rows[id(row)]) == 2:
                    (rev, rp), (exp, ep) = rows[id(row)]
                    text_of = grid.row_text(row)
                    where = (grid.amount_unit or unit, grid.page, "table", text_of)
                    return {
                        "revenue_total": Found(rev, *where, weak=not rp),
                        "expenditure_total": Found(exp, *where, weak=not ep),
                    }
    return {}


# --- column headers ---------------------------------------------------------------------

PathRule = Callable[[list[str]], bool]
_TOTAL_WORDS = ("合计", "总计", "小计")


def other_data(path: list[str], year: int | None, final: bool) -> bool:
    """Header paths of columns that hold other figures: last year, changes, plan vs actual."""
    joined = "/".join(path)
    if re.search(r"上年|增减|增长|比较|变动|差额|减少|增加|%|比例|占比", joined):
        return True
    years = {int(y) for y in re.findall(r"(20\d{2})年", joined)}
    if year and years and year not in years:
        return True
    if final:
        return any(re.fullmatch(r"(?:年初|全年|调整)?预算(?:数)?|预算安排", p) for p in path)
    return any(re.fullmatch(r"决算(?:数)?|执行数|实际(?:支出)?", p) for p in path)


def read_column(
    grids: Iterable[Grid],
    rule: PathRule,
    unit: str,
    *,
    year: int | None,
    final: bool,
    target: str = "",
    skip_grid: Callable[[dict[int, list[str]]], bool] | None = None,
    unit_name: str | None = None,
) -> Found | None:
    """The value of the column whose header path matches `rule`, read in the table's total row.

    `target` (a regex) names the column itself; columns under it without one are summed.
    """
    fallback: Found | None = None
    for grid in grids:  # lazily: later pages are read only while no total row is found
        paths = grid.header_paths()
        if skip_grid is not None and skip_grid(paths):
            continue
        columns = [
            j for j, path in paths.items() if rule(path) and not other_data(path, year, final)
        ]
        if not columns:
            continue
        for strong in (True, False):
            if not strong and fallback is not None:
                break
            row = _total_row(grid, year, strong=strong, unit_name=unit_name)
            found = None if row is None else _column_value(grid, row, paths, columns, unit, target)
            if found is None:
                continue
            if strong:
                return found
            found.weak = True
            fallback = found
    return fallback


def _total_row(
    grid: Grid, year: int | None, *, strong: bool, unit_name: str | None = None
) -> Row | None:
    rows = list(grid.data_rows())
    if strong:
        for _, row in rows:
            text = row_label(row)
            if year and f"{year}年" in text and not re.search("增减|变动|比较", text):
                return row
        for _, row in rows:
            text = row_label(row)
            if text.startswith(_TOTAL_WORDS) and len(text) <= 6:
                return row
        if unit_name:  # a one-unit table whose first row is the unit itself
            for _, row in rows[:1]:
                if clean_unit_name(row_label(row))[0] == unit_name:
                    return row
        return None
    for _, row in rows:
        text = row_label(row)
        if re.search(r"(20\d{2})年", text) and year and f"{year}年" not in text:
            continue
        return row
    return None


def _column_value(
    grid: Grid, row: Row, paths: dict[int, list[str]], columns: list[int], unit: str, target: str
) -> Found | None:
    centres = dict(grid.columns())

    def cell_at(j: int) -> Cell | None:
        """The row's cell under column j: its own, or a merged one from the left over it."""
        if j >= len(row):
            return None
        for k in range(j, -1, -1):
            c = row[k]
            if c is not None:
                return c if k == j or c.x1 > centres.get(j, c.x1) else None
        return None

    def value(j: int) -> float | None:
        c = cell_at(j)
        if c is None:
            return None
        return 0.0 if c.blank else c.amount

    # a column that is the target itself (leaf), or a subtotal under it
    leaves = [j for j in columns if not target or re.fullmatch(target, paths[j][-1])]
    subtotals = [j for j in columns if paths[j][-1] in _TOTAL_WORDS]
    for pool in (leaves, subtotals):
        for j in pool:
            v = value(j)
            if v is not None:
                return Found(v, grid.amount_unit or unit, grid.page, "table",
                             f"{'/'.join(paths[j])}: {grid.row_text(row)}")  # fmt: skip
    # sub-columns only: their sum
    values = [value(j) for j in columns]
    if values and all(v is not None for v in values) and len(values) <= 4:
        parts = " + ".join(f"{'/'.join(paths[j])}" for j in columns)
        total = round(sum(v for v in values if v is not None), 6)
        return Found(total, grid.amount_unit or unit, grid.page, "table",
                     f"sum of {parts}: {grid.row_text(row)}", derived=True)  # fmt: skip
    return None


def has(*words: str, without: tuple[str, ...] = ()) -> PathRule:
    """A path rule: some element contains each word in order of the path, none of `without`."""

    def rule(path: list[str]) -> bool:
        joined = "/".join(path)
        return all(w in joined for w in words) and not any(w in joined for w in without)

    return rule


def leaf(regex: str, *, under: str = "", without: tuple[str, ...] = ()) -> PathRule:
    """A path rule: the last header matches `regex`; `under` must appear above it."""
    compiled = re.compile(regex)

    def rule(path: list[str]) -> bool:
        if not path:
            return False
        joined = "/".join(path)
        if under and under not in joined:
            return False
        if any(w in joined for w in without):
            return False
        return any(compiled.fullmatch(p) for p in path)

    return rule
