"""What a document is: unit, year, budget or final account, department or unit, from its first page."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from extract.pages import BASIC, EXPENDITURE, SUMMARY, THREE_PUBLIC, Page
from extract.text import squeeze
from extract.titles import classify_title, clean_unit_name

_NAMED_UNIT = re.compile(
    r"(?:预算单位|部门名称|单位名称|编制单位|编制部门|(?<![^\s|])部门)[:：](?P<name>[^\s:：|]{2,40}?)(?=单位[:：]|金额单位|$|\s)"
)
_TITLE_AFTER_YEAR = re.compile(r"^(20\d{2})年度?(?P<name>.{2,40}?)(?:部门|单位)(?:预算|决算)")
# what makes lines a title: 2025年部门预算, 单位决算, 预算公开 (not a table's 预算数)
_TITLE_WORDS = re.compile(
    r"(?:部门|单位|年度?)[^，。,.;；:：]{0,4}?(?:预|决)算|(?:预|决)算(?:公开|信息|报告|说明|草案)"
)
_NOTICE = re.compile(r"通知|〔20\d{2}〕|\[20\d{2}\]|资金下达|下达.{0,12}资金|采购|招标|公告")
_BUDGET_TERMS = (
    "收入总计", "支出总计", "基本支出", "项目支出", "三公", "部门预算", "单位预算",
    "部门决算", "单位决算", "收支总表", "收支预算总表", "一般公共预算拨款",
)  # fmt: skip


@dataclass
class Meta:
    title: str
    unit_name: str | None
    year: int | None
    doc_type: str | None
    scope: str | None
    is_budget_disclosure: bool
    unit_marker: str | None = None  # （本级）, （汇总）: the scope the name was printed with


def read_meta(pages: list[Page]) -> Meta:
    title, titled = _title(pages)
    # without a title (a file of tables alone) the first page's text says no type or scope
    facts = classify_title(title if titled else "")
    unit = facts.unit_name
    m = _TITLE_AFTER_YEAR.match(title)
    if m and not unit:
        unit = m.group("name")
    named = _named_unit(pages)
    if named and (not unit or len(unit) <= 4 or unit.endswith(("市", "省", "区", "县"))):
        unit = named
    unit, marker = clean_unit_name(unit)
    year = facts.year or _common_year(pages)
    return Meta(
        title=title,
        unit_name=unit or None,
        year=year,
        doc_type=facts.doc_type or _doc_type(pages),
        scope=facts.scope if facts.doc_type else None,
        is_budget_disclosure=_is_disclosure(pages, title),
        unit_marker=marker,
    )


def _title(pages: list[Page]) -> tuple[str, bool]:
    """The document's title, and whether it is one (else the first page's first words)."""
    for page in pages[:3]:
        lines = []
        for line in page.text.splitlines():
            s = squeeze(line)
            if not s or re.fullmatch(r"[-—]?\d+[-—]?", s):
                continue
            if s.startswith("目录") or s == "目":
                break
            lines.append(s)
            if len("".join(lines)) > 60:
                break
        title = "".join(lines)[:80]
        if _TITLE_WORDS.search(title):
            return title, True
    return (squeeze(pages[0].text)[:80] if pages else ""), False


def _named_unit(pages: list[Page]) -> str | None:
    for page in pages[:30]:
        for line in page.text.splitlines():
            m = _NAMED_UNIT.search(squeeze(line))
            if m:
                name = re.sub(r"^\d{3,}[-—]", "", m.group("name"))
                if len(name) >= 3:
                    return name
    return None


def _common_year(pages: list[Page]) -> int | None:
    years = Counter(int(y) for p in pages[:5] for y in re.findall(r"(20\d{2})年", p.squeezed))
    return years.most_common(1)[0][0] if years else None


def _doc_type(pages: list[Page]) -> str | None:
    text = "".join(p.squeezed for p in pages[:3])
    budget, final = text.count("预算"), text.count("决算")
    if not budget and not final:
        return None
    return "final_account" if final > budget else "budget"


def _is_disclosure(pages: list[Page], title: str) -> bool:
    if _NOTICE.search(title) and not re.search(r"(?:部门|单位)(?:预算|决算)", title):
        return False
    text = "".join(p.squeezed for p in pages)
    terms = sum(term in text for term in _BUDGET_TERMS)
    tables = {k for p in pages for k in p.kinds} & {SUMMARY, EXPENDITURE, BASIC, THREE_PUBLIC}
    return terms >= 4 or (terms >= 2 and len(tables) >= 2)
