"""Text normalisation and amount parsing shared by the table and prose readers.

Everything matched is first put through NFKC (Kangxi radicals such as ``⽀`` become
``支``, full-width punctuation becomes ASCII), then white space is dropped: PDF text
splits labels (``收 入 总 计``, ``政府性基金预⏎算``) and numbers (``2, 361. 22``).
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_QUOTES = re.compile(r"[“”\"'‘’「」『』]")
# Leading numbering of a label: 一、 (十七) 1. 2、 ① 廿一、 （一） 其中:
_NUMBERING = re.compile(
    r"^(?:其中[:：]?|[(（]?[一二三四五六七八九十廿百零〇\d]{1,4}[)）][、.,]?"
    r"|[一二三四五六七八九十廿百零〇]{1,4}[、.,]|\d{1,2}(?:[.、,](?!\d)|[、])|[①-⑳])"
)
_AMOUNT = re.compile(r"^[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-−]?\d+(?:\.\d+)?$")
_DASHES = {"-", "—", "–", "--", "——", "/", "─"}


def nfkc(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "")


def squeeze(text: str | None) -> str:
    """NFKC, white space and quotation marks removed."""
    return _QUOTES.sub("", _SPACE.sub("", nfkc(text)))


def label(text: str | None) -> str:
    """A table label as matched: squeezed, numbering and trailing colons removed."""
    s = squeeze(text)
    for _ in range(3):
        stripped = _NUMBERING.sub("", s, count=1)
        if stripped == s:
            break
        s = stripped
    return s.strip(":：")


def parse_amount(text: str | None) -> float | None:
    """``7,569.77`` → 7569.77; ``2, 361. 22`` → 2361.22; ``-`` → 0; anything else → None."""
    s = squeeze(text)
    if s in _DASHES:
        return 0.0
    if not _AMOUNT.match(s):
        return None
    return float(s.replace(",", "").replace("−", "-"))


def is_blank(text: str | None) -> bool:
    return squeeze(text) == ""


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
