"""What a disclosure's title says: budget or final account, year, unit, scope, or noise."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

_BUDGET = re.compile(r"预\s*算")
_FINAL = re.compile(r"决\s*算")
# Words that make a title something else (a notice, a report), when they stand after the
# year: before it they are usually part of the unit's name (教育考试院, 政府采购中心).
_NOT_DISCLOSURE = re.compile(
    r"采购|招标|投标|中标|成交|比选|询价|招聘|聘用|录用|遴选|选调|考试|执行情况|执行审计|"
    r"审计(工作)?报告|审计整改|整改情况|绩效评价|绩效自评|绩效目标|评审|预算管理办法|编制工作|"
    r"征求意见|通知$"
)
# Correction markers in a title (（更正版）, 【更正】): they say the document was corrected,
# they are no part of the unit's name.
_CORRECTION = re.compile(r"[(（【\[]\s*(更正|修正|修订|调整|重新发布)[版稿后件]?\s*[)）】\]]")
_YEAR = re.compile(r"(2\s?0\s?\d\s?\d)\s*年")
_YEAR_ANY = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_SCOPE_UNIT = re.compile(r"单位(预|决)算")
_UNIT_PREFIX = re.compile(r"^(关于)?(公开)?")
# "…及所属单位", "（含下属单位）": scope, not part of the unit's name. "（本级）" stays: it
# names the department's own level, as the documents themselves do.
_UNIT_SCOPE_SUFFIX = re.compile(
    r"((及|和)其?(所属|下属|委属|直属|局属)各?(事业)?(单位|机构)"
    r"|\(含(所属|下属|委属|直属)?(事业)?(单位|机构)?\))$"
)


DocType = Literal["budget", "final_account"]
Scope = Literal["department", "unit"]


@dataclass(frozen=True)
class TitleFacts:
    is_disclosure: bool
    noise: bool  # the title names a notice, ad or report, not a disclosure
    doc_type: DocType | None
    year: int | None
    unit_name: str | None
    scope: Scope | None
    noise_word: str | None = None  # what made it noise


def normalize(text: str) -> str:
    """NFKC, and runs of white space made one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


def classify_title(title: str) -> TitleFacts:
    t = normalize(title)
    budget, final = _BUDGET.search(t), _FINAL.search(t)
    doc_type: DocType | None = None
    if budget and final:
        doc_type = "budget" if budget.start() < final.start() else "final_account"
    elif budget:
        doc_type = "budget"
    elif final:
        doc_type = "final_account"
    m = _YEAR.search(t) or _YEAR_ANY.search(t)
    noisy = _NOT_DISCLOSURE.search(t[m.end() :] if m else t)
    noise = bool(noisy)
    is_disclosure = doc_type is not None and not noise
    year = int(re.sub(r"\s", "", m.group(1))) if m else None
    unit = None
    if m and m.start() > 0:
        unit = _CORRECTION.sub("", _UNIT_PREFIX.sub("", t[: m.start()])).strip(" -—_:：、")
        unit = _UNIT_SCOPE_SUFFIX.sub("", unit).strip()
        # official names are written with full-width parentheses (NFKC made them ASCII)
        unit = unit.replace("(", "（").replace(")", "）") or None
    scope: Scope | None = None
    if doc_type:
        scope = "unit" if _SCOPE_UNIT.search(t) else "department"
    return TitleFacts(
        is_disclosure, noise, doc_type, year, unit, scope, noisy.group(0) if noisy else None
    )


# Scope markers printed after a unit's name, their closing parenthesis sometimes cut off
# by a line break: （本级）, （汇总）, （机关本级）, （含所属单位）.
_MARKER = re.compile(
    r"[（(]\s*(?P<marker>(?:机关)?本级|汇总|本部|合并|部门汇总|含(?:所属|下属)?(?:事业)?单位)\s*[)）]?$"
)
_STRAY = "[]【】<>《》 .。,，、;；:：-—_·•*#\"'“”‘’"


def clean_unit_name(name: str | None) -> tuple[str | None, str | None]:
    """A unit's name whole, without stray punctuation, and its scope marker apart:
    ``.某市信访局（本级）`` → (``某市信访局``, ``本级``); ``某局（汇总`` → (``某局``, ``汇总``)."""
    if not name:
        return None, None
    name = name.replace("(", "（").replace(")", "）").strip(_STRAY).lstrip("）")
    while name.endswith("）") and name.count("）") > name.count("（"):
        name = name[:-1].rstrip(_STRAY)
    marker = None
    m = _MARKER.search(name)
    if m:
        marker = m.group("marker")
        name = name[: m.start()].strip(_STRAY)
    if name.count("（") > name.count("）"):  # a parenthesis left open by a cut
        name = name[: name.rindex("（")].strip(_STRAY)
    return (name or None), marker


_BARE_LEVEL = re.compile(r"(?:机关)?本级$")


def unit_key(name: str | None) -> str | None:
    """The unit a name stands for, whatever scope or correction it is written with:
    ``某市教育局（本级）``, ``某市教育局及所属单位``, ``某市教育局（更正）`` and
    ``某市教育局`` are one unit. The key the publication calendar groups by (before the
    archive's alias table maps other spellings onto it)."""
    if not name:
        return None
    text = _CORRECTION.sub("", normalize(name)).replace(" ", "")
    text = _UNIT_SCOPE_SUFFIX.sub("", text)
    cleaned, _ = clean_unit_name(text)
    if cleaned:
        cleaned = _BARE_LEVEL.sub("", cleaned) or cleaned
    return cleaned or None
