"""A county government's budget column on Hanweb jcms, whose further pages come only from
a POST to its data proxy.

Evidence (no real page copied): ../shared/real/PORTALS.md (columns `/col/col{ID}/index.html`,
articles `/art/YYYY/M/D/art_{columnId}_{id}.html`, the first records inside
`<script type="text/xml"><datastore>…<record><![CDATA[<li><a …>…</a><span>date</span></li>]]>`,
further pages by POST `…/dataproxy.jsp?startrecord=…&endrecord=…&perpage=…` with the form
`col=1&appid=1&webid=…&columnid=…&unitid=…`, answered with `<datastore><totalrecord>` XML;
GBK pages), public crawlers of Hanweb sites (`jpage({… ajaxParam: {…}})`, groups of
pages per POST, `/module/download/downfile.jsp?classid=0&filename=<32 hex>.pdf` answering
302 to `/jcms_files/jcms1/web{N}/site/attach/0/…`, the footer `Produced By 大汉网络
大汉版通发布系统`, article paths whose month and day are not zero-padded), and a page
captured from an older jcms site (records as strings of an `InitData…` array that the
`jpage({dataStore: InitData…, proxyUrl: '/module/jslib/jquery/jpage/dataproxy.jsp'})` call
names).
"""

from __future__ import annotations

from urllib.parse import quote

from tests.imitations.site import Imitation, Reply, pdf

COLUMN = "5678"
UNIT_ID = "21004"
WEBID = "3"
UNITS = [
    "县发展和改革局",
    "县教育局",
    "县科学技术局",
    "县工业和信息化局",
    "县公安局",
    "县民政局",
    "县司法局",
    "县财政局",
    "县人力资源和社会保障局",
    "县自然资源和规划局",
    "县生态环境局",
    "县住房和城乡建设局",
    "县交通运输局",
]
PER_PAGE, GROUP = 4, 2


def record(href: str, title: str, date: str) -> str:
    return (
        f'<record><![CDATA[<li><a href="{href}" title="{title}" target="_blank">{title[:16]}</a>'
        f"<span>{date}</span></li>]]></record>"
    )


def gbk(text: str) -> Reply:
    return Reply(text, content_type="text/html; charset=gbk", encoding="gbk")


