"""A district government's budget column on Epoint WebBuilder (新点).

Evidence (no real page copied): public crawlers of many Epoint sites and fixtures quoting
their markup: list directories of the category-number chain with pages `N.html` (from 1),
entries `ul.ewb-list > li > a.ewb-list-name + span.ewb-list-date`, a pager
`ul.ewb-page-items` whose `li.ewb-page-num > span` prints `cur/total` beside next / last
links; details `/…/<categorynum>/<YYYYMMDD>/<GUID>.html` with `div.ewb-article-info`;
attachments `…/webbuildermis/attach/downloadztbattach?attachGuid=…&appUrlFlag=…&siteGuid=…`
named by their link text. FAMILIES.md: a government portal under `/zw/009002/…/1.html`.
"""

from __future__ import annotations

import uuid

from tests.imitations.site import Imitation, Reply, page, pdf

BASE = "/zw/009002/009002010/009002010004"
SITE = "7eb5f7f1-9041-43ad-8e13-8fcb82ea831a"
UNITS = ["区教育局", "区民政局", "区司法局", "区财政局", "区卫生健康委", "区市场监管局", "区城管局"]
PER_PAGE = 3


class EpointColumn(Imitation):
    family = "epoint"
    detected = "epoint"
    entry = f"{BASE}/1.html"

    def build(self) -> None:
        entries = []
        for n, unit in enumerate(UNITS):
            guid = str(uuid.UUID(int=0xE27BACE07EF341CB989EE35D645F0000 + n))
            day = f"202603{10 + n:02d}"
            title = f"{unit}2026年部门预算"
            detail = f"{BASE}/{day}/{guid}.html"
            attach = str(uuid.UUID(int=0x2AD60000000000000000000000000000 + n))
            f = (
                "/EpointWebBuilder/pages/webbuildermis/attach/downloadztbattach"
                f"?attachGuid={attach}&appUrlFlag=ztb001&siteGuid={SITE}"
            )
            self.get[detail] = Reply(
                page(
                    f'<div class="ewb-container"><h3 class="ewb-show-title">{title}</h3>'
                    f"<div>【信息时间： 2026-03-{10 + n:02d}】</div>"
                    '<div class="ewb-article-info"><p>详见附件。</p></div>'
                    f'<div class="attach_content"><a class="attachUrl" href="{f.replace("&", "&amp;")}">'
                    f"{title}.pdf</a></div></div>",
                    title,
                )
            )
            reply = pdf(f)
            reply.headers["Content-Disposition"] = "attachment; filename=file.pdf"
            self.get[f] = reply
            self.disclosures.add(self.url + detail)
            self.expected_files.add(self.url + f)
            entries.append((detail, title, f"2026-03-{10 + n:02d}"))
        notice = f"{BASE}/20260301/{uuid.UUID(int=1)}.html"
        self.get[notice] = Reply(page("<h3>采购</h3>"))
        self.noise.add(self.url + notice)
        entries.insert(1, (notice, "区财政局2026年政府采购意向公开", "2026-03-01"))
        pages = [entries[i : i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)]
        for k, items in enumerate(pages, start=1):
            lis = "".join(
                f'<li class="ewb-list-node clearfix"><a href="{h}" class="ewb-list-name ewb-otw"'
                f' title="{t}">{t}</a><span class="ewb-list-date">{d}</span></li>'
                for h, t, d in items
            )
            nav = '<ul class="ewb-page-items clearfix">'
            nav += f'<li class="ewb-page-li"><a href="{BASE}/1.html">首页</a></li>'
            if k > 1:
                nav += f'<li class="ewb-page-li"><a href="{BASE}/{k - 1}.html">上页</a></li>'
            nav += f'<li class="ewb-page-li ewb-page-noborder ewb-page-num"><span>{k}/{len(pages)}</span></li>'
            if k < len(pages):
                nav += f'<li class="ewb-page-li"><a href="{BASE}/{k + 1}.html">下页</a></li>'
            nav += "</ul>"
            self.get[f"{BASE}/{k}.html"] = Reply(
                page(
                    f'<ul class="ewb-list">{lis}</ul><div class="ewb-page">{nav}</div>', "部门预算"
                )
            )


IMITATIONS = [EpointColumn]
