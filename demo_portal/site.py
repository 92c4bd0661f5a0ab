"""The demo portal's content: a fictional city, 演示市, publishing budgets three ways.

:func:`build_site` returns a :class:`Site`: every resource the portal serves (path →
:class:`Resource`), the ground truth a crawl of it should find (:class:`ExpectedDisclosure`),
the non-budget pages (``noise``) and, for the ``"revised"`` state (the portal a day
later), the three paths that changed (``changes``).

Three sections, each imitating a portal software family (see ../shared/real/PORTALS.md):

- ``trs`` (TRS WCM), ``/zwgk/czyjs/ys/index.html``: static list pages ``index_N.html``
  whose page count is only in a script; attachments as links, as ``downloadFj(...)``
  calls, or written by a script (``var hasFJ``); a department page that only links its
  units' pages; noise; one PDF shared by two pages; a 404 attachment; an HTML page
  behind a ``.pdf`` link; a slow page.
- ``jpage`` (Hanweb jcms), ``/col/col1201/index.html``, GBK: the first page's records in
  a ``<script type="text/xml">`` datastore, the rest from ``dataproxy.jsp``;
  attachments behind ``downfile.jsp?...`` (no ``.pdf`` suffix) or ``/picture/...pdf``.
- ``spa``, ``/bmys/index.html``: an empty shell that ``/static/bmys.js`` fills from a
  JSON endpoint the HTML never names.

Everything is deterministic: two builds give the same bytes, in any process. PDFs are
rendered lazily (on first use of ``Resource.body``) and cached per process, so building
a site is fast and both states share their PDFs.

Example:

    >>> site = build_site("initial")
    >>> site.resolve("/robots.txt").body.splitlines()[0]
    b'User-agent: *'
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qsl, unquote, urlsplit

from demo_portal.render import (
    SeedDoc,
    load_seeds,
    make_variant,
    render_notice_pdf,
    render_pdf,
    split_doc,
)

__all__ = [
    "CST",
    "DAYS",
    "SECTIONS",
    "STATES",
    "ExpectedAttachment",
    "ExpectedDisclosure",
    "Resource",
    "Site",
    "build_site",
]

STATES = ("initial", "revised", "empty", "down")
#: The day each state stands for (Chinese dates): the publication calendar of a crawl of
#: the demo portal is judged as of that day. "empty": the revised portal the day after,
#: its TRS section's list gone blank (a layout change); "down": the day after that, every
#: request answered 503.
DAYS = {
    "initial": date(2026, 5, 20),
    "revised": date(2026, 5, 21),
    "empty": date(2026, 5, 22),
    "down": date(2026, 5, 23),
}
SECTIONS = {
    "trs": "/zwgk/czyjs/ys/index.html",
    "jpage": "/col/col1201/index.html",
    "spa": "/bmys/index.html",
}
CST = timezone(timedelta(hours=8), "CST")
SITE_NAME = "演示市人民政府"
#: Last-Modified of the pages that never change (home page, robots.txt, scripts).
SITE_EPOCH = datetime(2024, 1, 2, 9, 0, tzinfo=CST)
#: When the "revised" state's changes were made (the portal a day later).
REVISED_AT = datetime(2026, 5, 21, 10, 30, tzinfo=CST)

HTML = "text/html; charset=utf-8"
GBK_HTML = "text/html; charset=GBK"
PDF = "application/pdf"

TRS_DIR = "/zwgk/czyjs/ys"
JPAGE_PROXY = "/module/web/jpage/dataproxy.jsp"
JPAGE_DOWNFILE = "/module/download/downfile.jsp"
JPAGE_QUERY = (
    "appid=1&webid=1&path=/&columnid=1201&unitid=5001&webname=演示市人民政府&permissiontype=0"
)
SPA_API = "/api/v2/bmys/items"
PER_PAGE = 10


# --- model ----------------------------------------------------------------------------


class _Lazy:
    """A body made on first use; ``key`` names its content without making it."""

    def __init__(self, key: str, make: Callable[[], bytes]):
        self.key = key
        self.make = make


class Resource:
    """One response of the portal: body, type, fixed Last-Modified, status, delay.

    ``body`` may be given as bytes or as a zero-argument callable (rendered on first
    use). ``etag`` is the quoted SHA-256 of the body. ``fingerprint`` identifies the body
    without rendering it (two resources with equal fingerprints have equal bodies).
    """

    __slots__ = (
        "_body",
        "_etag",
        "_lazy",
        "content_type",
        "delay",
        "headers",
        "last_modified",
        "status",
    )

    def __init__(
        self,
        body: bytes | Callable[[], bytes] | _Lazy,
        content_type: str = HTML,
        last_modified: datetime = SITE_EPOCH,
        status: int = 200,
        delay: float = 0.0,
        headers: tuple[tuple[str, str], ...] = (),
    ):
        self._body: bytes | None = None
        self._lazy: _Lazy | None = None
        if isinstance(body, bytes | bytearray):
            self._body = bytes(body)
        elif isinstance(body, _Lazy):
            self._lazy = body
        else:
            self._lazy = _Lazy(f"callable:{id(body)}", body)
        self._etag: str | None = None
        self.content_type = content_type
        self.last_modified = last_modified
        self.status = status
        self.delay = delay
        self.headers = headers

    @property
    def body(self) -> bytes:
        if self._body is None:
            assert self._lazy is not None
            self._body = self._lazy.make()
        return self._body

    @property
    def etag(self) -> str:
        if self._etag is None:
            self._etag = '"' + hashlib.sha256(self.body).hexdigest() + '"'
        return self._etag

    @property
    def fingerprint(self) -> str:
        if self._lazy is not None:
            return "lazy:" + self._lazy.key
        return "sha256:" + hashlib.sha256(self.body).hexdigest()

    def __repr__(self) -> str:
        return (
            f"Resource({self.content_type!r}, status={self.status}, "
            f"last_modified={self.last_modified.isoformat()}, delay={self.delay})"
        )


@dataclass(frozen=True)
class ExpectedAttachment:
    """An attachment link of a disclosure page and what fetching it gives.

    ``path`` is the link resolved against the page, as written (not percent-encoded);
    ``outcome`` is "ok" (a PDF), "http_404" or "not_pdf" (200 with an HTML body).
    """

    path: str
    name: str
    outcome: str


@dataclass(frozen=True)
class ExpectedDisclosure:
    """A budget (预算) or final-account (决算) disclosure page the crawler should find.

    ``parent_path`` is set for unit pages reached only from a department page.
    ``labels`` are the key totals of its document (empty for a page without one);
    ``published`` is the page's date (YYYY-MM-DD); ``scope`` "department" or "unit".
    """

    section: str
    path: str
    title: str
    unit_name: str
    year: int
    doc_type: str
    parent_path: str | None
    attachments: list[ExpectedAttachment] = field(hash=False)
    scope: str = "department"
    published: str = ""
    labels: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Site:
    """The portal in one state. ``resources`` holds every static path, and the canonical
    ``?page=N`` forms of the dynamic endpoints; :meth:`resolve` answers any request."""

    state: str
    resources: dict[str, Resource]
    expected: list[ExpectedDisclosure]
    noise: list[str]
    changes: dict[str, str]
    _jpage_records: list[str] = field(default_factory=list, repr=False)
    _jpage_updated: datetime = SITE_EPOCH
    _downloads: dict[str, str] = field(default_factory=dict, repr=False)
    #: every request answered 503 (the "down" state)
    down: bool = False

    def resolve(self, target: str, method: str = "GET") -> Resource | None:
        """The resource for a request target (path and query, or a full URL), or None.

        Static paths ignore their query string (``/bmys/index.html?page=2``); the jpage
        data proxy answers ``page=N`` and ``startrecord/endrecord/perpage`` (GET or POST);
        ``downfile.jsp`` is looked up by its ``filename`` parameter.
        """
        parts = urlsplit(target)
        path = unquote(parts.path or "/")
        params = dict(parse_qsl(parts.query, keep_blank_values=True, errors="replace"))
        if path == JPAGE_PROXY:
            return self._jpage_proxy(params)
        if path == JPAGE_DOWNFILE:
            key = self._downloads.get(params.get("filename", ""))
            return self.resources.get(key) if key else None
        if path == SPA_API:
            page = _int(params.get("page"), 1)
            found = self.resources.get(f"{SPA_API}?page={page}")
            if found is None:  # past the last page: no items
                first = json.loads(self.resources[f"{SPA_API}?page=1"].body)
                first.update(page=page, items=[])
                found = _json_resource(first, self.resources[f"{SPA_API}?page=1"].last_modified)
            return found
        if path.endswith("/"):
            path += "index.html"
        return self.resources.get(path)

    def canonical(self, target: str) -> str | None:
        """The key in ``resources`` (and in ``expected``) that a fetched URL stands for.

        A full URL or a request target, percent-encoded in any charset, e.g. a
        ``downfile.jsp?...&showname=%D1%DD...`` link → the link as the page writes it.
        None when the URL names no resource (or a data-proxy request by record range).
        """
        parts = urlsplit(target)
        path = unquote(parts.path or "/")
        params = dict(parse_qsl(parts.query, keep_blank_values=True, errors="replace"))
        key: str | None
        if path == JPAGE_DOWNFILE:
            key = self._downloads.get(params.get("filename", ""))
        elif path == JPAGE_PROXY:
            key = f"{JPAGE_PROXY}?page={params.get('page')}&{JPAGE_QUERY}"
        elif path == SPA_API:
            key = f"{SPA_API}?page={params.get('page', '1')}"
        else:
            key = path + "index.html" if path.endswith("/") else path
        return key if key in self.resources else None

    def _jpage_proxy(self, params: dict[str, str]) -> Resource:
        records = self._jpage_records
        per_page = max(_int(params.get("perpage"), PER_PAGE), 1)
        if "startrecord" in params:
            start = max(_int(params.get("startrecord"), 1), 1)
            end = max(_int(params.get("endrecord"), start + per_page - 1), start - 1)
        else:
            page = max(_int(params.get("page"), 1), 1)
            start, end = (page - 1) * per_page + 1, page * per_page
        chosen = records[start - 1 : end]
        body = _jpage_xml(chosen, len(records), per_page)
        return Resource(body, "text/xml; charset=UTF-8", self._jpage_updated)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


# --- the publishing plan ---------------------------------------------------------------


@dataclass
class _Doc:
    """A document to publish: its text (rendered lazily), labels, attachment name."""

    doc: SeedDoc
    name: str
    corrected: SeedDoc | None = None


@dataclass
class _Item:
    section: str
    title: str
    unit: str
    published: datetime
    scope: str = "department"
    year: int = 0
    doc_type: str = "budget"
    budget: bool = True  # a disclosure the crawler should keep (else noise)
    docs: list[_Doc] = field(default_factory=list)
    form: str = "1"  # trs: 1/2/3; jpage: downfile/picture
    special: str = ""
    path: str = ""
    attachments: list[tuple[str, str, str]] = field(default_factory=list)  # path, name, outcome
    children: list[_Item] = field(default_factory=list)
    parent: _Item | None = None
    body_text: str = ""
    extra_links: list[tuple[str, str]] = field(default_factory=list)


def _t(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=CST)


# unit, scope, year, doc_type, published, form, special
_TRS_PLAN: list[tuple[str, str, int, str, str, str, str]] = [
    ("演示市商务局", "department", 2026, "budget", "2026-03-12 14:00", "1", ""),
    ("演示市市场监督管理局", "department", 2026, "budget", "2026-03-06 09:40", "1", ""),
    ("演示市财政局", "department", 2026, "budget", "2026-03-05 10:00", "1", "revised_file"),
    ("演示市教育局", "department", 2026, "budget", "2026-03-04 09:30", "2", ""),
    ("演示市卫生健康委员会", "department", 2026, "budget", "2026-03-03 15:20", "3", "split"),
    ("演示市交通运输局", "department", 2026, "budget", "2026-03-02 10:30", "", "parent"),
    ("演示市医疗保障事务中心", "unit", 2026, "budget", "2026-03-02 09:30", "1", ""),
    ("演示市疾病预防控制中心", "unit", 2026, "budget", "2026-02-27 16:00", "2", ""),
    ("演示市医疗保障局", "department", 2026, "budget", "2026-02-27 10:00", "1", "split"),
    ("演示市人力资源和社会保障局", "department", 2026, "budget", "2026-02-25 15:00", "3", ""),
    ("演示市图书馆", "unit", 2026, "budget", "2026-02-24 10:00", "1", ""),
    ("演示市财政局", "", 2025, "procurement", "2025-09-12 11:00", "1", "noise"),
    ("演示市教育局", "department", 2024, "final_account", "2025-08-28 09:00", "3", "split"),
    ("演示市财政局", "department", 2024, "final_account", "2025-08-26 10:20", "1", ""),
    ("演示市教育局", "", 2025, "job_ad", "2025-04-18 08:30", "2", "noise"),
    ("演示市卫生健康委员会", "department", 2025, "budget", "2025-03-02 09:00", "1", "shared_owner"),
    ("演示市疾病预防控制中心", "unit", 2025, "budget", "2025-03-02 08:50", "1", "shared"),
    ("演示市教育局", "department", 2025, "budget", "2025-02-28 09:30", "3", "split"),
    # published its 2025 budget and never its 2026 one: the calendar's missing unit
    ("演示市民政局", "department", 2025, "budget", "2025-02-26 09:10", "2", ""),
    ("演示市住房和城乡建设局", "department", 2022, "final_account", "2023-08-30 09:00", "1", ""),
    ("演示市自然资源和规划局", "department", 2023, "budget", "2023-03-15 09:00", "2", ""),
    ("演示市生态环境局", "department", 2023, "budget", "2023-03-12 10:00", "3", "split"),
    ("演示市统计局", "department", 2023, "budget", "2023-03-08 09:00", "1", "http_404"),
    ("演示市审计局", "department", 2023, "budget", "2023-03-05 16:30", "1", "not_pdf"),
    ("演示市农业农村局", "department", 2022, "budget", "2022-03-10 09:00", "2", "slow"),
    ("演示市水利局", "department", 2022, "budget", "2022-03-06 11:00", "1", ""),
    ("演示市民政局", "department", 2019, "final_account", "2020-08-20 09:00", "1", "noise"),
]
_TRS_CHILDREN = [
    ("演示市公路事务中心", "1"),
    ("演示市道路运输事务中心", "2"),
    ("演示市港航事务中心", "1"),
]
_TRS_NEW = ("演示市体育局", "department", 2026, "budget", "2026-05-21 10:30", "1", "new")

_JPAGE_PLAN: list[tuple[str, str, int, str, str, str, str]] = [
    ("演示市博物馆", "unit", 2026, "budget", "2026-03-20 10:00", "downfile", ""),
    ("演示市社会福利院", "unit", 2026, "budget", "2026-03-18 10:00", "picture", ""),
    ("演示市城市管理局", "department", 2026, "budget", "2026-03-16 10:00", "downfile", "withdrawn"),
    ("演示市不动产登记中心", "unit", 2026, "budget", "2026-03-14 10:00", "picture", ""),
    ("演示市住房公积金管理中心", "unit", 2026, "budget", "2026-03-11 10:00", "downfile", "split"),
    ("演示市应急管理局", "department", 2026, "budget", "2026-03-10 10:00", "downfile", ""),
    ("演示市司法局", "department", 2026, "budget", "2026-03-09 10:00", "picture", ""),
    ("演示市财政国库支付中心", "unit", 2026, "budget", "2026-03-07 10:00", "picture", ""),
    ("演示市机关事务服务中心", "unit", 2026, "budget", "2026-03-04 10:00", "downfile", ""),
    ("演示市财政局", "", 2026, "procurement_intent", "2026-02-20 09:00", "", "noise"),
    ("演示市科学技术局", "department", 2026, "budget", "2026-02-18 10:00", "downfile", "split"),
    ("演示市教育考试院", "unit", 2026, "budget", "2026-02-16 15:00", "picture", ""),
    (
        "演示市发展和改革委员会",
        "department",
        2024,
        "final_account",
        "2025-09-05 10:00",
        "downfile",
        "",
    ),
    (
        "演示市退役军人事务局",
        "department",
        2024,
        "final_account",
        "2025-08-29 09:30",
        "picture",
        "",
    ),
    ("演示市统计局", "", 2024, "statistics", "2025-04-10 09:00", "picture", "noise"),
    ("演示市财政局", "", 2025, "procurement_result", "2025-03-13 16:00", "downfile", "noise"),
    ("演示市人民政府办公室", "", 2025, "circular", "2025-01-20 17:00", "", "noise"),
    ("演示市教育局", "", 2024, "teacher_ad", "2024-05-10 09:00", "picture", "noise"),
    ("演示市林业局", "department", 2022, "final_account", "2023-08-27 10:00", "downfile", ""),
    ("演示市第一中学", "unit", 2023, "budget", "2023-03-22 10:00", "picture", ""),
    ("演示市农业技术推广中心", "unit", 2023, "budget", "2023-03-19 10:00", "downfile", ""),
    ("演示市水文水资源勘测中心", "unit", 2023, "budget", "2023-03-15 10:00", "picture", ""),
    ("演示市体育局", "department", 2023, "budget", "2023-03-12 10:00", "downfile", ""),
    ("演示市档案馆", "department", 2019, "budget", "2019-03-01 10:00", "picture", "noise"),
]

_SPA_PLAN: list[tuple[str, str, int, str, str]] = [
    ("演示市公安局", "department", 2026, "budget", "2026-04-03 10:00"),
    ("演示市粮食和物资储备局", "department", 2026, "budget", "2026-04-03 09:00"),
    ("演示市工业和信息化局", "department", 2026, "budget", "2026-04-02 10:00"),
    ("演示市外事办公室", "department", 2026, "budget", "2026-04-02 09:30"),
    ("演示市民族宗教事务局", "department", 2026, "budget", "2026-04-02 09:00"),
    ("演示市乡村振兴局", "department", 2026, "budget", "2026-04-02 08:30"),
    ("演示市信访局", "department", 2026, "budget", "2026-04-01 10:00"),
    ("演示市人民防空办公室", "department", 2026, "budget", "2026-04-01 09:00"),
    ("演示市档案馆", "unit", 2026, "budget", "2026-03-31 10:00"),
    ("演示市公安局", "department", 2025, "budget", "2025-04-01 10:00"),
    ("演示市工业和信息化局", "department", 2025, "budget", "2025-04-01 09:00"),
    ("演示市档案馆", "unit", 2025, "budget", "2025-03-31 10:00"),
]

_FACTORS = (1.0, 1.37, 0.82, 2.15, 0.64, 1.58, 3.2, 0.91, 1.12, 2.6, 0.73, 1.85, 4.1, 0.55, 1.26)

_NOTICES = {
    "procurement": (
        "{unit}{year}年办公设备采购项目公开招标公告",
        "项目概况：{unit}{year}年办公设备采购项目的潜在投标人应在演示市公共资源交易平台获取招标文件，"
        "并于投标截止时间前递交投标文件。\n一、项目基本情况：采购计算机、打印机等办公设备一批，"
        "预算金额 86.50 万元，最高限价 86.50 万元。\n二、申请人的资格要求：满足《中华人民共和国政府采购法》"
        "第二十二条规定。\n三、获取招标文件：时间为公告发布之日起五个工作日。\n四、联系方式：{unit}办公室。",
    ),
    "job_ad": (
        "{unit}{year}年公开招聘事业单位工作人员公告",
        "根据《事业单位人事管理条例》等规定，{unit}所属事业单位{year}年公开招聘工作人员 12 名。\n"
        "一、招聘范围和条件：具有中华人民共和国国籍，遵守宪法和法律，具有招聘岗位所需的学历和专业。\n"
        "二、报名方式：网上报名，报名时间另行通知。\n三、考试和考察：笔试、面试、体检和考察依次进行。",
    ),
    "procurement_intent": (
        "演示市{year}年第一季度政府采购意向公开",
        "为便于供应商及时了解政府采购信息，现将演示市市本级{year}年第一季度政府采购意向公开如下。\n"
        "本次公开的采购意向是各预算单位政府采购工作的初步安排，具体采购项目情况以相关采购公告为准。",
    ),
    "statistics": (
        "演示市{year}年国民经济和社会发展统计公报",
        "{year}年，全市经济运行总体平稳。全年地区生产总值比上年增长 5.2%。\n"
        "全年一般公共预算收入比上年增长 3.1%，一般公共预算支出比上年增长 4.0%。",
    ),
    "procurement_result": (
        "{unit}关于{year}年政府采购项目中标结果的公告",
        "{unit}{year}年信息化运维服务采购项目已完成评审，现将中标结果公告如下。\n"
        "中标供应商：演示市某信息技术有限公司。中标金额：48.20 万元。公告期限为一个工作日。",
    ),
    "circular": (
        "{unit}关于做好{year}年春节期间有关工作的通知",
        "各区人民政府，市政府各部门：\n春节将至，为确保全市人民度过一个欢乐祥和的节日，现就有关工作通知如下：\n"
        "一、做好安全生产工作。二、做好值班值守工作。三、做好市场保供工作。",
    ),
    "teacher_ad": (
        "演示市{year}年公开招聘中小学教师公告",
        "为补充全市中小学教师队伍，经研究，决定{year}年公开招聘中小学教师 80 名。\n"
        "报名条件、招聘岗位及有关事项详见附件。",
    ),
}

_DOC_WORD = {"budget": "预算", "final_account": "决算"}
_SCOPE_WORD = {"department": "部门", "unit": "单位"}


def _title(unit: str, scope: str, year: int, doc_type: str) -> str:
    return f"{unit}{year}年{_SCOPE_WORD[scope]}{_DOC_WORD[doc_type]}"


def _digits(seed: str, n: int) -> str:
    return str(int(hashlib.sha256(seed.encode()).hexdigest(), 16) % 10**n).zfill(n)


class _Planner:
    """Assigns seeds and factors to budget documents, in a fixed order."""

    def __init__(self) -> None:
        self.seeds = load_seeds()
        self.count = 0

    def document(
        self, unit: str, scope: str, year: int, doc_type: str, n: int | None = None
    ) -> SeedDoc:
        if n is None:
            n = self.count
            self.count += 1
        seed = self.seeds[n % len(self.seeds)]
        factor = _FACTORS[n % len(_FACTORS)]
        return make_variant(
            seed, unit_name=unit, year=year, factor=factor, doc_type=doc_type, scope=scope
        )


def _budget_docs(planner: _Planner, item: _Item, split: bool, n: int | None = None) -> list[_Doc]:
    doc = planner.document(item.unit, item.scope, item.year, item.doc_type, n)
    if not split:
        return [_Doc(doc, f"{item.title}.pdf")]
    prose, tables = split_doc(doc)
    return [_Doc(prose, f"{item.title}情况说明.pdf"), _Doc(tables, f"{item.title}报表.pdf")]


_OPERATING = re.compile(r"(机关运行经费[^。\d]{0,20}?)(\d+(?:\.\d+)?)(\s*万元)")


def _corrected(doc: SeedDoc) -> SeedDoc:
    """The same document corrected, marked （更正版）: one key figure changed (机关运行经费,
    stated in the prose, 1.50 万元 more wherever it is stated), so that the revision's
    `changes` show it; without one, another figure of the prose."""
    lines = doc.text.split("\n")
    first = next(i for i, ln in enumerate(lines) if ln.strip())
    lines.insert(first + 1, "（更正版）")
    text = "\n".join(lines)
    if _OPERATING.search(text):
        return SeedDoc(
            name=doc.name + "#corrected",
            text=_OPERATING.sub(
                lambda m: f"{m.group(1)}{float(m.group(2)) + 1.5:.2f}{m.group(3)}", text
            ),
            labels=doc.labels,
        )
    m = re.search(r"(增加|减少)\s*(\d+(?:\.\d+)?)(\s*万元)", text)
    if m:  # the same figure, wherever the prose repeats it
        fixed = f"{float(m.group(2)) + 1.5:.2f}"
        before = m.group(0)[: m.start(2) - m.start(0)]
        text = text.replace(m.group(0), before + fixed + m.group(3))
    return SeedDoc(name=doc.name + "#corrected", text=text, labels=doc.labels)


def _plan(state: str) -> dict[str, list[_Item]]:
    planner = _Planner()
    trs: list[_Item] = []
    rows = list(_TRS_PLAN)
    if state == "revised":
        rows.insert(0, _TRS_NEW)
    for unit, scope, year, doc_type, published, form, special in rows:
        item = _Item("trs", "", unit, _t(published), scope or "department", year, doc_type)
        item.form, item.special = form, special
        if doc_type in _NOTICES:
            item.budget = False
            title, body = _NOTICES[doc_type]
            item.title = title.format(unit=unit, year=year)
            item.body_text = body.format(unit=unit, year=year)
            item.docs = [_Doc(SeedDoc(item.title, item.body_text, {}), f"{item.title}.pdf")]
        else:
            item.title = _title(unit, item.scope, year, doc_type)
            if special == "noise":
                item.budget = False
            if special == "parent":
                item.title = f"{unit}及所属单位{year}年部门预算"
                for child_unit, child_form in _TRS_CHILDREN:
                    child = _Item(
                        "trs",
                        _title(child_unit, "unit", year, doc_type),
                        child_unit,
                        item.published,
                        "unit",
                        year,
                        doc_type,
                    )
                    child.form, child.parent = child_form, item
                    child.docs = _budget_docs(planner, child, split=False)
                    item.children.append(child)
            elif special == "new":
                # its own seed and factor, so that every other document stays the same
                item.docs = _budget_docs(planner, item, split=False, n=len(_FACTORS) - 2)
            else:
                item.docs = _budget_docs(planner, item, split=special == "split")
            if special == "revised_file" and state == "revised":
                item.docs[0].corrected = _corrected(item.docs[0].doc)
        trs.append(item)

    jpage: list[_Item] = []
    for k, (unit, scope, year, doc_type, published, form, special) in enumerate(_JPAGE_PLAN):
        if special == "withdrawn" and state == "revised":
            planner.count += 1  # keep every other document's seed and factor
            continue
        item = _Item("jpage", "", unit, _t(published), scope or "department", year, doc_type)
        item.form, item.special, item.path = form, special, _jpage_path(k)
        if doc_type in _NOTICES:
            item.budget = False
            title, body = _NOTICES[doc_type]
            item.title = title.format(unit=unit, year=year)
            item.body_text = body.format(unit=unit, year=year)
            if form:
                doc = SeedDoc(item.title, item.body_text, {})
                item.docs = [_Doc(doc, f"{item.title}.pdf")]
        else:
            item.title = _title(unit, item.scope, year, doc_type)
            item.budget = special != "noise"
            item.docs = _budget_docs(planner, item, split=special == "split")
        jpage.append(item)

    spa: list[_Item] = []
    for unit, scope, year, doc_type, published in _SPA_PLAN:
        item = _Item("spa", "", unit, _t(published), scope, year, doc_type)
        item.title = _title(unit, scope, year, doc_type)
        item.docs = _budget_docs(planner, item, split=False)
        spa.append(item)
    return {"trs": trs, "jpage": jpage, "spa": spa}


# --- rendering of pages ---------------------------------------------------------------


def _pdf_resource(
    doc: _Doc, published: datetime, headers: tuple[tuple[str, str], ...] = ()
) -> Resource:
    """The document's PDF, rendered on first use (a corrected version is newer)."""
    source = doc.corrected or doc.doc
    modified = REVISED_AT if doc.corrected is not None else published
    if source.labels:
        lazy = _Lazy(_doc_key(source), lambda: render_pdf(source))
    else:  # a notice: its name is the title, its text the body
        lazy = _Lazy(_doc_key(source), lambda: render_notice_pdf(source.name, source.text))
    return Resource(lazy, PDF, modified, headers=headers)


