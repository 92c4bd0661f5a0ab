"""TRS WCM portals, four pager variants seen in the wild.

Evidence (no real page copied): ../shared/real/PORTALS.md (TRS lists `index_N.html`,
`createPageHTML('paging', 25, 1, 'index', 'html', 500)`, `var countPage = N//共多少页`;
details `YYYYMM/tYYYYMMDD_N.html` with `<meta name="ArticleTitle|PubDate|ColumnName">`;
attachments as `P0….pdf` links with `oldsrc`, `downloadFj('名称.pdf','./W0….pdf')`
handlers and a `var hasFJ = '<a …>…<BR/>…'` string), the three saved Chongqing TRS detail
pages in ../shared/real/html (a department page listing its units' pages; five
attachments on one page), FAMILIES.md (`common_list.shtml`, `xxgklist.shtml` columns;
`/202401/<hex>.shtml` details); TRS's own template snippets (the four-argument
`createPageHTML(count, index, "index", "htm")`, index from 0) and public crawlers of TRS
government sites (the six-argument `createPageHTML('page_div', 22, 1, 'common_list',
'shtml', 325)`, from 1; `/c<id>/content.shtml` details; `var att = '<a …>'`;
`<div id="files">` attachments; `TRS_Editor` bodies).
"""

from __future__ import annotations

from urllib.parse import quote

from tests.imitations.site import Imitation, Reply, page, pdf

UNITS = ["市教育局", "市民政局", "市司法局", "市财政局", "市交通局", "市水利局", "市农业农村局"]


def trs_detail(title: str, date: str, body: str) -> str:
    head = (
        '<meta name="SiteName" content="演示市人民政府">'
        '<meta name="ColumnName" content="部门预决算">'
        f'<meta name="ArticleTitle" content="{title}">'
        f'<meta name="PubDate" content="{date} 09:30">'
        '<script src="../../../images/jquery.min.js"></script>'
    )
    return page(
        f'<div class="detail"><h2 class="title">{title}</h2>'
        f'<div class="info"><span>发布时间：{date}</span><span>来源：{title[:4]}</span></div>'
        f'<div class="trs_editor_view">{body}</div></div>',
        title=f"{title}_演示市人民政府",
        head=head,
    )


def list_page(items: list[tuple[str, str, str]], pager: str) -> str:
    lis = "".join(
        f'<li><a href="{href}" title="{title}" target="_blank">{title[:14]}…</a>'
        f"<span>{date}</span></li>"
        for href, title, date in items
    )
    nav = '<div class="nav"><a href="/">首页</a><a href="../index.html">部门预算</a></div>'
    head = '<meta name="SiteName" content="演示市人民政府"><meta name="ColumnName" content="部门预决算">'
    return page(
        f'{nav}<ul class="list">{lis}</ul><div class="page">{pager}</div>', "部门预决算", head
    )


