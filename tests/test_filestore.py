import hashlib
import os

from archive.filestore import FileStore
from crawler.sniff import sniff_kind


def test_content_addressed_and_never_overwritten(tmp_path):
    store = FileStore(tmp_path)
    body = b"%PDF-1.7\n...budget..."
    first = store.put(body, "pdf")
    sha = hashlib.sha256(body).hexdigest()
    assert first.sha256 == sha and first.created
    assert first.path == f"files/{sha[:2]}/{sha}.pdf"
    stored = tmp_path / first.path
    assert stored.read_bytes() == body
    assert not os.access(stored, os.W_OK) or os.geteuid() == 0  # read-only file mode
    assert oct(stored.stat().st_mode & 0o777) == "0o444"
    again = store.put(body, "pdf")
    assert not again.created and again.path == first.path
    assert list(tmp_path.rglob("*.tmp")) == []


def test_sniff_kind_ignores_the_name():
    assert sniff_kind(b"\n%PDF-1.4")[0] == "pdf"
    assert sniff_kind(b"<!DOCTYPE html><html>404</html>")[0] == "html"
    assert sniff_kind(b"\xef\xbb\xbf<html>")[0] == "html"
    assert sniff_kind(b"PK\x03\x04....")[0] == "zip"
    assert sniff_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")[0] == "ole"


def test_pdf_header_after_markup_is_a_web_page():
    """Readers accept a few bytes of junk before `%PDF-`, never a web page or an error
    message that merely mentions it."""
    assert sniff_kind(b"\x00\x00\xff\r\n%PDF-1.4")[0] == "pdf"
    assert sniff_kind(b"\xef\xbb\xbf%PDF-1.4")[0] == "pdf"
    assert sniff_kind(b"Error: %PDF-1.4 not found")[0] == "other"
    assert sniff_kind(b"\x00" * 17 + b"%PDF-1.4")[0] == "other"  # more than a few bytes
    assert sniff_kind(b"<html><body>%PDF-1.4 fake</body></html>")[0] == "html"
    assert sniff_kind(b"<div>%PDF-1.4</div>")[0] == "html"
    assert sniff_kind(b"x" * 2000 + b"%PDF-1.4")[0] == "other"
