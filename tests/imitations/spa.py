"""A disclosure list that exists only in the browser: an empty `<div id="app">` that a
script fills from a JSON endpoint, pages named `?page=N` by links the script builds.

Evidence: FAMILIES.md ("other SPA (hash route / JS app)"; unified platforms whose lists
render in the browser), PORTALS.md (Shanghai's list "only renders in a browser").
"""

from __future__ import annotations

import json

from tests.imitations.site import Imitation, Reply, page, pdf

UNITS = ["区教育局", "区民政局", "区司法局", "区财政局", "区卫生健康委"]
PER_PAGE = 3

APP = """
(function () {
  var page = Number((location.search.match(/page=(\\d+)/) || [0, 1])[1]);
  fetch('/api/yjsgk/list?page=' + page).then(function (r) { return r.json(); }).then(function (data) {
    var app = document.getElementById('app');
    var ul = document.createElement('ul');
    data.items.forEach(function (item) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = item.link; a.title = item.title; a.textContent = item.title;
      li.appendChild(a); ul.appendChild(li);
    });
    app.appendChild(ul);
    if (page < data.pages) {
      var next = document.createElement('a');
      next.href = '?page=' + (page + 1); next.textContent = '下一页';
      app.appendChild(next);
    }
  });
})();
"""


class ScriptBuiltList(Imitation):
    family = "generic"  # named generic: no list in the static page, so it is rendered
    detected = "browser-only"
    auto_walker = "rendered"
    entry = "/yjsgk/index.html"

    def build(self) -> None:
        self.get[self.entry] = Reply(
            page('<div id="app"></div><script src="/static/app.js"></script>', "预决算公开")
        )
        self.get["/static/app.js"] = Reply(APP, content_type="application/javascript")
        items = []
        for n, unit in enumerate(UNITS):
            detail = f"/yjsgk/detail/{n + 1}.html"
            f = f"/yjsgk/files/{n + 1}.pdf"
            title = f"{unit}2026年部门预算"
            self.get[detail] = Reply(page(f'<h1>{title}</h1><a href="{f}">{title}.pdf</a>', title))
            self.get[f] = pdf(f)
            self.disclosures.add(self.url + detail)
            self.expected_files.add(self.url + f)
            items.append({"title": title, "link": detail})
        pages = -(-len(items) // PER_PAGE)
        for k in range(1, pages + 1):
            chunk = items[(k - 1) * PER_PAGE : k * PER_PAGE]
            self.get[f"/api/yjsgk/list?page={k}"] = Reply(
                json.dumps({"items": chunk, "pages": pages}, ensure_ascii=False),
                content_type="application/json; charset=utf-8",
            )
        for k in range(2, pages + 1):
            self.get[f"{self.entry}?page={k}"] = self.get[self.entry]


IMITATIONS = [ScriptBuiltList]