class HanwebPost(Imitation):
    family = "jpage"
    detected = "hanweb"
    entry = f"/col/col{COLUMN}/index.html"
    proxy = "/module/web/jpage/dataproxy.jsp"

    def build(self) -> None:
        self.records = []
        for n, unit in enumerate(UNITS):
            day = 1 + n
            art = 3500000 + n
            href = f"/art/2026/2/{day}/art_{COLUMN}_{art}.html"
            title = f"{unit}2026年部门预算公开"
            if n % 2:
                stored = f"{n:032x}.pdf"
                f = f"/module/download/downfile.jsp?classid=0&filename={stored}"
                link = f.replace("&", "&amp;")
                target = f"/jcms_files/jcms1/web{WEBID}/site/attach/0/{stored}"
                self.get[target] = pdf(target)
                self.get[f] = Reply(b"", status=302, headers={"Location": target})
                self.expected_files.add(self.url + f)
                f = ""
            else:
                f = "/module/download/downfile.jsp?classid=0&filename=" + quote(
                    f"{unit}2026年部门预算.pdf"
                )
                link = f.replace("&", "&amp;")
            if f:
                self.get[f] = pdf(f)
                self.expected_files.add(self.url + f)
            self.get[href] = gbk(
                '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">'
                f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="2026-02-{day:02d} 10:00">'
                '<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script></head><body>'
                f'<div class="title">{title}</div><div class="info">发布日期：2026-02-{day:02d}</div>'
                f'<div id="zoom"><p><a href="{link}">{unit}2026年部门预算.pdf</a></p></div></body></html>'
            )
            self.disclosures.add(self.url + href)
            self.records.append(record(href, title, f"2026-02-{day:02d}"))
        notice = f"/art/2026/1/5/art_{COLUMN}_3499999.html"
        self.get[notice] = gbk("<html><body>通知</body></html>")
        self.noise.add(self.url + notice)
        self.records.insert(5, record(notice, "关于做好2027年部门预算编制工作的通知", "2026-01-05"))
        self.get[self.entry] = self.entry_page()

    def entry_page(self) -> Reply:
        first = "".join(self.records[: PER_PAGE * GROUP])
        return gbk(
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">'
            "<title>财政预决算 某县人民政府</title>"
            '<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.jpage.js"></script>'
            f'</head><body><div class="list" id="div{COLUMN}"><script type="text/xml"><datastore>'
            f"<recordset>{first}</recordset></datastore></script></div>"
            '<script type="text/javascript">$(document).ready(function(){'
            f"$('#div{COLUMN}').jpage({{dataStore: dataStore, proxyUrl: '/module/web/jpage/dataproxy.jsp',"
            f" perPage: '{PER_PAGE}', totalRecord: '{len(self.records)}', groupSize: '{GROUP}', themeName: 'default',"
            f" ajaxParam: {{col: 1, appid: 1, webid: {WEBID}, path: '/', columnid: {COLUMN},"
            f" sourceContentType: 1, unitid: '{UNIT_ID}', webname: '某县人民政府', permissiontype: 0}}}});}});"
            "</script>"
            "<a href='http://www.hanweb.com' style='display:none'>Produced By 大汉网络 大汉版通发布系统</a>"
            "</body></html>"
        )

    def post(self, path: str, form: dict[str, str]) -> Reply | None:
        if not path.startswith(self.proxy + "?"):
            return None
        expected = {"col": "1", "appid": "1", "webid": WEBID, "columnid": COLUMN, "unitid": UNIT_ID}
        if any(form.get(k) != v for k, v in expected.items()):
            return Reply("<datastore><totalrecord>0</totalrecord></datastore>", status=400)
        from urllib.parse import parse_qs, urlsplit

        q = {k: int(v[0]) for k, v in parse_qs(urlsplit(path).query).items()}
        chunk = "".join(self.records[q["startrecord"] - 1 : q["endrecord"]])
        pages = -(-len(self.records) // PER_PAGE)
        return gbk(
            f"<datastore><totalrecord>{len(self.records)}</totalrecord><totalpage>{pages}</totalpage>"
            f"<recordset>{chunk}</recordset></datastore>"
        )


class HanwebInitData(HanwebPost):
    """An older jcms column: the first records are the strings of a script array, the rest
    come by POST to `/module/jslib/jquery/jpage/dataproxy.jsp`."""

    proxy = "/module/jslib/jquery/jpage/dataproxy.jsp"

    def entry_page(self) -> Reply:
        first = [
            r.removeprefix("<record><![CDATA[").removesuffix("]]></record>")
            for r in self.records[: PER_PAGE * GROUP]
        ]
        array = ",".join("'" + r.replace("'", "\\'") + "'" for r in first)
        return gbk(
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head>'
            f'<body><div id="{UNIT_ID}"></div><script language="javascript">'
            f"var InitData{UNIT_ID}=[{array}];"
            f"$('#{UNIT_ID}').jpage({{themeName:'default',showMode:'full',"
            f"totalRecord:{len(self.records)},openCookies:false,dataBefore:'',"
            f"dataStore:InitData{UNIT_ID},dataAfter:'',groupSize:{GROUP},"
            f"proxyUrl:'{self.proxy}',perPage:{PER_PAGE},barPosition:'bottom',"
            f"ajaxParam:{{col:1,appid:'1',webid:{WEBID},path:'/',columnid:{COLUMN},"
            f"unitid:'{UNIT_ID}',webname:'某县人民政府',permissiontype:0}}}});</script>"
            "<a href='http://www.hanweb.com' style='display:none'>"
            "Produced By 大汉网络 大汉版通发布系统</a></body></html>"
        )


IMITATIONS = [HanwebPost, HanwebInitData]
