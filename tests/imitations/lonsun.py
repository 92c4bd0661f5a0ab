"""An Anhui county government's information-disclosure column on Lonsun (龙讯) EX8.

Evidence (no real page copied): the vendor's public Java code (`cn.lonsun`) building
`/public/column/{organId}?type=4&catId={catId}&action=list`; public crawlers of Lonsun
sites reading `ul.xxgk_nav_list li a[title]` + `span.date`, the `Ls.pagination("#page_…",
function(pageIndex){ location.href='…&pageIndex=' + pageIndex; }, {currPage: (0+1),
pageCount: N})` script (pages from 1), details `/public/{organId}/{contentId}.html` with
`h1.wztit`, `span.fbsj`, the `table_suoyin` index table and `div.wzcon j-fontContent`
bodies whose attachments are FastDFS links `/group3/M00/14/5E/wKg….xls`.
"""

from __future__ import annotations

from tests.imitations.site import Imitation, Reply, page, pdf

ORGAN = "6595721"
CAT = "49938051"
UNITS = [
    "县人民政府办公室",
    "县发展和改革委员会",
    "县教育局",
    "县公安局",
    "县民政局",
    "县司法局",
    "县财政局",
    "县人力资源和社会保障局",
]


class LonsunPublicColumn(Imitation):
    family = "lonsun"
    detected = "lonsun"
    entry = f"/public/column/{ORGAN}?type=4&catId={CAT}&action=list"

    def build(self) -> None:
        entries = []
        for n, unit in enumerate(UNITS):
            content = 80776300 + n
            doc = "决算" if n >= 6 else "预算"
            year = 2025 if doc == "决算" else 2026
            title = f"{unit}{year}年部门{doc}公开"
            detail = f"/public/{ORGAN}/{content}.html"
            ext = ["pdf", "xls", "doc"][n % 3]
            files = [f"/group3/M00/14/{n:02X}/wKg86mnx3JSAe_T{n}AAA0PEnJC-Q385.pdf"]
            if ext != "pdf":
                files.append(f"/group6/M00/0C/{n:02X}/wKg8BmeQX3yADVmNAAr0AJTq{n}c908.{ext}")
            body = "".join(
                f'<p><a href="{f}">{title}（附件{i + 1}）.{f.rsplit(".", 1)[1]}</a></p>'
                for i, f in enumerate(files)
            )
            date = f"{year + (doc == '决算')}-0{1 + n % 8}-2{n % 9}"
            self.get[detail] = Reply(
                page(
                    '<div class="wzy_position">当前位置：信息公开 &gt; 财政预决算</div>'
                    '<div class="div_table_suoyin"><table class="table_suoyin">'
                    f'<tr><th>索引号：</th><td class="pmingcheng">0030{n}/2026-0{n}</td>'
                    f'<th>发布机构：</th><td class="pmingcheng">{unit}</td></tr></table></div>'
                    f'<h1 class="wztit">{title}</h1><div class="wzbjxx"><span class="fbsj">发布时间：{date}</span>'
                    f'<span class="res">信息来源：{unit}</span></div>'
                    f'<div class="wzcon j-fontContent clearfix"><p>现将{title}如下。</p>{body}</div>',
                    f"{title}_某县人民政府",
                    f'<meta name="SiteId" content="{ORGAN}"><meta name="ArticleTitle" content="{title}">',
                )
            )
            for f in files:
                self.get[f] = pdf(f)
            self.expected_files.update(self.url + f for f in files)
            self.disclosures.add(self.url + detail)
            entries.append((self.url + detail, title, date))
        notice = f"/public/{ORGAN}/80776399.html"
        self.noise.add(self.url + notice)
        self.get[notice] = Reply(
            page('<h1 class="wztit">关于开展2026年部门预算绩效自评工作的通知</h1>')
        )
        entries.insert(
            2, (self.url + notice, "关于开展2026年部门预算绩效自评工作的通知", "2026-01-04")
        )
        per_page = 4
        pages = [entries[i : i + per_page] for i in range(0, len(entries), per_page)]
        for k, items in enumerate(pages, start=1):
            lis = "".join(
                f'<li><a href="{href}" title="{t}" target="_blank">{t}</a><span class="date">{d}</span></li>'
                for href, t, d in items
            )
            base = f"{self.url}/public/column/{ORGAN}?type=4&catId={CAT}&action=list&pageIndex="
            script = (
                f'<div id="page_{CAT}"></div><script>Ls.pagination("#page_{CAT}", function (pageIndex) '
                f"{{ location.href='{base}' + pageIndex; }}, {{currPage: ({k - 1}+1), pageCount: {len(pages)}}});</script>"
            )
            html = page(
                '<div class="ls-page-container"><div class="ls-crumbs">信息公开</div>'
                f'<ul class="clearfix xxgk_nav_list">{lis}</ul>{script}</div>',
                "财政预决算_某县人民政府",
                f'<meta name="SiteId" content="{ORGAN}">',
            )
            path = self.entry if k == 1 else f"{self.entry}&pageIndex={k}"
            self.get[path] = Reply(html)


IMITATIONS = [LonsunPublicColumn]
