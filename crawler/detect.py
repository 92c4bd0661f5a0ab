"""Recognising a portal's software family from its URL and from its page.

Each :class:`Fingerprint` names a family (the software), the walker that crawls it
(``crawler/families``; families without a walker of their own go to the generic one) and
what gives it away: URL patterns and page patterns (scripts, markup). Page evidence
outranks the URL: a site's software shows in its pages, while URL schemes are shared.

The evidence behind each fingerprint is named beside it (FAMILIES.md and PORTALS.md of
the project's real material, and public code of the portal software).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Basis = Literal["page", "url", "default"]


@dataclass(frozen=True)
class Fingerprint:
    family: str  # the software (or platform)
    walker: str  # the walker that crawls it
    url: tuple[str, ...] = ()  # regexes on the URL
    page: tuple[str, ...] = ()  # regexes on the page's HTML
    #: the URL names the system itself (a platform's host): as good as page evidence
    certain: bool = False

    def match_url(self, url: str) -> str | None:
        """What in the URL gives the family away, or None."""
        return _first(self.url, url)

    def match_page(self, html: str) -> str | None:
        """What in the page gives the family away, or None."""
        return _first(self.page, html)


def _first(patterns: tuple[str, ...], text: str) -> str | None:
    for pattern in patterns:
        m = re.search(pattern, text, re.I)
        if m:
            return " ".join(m.group(0).split())[:80]
    return None


@dataclass(frozen=True)
class Detection:
    family: str
    walker: str
    basis: Basis
    evidence: str  # what matched (a piece of the page or the URL)

    def describe(self) -> str:
        if self.basis == "default":
            return f"{self.family} (no fingerprint matched)"
        return f"{self.family} (from the {self.basis}: {self.evidence!r})"


#: In order: the first whose page pattern matches wins; then the first whose URL
#: pattern matches.
FINGERPRINTS: tuple[Fingerprint, ...] = (
    # Guangdong gkmlpt: every Guangdong government site; /gkmlpt/ paths, a JSON list API
    Fingerprint(
        "gkmlpt",
        "gkmlpt",
        url=(r"/gkmlpt/",),
        page=(r"/gkmlpt/api/", r"gkmlpt/(index|content|policy)"),
    ),
    # Hanweb jcms: /col/colN/, the <datastore> list island and its jpage data proxy
    Fingerprint(
        "hanweb",
        "jpage",
        url=(r"/col/col\d+/", r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html"),
        page=(
            r"<datastore>",
            r"jpage/dataproxy\.jsp",
            r"\.jpage\s*\(\s*\{",
            r"Produced By 大汉网络|大汉版通",
            r"/jcms_files/jcms",
            r"/module/jslib/",
        ),
    ),
    # Inner Mongolia's unified platform: a JSON API under /yjs/business/
    Fingerprint(
        "nmg-platform",
        "nmg",
        url=(r"czt\.nmg\.gov\.cn/yjs/",),
        page=(r"/yjs/business/basic/",),
        certain=True,
    ),
    # Jiangsu's unified platform (yjsgk.jsczt.cn, formerly jszwfw.gov.cn/yjsgk): form-POST
    # JSON .do endpoints
    Fingerprint(
        "jsczt-platform",
        "jsczt",
        url=(
            r"yjsgk\.jsczt\.cn",
            r"jszwfw\.gov\.cn/yjsgk/",
            r"/front/department/getdepartmentname\.do",
        ),
        page=(r"/front/budgetfinal/", r"/front/department/getdepartmentname\.do"),
        certain=True,
    ),
    # Lonsun (龙讯) EX8: /public/column/{organId}?…catId=, /site/tpl/
    Fingerprint(
        "lonsun",
        "lonsun",
        url=(
            r"/public/column/\d+",
            r"/column/\d+\?[^#]*\bcatId=",
            r"/content/column/\d+",
            r"/site/(tpl/\d+|label/8888)",
            r"/public/\d+/\d+\.html",
        ),
        page=(
            r"Ls\.pagination\s*\(",
            r"\bls-(page-container|article-info|column-list|crumbs)\b",
            r"/public/column/\d+\?[^\"']*catId=",
            r"/site/(tpl/\d+|label/8888)",
            r"\b(xxgk_nav_list|table_suoyin)\b",
        ),
    ),
    # Boda VSB: /system/resource/ scripts, /system/_content/download.jsp attachments
    Fingerprint(
        "vsb",
        "vsb",
        # its columns are `name.htm`, pages `name/N.htm` (FAMILIES.md: a heuristic)
        url=(
            r"/system/_content/download\.jsp",
            r"\bwbtreeid=\d+",
            r"/(?!index\b|default\b)[a-z][a-z0-9_]*\.htm$",
        ),
        page=(
            r"Visual SiteBuilder",
            r"/system/resource/js/",
            r"_simple_list_gotopage_fun",
            r"/system/_content/download\.jsp",
            r"\bv_news_content\b|vsbscreen",
        ),
    ),
    # SiteServer CMS: /channels/N.html columns, /sitefiles/ assets
    Fingerprint(
        "siteserver",
        "siteserver",
        url=(
            r"/channels/\d+(_\d+)?\.s?html",
            r"/channelList/\d+(_\d+)?\.html",
            r"/contents/\d+/\d+(_\d+)?\.s?html",
        ),
        page=(
            r"/sitefiles/",
            r"/api/sys/stl/actions/",
            r"SiteServer CMS|T_系统(首页|栏目|内容)模板",
            r"/channels/\d+_\d+\.s?html",
        ),
    ),
    # Cicro WCM: /info/iList.jsp?cat_id=, paged with cur_page
    Fingerprint(
        "cicro",
        "cicro",
        url=(r"/info/i(List|Index)\.jsp", r"/wcm\.files/upload/"),
        page=(
            r"/info/i(List|Index)\.jsp",
            r"/wcm\.files/upload/",
            r"信息列表\s*开始",
            r"\bcicro\b",
        ),
    ),
    # Epoint WebBuilder (新点): categorynum paths of 3-digit groups
    Fingerprint(
        "epoint",
        "epoint",
        url=(
            r"categorynum=",
            r"/WebbuilderMIS/",
            r"EpointWebBuilder|EWB-FRONT",
            r"/infodetail/\?infoid=",
            r"/(\d{3}){2,}/(\d{3}){3,}/",
        ),
        page=(
            r"WebbuilderMIS|EpointWebBuilder|downloadztbattach",
            r"\bewb-(page|list|article|container)",
            r"ShowAjaxNewPage\s*\(",
            r"categorynum",
            r"\bepoint\b",
        ),
    ),
    # TRS WCM: the pager script, its article meta tags, its attachment names
    Fingerprint(
        "trs",
        "trs",
        url=(
            r"/t20\d{6}_\d+\.s?html?$",
            r"/index_\d+\.s?html?$",
            r"/(zwgk|zfxxgk|xxgk)_\d+/",
            r"/c\d+/content\.s?html$",
            r"/(common_list|xxgklist|column-index(-\d+)?)\.shtml",
        ),
        page=(
            r"createPageHTML\s*\(",
            r"\bTRS_(Editor|UEDITOR)\b",
            r"var\s+countPage\s*=",
            r"<meta\s+name=[\"']?(ArticleTitle|ColumnName|ContentSource)",
            r"/[PW]0\d{17}\.\w+",
        ),
    ),
    # A __jsl_clearance JavaScript cookie challenge: blocked, not something to defeat
    Fingerprint(
        "jsl-challenge",
        "generic",
        url=(r"/openness(content|finance|list)?/",),
        page=(r"__jsl_clearance",),
    ),
    # Unified platforms and apps whose lists only exist after scripts ran
    Fingerprint(
        "browser-only",
        "rendered",
        url=(
            r"/bmp_pub/",
            r"\.czyjsgk\.(com|cn)",
            r"yjsgk\.linyi\.cn",
            r"czyjs\.zibo\.gov\.cn",
            r"yjs\.czj\.ningbo\.gov\.cn",
            r"dsyjs\.yun\.liuzhou\.gov\.cn",
            r"/epointzwmhwz/",
            r"/#/",
        ),
        page=(
            r"<(div|ul|ol|tbody)\s+id=[\"'](app|list|root)[\"']\s*>\s*</\1>",
            r"<div\s+id=[\"']app[\"']\s*>\s*</div>",
            r"\bv-cloak\b",
            r"\bng-app\b",
        ),
    ),
    # Smaller CMSs and regional clusters, walked by the generic walker
    Fingerprint("jeecms", "generic", url=(r"\.jhtml(\?|$)",), page=(r"jeecms",)),
    Fingerprint(
        "phpcms",
        "generic",
        url=(r"index\.php\?[^#]*\b(catid|c=category)",),
        page=(r"phpcms", r"dedecms", r"xunruicms"),
    ),
    Fingerprint("hebei-sys-block", "generic", url=(r"/__sys_block__/",)),
    Fingerprint("jsp-thtml", "generic", url=(r"/xxgk/\w+\.(jsp|thtml)", r"\.thtml(\?|$)")),
    Fingerprint("zhengzhou-public", "generic", url=(r"//public\.[\w.]+/\?a=",)),
    Fingerprint("dhtml", "generic", url=(r"\.news\.list\.dhtml",)),
    Fingerprint("hunan-county", "generic", url=(r"/\d+/\d+/(index|default)\.htm$",)),
    Fingerprint("aspnet", "generic", url=(r"\.aspx?(\?|$)",)),
    Fingerprint("gxbcyjs-directory", "generic", url=(r"/gxbcyjs/", r"gxbcyjs/index")),
)

GENERIC = Detection("generic", "generic", "default", "")


def from_url(url: str, *, certain: bool = False) -> Detection | None:
    """The family a URL's scheme gives away, or None; with `certain`, only a family the
    URL alone is sure of (a platform's own host or API)."""
    for fp in FINGERPRINTS:
        pattern = fp.match_url(url) if fp.certain or not certain else None
        if pattern:
            return Detection(fp.family, fp.walker, "url", pattern)
    return None


def detect(url: str, html: str) -> Detection:
    """The family of a page: by its markup (or a platform's own URL) first, then by its
    URL, else the generic walker."""
    for fp in FINGERPRINTS:
        pattern = fp.match_page(html)
        if pattern:
            return Detection(fp.family, fp.walker, "page", pattern)
        pattern = fp.match_url(url) if fp.certain else None
        if pattern:
            return Detection(fp.family, fp.walker, "url", pattern)
    return from_url(url) or GENERIC
