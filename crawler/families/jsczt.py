"""Jiangsu's unified budget-disclosure platform (江苏省预决算公开统一平台), its form-POST
JSON API of 2021 (`yjsgk.jsczt.cn`, also below `www.jszwfw.gov.cn/yjsgk`).

A section's `url` names a region group and the year(s):
`…/front/department/getdepartmentname.do?pid=122&typeid=2&date=2026` (`date` left out: the
section's `since` year to this one). For each year the walker asks for
1. the group's departments: POST `/front/department/getdepartmentname.do`
   (`pid, departmentName=, date, typeid`) → `[{iid, name, pid, dtype}]`;
2. each department's templates: POST `/front/budgetfinal/itemsandpag.do`
   (`page_num, groupid=iid, typeid, date`) → `{budgetTemplates: [{uuid, …}]}`, pages from 1
   until one is empty;
3. each template's files: POST `/front/budgetfinal/getTemporaryFiles.do` (`uuid='…'`) →
   `[{iid, t_oldname, t_uploaddate}]`, downloaded from `/front/budgetfinal/download.do?iid=`.
A template is one disclosure: its title is the template's own when it has one, else the
department's name, the year and 部门预算 (`typeid=2` is the budget; the final-account value
is not known from evidence, so only budgets are walked).

The platform's current home (`#/overView?code=…`, a 538-byte shell whose API no public code
shows, and whose 9-digit codes map to `pid` in no known way) goes to the browser.
Evidence: two public 2021 crawler scripts of the API (Wuxi's groups: pid 122, 159–165),
a public Selenium crawler of the old pages, and ../shared/real/FAMILIES.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

from scrapy import Request
from scrapy.http import Response

from crawler.attachments import Attachment
from crawler.families.base import Output, Walker, json_body
from crawler.portals import Portal, Section
from extract.titles import normalize

DEPARTMENTS = "/front/department/getdepartmentname.do"
TEMPLATES = "/front/budgetfinal/itemsandpag.do"
FILES = "/front/budgetfinal/getTemporaryFiles.do"
DOWNLOAD = "/front/budgetfinal/download.do?iid={iid}"
BUDGET = "2"
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}


def _rows(data: Any, key: str | None = None) -> list[dict[str, Any]]:
    """The list an answer holds: itself, or under `key`."""
    rows = data.get(key) if isinstance(data, dict) and key else data
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


class JscztWalker(Walker):
    family = "jsczt"
    browser = True  # the current home page is a script-built shell

    def base(self, url: str) -> str:
        """Where the API's paths start: the host, or `…/yjsgk` on jszwfw.gov.cn."""
        head, found, _ = url.partition("/front/")
        if found:
            return head
        parts = urlsplit(url)
        prefix = "/yjsgk" if parts.path.startswith("/yjsgk") else ""
        return f"{parts.scheme}://{parts.netloc}{prefix}"

    def post(
        self, url: str, form: dict[str, Any], portal: Portal, section: Section, **kw: Any
    ) -> Request:
        return self.list_request(
            url, portal, section, method="POST", body=urlencode(form), headers=FORM, **kw
        )

    def start(self, portal: Portal, section: Section) -> Iterable[Request]:
        query = {k: v[0] for k, v in parse_qs(urlsplit(section.url).query).items()}
        if DEPARTMENTS not in section.url or "pid" not in query:
            # the platform's home: only the browser knows what it lists
            yield from self.spider.walkers["rendered"].start(portal, section)
            return
        typeid = query.get("typeid", BUDGET)
        if typeid != BUDGET:
            self.spider.logger.warning("%s: only typeid=2 (budgets) is known", section.url)
            return
        this_year = date.today().year
        years = (
            [int(query["date"])]
            if query.get("date", "").isdigit()
            else list(range(section.since or this_year - 1, this_year + 1))
        )
        url = urljoin(self.base(section.url) + "/", DEPARTMENTS.lstrip("/"))
        for year in years:
            form = {"pid": query["pid"], "departmentName": "", "date": year, "typeid": typeid}
            yield self.post(
                url, form, portal, section, callback=self.parse_list, meta={"year": year}
            )

    def parse_entry(self, response: Response) -> Output:
        yield from self.spider.walkers["rendered"].parse_entry(response)

    def parse_list(self, response: Response) -> Output:
        """The group's departments: on to each one's templates (page 1)."""
        portal, section = self.spider.section_for(response.meta)
        for dept in _rows(json_body(response)):
            if dept.get("iid") is None:
                continue
            yield self.templates(response, dept, 1, portal, section)

    def templates(
        self, response: Response, dept: dict[str, Any], page: int, portal: Portal, section: Section
    ) -> Request:
        year = response.meta["year"]
        form = {"page_num": page, "groupid": dept["iid"], "typeid": BUDGET, "date": year}
        return self.post(
            urljoin(self.base(response.url) + "/", TEMPLATES.lstrip("/")),
            form,
            portal,
            section,
            callback=self.parse_templates,
            meta={"year": year, "dept": dept, "page_no": page},
        )

    def parse_templates(self, response: Response) -> Output:
        portal, section = self.spider.section_for(response.meta)
        dept, year = response.meta["dept"], response.meta["year"]
        rows = _rows(json_body(response), "budgetTemplates")
        for template in rows:
            if not template.get("uuid"):
                continue
            name = normalize(str(dept.get("name") or ""))
            own = normalize(str(template.get("title") or ""))
            title = (own if name and name in own else f"{name}{own}") if own else ""
            yield self.post(
                urljoin(self.base(response.url) + "/", FILES.lstrip("/")),
                {"uuid": f"'{template['uuid']}'"},
                portal,
                section,
                callback=self.parse_files,
                meta={"uuid": template["uuid"], "title": title or f"{name}{year}年部门预算"},
            )
        if rows:
            yield self.templates(response, dept, response.meta["page_no"] + 1, portal, section)

    def parse_files(self, response: Response) -> Output:
        portal, section = self.spider.section_for(response.meta)
        base = self.base(response.url)
        files = _rows(json_body(response))
        attachments = [
            Attachment(
                urljoin(base + "/", DOWNLOAD.format(iid=f["iid"]).lstrip("/")),
                str(f.get("t_oldname") or f["iid"]),
            )
            for f in files
            if f.get("iid") is not None
        ]
        dates = sorted(str(f.get("t_uploaddate") or "")[:10] for f in files)
        url = f"{urljoin(base + '/', FILES.lstrip('/'))}?uuid={response.meta['uuid']}"
        yield self.spider.listed_with_files(
            response,
            url,
            response.meta["title"],
            dates[-1] if dates and dates[-1] else None,
            portal,
            section,
            attachments,
        )
