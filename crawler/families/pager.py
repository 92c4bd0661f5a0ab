"""The further pages of a list, from whatever the page gives away.

- a page-count script: TRS's `createPageHTML(25, 0, "index", "htm")` (pages `index.htm`,
  `index_1.htm` … `index_24.htm`: the index counts from 0), the six-argument
  `createPageHTML('page_div', 22, 1, 'common_list', 'shtml', 325)` (pages
  `common_list.shtml`, `common_list_2.shtml` … `common_list_22.shtml`: from 1), or
  `var countPage = 25` (from 0). The entry page is the first page: the index the call
  gives it says where numbers start;
- links: 下一页 and 尾页 (or the highest numbered link). Between the next page's URL and
  the last page's, the one number that differs is the page number; the pages between are
  generated, whether numbers count up (`list_2.shtml` … `list_9.shtml`,
  `iList.jsp?cur_page=2`) or down (`czxx/8.htm` … `czxx/1.htm`, as some CMSs number them).

Every function returns at most `limit` URLs: a page that claims 10⁹ pages gets no more.
The limit is above the spider's own per-section bound (SECTION_MAX_LIST_PAGES), which
requests fewer and records that the pager claimed more (`limit_reached`).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from extract.titles import normalize

DEFAULT_LIMIT = 10_000

# createPageHTML('page_div', 3, 0, 'index', 'html', 27): div, page count, current, name, ext
_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*(?:'[^']*'\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*['\"]([\w-]+)['\"]\s*,"
    r"\s*['\"](s?html?)['\"]"
)
_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*(\d+)")
_NEXT = re.compile(r"^(下一?页|后页|>|›|»)$")
_LAST = re.compile(r"^(尾页|末页|未页|最后一?页|>>|»»)$")  # 未页: a CMS's typo for 末页
# a page count printed beside the pager: 共N页, or cur/total
_COUNT_TEXT = re.compile(r"共\s*(\d+)\s*页|(?<![\d/])\d+\s*/\s*(\d+)(?![\d/])")
_NUMBER = re.compile(r"\d+")


def with_query(url: str, name: str, value: int) -> str:
    """`url` with query parameter `name` set to `value`: in its place when present (the
    rest of the URL as it was), else added at the end."""
    pattern = re.compile(rf"([?&]{re.escape(name)}=)[^&#]*")
    if pattern.search(url):
        return pattern.sub(lambda m: f"{m.group(1)}{value}", url, count=1)
    head, hash_, fragment = url.partition("#")
    return f"{head}{'&' if '?' in head else '?'}{name}={value}{hash_}{fragment}"


def script_pages(list_url: str, text: str, limit: int = DEFAULT_LIMIT) -> list[str]:
    """All further pages of a TRS-style list, read from its page-count script."""
    m = _CREATE_PAGE.search(text)
    if m:
        count, first, name, ext = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
        if first >= 1:  # the first page is number 1: the others are _2 … _count
            return [urljoin(list_url, f"{name}_{i}.{ext}") for i in range(2, min(count, limit) + 1)]
    else:
        cm = _COUNT_PAGE.search(text)
        if not cm:
            return []
        count = int(cm.group(1))
        path = urlsplit(list_url).path.rsplit("/", 1)[-1] or "index.html"
        stem, _, ext = path.partition(".")
        name = re.sub(r"_\d+$", "", stem) or "index"
        ext = ext or "html"
    return [urljoin(list_url, f"{name}_{i}.{ext}") for i in range(1, min(count, limit + 1))]


def between(next_url: str, last_url: str, limit: int = DEFAULT_LIMIT) -> list[str]:
    """The pages from `next_url` to `last_url`, when they differ in one number only;
    else just those two."""
    if next_url == last_url:
        return [next_url]
    a, b = list(_NUMBER.finditer(next_url)), list(_NUMBER.finditer(last_url))
    if len(a) != len(b):
        return [next_url, last_url]
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x.group() != y.group()]
    if len(differing) != 1:
        return [next_url, last_url]
    x, y = differing[0]
    if next_url[: x.start()] != last_url[: y.start()] or next_url[x.end() :] != last_url[y.end() :]:
        return [next_url, last_url]
    first, last = int(x.group()), int(y.group())
    step = 1 if last >= first else -1
    numbers = range(first, last + step, step)[:limit]
    return [f"{next_url[: x.start()]}{n}{next_url[x.end() :]}" for n in numbers]


def _last_from_count(sel: Selector, next_url: str) -> str | None:
    """The last page's URL, from a printed page count (共N页, `1/37` in the pager) and the
    next page's URL: its page number (2) becomes the count."""
    text = " ".join(sel.xpath('//*[contains(@class, "page")]//text()').getall())
    m = _COUNT_TEXT.search(normalize(text))
    if not m:
        return None
    count = int(m.group(1) or m.group(2))
    twos = [t for t in _NUMBER.finditer(next_url) if t.group() == "2"]
    if count < 2 or len(twos) != 1:
        return None
    t = twos[0]
    return f"{next_url[: t.start()]}{count}{next_url[t.end() :]}"


def link_pages(sel: Selector, page_url: str, limit: int = DEFAULT_LIMIT) -> list[str]:
    """Further pages named by the page's own pager links (下一页, 尾页, numbers)."""
    next_url = last_url = None
    numbered: list[tuple[int, str]] = []
    here = urlsplit(page_url)
    for a in sel.xpath("//a[@href]"):
        href = a.attrib["href"].strip()
        if href.startswith(("javascript:", "#")):
            continue
        url = urljoin(page_url, href)
        if urlsplit(url).netloc != here.netloc or url == page_url:
            continue
        text = normalize(" ".join(a.css("::text").getall()) or a.attrib.get("title", ""))
        text = text.strip("[]【】")  # SiteServer's navigation prints [2]
        if _NEXT.match(text):
            next_url = next_url or url
        elif _LAST.match(text):
            last_url = last_url or url
        elif text.isdigit() and len(text) <= 3:  # not a year
            numbered.append((int(text), url))
    if numbered and not last_url:
        last_url = max(numbered)[1]
    if next_url and not last_url:
        last_url = _last_from_count(sel, next_url)
    pages = [url for _, url in numbered]
    if next_url and last_url:
        pages += between(next_url, last_url, limit)
    else:
        pages += [u for u in (next_url, last_url) if u]
    return list(dict.fromkeys(pages))[:limit]
