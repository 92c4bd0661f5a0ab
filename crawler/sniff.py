"""What a body is, from its first bytes, whatever its name or Content-Type says."""

from __future__ import annotations

import re

# (magic prefix, kind, extension)
_MAGIC: list[tuple[bytes, str, str]] = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "bin"),  # .doc / .xls (OLE2)
    (b"PK\x03\x04", "zip", "zip"),  # .docx / .xlsx / .zip
    (b"Rar!", "rar", "rar"),
]
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<script", b"<meta", b"<body", b"<?xml")
# What is read of a body to tell its kind.
PDF_HEADER_WINDOW = 1024
# PDF readers accept a few bytes of junk before `%PDF-` (a byte-order mark, blank lines, a
# stray byte from a download script); markup or words before it are a page or an error
# message that mentions a PDF, never the PDF.
PDF_JUNK_MAX = 16
_WORDS_OR_MARKUP = re.compile(rb"<|[A-Za-z]{3}")


def sniff_kind(body: bytes) -> tuple[str, str]:
    """(kind, extension) of a body: pdf, ole, zip, rar, html or other."""
    head = body[:PDF_HEADER_WINDOW]
    at = head.find(b"%PDF-")
    if at == 0 or (0 < at <= PDF_JUNK_MAX and not _WORDS_OR_MARKUP.search(head[:at])):
        return "pdf", "pdf"
    for magic, kind, ext in _MAGIC:
        if head.startswith(magic):
            return kind, ext
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith(_HTML_STARTS) or (at > 0 and probe.startswith(b"<")):
        return "html", "html"
    return "other", "bin"
