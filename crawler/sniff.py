"""What a body is, from its first bytes, whatever its name or Content-Type says."""

from __future__ import annotations

# (magic prefix, kind, extension)
_MAGIC: list[tuple[bytes, str, str]] = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "bin"),  # .doc / .xls (OLE2)
    (b"PK\x03\x04", "zip", "zip"),  # .docx / .xlsx / .zip
    (b"Rar!", "rar", "rar"),
]
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<script", b"<meta", b"<body", b"<?xml")
# PDF readers accept junk before `%PDF-` (within 1 KB); markup before it is a web page.
PDF_HEADER_WINDOW = 1024


def sniff_kind(body: bytes) -> tuple[str, str]:
    """(kind, extension) of a body: pdf, ole, zip, rar, html or other."""
    head = body[:PDF_HEADER_WINDOW]
    at = head.find(b"%PDF-")
    if at == 0 or (at > 0 and b"<" not in head[:at]):
        return "pdf", "pdf"
    for magic, kind, ext in _MAGIC:
        if head.startswith(magic):
            return kind, ext
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith(_HTML_STARTS) or (at > 0 and probe.startswith(b"<")):
        return "html", "html"
    return "other", "bin"
