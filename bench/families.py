"""Each family imitation (tests/imitations) crawled as a new user would, with only a config
entry: once with its family named and once left to auto-detection. Prints, per imitation
and mode, disclosures and files found against expected, pages not budgets archived, the
family recognised, and the time taken.

    .venv/bin/python bench/families.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from w3lib.url import safe_url_string  # noqa: E402

from tests.imitations import ALL  # noqa: E402
from tests.imitations.site import served  # noqa: E402
from tests.test_families import crawl  # noqa: E402


def main() -> None:
    print(
        f"{'imitation':22} {'mode':6} {'disclosures':>12} {'files':>9} {'not budgets':>12}"
        f"  {'walker / detected':32} {'s':>5}"
    )
    totals = {"named": [0, 0, 0, 0], "auto": [0, 0, 0, 0]}
    for kind in ALL:
        for mode in ("named", "auto"):
            with tempfile.TemporaryDirectory() as tmp, served(kind()) as imitation:
                started = time.monotonic()
                db = crawl(imitation, Path(tmp), None if mode == "named" else "", expect_ok=False)
                took = time.monotonic() - started
                expected_d = {safe_url_string(u) for u in imitation.disclosures}
                expected_f = {safe_url_string(u) for u in imitation.expected_files}
                found_d = {
                    safe_url_string(r["url"]) for r in db.query("select url from disclosures")
                }
                found_f = {
                    safe_url_string(r["url"]) for r in db.query("select url from attachments")
                }
                section = next(iter(db["section_crawls"].rows), {})
            t = totals[mode]
            t[0] += len(found_d & expected_d)
            t[1] += len(expected_d)
            t[2] += len(found_f & expected_f)
            t[3] += len(expected_f)
            print(
                f"{kind.__name__:22} {mode:6} {len(found_d & expected_d):>5} / {len(expected_d):<4}"
                f" {len(found_f & expected_f):>3} / {len(expected_f):<3} {len(found_d - expected_d):>12}"
                f"  {(section.get('family') or '-') + ' / ' + (section.get('detection') or '-')[:24]:32}"
                f" {took:5.1f}"
            )
    for mode, (d, de, f, fe) in totals.items():
        print(f"all ({mode}): disclosures {d} / {de}, files {f} / {fe}")


if __name__ == "__main__":
    main()
