"""Inner Mongolia's unified budget-disclosure platform: one JSON API for a region's units.

Evidence (no real page copied): ../shared/real/FAMILIES.md, "Unified platforms" (from
public crawler code containing `yjs/business/basic` and a public user script for the
platform): entry `/yjs/business/page/index?cityCode=&areaCode=`, list
`/yjs/business/basic/select?id={area}zf&type=2&p=N` → `{list: [{id, title, publishTime}]}`,
files `/yjs/business/basic/result/{id}` → `{files: [{id, name, suffix}]}`, downloads
`/yjs/business/file/download/{fileId}`, pages `/yjs/business/page/content?contentId=`.
"""

from __future__ import annotations

from urllib.parse import quote

from tests.imitations.site import Imitation, Reply, json_reply, page, pdf

AREA = "150102"
UNITS = [
    "区教育局",
    "区民政局",
    "区司法局",
    "区财政局",
    "区卫生健康委员会",
    "区应急管理局",
    "区审计局",
]
PER_PAGE = 3


class NmgPlatform(Imitation):
    family = "nmg"
    detected = "nmg-platform"
    entry = f"/yjs/business/page/index?cityCode=150100&areaCode={AREA}"

    def build(self) -> None:
        self.get[self.entry] = Reply(
            page(
                '<div id="app"></div><script src="/yjs/static/js/jquery.min.js"></script>'
                "<script>var api = '/yjs/business/basic/select';</script>",
                "内蒙古自治区预决算公开平台",
            )
        )
        rows = []
        for n, unit in enumerate(UNITS):
            ident = f"8a8a{n:04d}e5f0"
            doc = "决算" if n == 5 else "预算"
            year = 2025 if doc == "决算" else 2026
            title = f"{unit}{year}年部门{doc}"
            files = [{"id": f"f{n}a", "name": f"{title}公开", "suffix": "pdf"}]
            if n % 2:
                files.append({"id": f"f{n}b", "name": f"{title}表", "suffix": "xls"})
            for f in files:
                path = f"/yjs/business/file/download/{f['id']}"
                reply = pdf(path)
                reply.headers["Content-Disposition"] = (
                    f"attachment;filename={quote(f['name'] + '.' + f['suffix'])}"
                )
                self.get[path] = reply
                self.expected_files.add(self.url + path)
            self.get[f"/yjs/business/basic/result/{ident}"] = json_reply({"files": files})
            self.disclosures.add(f"{self.url}/yjs/business/page/content?contentId={ident}")
            rows.append({"id": ident, "title": title, "publishTime": f"{year}-02-1{n} 10:00:00"})
        notice = {
            "id": "8a8a9999e5f0",
            "title": "关于做好2026年预决算公开工作的通知",
            "publishTime": "2026-01-05 09:00:00",
        }
        rows.insert(2, notice)
        self.noise.add(f"{self.url}/yjs/business/page/content?contentId={notice['id']}")
        pages = -(-len(rows) // PER_PAGE)
        for k in range(1, pages + 2):  # and one empty page after the last
            chunk = rows[(k - 1) * PER_PAGE : k * PER_PAGE]
            self.get[f"/yjs/business/basic/select?id={AREA}zf&type=2&p={k}"] = json_reply(
                {"list": chunk, "pageNum": k}
            )


IMITATIONS = [NmgPlatform]
