"""A county government's budget channel on SiteServer CMS.

Evidence (no real page copied): the vendor's public source (siteserver/cms) — channel
pages `/channels/{id}.html`, `/channels/{id}_{k}.html` (k from 2), contents
`/contents/{channel}/{id}.html`, the built-in pager (首页 / 上一页 / 下一页 / 末页, `[n]`
navigation, 当前页：k/N), uploads `/upload/files/{yyyy}/{M}/…`, the counted download
`/api/sys/stl/actions/download?siteId=&channelId=&contentId=&fileUrl=…`, `/sitefiles/assets/`
scripts and the `add_content_hits` script appended after `</html>`; public crawlers of
government SiteServer sites (list `div.channel-fr ul li a` with the date in a span).
"""

from __future__ import annotations

from urllib.parse import quote

from tests.imitations.site import Imitation, Reply, page, pdf

CHANNEL = 458
UNITS = [
    "县教育体育局",
    "县民政局",
    "县司法局",
    "县财政局",
    "县住房和城乡建设局",
    "县交通运输局",
    "县文化旅游局",
]


def sitefiles() -> str:
    return '<script src="/sitefiles/assets/components/jquery-1.9.1.min.js" type="text/javascript"></script>'


class SiteServerChannel(Imitation):
    family = "siteserver"
    detected = "siteserver"
    entry = f"/channels/{CHANNEL}.html"

    def build(self) -> None:
        entries = []
        for n, unit in enumerate(UNITS):
            content = 37060 + n
            title = f"{unit}2026年部门预算"
            detail = f"/contents/{CHANNEL}/{content}.html"
            if n % 3 == 0:
                f = f"/upload/files/2026/3/{content:x}0e22ee0f0c.pdf"
            elif n % 3 == 1:
                f = quote(f"/upload/files/2026/3/{title}.pdf")
            else:
                f = f"/api/sys/stl/actions/download?siteId=1&channelId={CHANNEL}&contentId={content}&fileUrl=Yk9{n}xQ0slash0Z"
            link = f.replace("&", "&amp;")
            body = (
                f'<div class="text"><p>详见附件：</p><p><a href="{link}">{title}.pdf</a></p></div>'
            )
            reply = pdf(f)
            if "download" in f:
                reply.headers["Content-Disposition"] = (
                    f"attachment; filename*=UTF-8''{quote(title)}.pdf"
                )
            self.get[f] = reply
            self.expected_files.add(self.url + f)
            self.get[detail] = Reply(
                page(
                    f'<span class="history">当前位置：首页 &gt; 预决算公开</span><h1>{title}</h1>'
                    f'<div class="info">发布日期：2026-03-0{1 + n}</div>{body}',
                    title,
                    f'<meta name="ArticleTitle" content="{title}">{sitefiles()}',
                )
                + f'<script src="/api/sys/stl/actions/add_content_hits/1/{CHANNEL}/{content}" type="text/javascript"></script>'
            )
            self.disclosures.add(self.url + detail)
            entries.append((detail, title, f"2026-03-0{1 + n}"))
        entries.insert(
            4,
            (
                f"/contents/{CHANNEL}/37099.html",
                "县财政局2026年预算执行情况审计整改报告",
                "2026-03-09",
            ),
        )
        self.get[f"/contents/{CHANNEL}/37099.html"] = Reply(page("<h1>审计整改</h1>"))
        self.noise.add(f"{self.url}/contents/{CHANNEL}/37099.html")
        per_page = 3
        pages = [entries[i : i + per_page] for i in range(0, len(entries), per_page)]

        def href(k: int) -> str:
            return f"/channels/{CHANNEL}.html" if k == 1 else f"/channels/{CHANNEL}_{k}.html"

        for k, items in enumerate(pages, start=1):
            lis = "".join(
                f'<li><a href="{h}" target="_blank">{t}<span>{d}</span></a></li>'
                for h, t, d in items
            )
            nav = []
            nav.append(f'<a href="{href(1)}">首页</a>' if k > 1 else "首页")
            nav.append(f'<a href="{href(k - 1)}">上一页</a>' if k > 1 else "上一页")
            nav.append(f'<a href="{href(k + 1)}">下一页</a>' if k < len(pages) else "下一页")
            nav.append(f'<a href="{href(len(pages))}">末页</a>' if k < len(pages) else "末页")
            numbers = "".join(
                (
                    f"<a href='javascript:void(0);'>[{n}]</a>&nbsp;"
                    if n == k
                    else f'<a href="{href(n)}">[{n}]</a>&nbsp;'
                )
                for n in range(1, len(pages) + 1)
            )
            html = page(
                f'<div class="channel clearfix"><div class="channel-fr fr"><ul>{lis}</ul></div></div>'
                f'<div class="page">{" | ".join(nav)} 当前页：{k}/{len(pages)} {numbers}</div>',
                "预决算公开",
                sitefiles(),
            )
            self.get[href(k)] = Reply(html)


IMITATIONS = [SiteServerChannel]
