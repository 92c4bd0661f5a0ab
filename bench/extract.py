"""Time the key-totals extractor against pdfplumber text extraction, and its peak memory.

    .venv/bin/python bench/extract.py [FOLDER_OR_PDF ...] [--repeat N]

Without arguments it reads the PDFs in ``../shared/real/pdf`` (beside the project root).
Folders are searched recursively for ``*.pdf``.

For each file it prints:

- ``extract s``: wall time of ``extract.extract_pdf(path).to_json()`` in this
  process (imports done beforehand, one untimed warm-up call on the smallest file);
- ``plumber s``: wall time of the baseline, opening the file with pdfplumber and calling
  ``extract_text()`` on every page, measured in the same run, alternating with the
  extractor;
- ``speed-up``: baseline / extractor (``5.0×`` = the extractor takes a fifth of the time);
- ``peak MB``: the RSS high-water mark of a fresh Python process that imports the
  extractor and extracts only this file (its ``VmHWM``, and ``ru_maxrss`` of any process
  it waited for), so the baseline's memory does not count. It includes the interpreter
  and the imports: the ``import only`` line shows that floor. (Not the child's own
  ``ru_maxrss``, nor ``RUSAGE_CHILDREN`` here: on Linux those include the RSS the bench
  process had when it started the child.)

A file the extractor read pages of by OCR (a scan) is listed but left out of the total
and the median: OCR is timed per page by ``bench/ocr.py``.

With ``--repeat N`` both timings are the best (minimum) of N runs, as ``timeit`` does. The
``total`` line sums the times (its speed-up is total baseline / total extractor); the
``median`` line is the median of the per-file speed-ups. The aims printed at the end are
what the figures are judged against (extractor ≥ 5× faster than the baseline in median,
peak memory < 300 MB on a 60-page file); the script reports them and asserts nothing.

When ``extract`` cannot be imported, only the baseline is timed.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
# this file is named extract.py: the project's `extract` package must come first
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
DEFAULT_FOLDER = ROOT.parent / "shared" / "real" / "pdf"

from bench.pdfs import find_pdfs  # noqa: E402

AIM_SPEEDUP = 5.0
AIM_PEAK_MB = 300.0
AIM_PAGES = 60

# Runs in a fresh interpreter; the last stdout line is its JSON report. Its own peak is
# VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so a child's ru_maxrss is
# at least the RSS this (bench) process had when it started the child.
_CHILD = """
import json, pathlib, resource, sys
from extract.document import extract_pdf
if sys.argv[1:]:
    extract_pdf(pathlib.Path(sys.argv[1])).to_json()
try:
    with open("/proc/self/status") as status:
        own = next(int(ln.split()[1]) for ln in status if ln.startswith("VmHWM:"))
except (OSError, StopIteration):
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"maxrss_kb": max(own, kids)}))
"""


@dataclass
class Row:
    """The figures of one file; ``None`` where not measured, ``error`` when it failed."""

    path: Path
    pages: int = 0
    baseline_s: float | None = None
    extract_s: float | None = None
    peak_mb: float | None = None
    ocr_pages: int = 0  # pages the extractor read by OCR: timed by bench/ocr.py instead
    error: str = ""

    @property
    def speedup(self) -> float | None:
        if self.baseline_s is None or not self.extract_s:
            return None
        return self.baseline_s / self.extract_s


def baseline(path: Path) -> int:
    """pdfplumber's ``extract_text()`` over every page; returns the page count."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def load_extractor() -> tuple[Callable[[Path], object] | None, str]:
    """A function running the extractor on one file (``to_json()`` included), or the reason
    it is unavailable."""
    try:
        from extract.document import extract_pdf
    except Exception as exc:  # noqa: BLE001 - any import failure means "baseline only"
        return None, f"{type(exc).__name__}: {exc}"

    def run(path: Path) -> object:
        return extract_pdf(path).to_json()

    return run, ""


def timed(func: Callable[[Path], object], path: Path) -> tuple[float, object]:
    """Wall seconds of one call, and what it returned."""
    gc.collect()
    start = time.perf_counter()
    result = func(path)
    return time.perf_counter() - start, result


def child_peak_mb(path: Path | None) -> float:
    """Peak RSS (MB) of a fresh process importing the extractor and, given a path, running it."""
    args = [sys.executable, "-c", _CHILD] + ([str(path)] if path else [])
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"child exited {done.returncode}: {tail}")
    return json.loads(lines[-1])["maxrss_kb"] / 1024  # Linux reports kilobytes


def measure(path: Path, extractor: Callable[[Path], object] | None, repeat: int) -> Row:
    """Time extractor and baseline ``repeat`` times each, alternating; then the peak memory.

    A failure of one side is recorded in ``error`` and stops timing that side only.
    """
    row = Row(path)
    base_times: list[float] = []
    extract_times: list[float] = []
    errors: dict[str, str] = {}
    sides: list[tuple[str, Callable[[Path], object], list[float]]] = [
        ("baseline", baseline, base_times)
    ]
    if extractor is not None:
        sides.insert(0, ("extractor", extractor, extract_times))
    for _ in range(repeat):
        for name, func, times in sides:
            if name in errors:
                continue
            try:
                seconds, result = timed(func, path)
            except Exception as exc:  # noqa: BLE001 - one bad file must not end the bench
                errors[name] = f"{name}: {type(exc).__name__}: {exc}"[:200]
                continue
            times.append(seconds)
            if name == "baseline" and isinstance(result, int):
                row.pages = result
            if name == "extractor" and isinstance(result, dict):
                row.ocr_pages = len(result.get("ocr_pages") or ())
    row.baseline_s = min(base_times, default=None)
    row.extract_s = min(extract_times, default=None)
    if extract_times:
        try:
            row.peak_mb = child_peak_mb(path)
        except RuntimeError as exc:
            errors["memory"] = f"memory: {exc}"[:200]
    row.error = "; ".join(errors.values())
    return row


