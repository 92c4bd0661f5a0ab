"""A portal of no known family: an aggregator of departments' budget columns.

The long tail of FAMILIES.md ("static directory/index.html, unverified", "other
server-rendered list (query-id / list-N)"): a column page whose entries are departments'
own budget columns (second-level lists), each a plain server-rendered list with
`?id=` detail pages, pages named `?pageNo=N` reached by 下一页 links, a list entry
that redirects (302) to its file, and notices about budget work beside the disclosures.
"""

from __future__ import annotations

from tests.imitations.site import Imitation, Reply, page, pdf

DEPARTMENTS = {"jyj": "区教育局", "mzj": "区民政局", "sfj": "区司法局"}


def column(items: list[tuple[str, str, str]], pager: str) -> str:
    rows = "".join(
        f'<tr><td><a href="{href}">{title}</a></td><td>{date}</td></tr>'
        for href, title, date in items
    )
    return page(f'<table class="news">{rows}</table><div class="pages">{pager}</div>', "预决算公开")


class Aggregator(Imitation):
    family = "generic"
    detected = "generic"
    entry = "/yjsgk/index.html"

    def sublists(self) -> set[str]:
        return {f"{self.url}/yjsgk/{code}/list.jsp" for code in DEPARTMENTS}

    def build(self) -> None:
        links = "".join(
            f'<li><a href="/yjsgk/{code}/list.jsp">{name}部门预决算</a></li>'
            for code, name in DEPARTMENTS.items()
        )
        self.get[self.entry] = Reply(
            page(
                '<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a></div>'
                f'<ul class="depts">{links}</ul>',
                "预决算公开",
            )
        )
        for d, (code, name) in enumerate(DEPARTMENTS.items()):
            entries = []
            for n, (year, doc) in enumerate([(2026, "预算"), (2025, "决算"), (2025, "预算")]):
                ident = 100 * (d + 1) + n
                title = f"{name}{year}年部门{doc}公开"
                detail = f"/yjsgk/info.jsp?id={ident}"
                f = f"/uploadfiles/{year}/{ident}.pdf"
                self.get[detail] = Reply(
                    page(
                        f"<h1>{title}</h1><p>发布日期：{year + (doc == '决算')}-03-01</p>"
                        f'<p><a href="{f}">{title}.pdf</a></p>',
                        title,
                    )
                )
                self.get[f] = pdf(f)
                self.disclosures.add(self.url + detail)
                self.expected_files.add(self.url + f)
                entries.append((detail, title, f"{year}-03-01"))
            # a list entry that is a redirect to its file
            direct = f"/yjsgk/down.jsp?fid={d}"
            target = f"/uploadfiles/2024/{d}.pdf"
            self.get[direct] = Reply(b"", status=302, headers={"Location": target})
            self.get[target] = pdf(target)
            self.disclosures.add(self.url + target)
            self.expected_files.add(self.url + target)
            entries.append((direct, f"{name}2024年部门决算", "2025-08-30"))
            entries.append(
                (
                    f"/yjsgk/info.jsp?id={900 + d}",
                    f"关于{name}2026年预算绩效评价工作的通知",
                    "2026-01-05",
                )
            )
            self.get[f"/yjsgk/info.jsp?id={900 + d}"] = Reply(page("<h1>通知</h1>"))
            self.noise.add(f"{self.url}/yjsgk/info.jsp?id={900 + d}")
            half = [entries[:3], entries[3:]]
            for k, items in enumerate(half, start=1):
                pager = (
                    f'<a href="list.jsp?pageNo={k + 1}">下一页</a>'
                    if k == 1
                    else '<a href="list.jsp?pageNo=1">上一页</a>'
                )
                path = f"/yjsgk/{code}/list.jsp" + ("" if k == 1 else f"?pageNo={k}")
                self.get[path] = Reply(column(items, pager))
            self.get[f"/yjsgk/{code}/list.jsp?pageNo=1"] = self.get[f"/yjsgk/{code}/list.jsp"]


IMITATIONS = [Aggregator]