def _doc_key(doc: SeedDoc) -> str:
    kind = "pdf" if doc.labels else "notice"
    return kind + ":" + hashlib.sha256((doc.name + "\0" + doc.text).encode()).hexdigest()


def _e(text: str) -> str:
    return html.escape(text, quote=True)


_STYLE = (
    "body{font-family:SimSun,serif;margin:0;background:#f4f4f4}"
    ".header{background:#b5121b;color:#fff;padding:12px 24px;font-size:22px}"
    ".header a{color:#fff;text-decoration:none}.main{background:#fff;width:980px;margin:12px auto;"
    "padding:16px 24px}.crumb{font-size:13px;color:#666}ul.list li{line-height:32px}"
    "ul.list li span,#list li span{float:right;color:#888}.footer{text-align:center;color:#888;"
    "font-size:12px;padding:16px}"
)


def _page(title: str, body: str, *, head: str = "", charset: str = "utf-8") -> str:
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        if charset != "utf-8"
        else '<meta charset="utf-8">'
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="zh-CN">\n<head>\n{meta}\n<title>{_e(title)}</title>\n{head}'
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<div class="header"><a href="/">{SITE_NAME}</a></div>\n'
        f'<div class="main">\n{body}\n</div>\n'
        f'<div class="footer">主办：{SITE_NAME}办公室（演示站点，内容由程序生成）</div>\n'
        "</body>\n</html>\n"
    )


