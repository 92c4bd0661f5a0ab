import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response

from crawler.middlewares import BlockDetectionMiddleware, block_reason
from crawler.problems import BlockedFetch, describe_failure


def html(body: str, status: int = 200) -> HtmlResponse:
    return HtmlResponse(
        "http://h/x",
        status=status,
        body=body.encode(),
        encoding="utf-8",
        headers={"Content-Type": "text/html"},
    )


@pytest.mark.parametrize("status", [412, 521])
def test_block_statuses(status):
    assert block_reason(html("<html></html>", status)) == f"HTTP {status}"


def test_javascript_challenge():
    page = "<html><script>document.cookie='__jsl_clearance=1';location.href=location.href</script></html>"
    assert block_reason(html(page)) == "JavaScript challenge"
    assert block_reason(html("<html><body>请开启JavaScript并刷新</body></html>"))


def test_ordinary_pages_and_pdfs_pass():
    assert (
        block_reason(
            html("<html><a href='x.pdf'>x</a><script>document.cookie='a=1'</script></html>")
        )
        is None
    )
    pdf = Response(
        "http://h/x.pdf", body=b"%PDF-1.4 ...", headers={"Content-Type": "application/pdf"}
    )
    assert block_reason(pdf) is None


def test_middleware_raises_a_recordable_block():
    with pytest.raises(BlockedFetch) as info:
        BlockDetectionMiddleware().process_response(Request("http://h/x"), html("", 521))
    problem = describe_failure(info.value)
    assert (problem.kind, problem.http_status) == ("blocked", 521)
