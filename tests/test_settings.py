"""Politeness defaults, and what a portal entry may loosen."""

from pathlib import Path

from scrapy.settings import Settings

from budget_archive.run import project_settings
from crawler.portals import Portal, Section, load_portals
from crawler.spiders.portals import apply_politeness


def test_polite_defaults():
    s = project_settings()
    assert "budget-archive" in s["USER_AGENT"] and "https://" in s["USER_AGENT"]
    assert s.getbool("ROBOTSTXT_OBEY")
    assert 1 <= s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert s.getbool("AUTOTHROTTLE_ENABLED")
    assert s.getfloat("DOWNLOAD_DELAY") >= 1


def test_a_real_portal_keeps_the_defaults():
    s = project_settings()
    real = Portal(
        id="sz",
        name="深圳",
        base_url="https://www.sz.gov.cn",
        sections=(Section("ys", "预算", "trs", "https://www.sz.gov.cn/ys/index.html"),),
    )
    apply_politeness(s, [real])
    assert s.getdict("DOWNLOAD_SLOTS") == {}
    assert s.getbool("AUTOTHROTTLE_ENABLED") and s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2


def test_the_demo_portal_may_go_faster():
    s: Settings = project_settings()
    demo = load_portals(demo_url="http://127.0.0.1:9999")["demo"]
    apply_politeness(s, [demo])
    assert s.getdict("DOWNLOAD_SLOTS")["127.0.0.1"] == {"concurrency": 8, "delay": 0.0}
    assert not s.getbool("AUTOTHROTTLE_ENABLED")


def test_demo_url_is_substituted():
    demo = load_portals(demo_url="http://127.0.0.1:9999/")["demo"]
    assert {s.url.split("/")[2] for s in demo.sections} == {"127.0.0.1:9999"}
    assert demo.families() == ["jpage", "rendered", "trs"]


def test_only_the_web_is_fetched(tmp_path: Path) -> None:
    """No file:, data:, s3: or ftp: handler, whichever walkers a crawl needs (the browser's
    handlers join, they do not replace the list), and no remote control."""
    from scrapy.crawler import CrawlerRunner

    s = project_settings()
    assert not s.getbool("REMOTE_CONTROL_ENABLED")
    for family in ("trs", "auto"):
        runner = CrawlerRunner(s.copy())
        crawler = runner.create_crawler("portals")
        portals = tmp_path / f"{family}.toml"
        portals.write_text(
            f'[[portal]]\nid = "x"\nbase_url = "https://x.gov.cn"\n[[portal.section]]\n'
            f'id = "s"\nfamily = "{family}"\nurl = "https://x.gov.cn/ys/index.html"\n',
            "utf-8",
        )
        crawler.settings.set("PORTALS_FILE", str(portals), priority="cmdline")
        crawler.spidercls.from_crawler(crawler)
        handlers = crawler.settings.getdict("DOWNLOAD_HANDLERS")
        assert all(handlers[scheme] is None for scheme in ("file", "data", "s3", "ftp"))
        assert ("playwright" in str(handlers.get("https"))) == (family == "auto")


def test_extraction_limits_default_to_the_settings():
    """The pool's own defaults are the crawl's: `extract` and `reextract` read the same."""
    from archive.extraction import Limits

    s = project_settings()
    assert Limits().memory == s.getint("EXTRACT_MAX_MEMORY") * 1024 * 1024
    assert Limits().seconds == s.getfloat("EXTRACT_TIME_LIMIT")