def _home() -> bytes:
    body = (
        "<h1>政务公开</h1>\n<ul>\n"
        f'<li><a href="{SECTIONS["trs"]}">财政预决算 · 部门预算</a></li>\n'
        f'<li><a href="{SECTIONS["jpage"]}">预决算公开</a></li>\n'
        f'<li><a href="{SECTIONS["spa"]}">部门预算公开平台</a></li>\n</ul>'
    )
    return _page(SITE_NAME, body).encode()


def _not_found_body() -> bytes:
    body = '<h1>404</h1><p>您访问的页面不存在或已被删除。</p><p><a href="/">返回首页</a></p>'
    return _page("页面不存在", body).encode()


NOT_FOUND = _not_found_body()
UNAVAILABLE = _page("服务暂不可用", "<h1>503</h1><p>系统维护中，请稍后访问。</p>").encode()

_NOT_PDF_BODY = _page(
    "文件不存在",
    "<h1>系统提示</h1><p>对不起，您要下载的文件不存在或已被删除。</p>"
    '<p><a href="/">返回首页</a></p>',
).encode()

_ROBOTS = b"User-agent: *\nDisallow: /private/\n"

_TRS_PAGE_JS = """// createPageHTML: the TRS WCM pager (links are made in the browser only)
function createPageHTML(divId, countPage, currentPage, prefix, ext, countRecord) {
  var div = document.getElementById(divId);
  if (!div || countPage <= 1) { return; }
  var html = '<span>共' + countRecord + '条</span> ';
  for (var i = 0; i < countPage; i++) {
    var href = i === 0 ? prefix + '.' + ext : prefix + '_' + i + '.' + ext;
    html += i === currentPage ? '<span class="current">' + (i + 1) + '</span> '
                              : '<a href="' + href + '">' + (i + 1) + '</a> ';
  }
  div.innerHTML = html;
}
function downloadFj(fileName, filePath) {
  var a = document.createElement('a');
  a.href = filePath;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  document.body.removeChild(a);
}
"""

