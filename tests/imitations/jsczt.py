"""Jiangsu's unified budget-disclosure platform, its 2021 form-POST JSON API, for one
region group (a city's departments).

Evidence (no real page copied): two public 2021 crawler scripts of the API and
../shared/real/FAMILIES.md: POST `/front/department/getdepartmentname.do`
(`pid=122&departmentName=&date=2021&typeid=2`) → a JSON array `[{iid, name, pid, dtype}]`;
POST `/front/budgetfinal/itemsandpag.do` (`page_num=1&groupid={iid}&typeid=2&date=…`) →
`{"budgetTemplates": [{"uuid": …}]}`; POST `/front/budgetfinal/getTemporaryFiles.do`
(`uuid='{uuid}'`, the uuid in single quotes) → `[{iid, t_oldname, t_uploaddate}]`; GET
`/front/budgetfinal/download.do?iid=`. Template titles are not evidenced: some templates
here have one, some not.
"""

from __future__ import annotations

from urllib.parse import quote

from tests.imitations.site import Imitation, Reply, json_reply, pdf

PID = "122"
YEAR = "2026"
DEPARTMENTS = ["市财政局", "市教育局", "市民政局", "市司法局", "市交通运输局"]


class JscztApi(Imitation):
    family = "jsczt"
    detected = "jsczt-platform"
    entry = f"/front/department/getdepartmentname.do?pid={PID}&typeid=2&date={YEAR}"

    def build(self) -> None:
        self.departments = [
            {"iid": 3311 + n, "name": name, "pid": int(PID), "dtype": 17}
            for n, name in enumerate(DEPARTMENTS)
        ]
        self.templates: dict[int, list[dict]] = {}
        self.files: dict[str, list[dict]] = {}
        for n, dept in enumerate(self.departments):
            uuid = f"6f0c2d1e-9a4b-4c1d-8e2f-0b7a5c3d{n:04d}"
            template = {"uuid": uuid}
            if n % 2:
                template["title"] = f"{YEAR}年部门预算"
            self.templates[dept["iid"]] = [template]
            rows = [
                {
                    "iid": 99120 + 10 * n + k,
                    "t_oldname": f"{dept['name']}{YEAR}年部门预算{k}.pdf",
                    "t_uploaddate": f"{YEAR}-02-0{n + 1}",
                }
                for k in range(1 + n % 2)
            ]
            self.files[uuid] = rows
            for row in rows:
                path = f"/front/budgetfinal/download.do?iid={row['iid']}"
                reply = pdf(path)
                reply.headers["Content-Disposition"] = (
                    f"attachment;filename={quote(row['t_oldname'])}"
                )
                self.get[path] = reply
                self.expected_files.add(self.url + path)
            self.disclosures.add(f"{self.url}/front/budgetfinal/getTemporaryFiles.do?uuid={uuid}")

    def post(self, path: str, form: dict[str, str]) -> Reply | None:
        if path.startswith("/front/department/getdepartmentname.do"):
            if form.get("pid") != PID or form.get("typeid") != "2" or form.get("date") != YEAR:
                return json_reply([])
            return json_reply(self.departments)
        if path == "/front/budgetfinal/itemsandpag.do":
            page = int(form.get("page_num", "0"))
            rows = self.templates.get(int(form.get("groupid", "0")), []) if page == 1 else []
            return json_reply({"budgetTemplates": rows})
        if path == "/front/budgetfinal/getTemporaryFiles.do":
            uuid = form.get("uuid", "").strip("'")
            return json_reply(self.files.get(uuid, []))
        return None


IMITATIONS = [JscztApi]