class TrsScriptPager(Imitation):
    """`index.html` + TRS's `createPageHTML(N, k, "index", "html")`; details
    `tYYYYMMDD_N.html`; all three
    attachment forms; a department page listing its units' pages; a list entry that is
    the PDF itself; notices about budget work that are not disclosures."""

    family = "trs"
    detected = "trs"
    entry = "/zwgk/czyjs/bmys/index.html"

    def build(self) -> None:
        base = "/zwgk/czyjs/bmys"
        entries: list[tuple[str, str, str]] = []
        for n, unit in enumerate(UNITS):
            title = f"{unit}2026年部门预算"
            date = f"2026-02-{10 + n:02d}"
            detail = f"{base}/202602/t202602{10 + n:02d}_{5000 + n}.html"
            stem = f"P0202602{10 + n:02d}{n:09d}"
            form = n % 3
            if form == 0:
                body = (
                    f'<p>附件：<a href="./{stem}.pdf" oldsrc="/protect/P0202602/{stem}.pdf">'
                    f"{title}.pdf</a></p>"
                )
                files = [f"{base}/202602/{stem}.pdf"]
            elif form == 1:
                body = (
                    f'<p>附件：<a href="javascript:void(0)" onclick="downloadFj(\'{title}.pdf\','
                    f"'./W{stem[1:]}.pdf')\">{title}.pdf</a></p>"
                )
                files = [f"{base}/202602/W{stem[1:]}.pdf"]
            else:
                body = (
                    '<div id="fj"></div><script>var hasFJ = \''
                    f'<a href="./{stem}_1.pdf">{title}说明.pdf</a><BR/>'
                    f'<a href="./{stem}_2.xls">{title}表.xls</a>\';'
                    'if (hasFJ != "") { $("#fj").html(hasFJ.split("<BR/>").join("")); }</script>'
                )
                files = [f"{base}/202602/{stem}_1.pdf", f"{base}/202602/{stem}_2.xls"]
            self.get[detail] = Reply(trs_detail(title, date, body))
            for f in files:
                self.get[f] = pdf(f)
            self.disclosures.add(self.url + detail)
            self.expected_files.update(self.url + f for f in files)
            entries.append((f"./202602/t202602{10 + n:02d}_{5000 + n}.html", title, date))
        # a department whose page lists its units' own pages
        dept = f"{base}/202602/t20260220_6000.html"
        units = [("市卫健委机关", 6001), ("市疾控中心", 6002)]
        links = "".join(
            f'<p><a href="./t20260220_{i}.html">{u}2026年单位预算</a></p>' for u, i in units
        )
        self.get[dept] = Reply(trs_detail("市卫健委及委属单位2026年部门预算", "2026-02-20", links))
        self.disclosures.add(self.url + dept)
        for u, i in units:
            path = f"{base}/202602/t20260220_{i}.html"
            f = f"{base}/202602/P020260220{i}.pdf"
            body = f'<a href="./P020260220{i}.pdf">{u}2026年单位预算.pdf</a>'
            self.get[path] = Reply(trs_detail(f"{u}2026年单位预算", "2026-02-20", body))
            self.get[f] = pdf(f)
            self.disclosures.add(self.url + path)
            self.expected_files.add(self.url + f)
        entries.append(
            ("./202602/t20260220_6000.html", "市卫健委及委属单位2026年部门预算", "2026-02-20")
        )
        # a list entry that is the document itself
        direct = f"{base}/202602/P020260221000000001.pdf"
        self.get[direct] = pdf(direct)
        self.disclosures.add(self.url + direct)
        self.expected_files.add(self.url + direct)
        entries.append(("./202602/P020260221000000001.pdf", "市档案馆2026年部门预算", "2026-02-21"))
        # not disclosures
        for i, title in enumerate(
            [
                "关于做好2027年部门预算编制工作的通知",
                "演示市2025年预算执行情况和2026年预算草案的报告",
            ]
        ):
            path = f"{base}/202602/t20260201_{900 + i}.html"
            self.noise.add(self.url + path)
            self.get[path] = Reply(trs_detail(title, "2026-02-01", "<p>正文</p>"))
            entries.append((f"./202602/t20260201_{900 + i}.html", title, "2026-02-01"))
        per_page = 4
        pages = [entries[i : i + per_page] for i in range(0, len(entries), per_page)]
        for number, items in enumerate(pages):
            name = "index.html" if number == 0 else f"index_{number}.html"
            script = f'<script>createPageHTML({len(pages)}, {number}, "index", "html");</script>'

            self.get[f"{base}/{name}"] = Reply(
                list_page(items, '<div id="page_div"></div>' + script)
            )


class TrsCountPage(Imitation):
    """`index.shtml` + `var countPage = N//共多少页` (pages `index_1.shtml`…),
    GBK-encoded; details `/YYYYMM/<32 hex>.shtml`; attachments on the government's file
    server (another host) with Chinese file names, PDF, XLS and DOC."""

    family = "trs"
    detected = "trs"
    entry = "/xxgk/czyjs/index.shtml"

    def build(self) -> None:
        base = "/xxgk/czyjs"
        entries = []
        for n, unit in enumerate(UNITS[:5]):
            doc = "决算" if n % 2 else "预算"
            title = f"{unit}2025年部门{doc}公开"
            date = f"2026-0{1 + n % 8}-15"
            digest = f"{n:02d}" + "a3f9c2e4b1d0" * 2 + "b7c6e5d4"
            detail = f"{base}/202601/{digest[:32]}.shtml"
            names = [
                f"{unit}2025年部门{doc}.pdf",
                f"{unit}2025年部门{doc}表.{['xls', 'doc'][n % 2]}",
            ]
            # the first units' files are on the government's file server (another host,
            # crawled at the polite default pace), the rest beside the pages
            host = self.files_url if n < 2 else self.url
            hrefs = [f"{host}/upload/2026/01/{n}/{name}" for name in names]
            body = "".join(
                f'<p><a href="{h}">{name}</a></p>' for h, name in zip(hrefs, names, strict=True)
            )
            self.get[detail] = Reply(
                trs_detail(title, date, body), content_type="text/html; charset=gbk", encoding="gbk"
            )
            for h in hrefs:
                path = quote(h[len(host) :])
                (self.files if host == self.files_url else self.get)[path] = pdf(path)
                self.expected_files.add(host + path)
            self.disclosures.add(self.url + detail)
            entries.append((detail, title, date))
        pages = [entries[i : i + 2] for i in range(0, len(entries), 2)]
        for number, items in enumerate(pages):
            name = "index.shtml" if number == 0 else f"index_{number}.shtml"
            script = (
                f"<script>var currentPage = {number};//所在页从0开始\n"
                f"var countPage = {len(pages)}//共多少页</script>"
            )
            self.get[f"{base}/{name}"] = Reply(
                list_page(items, script), content_type="text/html; charset=gbk", encoding="gbk"
            )


