"""A Guangdong gkmlpt portal under a path prefix, entered from its catalogue page.

Evidence (no real page copied): ../shared/real/PORTALS.md (list API
`/gkmlpt/api/all/{catId}?page=N&sid={siteId}` → `{"articles": [...], "total": N}`,
details `/gkmlpt/content/{a}/{b}/post_{id}.html`, attachments `/attachment/…/{id}.pdf|xls`);
public crawler code reading the catalogue page's `SID: '…'` and the category from the
URL's fragment, addressing sites under a prefix (`/lhqkjhgyxxhj/gkmlpt/api/all/0?…`), and
reading articles' `url` / `post_url`, `title`, `create_time` (epoch seconds); public
pages linking `…/<prefix>/attachment/8/8018/8018386/10794083.xls`.
"""

from __future__ import annotations

import json

from tests.imitations.site import Imitation, Reply, page, pdf

UNITS = ["区教育局", "区民政局", "区司法局", "区财政局", "区水务局"]
PREFIX = "/nsqcz"
SID = "755031"


class GkmlptPrefixed(Imitation):
    """Catalogue page `/nsqcz/gkmlpt/index#2987` naming `SID` in a script; a JSON list API
    of two pages with `post_url` and epoch `create_time`; one article's body and
    attachment links only inside an escaped JSON string; one article whose list entry names
    an attachment its page does not link (an attachment array in the list API: the field
    names are not known from evidence, the crawler reads any document URL there); a
    procurement notice."""

    family = "gkmlpt"
    detected = "gkmlpt"
    entry = f"{PREFIX}/gkmlpt/index#2987"

    def build(self) -> None:
        self.get[f"{PREFIX}/gkmlpt/index"] = Reply(
            page(
                '<div id="app"><a href="/nsqcz/gkmlpt/policy">政策文件</a></div>'
                f"<script>window._CONFIG = {{ SID: '{SID}', SITE_NAME: '南山区财政局' }};</script>"
                '<script src="/nsqcz/gkmlpt/static/js/index.js"></script>',
                "政府信息公开目录",
            )
        )
        articles = []
        for n, unit in enumerate(UNITS):
            post = 1000 + n
            detail = f"{PREFIX}/gkmlpt/content/2/{post}/post_{post}.html"
            title = f"{unit}2026年部门预算"
            names = [f"{post}.pdf"] + ([f"{post}_1.xls"] if n == 1 else [])
            files = [f"{PREFIX}/attachment/0/{post}/{name}" for name in names]
            if n == 3:
                # the article only in a script's JSON, its links escaped
                content = "".join(
                    f'<p><a href="{f}">{unit}附件{i}</a></p>' for i, f in enumerate(files)
                )
                data = json.dumps({"title": title, "content": content}, ensure_ascii=True)
                body = f'<div id="article"></div><script>var article = {data};</script>'
            else:
                body = "".join(f'<p><a href="{f}">{title}</a></p>' for f in files)
            self.get[detail] = Reply(
                page(
                    f'<h1 class="title">{title}</h1><div class="content">{body}</div>',
                    title,
                    f'<meta name="ArticleTitle" content="{title}">',
                )
            )
            for f in files:
                self.get[f] = pdf(f)
            self.disclosures.add(self.url + detail)
            self.expected_files.update(self.url + f for f in files)
            extra = {}
            if n == 4:
                table = f"{PREFIX}/attachment/0/{post}/{post}_table.xls"
                self.get[table] = pdf(table)
                self.expected_files.add(self.url + table)
                extra = {"attachment": [{"name": f"{unit}预算表.xls", "url": table}]}
            articles.append(
                {
                    **extra,
                    "id": post,
                    "title": title,
                    "post_url": self.url + detail,
                    "create_time": 1767225600 + n * 86400,
                }
            )
        notice = f"{PREFIX}/gkmlpt/content/2/1099/post_1099.html"
        self.get[notice] = Reply(page("<h1>区财政局2026年办公设备采购公告</h1>"))
        self.noise.add(self.url + notice)
        articles.append(
            {
                "id": 1099,
                "title": "区财政局2026年办公设备采购公告",
                "post_url": self.url + notice,
                "create_time": 1767225600,
            }
        )
        per_page = 4
        for number in (1, 2):
            chunk = articles[(number - 1) * per_page : number * per_page]
            self.get[f"{PREFIX}/gkmlpt/api/all/2987?page={number}&sid={SID}"] = Reply(
                json.dumps({"articles": chunk, "total": len(articles)}, ensure_ascii=False),
                content_type="application/json; charset=utf-8",
            )


IMITATIONS = [GkmlptPrefixed]