_BMYS_JS = """// 部门预算公开平台: fills #list and #pager from the data service
(function () {
  var service = ['', 'api', 'v2', 'bmys', 'items'].join('/');
  var match = /[?&]page=(\\d+)/.exec(window.location.search);
  var page = match ? parseInt(match[1], 10) : 1;
  fetch(service + '?page=' + page, { headers: { 'Accept': 'application/json' } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var list = document.getElementById('list');
      data.items.forEach(function (item) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = item.url;
        a.textContent = item.title;
        var span = document.createElement('span');
        span.textContent = item.date;
        li.appendChild(a);
        li.appendChild(span);
        list.appendChild(li);
      });
      var pager = document.getElementById('pager');
      for (var k = 1; k <= data.pages; k++) {
        var link = document.createElement('a');
        link.className = 'page';
        link.href = 'index.html?page=' + k;
        link.textContent = String(k);
        pager.appendChild(link);
      }
    });
})();
"""


def _intro(item: _Item) -> str:
    if not item.budget:
        return "".join(f"<p>{_e(line)}</p>" for line in item.body_text.split("\n") if line)
    if item.children:
        return f"<p>现将{_e(item.title)}公开如下（各单位预算见下列链接）：</p>"
    return (
        f"<p>根据《中华人民共和国预算法》和《地方预决算公开操作规程》的规定，现将"
        f"{_e(item.title)}公开如下，详见附件。</p>"
    )


