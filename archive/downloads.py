"""Stored files served under a name a person can file away: `<unit>_<year>_<title>.pdf`.

`/-/download/<sha256>` answers the stored bytes with the right Content-Type and a
Content-Disposition (inline, RFC 6266 `filename*`) naming the file after the newest disclosure that links it (unit, year,
title, the attachment's own name when the page has several), falling back to the digest.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from datasette.database import Database
from datasette.utils.asgi import AsgiFileDownload, NotFound, Request

#: what a stored file is, by the kind sniffed from its bytes
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "ole": "application/msword",
    "zip": "application/zip",
    "rar": "application/vnd.rar",
}
EXTENSIONS = {"pdf": ".pdf", "ole": ".doc", "zip": ".zip", "rar": ".rar"}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def download_name(
    unit: str | None,
    year: int | None,
    title: str | None,
    name: str | None,
    kind: str | None,
    sha256: str,
) -> str:
    """`某局_2026_某局2026年部门预算.pdf`; the attachment's name is added when it says more
    than the title (`…_预算公开表.pdf`); the digest's start when nothing is known."""
    ext = EXTENSIONS.get(kind or "", Path(name or "").suffix.lower() or ".bin")
    stem = Path(name or "").stem
    parts = [p for p in (unit, str(year) if year else None, title) if p]
    if stem and title and stem not in title:
        parts.append(stem)
    if not parts:
        parts = [sha256[:12]]
    return _UNSAFE.sub("_", "_".join(parts)).strip(" ._")[:150] + ext


async def download(request: Request, db: Database, files_root: Path) -> AsgiFileDownload:
    sha256 = request.url_vars["sha256"]
    found = await db.execute(
        """select f.path, f.kind, f.content_type, d.unit_name, d.year, d.title, a.name
           from files f
           left join attachments a on a.current_sha256 = f.sha256
           left join disclosures d on d.id = a.disclosure_id
           where f.sha256 = ?
           order by d.last_seen desc limit 1""",
        [sha256],
    )
    row = found.first()
    path = files_root / row["path"] if row else None
    if row is None or path is None or not path.is_file():
        raise NotFound(f"no stored file {sha256}")
    content_type = (
        CONTENT_TYPES.get(row["kind"]) or row["content_type"] or "application/octet-stream"
    )
    name = download_name(
        row["unit_name"], row["year"], row["title"], row["name"], row["kind"], sha256
    )
    # inline: a PDF opens in the browser (at #page=N), and is saved under its name
    disposition = (
        f"inline; filename=\"{sha256[:12]}{Path(name).suffix}\"; filename*=UTF-8''{quote(name)}"
    )
    return AsgiFileDownload(
        path, content_type=content_type, headers={"content-disposition": disposition}
    )
