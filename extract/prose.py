"""Key totals stated in sentences: ``2024 年收入预算 242.3 万元，其中：一般公共预算拨款收入 242.3 万元``.

The prose is read as one string (lines joined, white space and quotes dropped, page
numbers remembered by offset). A figure is the first amount after its keyword, with no
other number in between except a year; a year other than the document's disqualifies
the sentence (``比 2023 年预算数增加 …``). In a final account a figure must be the
决算 one, not the budget it is compared with.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from extract.checks import SUMS
from extract.pages import Page
from extract.tables import Found
from extract.text import squeeze

_AMOUNT = r"(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<unit>万元|元|亿元)"
# what may stand between a keyword and its amount: words, a year, no other number
_GAP = r"(?P<gap>(?:[^。;；,，、\d]|(?:20\d{2})年度?|[(（]\d{4}[)）]){0,%d}?)"
_YEAR_LEAD = r"(?:。(?:20\d{2})年度?[^。;；\d]{0,12}?)?"

PROSE_KEYS: dict[str, list[str]] = {
    "revenue_total": [
        r"(?<!拨款)(?<!基金)(?<!资金)(?<!财政)收入(?:预算|决算)?(?:总计|合计|总额|总数)",
        r"(?<![拨款政金])收入(?:预算|决算)(?!数)",
    ],
    "expenditure_total": [
        r"(?<![基本目营款算])支出(?:预算|决算)?(?:总计|合计|总额|总数)",
        r"(?<![基本目营款算出位级])支出(?:预算|决算)(?!数)",
    ],
    "general_budget_income": [r"一般公共预算(?:财政)?拨款收入"],
    "gov_fund_income": [r"政府性基金预算(?:财政)?拨款收入"],
    "state_capital_income": [r"国有资本经营预算(?:财政)?拨款收入"],
    "carryover": [r"上年结转(?:结余|和结余)?(?:资金)?(?!下年)"],
    "carry_forward": [r"(?:年末|年终)结转(?:和|及)?结余(?:资金)?|结转下年(?:使用)?的?(?:资金)?"],
    "basic_expenditure": [r"(?<!公共预算)(?<!财政拨款)(?<!基金预算)基本支出(?:预算|决算)?"],
    "project_expenditure": [r"(?<!公共预算)(?<!财政拨款)(?<!基金预算)项目支出(?:预算|决算)?"],
    "personnel_expenditure": [r"(?<![职休退])人员经费(?:支出)?"],
    "public_expenditure": [r"(?<!综合)(?:日常)?公用经费(?:支出)?"],
    "three_public_total": [r"三公经费(?:财政拨款)?(?:支出)?(?:预算|决算)?(?:数|总额|合计)?"],
    "three_public_overseas": [r"因公出国\(境\)(?:费用|经费|费)"],
    "three_public_vehicle_purchase": [r"公务用车购置费"],
    "three_public_vehicle_operation": [r"公务用车运行(?:维护|维修)?费"],
    "three_public_reception": [r"公务接待费(?:用)?"],
    "operating_expenses": [r"机关运行经费(?!的)"],
}


@dataclass
class Prose:
    text: str
    offsets: list[int]  # start offset of each page in text
    numbers: list[int]  # page numbers


def join_prose(pages: list[Page]) -> Prose:
    parts, offsets, numbers, at = [], [], [], 0
    for page in pages:
        lines = [
            ln
            for ln in page.text.splitlines()
            if not re.fullmatch(r"\s*[-—–]?\s*\d+\s*[-—–]?\s*", ln)
        ]
        text = squeeze("".join(lines))
        offsets.append(at)
        numbers.append(page.number)
        parts.append(text)
        at += len(text)
    return Prose("".join(parts), offsets, numbers)


def read_prose(prose: Prose, *, year: int | None, final: bool) -> dict[str, Found]:
    found: dict[str, Found] = {}
    for field, keys in PROSE_KEYS.items():
        for key in keys:
            hit = _first(prose, key, year=year, final=final, field=field)
            if hit is not None:
                found[field] = hit
                break
        else:
            if field in ZERO_SAID:
                hit = _said_none(prose, field, year)
                if hit is not None:
                    found[field] = hit
    return found


# Figures a sentence may say are nothing, without a number: 本单位无机关运行经费,
# 无“三公”经费, 未安排因公出国（境）费, 三公经费预算为零.
ZERO_SAID = (
    "three_public_total",
    *SUMS["three_public_parts"][1],
    "operating_expenses",
    "gov_fund_income",
    "state_capital_income",
)
_NONE = r"(?:无|没有|未安排|不安排|未使用|未发生)(?:任何)?(?:使用)?(?:财政拨款)?(?:安排的?)?"
_ZERO = r"(?:预算|决算)?(?:数|支出)?(?:均|全部)?为(?:零|0(?:\.0+)?)(?![\d.万元])"


def _said_none(prose: Prose, field: str, year: int | None) -> Found | None:
    for key in PROSE_KEYS[field]:
        for regex in (f"{_NONE}(?P<key>{key})", f"(?P<key>{key}){_ZERO}"):
            for m in re.finditer(regex, prose.text):
                lead = prose.text[max(0, m.start() - 12) : m.start()]
                lead = lead.rsplit("。", 1)[-1]
                years = {int(y) for y in re.findall(r"(20\d{2})年", lead)}
                if re.search(r"上年|去年|上一年|以前年度", lead) or (year and years - {year}):
                    continue
                break
            else:
                continue
            page = prose.numbers[max(0, bisect.bisect_right(prose.offsets, m.start()) - 1)]
            start = max(0, m.start() - 10)
            return Found(0.0, "万元", page, "sentence", prose.text[start : m.end() + 10])
    return None


# A total is the whole's only when nothing narrows it: the keyword opens a clause, or
# follows the year or the unit (政府采购支出总额, 专项转移支付支出预算 are parts).
_WHOLE_LEAD = re.compile(
    r"(?:^|[。，,；;：:、）)”]|年度?|部门|单位|本级|全局|本局|我局"
    r"|[局委院办厅校心站所会部队馆室处署社园])$"  # the end of an organisation's name
)
# An item of an enumeration ((一), 1.) in a gap starts another figure's sentence.
_ENUMERATION = re.compile(r"[(（][一二三四五六七八九十]{1,3}[)）]|^[一二三四五六七八九十]{1,3}、")
_TOTALS = ("revenue_total", "expenditure_total")
# Figures of the whole budget, every source of funds: a section of the explanation about
# one source (三、财政拨款情况说明, 四、一般公共预算支出情况) states them for that source only.
WHOLE_FIELDS = (*_TOTALS, "basic_expenditure", "project_expenditure", "carry_forward")
_HEADING = re.compile(
    r"(?:^|[。：:])\s*(?:第[一二三四五六七八九十]{1,3}部分|[一二三四五六七八九十]{1,3}、)"
    r"(?P<heading>[^。，,；;\d]{2,30}?(?:情况说明|说明|情况|概况))"
)
_ONE_SOURCE = re.compile(r"财政拨款|一般公共预算|政府性基金|国有资本经营")


def _one_source_section(text: str, at: int) -> bool:
    """Whether the section that `at` stands in is about one source of funds."""
    headings = list(_HEADING.finditer(text, max(0, at - 3000), at))
    return bool(headings) and bool(_ONE_SOURCE.search(headings[-1].group("heading")))


def _other_keys(field: str) -> re.Pattern[str]:
    return re.compile("|".join(k for f, keys in PROSE_KEYS.items() if f != field for k in keys))


def _first(
    prose: Prose, key: str, *, year: int | None, final: bool, field: str = ""
) -> Found | None:
    regex = re.compile(f"(?P<key>{key})" + (_GAP % 24) + _YEAR_LEAD + _AMOUNT)
    others = _other_keys(field) if field else None
    for m in regex.finditer(prose.text):
        gap = prose.text[m.end("key") : m.start("amount")]
        if field in _TOTALS and not _WHOLE_LEAD.search(
            prose.text[max(0, m.start() - 4) : m.start()]
        ):
            continue
        if _ENUMERATION.search(gap) or (others is not None and others.search(gap)):
            continue
        if field in WHOLE_FIELDS and _one_source_section(prose.text, m.start()):
            continue
        years = {int(y) for y in re.findall(r"(20\d{2})年", gap)}
        if year and years and year not in years:
            continue
        if re.search(
            r"增[加长]|减少|下降|上升|比上年|比\d{4}|较上年|占|同比|以上|以下|不超过", gap
        ):
            continue
        words = re.sub(r"一般公共预算", "", gap)
        if final and "预算" in words and "决算" not in words:
            continue
        if not final and "决算" in words:
            continue
        after = prose.text[m.end() : m.end() + 2]
        if after.startswith(("以上", "以下", "/")):
            continue
        value = float(m.group("amount").replace(",", ""))
        page = prose.numbers[max(0, bisect.bisect_right(prose.offsets, m.start()) - 1)]
        start = max(0, m.start() - 20)
        return Found(value, m.group("unit"), page, "sentence", prose.text[start : m.end() + 10])
    return None