# TRS WCM -------------------------------------------------------------------------------


def _trs_paths(items: list[_Item]) -> None:
    for n, item in enumerate(reversed(items)):
        item.path = _trs_detail_path(item.published, 1000100 + n)
    new = next((i for i in items if i.special == "new"), None)
    if new is not None:
        new.path = _trs_detail_path(new.published, 1000300)
    for item in items:
        for k, child in enumerate(item.children):
            child.path = _trs_detail_path(child.published, 1000201 + k)


def _trs_detail_path(published: datetime, number: int) -> str:
    return f"{TRS_DIR}/{published:%Y%m}/t{published:%Y%m%d}_{number}.html"


def _trs_file(item: _Item, letter: str, k: int) -> str:
    """``P0``/``W0`` + date + 12 digits: a file name beside the detail page."""
    digits = _digits(f"{item.title}#{k}", 12)
    return f"{letter}0{item.published:%Y%m%d}{digits}.pdf"


def _trs_detail(item: _Item, attachments_html: str, script_html: str) -> bytes:
    date = f"{item.published:%Y-%m-%d}"
    head = (
        f'<meta name="SiteName" content="{SITE_NAME}">\n'
        '<meta name="ColumnName" content="部门预算">\n'
        f'<meta name="ArticleTitle" content="{_e(item.title)}">\n'
        f'<meta name="PubDate" content="{item.published:%Y-%m-%d %H:%M}">\n'
        f'<meta name="ContentSource" content="{_e(item.unit)}">\n'
        f'<meta name="Url" content="{item.path}">\n'
        '<script src="/static/trs_page.js"></script>\n'
    )
    body = (
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; 财政预决算 &gt; '
        f'<a href="{SECTIONS["trs"]}">部门预算</a></div>\n'
        f"<h1>{_e(item.title)}</h1>\n"
        f'<div class="info"><span>发布时间：{date}</span> <span>来源：{_e(item.unit)}</span></div>\n'
        f'<div class="trs_editor_view TRS_UEDITOR trs_paper_default">{_intro(item)}'
        f"{attachments_html}</div>\n{script_html}"
    )
    return _page(f"{item.title}_部门预算_{SITE_NAME}", body, head=head).encode()


