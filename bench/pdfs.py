"""The PDFs a bench script is given: files named, and folders searched recursively."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def find_pdfs(args: Iterable[str]) -> list[Path]:
    """The PDFs named or inside the named folders (recursively), in order, without repeats."""
    found: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf"))
        elif path.is_file():
            found.append(path)
        else:
            raise SystemExit(f"no such file or folder: {arg}")
    return list(dict.fromkeys(p.resolve() for p in found))
