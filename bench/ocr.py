"""Time the extractor's OCR fallback (``extract.ocr``) per page, apart from text extraction.

    .venv/bin/python bench/ocr.py [FOLDER_OR_PDF ...] [--seeds] [--dpi N]

Without paths it reads the PDFs in ``../shared/real/pdf``; ``--seeds`` adds the demo
seeds rendered and rasterised into image-only PDFs (scans at ``--dpi``, 150 by default).
Each file is read in a fresh Python process, so that the figures include the OCR engine's
first load, as a crawl's worker pays it once. For each file it prints:

- ``OCR'd``: pages read by OCR (of ``pages``); files that need none are listed with ``-``;
- ``load s``: the OCR engine's load (models from the rapidocr wheel), once per process;
- ``s/page`` and ``max s``: seconds per OCR'd page (render, rulings, recognition), mean
  and worst;
- ``text s``: the text-layer pass alone (``read_pages``), for comparison;
- ``extract s``: the whole ``extract_pdf`` afterwards (engine loaded, OCR done again);
- ``peak MB``: the process's RSS high-water mark (``VmHWM``) at the end.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pdfs import find_pdfs  # noqa: E402

DEFAULT_FOLDER = ROOT.parent / "shared" / "real" / "pdf"

_CHILD = """
import json, pathlib, sys, time
from extract import ocr
from extract.document import extract_pdf
from extract.pages import read_pages

path = pathlib.Path(sys.argv[1])
start = time.perf_counter()
pages = read_pages(path)
text_s = time.perf_counter() - start
wanted = {p.number: s for p in pages if (s := ocr.needs_ocr(p)) is not None}
load_s, per_page = None, []
if wanted and ocr.image_regions(path, wanted):
    start = time.perf_counter()
    ocr.engine()
    load_s = time.perf_counter() - start
    per_page = [p.seconds for p in ocr.ocr_document(path, pages).values()]
start = time.perf_counter()
extract_pdf(path)
extract_s = time.perf_counter() - start
with open("/proc/self/status") as status:
    peak_kb = next(int(ln.split()[1]) for ln in status if ln.startswith("VmHWM:"))
print(json.dumps({"pages": len(pages), "text_s": text_s, "load_s": load_s,
                  "per_page": per_page, "extract_s": extract_s, "peak_mb": peak_kb / 1024}))
"""


def seed_scans(folder: Path, dpi: int) -> list[Path]:
    """The demo seeds rendered, each page rasterised: image-only PDFs."""
    import pypdfium2 as pdfium

    from demo_portal.render import load_seeds, render_pdf

    paths = []
    for seed in load_seeds():
        doc = pdfium.PdfDocument(render_pdf(seed))
        images = [
            doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            for i in range(len(doc))
        ]
        doc.close()
        path = folder / f"scan_{Path(seed.name).stem}.pdf"
        images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi)
        paths.append(path)
    return paths


def measure(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {done.returncode}: {tail}"[:200]}
    return json.loads(lines[-1])


def _fmt(value: float | None, width: int, decimals: int = 2) -> str:
    text = "-" if value is None else f"{value:.{decimals}f}"
    return f"{text:>{width}}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", metavar="FOLDER_OR_PDF")
    parser.add_argument("--seeds", action="store_true", help="add the seeds as scans")
    parser.add_argument("--dpi", type=int, default=150, help="resolution of the seed scans")
    args = parser.parse_args()
    if not args.paths and DEFAULT_FOLDER.is_dir():
        args.paths = [str(DEFAULT_FOLDER)]
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = find_pdfs(args.paths)
        if args.seeds:
            pdfs += seed_scans(Path(tmp), args.dpi)
        if not pdfs:
            raise SystemExit("no PDFs (give paths, or --seeds)")
        width = max(len(p.name) for p in pdfs)
        print(
            f"{'file':<{width}} {'pages':>5} {'OCRd':>5} {'load s':>6} {'s/page':>6} "
            f"{'max s':>6} {'text s':>6} {'extract s':>9} {'peak MB':>7}"
        )
        all_pages: list[float] = []
        peaks: list[float] = []
        for path in pdfs:
            r = measure(path)
            if "error" in r:
                print(f"{path.name:<{width}} ERROR {r['error']}")
                continue
            per_page = r["per_page"]
            all_pages += per_page
            if per_page:
                peaks.append(r["peak_mb"])
            mean = sum(per_page) / len(per_page) if per_page else None
            print(
                f"{path.name:<{width}} {r['pages']:>5} {len(per_page) or '-':>5} "
                f"{_fmt(r['load_s'], 6)} {_fmt(mean, 6)} {_fmt(max(per_page, default=None), 6)} "
                f"{_fmt(r['text_s'], 6, 3)} {_fmt(r['extract_s'], 9)} {r['peak_mb']:>7.0f}"
            )
    if all_pages:
        print(
            f"\n{len(all_pages)} pages OCR'd: {sum(all_pages) / len(all_pages):.2f} s a page "
            f"(max {max(all_pages):.2f} s); peak {max(peaks):.0f} MB in a file with OCR"
        )
    else:
        print("\nno page needed OCR")


if __name__ == "__main__":
    main()