def _build_trs(items: list[_Item], resources: dict[str, Resource]) -> dict[str, str]:
    """Detail pages, attachments and list pages of the TRS section; returns its changes."""
    _trs_paths(items)
    shared: tuple[str, str] | None = None  # (file name, attachment name)
    for item in items:
        if item.special == "shared":
            shared = (_trs_file(item, "P", 0), item.docs[0].name)
            owner = next(i for i in items if i.special == "shared_owner")
            # the owner links the file as ./NAME, so both pages live in the same folder
            assert owner.path.rsplit("/", 1)[0] == item.path.rsplit("/", 1)[0]
    changes: dict[str, str] = {}
    for item in items + [c for i in items for c in i.children]:
        folder = item.path.rsplit("/", 1)[0]
        links: list[tuple[str, str]] = []  # (file name, attachment name)
        for k, doc in enumerate(item.docs):
            letter = "W" if item.form == "2" else "P"
            name = _trs_file(item, letter, k)
            links.append((name, doc.name))
            path = f"{folder}/{name}"
            outcome = "ok"
            if item.special == "http_404":
                outcome = "http_404"
            elif item.special == "not_pdf":
                outcome = "not_pdf"
                resources[path] = Resource(_NOT_PDF_BODY, HTML, item.published)
            else:
                resources[path] = _pdf_resource(doc, item.published)
            item.attachments.append((path, doc.name, outcome))
            if doc.corrected is not None:
                changes["revised_file"] = path
        if item.special == "shared_owner" and shared is not None:
            links.append(shared)
            item.attachments.append((f"{folder}/{shared[0]}", shared[1], "ok"))
        if item.special == "new":
            changes["new_disclosure"] = item.path

        attachments_html, script_html = _trs_attachment_markup(item, links)
        if item.children:
            attachments_html += "".join(
                f'<p>{k + 1}.<a href="{c.path}" target="_blank">{_e(c.title)}</a></p>'
                for k, c in enumerate(item.children)
            )
        if item.special == "noise" and item.doc_type == "procurement":
            attachments_html += (
                '<p>评审材料：<a href="/private/internal.pdf">内部评审资料.pdf</a></p>'
            )
        resources[item.path] = Resource(
            _trs_detail(item, attachments_html, script_html),
            HTML,
            item.published,
            delay=2.0 if item.special == "slow" else 0.0,
        )

    pages = max(1, -(-len(items) // PER_PAGE))
    updated = max(i.published for i in items)
    for p in range(pages):
        chunk = items[p * PER_PAGE : (p + 1) * PER_PAGE]
        name = "index.html" if p == 0 else f"index_{p}.html"
        resources[f"{TRS_DIR}/{name}"] = Resource(
            _trs_list(chunk, p, pages, len(items)), HTML, updated
        )
    return changes


def _trs_attachment_markup(item: _Item, links: list[tuple[str, str]]) -> tuple[str, str]:
    if not links:
        return "", ""
    if item.form == "3":
        joined = "<BR/>".join(f'<a href="./{f}">{_e(n)}</a>' for f, n in links)
        script = (
            '<div id="fj"></div>\n<script type="text/javascript">\n'
            f"var hasFJ = '{joined}'.split(\"<BR/>\");\n"
            "var fjHtml = '<p>附件下载：</p>';\n"
            "for (var i = 0; i < hasFJ.length; i++) { fjHtml += (i + 1) + '.' + hasFJ[i] + '<br/>'; }\n"
            "document.getElementById('fj').innerHTML = fjHtml;\n</script>\n"
        )
        return "", script
    if item.form == "2":
        rows = "".join(
            f"<a style=\"cursor: pointer;\" onclick=\"downloadFj('{_e(n)}','./{f}')\">{_e(n)}</a><br/>"
            for f, n in links
        )
        return f'<div class="fj"><p>附件：</p>{rows}</div>', ""
    rows = "".join(
        f'<p><a href="./{f}" oldsrc="/protect/P0{item.published:%Y%m}/P0{item.published:%Y%m%d}/{f}" '
        f'title="{_e(n)}">{_e(n)}</a></p>'
        for f, n in links
    )
    return rows, ""


def _trs_list(chunk: list[_Item], page: int, pages: int, total: int) -> bytes:
    lis = "\n".join(
        f'<li><a href="./{i.path[len(TRS_DIR) + 1 :]}" target="_blank" title="{_e(i.title)}">'
        f"{_e(i.title)}</a><span>{i.published:%Y-%m-%d}</span></li>"
        for i in chunk
    )
    body = (
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; 财政预决算 &gt; 部门预算</div>\n'
        f'<ul class="list">\n{lis}\n</ul>\n'
        '<div id="page_div"></div>\n'
        f"<script>var countPage = {pages}//共多少页\nvar currentPage = {page};\n"
        f"createPageHTML('page_div', {pages}, {page}, 'index', 'html', {total});</script>"
    )
    head = '<script src="/static/trs_page.js"></script>\n'
    return _page(f"部门预算_{SITE_NAME}", body, head=head).encode()


# Hanweb jpage ----------------------------------------------------------------------------


def _jpage_path(k: int) -> str:
    """The article path of row ``k`` of the plan: ids follow the plan (not the state), so
    a withdrawal renumbers no other page; the oldest article has the smallest id."""
    published = _t(_JPAGE_PLAN[k][4])
    number = 3001 + len(_JPAGE_PLAN) - 1 - k
    return f"/art/{published.year}/{published.month}/{published.day}/art_1201_{number}.html"


def _jpage_record(item: _Item) -> str:
    p = item.published
    return (
        f'<li><a href="{item.path}" title="{_e(item.title)}" target="_blank">{_e(item.title)}</a>'
        f"<span>{p.year}年{p.month}月{p.day}日</span></li>"
    )


def _jpage_xml(records: list[str], total: int, per_page: int) -> bytes:
    pages = -(-total // per_page) if total else 0
    recs = "".join(f"<record><![CDATA[{r}]]></record>" for r in records)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<datastore><totalrecord>{total}</totalrecord><totalpage>{pages}</totalpage>"
        f"<recordset>{recs}</recordset></datastore>"
    ).encode()


def _gbk(text: str) -> bytes:
    return text.encode("gbk")


def _build_jpage(
    items: list[_Item], resources: dict[str, Resource], downloads: dict[str, str]
) -> tuple[list[str], datetime]:
    for item in items:
        p = item.published
        links = []
        for k, doc in enumerate(item.docs):
            stamp = f"{p:%y%m%d}" + _digits(f"{item.title}#{k}", 7)
            if item.form == "downfile":
                href = f"{JPAGE_DOWNFILE}?classid=0&filename={stamp}.pdf&showname={doc.name}"
                downloads[f"{stamp}.pdf"] = href
                disposition = f'attachment; filename="{stamp}.pdf"'
                resources[href] = _pdf_resource(
                    doc, p, headers=(("Content-Disposition", disposition),)
                )
            else:
                href = f"/picture/0/{stamp}.pdf"
                resources[href] = _pdf_resource(doc, p)
            item.attachments.append((href, doc.name, "ok"))
            links.append(f'<p><a href="{_e(href)}">{_e(doc.name)}</a></p>')
        head = (
            f'<meta name="ArticleTitle" content="{_e(item.title)}">\n'
            f'<meta name="PubDate" content="{p:%Y-%m-%d %H:%M}">\n'
            f'<meta name="ContentSource" content="{_e(item.unit)}">\n'
            '<meta name="ColumnName" content="预决算公开">\n'
        )
        body = (
            f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; '
            f'<a href="{SECTIONS["jpage"]}">预决算公开</a></div>\n'
            f'<table class="article" width="100%"><tr><td class="title"><h1>{_e(item.title)}</h1></td></tr>\n'
            f"<tr><td>发布日期：{p:%Y-%m-%d} 信息来源：{_e(item.unit)}</td></tr>\n"
            f'<tr><td id="zoom">{_intro(item)}{"".join(links)}</td></tr></table>'
        )
        page = _page(f"{item.title} {SITE_NAME}", body, head=head, charset="gbk")
        resources[item.path] = Resource(_gbk(page), GBK_HTML, p)

    records = [_jpage_record(i) for i in items]
    return records, max(i.published for i in items)


def _jpage_index(records: list[str]) -> bytes:
    first = "".join(f"<record><![CDATA[{r}]]></record>" for r in records[:PER_PAGE])
    nextgroup = f'<a href="{JPAGE_PROXY}?page=1&{JPAGE_QUERY}"></a>'
    body = (
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; 预决算公开</div>\n'
        '<div class="list_box"><div id="5001"><script type="text/xml"><datastore>'
        f"<nextgroup><![CDATA[{nextgroup}]]></nextgroup>"
        f"<recordset>{first}</recordset></datastore></script></div></div>\n"
        "<script type=\"text/javascript\">$(function(){ $('#5001').jpage({ dataStore: dataStore, "
        f"perPage: {PER_PAGE}, totalRecord: {len(records)}, proxyUrl: '{JPAGE_PROXY}' }}); }});</script>"
    )
    return _gbk(_page(f"预决算公开 {SITE_NAME}", body, charset="gbk"))


# SPA -------------------------------------------------------------------------------------


def _json_resource(data: dict, last_modified: datetime) -> Resource:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return Resource(body, "application/json; charset=utf-8", last_modified)


def _build_spa(items: list[_Item], resources: dict[str, Resource]) -> None:
    for n, item in enumerate(items):
        item.path = f"/bmys/dept/{1001 + n}.html"
        links = []
        for k, doc in enumerate(item.docs):
            h = hashlib.sha256(f"{item.title}#{k}".encode()).hexdigest()
            href = f"/cmsres/{h[:2]}/{h[2:4]}/{h[:32]}.pdf"
            resources[href] = _pdf_resource(doc, item.published)
            item.attachments.append((href, doc.name, "ok"))
            links.append(f'<p><a href="{href}">{_e(doc.name)}</a></p>')
        body = (
            '<div class="crumb"><a href="/">首页</a> &gt; <a href="/bmys/index.html">部门预算</a></div>\n'
            f"<h1>{_e(item.title)}</h1>\n"
            f'<div class="meta"><span class="date">{item.published:%Y-%m-%d}</span> '
            f"<span>{_e(item.unit)}</span></div>\n"
            f'<div class="content">{_intro(item)}{"".join(links)}</div>'
        )
        resources[item.path] = Resource(
            _page(f"{item.title}_部门预算公开", body).encode(), HTML, item.published
        )
    pages = -(-len(items) // PER_PAGE)
    updated = max(i.published for i in items)
    for p in range(1, pages + 1):
        chunk = items[(p - 1) * PER_PAGE : p * PER_PAGE]
        data = {
            "total": len(items),
            "page": p,
            "pages": pages,
            "items": [
                {"title": i.title, "url": i.path, "date": f"{i.published:%Y-%m-%d}"} for i in chunk
            ],
        }
        resources[f"{SPA_API}?page={p}"] = _json_resource(data, updated)
    shell = (
        '<div class="crumb"><a href="/">首页</a> &gt; 部门预算公开平台</div>\n'
        '<ul id="list"></ul>\n<div id="pager"></div>\n<script src="/static/bmys.js"></script>'
    )
    resources["/bmys/index.html"] = Resource(
        _page("部门预算公开平台", shell).encode(), HTML, SITE_EPOCH
    )
    resources["/static/bmys.js"] = Resource(
        _BMYS_JS.encode(), "application/javascript; charset=utf-8", SITE_EPOCH
    )


# --- the site -----------------------------------------------------------------------------


def build_site(state: str = "initial") -> Site:
    """The demo portal in ``state``: "initial"; "revised", the portal a day later; "empty",
    the revised portal whose TRS list shows no entries (its pages still there); "down",
    the revised portal answering 503 to everything.

    Example:

        >>> site = build_site("revised")
        >>> sorted(site.changes)
        ['new_disclosure', 'revised_file', 'withdrawn_disclosure']
    """
    if state not in STATES:
        raise ValueError(f"state must be one of {STATES}, not {state!r}")
    content = "initial" if state == "initial" else "revised"
    plan = _plan(content)
    resources: dict[str, Resource] = {
        "/": Resource(_home(), HTML, SITE_EPOCH),
        "/robots.txt": Resource(_ROBOTS, "text/plain; charset=utf-8", SITE_EPOCH),
        "/static/trs_page.js": Resource(
            _TRS_PAGE_JS.encode(), "application/javascript; charset=utf-8", SITE_EPOCH
        ),
        "/private/internal.pdf": Resource(
            _Lazy(
                "notice:private",
                lambda: render_notice_pdf(
                    "内部评审资料（不公开）", "本文件仅供内部评审使用，请勿对外公开。"
                ),
            ),
            PDF,
            _t("2025-09-12 11:00"),
        ),
    }
    resources["/index.html"] = resources["/"]
    downloads: dict[str, str] = {}
    changes = _build_trs(plan["trs"], resources)
    records, jpage_updated = _build_jpage(plan["jpage"], resources, downloads)
    if content == "revised":
        jpage_updated = REVISED_AT
        withdrawn = next(k for k, row in enumerate(_JPAGE_PLAN) if row[6] == "withdrawn")
        changes["withdrawn_disclosure"] = _jpage_path(withdrawn)
    resources[SECTIONS["jpage"]] = Resource(_jpage_index(records), GBK_HTML, jpage_updated)
    total_pages = -(-len(records) // PER_PAGE)
    for page in range(1, total_pages + 1):
        chunk = records[(page - 1) * PER_PAGE : page * PER_PAGE]
        resources[f"{JPAGE_PROXY}?page={page}&{JPAGE_QUERY}"] = Resource(
            _jpage_xml(chunk, len(records), PER_PAGE), "text/xml; charset=UTF-8", jpage_updated
        )
    _build_spa(plan["spa"], resources)
    if state == "empty":  # the TRS list comes back blank, one page of nothing
        for path in [p for p in resources if p.startswith(f"{TRS_DIR}/index")]:
            del resources[path]
        day = datetime.combine(DAYS["empty"], datetime.min.time(), CST)
        resources[SECTIONS["trs"]] = Resource(_trs_list([], 0, 1, 0), HTML, day)

    expected: list[ExpectedDisclosure] = []
    noise: list[str] = []
    for section, items in plan.items():
        for item in items:
            if not item.budget:
                noise.append(item.path)
                continue
            for disclosure in [item, *item.children]:
                labels = disclosure.docs[0].doc.labels if disclosure.docs else {}
                expected.append(
                    ExpectedDisclosure(
                        section=section,
                        path=disclosure.path,
                        title=disclosure.title,
                        unit_name=disclosure.unit,
                        year=disclosure.year,
                        doc_type=disclosure.doc_type,
                        parent_path=disclosure.parent.path if disclosure.parent else None,
                        attachments=[ExpectedAttachment(*a) for a in disclosure.attachments],
                        scope=disclosure.scope,
                        published=f"{disclosure.published:%Y-%m-%d}",
                        labels=dict(labels),
                    )
                )
    return Site(
        state=state,
        resources=resources,
        expected=expected,
        noise=noise,
        changes=changes if state == "revised" else {},
        down=state == "down",
        _jpage_records=records,
        _jpage_updated=jpage_updated,
        _downloads=downloads,
    )
