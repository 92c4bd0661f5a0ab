"""The long tail: any server-rendered list, walked by what its links say.

CrawlSpider-style rules, with Scrapy's LinkExtractor:
- a link whose text or title names a budget or final account and a year is a disclosure
  (its detail page, or the document itself);
- 下一页 / 尾页 / numbered links, and TRS-style page-count scripts, are further pages of
  the same list;
- a link whose text names budgets or final accounts without a year (a department's own
  budget column on an aggregator page) is a second-level list, followed to a bounded
  depth (the section's `depth`, default 1);
- a page with none of these is fetched again through the browser (scrapy-playwright),
  once: its list may only exist after its scripts ran.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from w3lib.url import safe_url_string

from crawler.families.base import LIST_DATE, Output, Walker
from crawler.families.rendered import browser_meta
from crawler.families.trs import page_urls
from extract.titles import classify_title, normalize

#: Links to further pages of the same list. 首页 is left out: it is also the site's home.
PAGER = LinkExtractor(
    restrict_text=r"^\s*(下一?页|后页|尾页|末页|最后一?页|>|>>|»|›|\d{1,4})\s*$",
    deny_extensions=[],
    canonicalize=False,
)
#: Every other link, candidates for disclosures and second-level lists.
LINKS = LinkExtractor(deny_extensions=[], canonicalize=False)

DEFAULT_DEPTH = 1


def _site(url: str) -> str:
    """The registrable part of a host, roughly (`czj.x.gov.cn` → `x.gov.cn`): pages of one
    government's sites may link each other."""
    host = (urlsplit(url).hostname or "").lower()
    labels = host.split(".")
    keep = 3 if labels[-2:-1] in (["gov"], ["com"], ["org"], ["edu"]) else 2
    return ".".join(labels[-keep:])


class GenericWalker(Walker):
    family = "generic"
    browser = True  # a list that only exists in the browser is rendered

    def parse_entry(self, response: Response) -> Output:
        found = yield from self.parse_list(response)
        if not found and not response.meta.get("playwright"):
            portal, section = self.spider.section_for(response.meta)
            self.spider.logger.info("no list in %s: rendering it in the browser", response.url)
            yield self.list_request(
                response.url, portal, section, callback=self.parse_entry, meta=browser_meta(section)
            )

    def parse_list(self, response: Response) -> Generator[Any, None, int]:
        """Disclosures, pages and second-level lists of one list page; returns how many
        were found."""
        if not isinstance(response, TextResponse):
            return 0
        portal, section = self.spider.section_for(response.meta)
        depth = response.meta.get("list_depth", 0)
        max_depth = section.depth if section.depth is not None else DEFAULT_DEPTH
        found = 0
        titles = self._titles(response)
        for link in LINKS.extract_links(response):
            if urlsplit(link.url).scheme not in ("http", "https"):
                continue
            title, date = titles.get(link.url, (normalize(link.text), None))
            facts = classify_title(title)
            if facts.doc_type and facts.year and not facts.noise:
                found += 1
                entry = self.spider.listed(response, link.url, title, date, portal, section)
                if entry:
                    yield entry
            elif (
                facts.doc_type
                and not facts.noise
                and not facts.year
                and depth < max_depth
                and _site(link.url) == _site(response.url)
            ):
                found += 1
                yield self.list_request(
                    link.url,
                    portal,
                    section,
                    callback=self.parse_entry,
                    meta={"list_depth": depth + 1},
                )
        for link in PAGER.extract_links(response):
            if urlsplit(link.url).netloc == urlsplit(response.url).netloc:
                yield self.list_request(link.url, portal, section, meta={"list_depth": depth})
        for url in page_urls(response.url, response.text):
            yield self.list_request(url, portal, section, meta={"list_depth": depth})
        return found

    def _titles(self, response: TextResponse) -> dict[str, tuple[str, str | None]]:
        """{link URL: (its title attribute or text, the date printed beside it)}: list
        entries often cut their text short and keep the whole title in `title`."""
        out: dict[str, tuple[str, str | None]] = {}
        for a in response.xpath("//a[@href]"):
            url = safe_url_string(
                urljoin(response.url, a.attrib["href"].strip()), response.encoding
            )
            if url in out:
                continue
            text = normalize(" ".join(a.css("::text").getall()))
            title = normalize(a.attrib.get("title") or "")
            context = normalize(
                " ".join(a.xpath("./ancestor::*[self::li or self::tr][1]//text()").getall())
            )
            date = LIST_DATE.search(context)
            out[url] = (title if len(title) > len(text) else text, date and date.group(0))
        return out