def _fmt(value: float | None, width: int, decimals: int, suffix: str = "") -> str:
    """The number right-aligned in ``width`` characters, or ``-`` when not measured."""
    text = "-" if value is None else f"{value:.{decimals}f}{suffix}"
    return f"{text:>{width}}"


def _counted(rows: list[Row]) -> list[Row]:
    """The files in the total and median: both sides timed, no page read by OCR."""
    return [r for r in rows if r.speedup is not None and not r.ocr_pages]


def print_table(rows: list[Row]) -> None:
    """The per-file lines, the total line and the median line."""
    width = max([len(r.path.name) for r in rows] + [10])
    print(
        f"{'file':<{width}} {'pages':>5} {'MB':>6} {'extract s':>9} {'plumber s':>9} "
        f"{'speed-up':>8} {'peak MB':>7}"
    )
    for r in rows:
        size = r.path.stat().st_size / 1e6
        print(
            f"{r.path.name:<{width}} {r.pages:>5} {size:>6.2f} {_fmt(r.extract_s, 9, 3)} "
            f"{_fmt(r.baseline_s, 9, 3)} {_fmt(r.speedup, 8, 1, '×')} "
            f"{_fmt(r.peak_mb, 7, 0)}"
            + (f"  OCR: {r.ocr_pages} pages, not counted" if r.ocr_pages else "")
            + (f"  ERROR {r.error}" if r.error else "")
        )
    done = _counted(rows)
    base_all = sum(r.baseline_s for r in rows if r.baseline_s is not None)
    if done:
        ext = sum(r.extract_s or 0 for r in done)
        base = sum(r.baseline_s or 0 for r in done)
        peak = max((r.peak_mb for r in done if r.peak_mb is not None), default=None)
        pages = sum(r.pages for r in done)
        print(
            f"{'total':<{width}} {pages:>5} {'':>6} {ext:>9.3f} {base:>9.3f} "
            f"{base / ext:>7.1f}× {_fmt(peak, 7, 0)}"
        )
        median = statistics.median(r.speedup for r in done if r.speedup is not None)
        print(f"{'median':<{width}} {'':>5} {'':>6} {'':>9} {'':>9} {median:>7.1f}×")
    else:
        print(f"{'total':<{width}} {'':>5} {'':>6} {'-':>9} {base_all:>9.3f}")


def print_aims(rows: list[Row], import_mb: float | None) -> None:
    """The targets beside the figures measured (reported, never asserted)."""
    done = _counted(rows)
    if import_mb is not None:
        print(f"\nimport only: a fresh process importing the extractor peaks at {import_mb:.0f} MB")
    print("\naims:")
    if done:
        median = statistics.median(r.speedup for r in done if r.speedup is not None)
        verdict = "met" if median >= AIM_SPEEDUP else "NOT met"
        print(f"  median speed-up ≥ {AIM_SPEEDUP:.0f}×: {median:.1f}× ({verdict})")
    else:
        print(f"  median speed-up ≥ {AIM_SPEEDUP:.0f}×: not measured")
    long_rows = [r for r in done if r.pages >= AIM_PAGES and r.peak_mb is not None]
    if long_rows:
        worst = max(long_rows, key=lambda r: r.peak_mb or 0)
        verdict = "met" if (worst.peak_mb or 0) < AIM_PEAK_MB else "NOT met"
        print(
            f"  peak < {AIM_PEAK_MB:.0f} MB on a {AIM_PAGES}-page file: {worst.peak_mb:.0f} MB "
            f"on {worst.path.name} ({worst.pages} pages) ({verdict})"
        )
    else:
        measured = [r for r in done if r.peak_mb is not None]
        if measured:
            big = max(measured, key=lambda r: r.pages)
            note = (
                f"no file has ≥ {AIM_PAGES} pages; {big.pages} pages peak at {big.peak_mb:.0f} MB"
            )
        else:
            note = "not measured"
        print(f"  peak < {AIM_PEAK_MB:.0f} MB on a {AIM_PAGES}-page file: {note}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", metavar="FOLDER_OR_PDF")
    parser.add_argument("--repeat", type=int, default=1, help="runs per timing; the best counts")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not args.paths:
        if not DEFAULT_FOLDER.is_dir():
            parser.error(f"no paths given and {DEFAULT_FOLDER} does not exist")
        args.paths = [str(DEFAULT_FOLDER)]
    pdfs = find_pdfs(args.paths)
    if not pdfs:
        raise SystemExit("no PDFs found")

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # e.g. Type3 FontBBox warnings
    extractor, why = load_extractor()
    import_mb = None
    if extractor is None:
        print(f"extract unavailable ({why}); timing the baseline only\n")
    else:
        try:  # warm-up: lazy imports and caches inside the extractor, untimed
            smallest = min(pdfs, key=lambda p: p.stat().st_size)
            extractor(smallest)
            baseline(smallest)
        except Exception as exc:  # noqa: BLE001 - the per-file run reports it again
            print(f"warm-up on {smallest.name} failed: {type(exc).__name__}: {exc}")
        import_mb = child_peak_mb(None)
    print(f"{len(pdfs)} PDFs, best of {args.repeat} run(s) each\n")

    rows = [measure(path, extractor, args.repeat) for path in pdfs]
    print_table(rows)
    print_aims(rows, import_mb)


if __name__ == "__main__":
    main()
