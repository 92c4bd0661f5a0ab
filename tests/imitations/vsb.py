"""A county finance bureau on Boda VSB (Visual SiteBuilder 9).

Evidence (no real page copied), from real saved VSB pages, a mirrored VSB site and public
crawlers of VSB sites (government ones among them): the head comment `Announced by
Visual SiteBuilder 9` and `/system/resource/js/` scripts; columns `{col}.htm` whose page k
is `{col}/{N-k+1}.htm` (the last page `{col}/1.htm`), listed by a `p_pages` pager with
下页 / 尾页 links and `_simple_list_gotopage_fun(N, …, 2)`; entries `<li id="line_u7_0">`
with relative links `../info/{tree}/{id}.htm`; details with `<div class="v_news_content">`
and attachments `附件【<a href="/system/_content/download.jsp?urltype=news.DownloadAttachUrl
&owner=…&wbfileid=…">name.xls</a>】已下载…次`, the file named in Content-Disposition.
"""

from __future__ import annotations

from urllib.parse import quote

from tests.imitations.site import Imitation, Reply, pdf

OWNER = "1404874179"
UNITS = [
    "县教育局",
    "县民政局",
    "县卫生健康局",
    "县农业农村局",
    "县水利局",
    "县自然资源局",
    "县应急管理局",
]


def vsb_page(body: str, title: str) -> str:
    return (
        "<!DOCTYPE html><HTML><HEAD><TITLE>" + title + "</TITLE>"
        '<META Name="keywords" Content="预决算公开" />'
        "<!--Announced by Visual SiteBuilder 9-->"
        '<link rel="stylesheet" type="text/css" href="_sitegray/_sitegray_d.css" />'
        '<script language="javascript" src="_sitegray/_sitegray.js"></script>'
        '<LINK href="list.vsb.css" type="text/css" rel="stylesheet">'
        '<script type="text/javascript" src="/system/resource/js/counter.js"></script>'
        "</HEAD><BODY>" + body + "</BODY></HTML>"
    )


def pager(col: str, k: int, total: int) -> str:
    def href(n: int) -> str:
        # from the column page itself (k = 1) or from a page inside {col}/
        target = col + ".htm" if n == 1 else f"{col}/{total - n + 1}.htm"
        return target if k == 1 else "../" + target

    parts = ['<div class="pb_sys_common pb_sys_full pb_sys_style1"><span class="p_pages">']
    parts.append(
        '<span class="p_first_d p_fun_d">首页</span>'
        if k == 1
        else f'<span class="p_first p_fun"><a href="{href(1)}">首页</a></span>'
    )
    for n in range(1, total + 1):
        parts.append(
            f'<span class="p_no_d">{n}</span>'
            if n == k
            else f'<span class="p_no"><a href="{href(n)}">{n}</a></span>'
        )
    if k < total:
        parts.append(f'<span class="p_next p_fun"><a href="{href(k + 1)}">下页</a></span>')
        parts.append(f'<span class="p_last p_fun"><a href="{href(total)}">尾页</a></span>')
    parts.append(
        f'</span><span class="p_t">共{total}页</span><span class="p_goto">'
        '<script language="javascript" src="/system/resource/js/gotopage.js"></script>'
        f'<input type="text" class="p_goto_input" id="u7_goto" onkeydown="if(event.keyCode==13)'
        f'{{_simple_list_gotopage_fun({total},&quot;u7_goto&quot;,2)}}"></span></div>'
    )
    return "".join(parts)


class VsbColumn(Imitation):
    family = "vsb"
    detected = "vsb"
    entry = "/zfxxgk/fdzdgknr/czyjs.htm"

    def build(self) -> None:
        entries = []
        for n, unit in enumerate(UNITS):
            news = 25500 + n
            doc = "决算" if n % 3 == 2 else "预算"
            year = 2025 if doc == "决算" else 2026
            title = f"{unit}{year}年部门{doc}公开"
            detail = f"/info/1141/{news}.htm"
            names = [f"{unit}{year}年部门{doc}.pdf"] + (
                [f"{unit}{year}年部门{doc}表.xls"] if n % 2 else []
            )
            attachments = ""
            for i, name in enumerate(names):
                fid = f"{news:08d}{i}A5E3F"
                link = (
                    "/system/_content/download.jsp?urltype=news.DownloadAttachUrl"
                    f"&owner={OWNER}&wbfileid={fid}"
                )
                attachments += (
                    f'<li>附件【<a href="{link.replace("&", "&amp;")}" target="_blank">{name}</a>】'
                    f'已下载<span id="nattach{news}{i}"><script language="javascript">'
                    f'getClickTimes({news}{i},{OWNER},"wbnewsfile","attach")</script></span>次</li>'
                )
                reply = pdf(link)
                reply.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
                self.get[link] = reply
                self.expected_files.add(self.url + link)
            self.get[detail] = Reply(
                vsb_page(
                    '<script language="javascript" src="/system/resource/js/news/newscontent.js"></script>'
                    f'<form name="_newscontent_fromname"><h1 class="title">{title}</h1>'
                    f'<div class="info"><span>时间：{year + (doc == "决算")}-0{2 + n % 6}-1{n}</span></div>'
                    '<div id="vsb_content_2"><div class="v_news_content"><p>详见附件。</p></div></div>'
                    f'<ul style="list-style-type:none;">{attachments}</ul></form>',
                    f"{title}-某县人民政府",
                )
            )
            self.disclosures.add(self.url + detail)
            entries.append((f"info/1141/{news}.htm", title, f"2026-0{2 + n % 6}-1{n}"))
        notice = "/info/1141/25599.htm"
        self.noise.add(self.url + notice)
        self.get[notice] = Reply(vsb_page("<h1>某县2026年政府采购意向公开</h1>", "采购"))
        entries.insert(3, ("info/1141/25599.htm", "某县财政局2026年政府采购意向公开", "2026-01-05"))
        per_page, col = 3, "czyjs"
        pages = [entries[i : i + per_page] for i in range(0, len(entries), per_page)]
        for k, items in enumerate(pages, start=1):
            prefix = "../../" if k == 1 else "../../../"
            lis = "".join(
                f'<li id="line_u7_{i}"><a href="{prefix}{href}" target="_blank" title="{t}">{t}</a><span>{d}</span></li>'
                for i, (href, t, d) in enumerate(items)
            )
            body = f'<ul class="txtList">{lis}</ul>' + pager(col, k, len(pages))
            path = (
                f"/zfxxgk/fdzdgknr/{col}.htm"
                if k == 1
                else f"/zfxxgk/fdzdgknr/{col}/{len(pages) - k + 1}.htm"
            )
            self.get[path] = Reply(vsb_page(body, "财政预决算-某县人民政府"))


IMITATIONS = [VsbColumn]