class TrsLastPageLink(Imitation):
    """A list whose pages are `list.shtml`, `list_2.shtml` … `list_4.shtml`, named only by
    its pager links (首页 上一页 下一页 尾页), numbers starting at 1."""

    family = "trs"
    detected = "trs"
    entry = "/zfxxgk/yjs/list.shtml"

    def build(self) -> None:
        base = "/zfxxgk/yjs"
        entries = []
        for n, unit in enumerate(UNITS):
            title = f"{unit}2026年部门预算"
            detail = f"{base}/202603/t202603{n + 1:02d}_{7000 + n}.shtml"
            f = f"{base}/202603/P0202603{n + 1:02d}{n:06d}.pdf"
            body = f'<a href="./{f.rsplit("/", 1)[1]}">{title}.pdf</a>'
            self.get[detail] = Reply(trs_detail(title, f"2026-03-{n + 1:02d}", body))
            self.get[f] = pdf(f)
            self.disclosures.add(self.url + detail)
            self.expected_files.add(self.url + f)
            entries.append((detail, title, f"2026-03-{n + 1:02d}"))
        pages = [entries[i : i + 2] for i in range(0, len(entries), 2)]

        def name(k: int) -> str:
            return "list.shtml" if k == 1 else f"list_{k}.shtml"

        for k, items in enumerate(pages, start=1):
            pager = f'<a href="{name(1)}">首页</a>'
            if k > 1:
                pager += f'<a href="{name(k - 1)}">上一页</a>'
            if k < len(pages):
                pager += f'<a href="{name(k + 1)}">下一页</a>'
            pager += f'<a href="{name(len(pages))}">尾页</a><span>共{len(pages)}页</span>'
            self.get[f"{base}/{name(k)}"] = Reply(list_page(items, pager))


class TrsCommonList(Imitation):
    """`common_list.shtml` + the six-argument `createPageHTML('page_div', N, k,
    'common_list', 'shtml', total)` whose pages count from 1 (`common_list_2.shtml` …);
    details `/c<channel>/c<id>/content.shtml` with a `TRS_Editor` body, attachments under
    `<div id="files">` and in a `var att = '<a …>'` string."""

    family = "trs"
    detected = "trs"
    entry = "/zwgk/c106256/common_list.shtml"

    def build(self) -> None:
        base = "/zwgk/c106256"
        entries = []
        for n, unit in enumerate(UNITS[:6]):
            ident = 7547350 + n
            title = f"{unit}2026年部门预算"
            detail = f"{base}/c{ident}/content.shtml"
            files = [f"{base}/c{ident}/{ident}/files/{quote('附件1：' + title)}.pdf"]
            body = (
                f'<div class="TRS_Editor"><p>现将{title}公开如下。</p></div>'
                f'<div id="files"><a href="{ident}/files/附件1：{title}.pdf">附件1：{title}.pdf</a></div>'
            )
            if n % 2:
                xlsx = f"P020260312{ident}.xlsx"
                files.append(f"{base}/c{ident}/{xlsx}")
                body += (
                    f"<script>var att = '<a href=\"./{xlsx}\">{title}表.xlsx</a>';"
                    "if (att != null && att.length > 0) { document.write(att); }</script>"
                )
            self.get[detail] = Reply(trs_detail(title, f"2026-03-{10 + n}", body))
            for f in files:
                self.get[f] = pdf(f)
            self.disclosures.add(self.url + detail)
            self.expected_files.update(self.url + f for f in files)
            entries.append((detail, title, f"2026-03-{10 + n}"))
        pages = [entries[i : i + 2] for i in range(0, len(entries), 2)]
        for k, items in enumerate(pages, start=1):
            name = "common_list.shtml" if k == 1 else f"common_list_{k}.shtml"
            script = (
                f"<script>createPageHTML('page_div',{len(pages)},{k},'common_list','shtml',"
                f"{len(entries)});</script>"
            )
            self.get[f"{base}/{name}"] = Reply(
                list_page(items, '<div id="page_div"></div>' + script)
            )


IMITATIONS = [TrsScriptPager, TrsCountPage, TrsLastPageLink, TrsCommonList]
