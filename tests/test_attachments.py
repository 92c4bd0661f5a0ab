from parsel import Selector

from crawler.attachments import find_attachments
from crawler.families.pager import with_query
from crawler.families.trs import page_urls

BASE = "https://www.example.gov.cn/zwgk/ys/202603/t20260302_1.html"


def urls(html: str) -> list[str]:
    return [a.url for a in find_attachments(Selector(text=html), BASE)]


def test_plain_link_downloadfj_and_script_variable():
    html = """
    <a href="./P020260302346748437806.pdf" oldsrc="/protect/x.pdf" title="甲.pdf">甲.pdf</a>
    <a style="cursor: pointer;" onclick="downloadFj('乙.pdf','./W020260302356020551996.pdf')">乙.pdf</a>
    <script>var hasFJ = '<a href="./P01.pdf">丙.pdf</a><BR/><a href=\\'./P02.xls\\'>丁.xls</a>'.split("<BR/>");</script>
    <a href="/module/download/downfile.jsp?classid=0&amp;filename=25.pdf&amp;showname=x.pdf">x.pdf</a>
    <a href="./t20260302_2.html">another page</a><a href="javascript:void(0)">print</a>
    """
    found = find_attachments(Selector(text=html), BASE)
    assert [a.url.rsplit("/", 1)[-1] for a in found] == [
        "P020260302346748437806.pdf",
        "W020260302356020551996.pdf",
        "downfile.jsp?classid=0&filename=25.pdf&showname=x.pdf",
        "P01.pdf",
        "P02.xls",
    ]
    assert [a.name for a in found][:2] == ["甲.pdf", "乙.pdf"]
    assert found[3].name == "丙.pdf"


def test_same_file_linked_twice_is_one_attachment():
    assert len(urls('<a href="./a.pdf">a</a><a href="a.pdf">a again</a>')) == 1


def test_real_trs_detail_pages(real_dir):
    pages = {p.name: p.read_text("utf-8") for p in (real_dir / "html").glob("*.html")}
    one = urls(pages["cq_czj_2026_detail_downloadFj.html"])
    assert len(one) == 1 and one[0].endswith("/W020260302356020551996.pdf")
    many = find_attachments(Selector(text=pages["cq_fgw_2026_detail_multi_attach.html"]), BASE)
    assert len(many) == 7 and all(a.name.endswith("预算公开.pdf") for a in many)
    assert urls(pages["cq_jtj_2026_detail_index_of_subpages.html"]) == []


def test_trs_page_count_from_createpagehtml():
    script = "<script>createPageHTML('page_div', 3, 0, 'index', 'html', 27);</script>"
    assert page_urls("http://h/ys/index.html", script) == [
        "http://h/ys/index_1.html",
        "http://h/ys/index_2.html",
    ]
    # TRS's own four-argument call, its index from 0 (TRS template snippets)
    classic = page_urls("http://h/ys/index.htm", 'createPageHTML(10, 0, "index", "htm");')
    assert classic[0] == "http://h/ys/index_1.htm" and classic[-1] == "http://h/ys/index_9.htm"
    # the six-argument call whose first page is number 1 (common_list.shtml, then _2 …)
    one_based = page_urls(
        "http://h/ys/common_list.shtml", "createPageHTML('page_div',22,1,'common_list','shtml',325)"
    )
    assert one_based[0] == "http://h/ys/common_list_2.shtml"
    assert one_based[-1] == "http://h/ys/common_list_22.shtml" and len(one_based) == 21


def test_trs_page_count_from_countpage():
    assert page_urls("http://h/ys/index_3.html", "var countPage = 3//共多少页") == [
        "http://h/ys/index_1.html",
        "http://h/ys/index_2.html",
    ]
    assert page_urls("http://h/ys/index.html", "no script") == []


def test_jpage_proxy_page_parameter():
    url = "/module/web/jpage/dataproxy.jsp?page=1&appid=1&columnid=1201"
    assert (
        with_query(url, "page", 3) == "/module/web/jpage/dataproxy.jsp?page=3&appid=1&columnid=1201"
    )
    assert with_query("/proxy.jsp?a=1", "page", 2) == "/proxy.jsp?a=1&page=2"
    assert with_query("/l.jsp?cur_page=1&x=2", "cur_page", 5) == "/l.jsp?cur_page=5&x=2"
    assert with_query("/list?p=1#top", "p", 2) == "/list?p=2#top"


def test_pages_from_pager_links_up_down_and_printed_counts():
    from parsel import Selector

    from crawler.families.pager import link_pages

    def pages(html: str, url: str) -> list[str]:
        return link_pages(Selector(text=html), url)

    # VSB: numbers count down to the last page {col}/1.htm
    down = pages(
        '<a href="czyjs/30.htm">下页</a><a href="czyjs/1.htm">尾页</a>', "http://h/z/czyjs.htm"
    )
    assert down[0] == "http://h/z/czyjs/30.htm" and down[-1] == "http://h/z/czyjs/1.htm"
    assert len(down) == 30
    # Cicro: query-only links, 末页 misprinted 未页
    cicro = pages(
        '<ul class="page"><li><a href="?cat_id=5&cur_page=4">未页</a></li>'
        '<li><a href="?cat_id=5&cur_page=2">下一页</a></li></ul>',
        "http://h/info/iList.jsp?cat_id=5",
    )
    assert cicro == [f"http://h/info/iList.jsp?cat_id=5&cur_page={n}" for n in (2, 3, 4)]
    # Epoint: only a next link, the count printed as cur/total
    epoint = pages(
        '<ul class="ewb-page-items"><li class="ewb-page-num"><span>1/4</span></li>'
        '<li><a href="/zw/009002/2.html">下页</a></li></ul>',
        "http://h/zw/009002/1.html",
    )
    assert epoint == [f"http://h/zw/009002/{n}.html" for n in (2, 3, 4)]
    # a year link is no page number
    assert pages('<a href="/ys/2024/">2024</a>', "http://h/ys/") == []


def test_epoint_pageing_query_from_its_page_count_script():
    from scrapy import Request
    from scrapy.http import HtmlResponse

    from crawler.families.epoint import EpointWalker

    url = "http://h/smwz/jyxx/022001/"
    page = HtmlResponse(
        url,
        body=b"<html><script>var totalPageNums = 3;</script></html>",
        encoding="utf-8",
        request=Request(url, meta={"list_parse": "parse_entry"}),
    )
    assert EpointWalker(None).further_pages(page) == [  # type: ignore[arg-type]
        "http://h/smwz/jyxx/022001/?pageing=2",
        "http://h/smwz/jyxx/022001/?pageing=3",
    ]
