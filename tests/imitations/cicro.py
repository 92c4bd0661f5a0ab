"""A county government's budget list on Cicro WCM.

Evidence (no real page copied): the vendor's public code (373974360/cicroCms:
`InfoUtilData.getInfoCount` — 15 a page, `cur_page` from 1 — and the list template
generator, which prints entries `<li><a href=… title=…>` + a date item, and a `ul.page`
pager of query-only links 未页 / 下一页 / 上一页 / 首页 with 共N条记录 共N页 当前N页); public
crawlers of Cicro government sites (lists `/info/iList.jsp?cat_id=…&cur_page=N`, static
details `<folder>/<info_id>.htm`, attachments `/wcm.files/upload/CMS…/yyyymm/…pdf`).
"""

from __future__ import annotations

from tests.imitations.site import Imitation, Reply, page, pdf

CAT = "15282"
UNITS = [
    "县教育局",
    "县民政局",
    "县司法局",
    "县财政局",
    "县水利局",
    "县林业局",
    "县统计局",
    "县医疗保障局",
]
PER_PAGE = 3


class CicroList(Imitation):
    family = "cicro"
    detected = "cicro"
    entry = f"/info/iList.jsp?cat_id={CAT}"

    def build(self) -> None:
        entries = []
        for n, unit in enumerate(UNITS):
            info = 59481 + n
            doc = "决算" if n >= 6 else "预算"
            year = 2025 if doc == "决算" else 2026
            title = f"{unit}{year}年部门{doc}公开"
            detail = f"/gk/czyjs/{info}.htm"
            f = f"/wcm.files/upload/CMSxy/2026{3 + n % 3:02d}/2026032710380{n}{n}.pdf"
            date = f"{year + (doc == '决算')}-03-2{n % 9}"
            self.get[detail] = Reply(
                page(
                    f'<div class="art-title">{title}</div><div class="date">发布时间：{date}</div>'
                    f'<div class="info_content"><p>附件：<a href="{f}">{title}.pdf</a></p></div>',
                    title,
                    f'<meta name="PubDate" content="{date} 10:38">',
                )
            )
            self.get[f] = pdf(f)
            self.disclosures.add(self.url + detail)
            self.expected_files.add(self.url + f)
            entries.append((detail, title, date))
        notice = "/gk/czyjs/59400.htm"
        self.get[notice] = Reply(page("<h1>招聘</h1>"))
        self.noise.add(self.url + notice)
        entries.insert(4, (notice, "县财政局2026年公开招聘编外人员公告", "2026-03-01"))
        pages = [entries[i : i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)]
        for k, items in enumerate(pages, start=1):
            lis = "".join(
                f'<li><a href="{h}" target="_blank" title="{t}">{t[:12]}...</a></li><li>{d}</li>'
                for h, t, d in items
            )
            q = f"?site_id=CMSxy&cat_id={CAT}&cur_page="
            pager = (
                '<div><ul class="page">'
                f'<li><a href="{q}{len(pages)}">未页</a></li>'
                f'<li><a href="{q}{min(k + 1, len(pages))}">下一页</a></li>'
                f'<li><a href="{q}{max(k - 1, 1)}">上一页</a></li>'
                f'<li><a href="{q}1">首页</a></li>'
                f"<li>共{len(entries)}条记录 共{len(pages)}页 当前{k}页</li></ul></div>"
            )
            html = page(
                "<!-- ------------------信息列表　开始---------------- -->"
                f'<ul class="list">{lis}</ul>{pager}',
                "财政预决算",
            )
            self.get[f"/info/iList.jsp?site_id=CMSxy&cat_id={CAT}&cur_page={k}"] = Reply(html)
            if k == 1:
                self.get[self.entry] = Reply(html)


IMITATIONS = [CicroList]
