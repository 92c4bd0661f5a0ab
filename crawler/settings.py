"""Scrapy settings for budget-archive.

Polite by default toward real portals: a User-Agent naming the project and a contact URL,
robots.txt obeyed, at most two requests at a time per domain with AutoThrottle. A portal's
own entry in portals.toml may loosen this (only the local demo portal does).
"""

from crawler.browser import chromium_launch_options

BOT_NAME = "budget-archive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = (
    "budget-archive/0.1 (+https://github.com/budget-archive/budget-archive;"
    " archival crawler of published government budgets)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
# Bounds of what one response may bring: a page (list, detail, JSON) at most 10 MB, also
# once decompressed (a gzip bomb is a recorded `decompression_bomb`); attachments get
# ARCHIVE_MAX_FILE_SIZE instead. A bigger page is a recorded `too_large`.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 2
# Outputs of one callback processed in parallel. Scrapy starts this many tasks for every
# response (default 100); a page here yields one item or a few dozen requests, and the
# archive writes one item at a time, so a few suffice and the crawl spends less CPU.
CONCURRENT_ITEMS = 16
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# Only the web: a page may link file://, data:, s3:// or ftp:// URLs, and nothing read from
# outside the web may reach the archive. Scrapy's remote-control endpoint stays off.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "s3": None, "ftp": None}
REMOTE_CONTROL_ENABLED = False

# --- the archive ---------------------------------------------------------------------
# The archive is plugged in by an add-on (pipelines/addon.py): it turns on the files and
# archive pipelines and gives the spiders what they need to know of the archive as data.
# Without it (ADDONS = {}) the spiders crawl and yield items, and nothing is stored.
ADDONS = {"pipelines.addon.ArchiveAddon": 0}
# ARCHIVE_DIR: the archive directory (archive.db + files/).
ARCHIVE_DIR = "archive"
# ARCHIVE_CRAWL_ID: set by `budget-archive crawl` so that all spiders of one run share one
# crawl row; under plain `scrapy crawl` each spider opens (and closes) its own.
ARCHIVE_CRAWL_ID = None
# ARCHIVE_MAX_FILE_SIZE: attachments larger than this are not downloaded (recorded as
# `too_large`).
ARCHIVE_MAX_FILE_SIZE = 200 * 1024 * 1024
# REVISIT_PAGES ({portal: {section: [url, …]}}, known disclosure pages due for a visit),
# LISTED_PAGES (the same, of known pages not due: recorded when their list shows them,
# fetched only when it no longer does) and FILE_VALIDATORS ({file url: {sha256, etag,
# last_modified, …}}, for conditional requests) are set by the archive add-on from the
# archive (not here: an add-on's settings rank below the project's).
# The revisit policy (archive/revisit.py): a page new or changed within REVISIT_HOT_DAYS
# is revisited every crawl, a quieter one every few days, never less often than every
# REVISIT_MAX_DAYS (so a revision under an old link is caught within that many days).
# REVISIT = "all" revisits every known page (`crawl --revisit all`).
REVISIT = "due"
REVISIT_HOT_DAYS = 30
REVISIT_MAX_DAYS = 7
# EXTRACTION: key totals of each new PDF, read by worker processes beside the crawl:
# "drain" (wait for the rest when downloads end), "later" (leave the rest for
# `budget-archive reextract`) or "off".
EXTRACTION = "drain"
# EXTRACT_WORKERS: worker processes (0 = one per core).
EXTRACT_WORKERS = 0
# EXTRACT_MAX_MEMORY (MB of data a worker may map) and EXTRACT_TIME_LIMIT (seconds a file
# may take): a file over either is a recorded `extract_failed` naming the setting; its
# worker is replaced and the crawl never waits on it longer. OCR of a scan needs ~0.5 GB.
EXTRACT_MAX_MEMORY = 1024
EXTRACT_TIME_LIMIT = 900
# CRAWL_DAY: the day (YYYY-MM-DD) the crawl stands for; None: today in China. The
# publication calendar judges deadlines, and the revisit policy schedules visits, as of it.
# (The demo crawls its portal as of the portal's own day.)
CRAWL_DAY = None
# Monitors (the `monitors` table, `budget-archive status`, notifications): a section is
# flagged `silent` once its list has given no disclosure for MONITOR_EMPTY_CRAWLS crawls
# in a row, `blocked` once MONITOR_BLOCK_SHARE of its requests in a crawl met a block.
MONITOR_EMPTY_CRAWLS = 2
MONITOR_BLOCK_SHARE = 0.2
# Bounds of a crawl; a bound that is hit is a recorded `limit_reached` problem naming it.
# SECTION_MAX_LIST_PAGES: list pages requested per section and crawl (a pager may claim
# 10⁹); PAGE_MAX_LINKS: entries read from one list page, attachments from one page;
# DETAIL_MAX_DEPTH: levels of pages that link units' own pages (department → unit → …).
SECTION_MAX_LIST_PAGES = 2000
# SECTION_MAX_LIST_FAILURES: once this many of a section's list pages failed, and more
# failed than were read, the rest of its list pages are not requested.
SECTION_MAX_LIST_FAILURES = 20
PAGE_MAX_LINKS = 1000
DETAIL_MAX_DEPTH = 3
# PORTALS_FILE: portal configuration; None = the bundled crawler/portals.toml.
PORTALS_FILE = None
# DEMO_PORTAL_URL: where the bundled demo portal listens (None = $DEMO_PORTAL_URL or
# http://127.0.0.1:8737).
DEMO_PORTAL_URL = None

# Downloads may be redirected (portals move files behind download scripts).
MEDIA_ALLOW_REDIRECTS = True
EXTENSIONS = {
    "crawler.quiet.QuietHandledErrors": 0,
}
DOWNLOADER_MIDDLEWARES = {
    # first: list requests of a section given up on never reach the network
    "crawler.middlewares.SectionFailuresMiddleware": 50,
    # after decompression (590), before retries (550): sees the final body.
    "crawler.middlewares.BlockDetectionMiddleware": 580,
    # Scrapy's redirects, a loop recorded instead of filtered away (same place, 600)
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.RedirectLoopMiddleware": 600,
    # then a page its declared encoding does not decode is read in one that does
    "crawler.encoding.EncodingMiddleware": 575,
}
# --- browser (only for requests with meta["playwright"]; see crawler/families/rendered.py)
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = chromium_launch_options()
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
