"""The revision rules, table-driven, without a database: every case of what the archive
knew against what a crawl saw."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from archive.revisions import (
    PAGE_FIELDS,
    FileSeen,
    KnownAttachment,
    KnownPage,
    Outcome,
    PageSeen,
    page_gone,
    page_seen,
)

PAGE = "http://h/ys/t20250302_1.html"
OTHER_PAGE = "http://h/ys/t20250401_9.html"
A, B = "http://h/ys/P01.pdf", "http://h/ys/P02.pdf"
V1, V2, V3 = "a" * 64, "b" * 64, "c" * 64
FACTS = {
    "title": "演示市教育局2025年部门预算",
    "publish_date_shown": "2025-03-02",
    "publish_date": "2025-03-02",
    "unit_name": "演示市教育局",
    "year": 2025,
    "doc_type": "budget",
    "scope": "department",
    "parent_url": None,
}


def known(
    *atts: KnownAttachment, status: str = "active", url: str = PAGE, **facts: Any
) -> KnownPage:
    return KnownPage(url, status, {**FACTS, **facts}, tuple(atts))


def att(url: str, sha: str | None, status: str = "active") -> KnownAttachment:
    return KnownAttachment(url, "预算.pdf", status, sha)


def ok(url: str, sha: str) -> FileSeen:
    return FileSeen(url, "预算.pdf", sha256=sha)


def failed(url: str, problem: str, http_status: int | None = None) -> FileSeen:
    return FileSeen(url, "预算.pdf", problem=problem, http_status=http_status)


def seen(*files: FileSeen, url: str = PAGE, **facts: Any) -> PageSeen:
    return PageSeen(url, {**FACTS, **facts}, tuple(files))


@dataclass
class Case:
    name: str
    known: KnownPage | None
    seen: PageSeen | None  # None: the page answered 404
    events: list[tuple]  # (type, attachment url, old sha, new sha, related url)
    page_status: str | None = "active"  # None: no outcome at all
    attachments: dict[str, tuple[str, str | None]] = field(
        default_factory=dict
    )  # url: (status, sha)
    new_versions: set[str] = field(default_factory=set)
    others: tuple[KnownPage, ...] = ()
    facts_changed: bool = False


CASES = [
    Case(
        "new page",
        None,
        seen(ok(A, V1)),
        [("published", None, None, None, None)],
        attachments={A: ("active", V1)},
        new_versions={A},
        facts_changed=True,
    ),
    Case(
        "new page whose file fails: published, the file failed, no file event",
        None,
        seen(failed(A, "not_pdf", 200)),
        [("published", None, None, None, None)],
        attachments={A: ("failed", None)},
        facts_changed=True,
    ),
    Case(
        "unchanged",
        known(att(A, V1)),
        seen(ok(A, V1)),
        [],
        attachments={A: ("active", V1)},
    ),
    Case(
        "revised: other content under the same URL",
        known(att(A, V1)),
        seen(ok(A, V2)),
        [("revised", A, V1, V2, None)],
        attachments={A: ("active", V2)},
        new_versions={A},
    ),
    Case(
        "withdrawn: the page answers 404, its files go with it",
        known(att(A, V1), att(B, None, "failed")),
        None,
        [("withdrawn", None, None, None, None)],
        page_status="withdrawn",
        attachments={A: ("withdrawn", V1), B: ("withdrawn", None)},
    ),
    Case(
        "gone again: nothing new",
        known(att(A, V1, "withdrawn"), status="withdrawn"),
        None,
        [],
        page_status=None,
    ),
    Case(
        "reappeared: the page and its files are back, one event",
        known(att(A, V1, "withdrawn"), status="withdrawn"),
        seen(ok(A, V1)),
        [("reappeared", None, None, None, None)],
        attachments={A: ("active", V1)},
    ),
    Case(
        "reappeared with a corrected file",
        known(att(A, V1, "withdrawn"), status="withdrawn"),
        seen(ok(A, V2)),
        [("reappeared", None, None, None, None), ("revised", A, V1, V2, None)],
        attachments={A: ("active", V2)},
        new_versions={A},
    ),
    Case(
        "reappeared page whose file fails for now: linked again, content kept",
        known(att(A, V1, "withdrawn"), status="withdrawn"),
        seen(failed(A, "timeout")),
        [("reappeared", None, None, None, None)],
        attachments={A: ("active", V1)},
    ),
    Case(
        "retitled",
        known(att(A, V1)),
        seen(ok(A, V1), title="演示市教育局2025年部门预算（更正）"),
        [("page_changed", None, None, None, None)],
        attachments={A: ("active", V1)},
        facts_changed=True,
    ),
    Case(
        "redated",
        known(att(A, V1)),
        seen(ok(A, V1), publish_date_shown="2025-03-09", publish_date="2025-03-09"),
        [("page_changed", None, None, None, None)],
        attachments={A: ("active", V1)},
        facts_changed=True,
    ),
    Case(
        "a fact this visit did not show is not a change",
        known(att(A, V1)),
        seen(ok(A, V1), publish_date_shown=None, publish_date=None),
        [],
        attachments={A: ("active", V1)},
    ),
    Case(
        "failed, then fetched: its publication is an event",
        known(att(A, None, "failed")),
        seen(ok(A, V1)),
        [("published", A, None, V1, None)],
        attachments={A: ("active", V1)},
        new_versions={A},
    ),
    Case(
        "still failing: no event",
        known(att(A, None, "failed")),
        seen(failed(A, "http_500", 500)),
        [],
        attachments={A: ("failed", None)},
    ),
    Case(
        "a passing failure keeps the content",
        known(att(A, V1)),
        seen(failed(A, "timeout")),
        [],
        attachments={A: ("active", V1)},
    ),
    Case(
        "a file answering 404 is withdrawn",
        known(att(A, V1)),
        seen(failed(A, "http_404", 404)),
        [("withdrawn", A, V1, None, None)],
        attachments={A: ("withdrawn", V1)},
    ),
    Case(
        "a file no longer linked is withdrawn",
        known(att(A, V1), att(B, V2)),
        seen(ok(A, V1)),
        [("withdrawn", B, V2, None, None)],
        attachments={A: ("active", V1), B: ("withdrawn", V2)},
    ),
    Case(
        "a new file on a known page is published",
        known(att(A, V1)),
        seen(ok(A, V1), ok(B, V2)),
        [("published", B, None, V2, None)],
        attachments={A: ("active", V1), B: ("active", V2)},
        new_versions={B},
    ),
    Case(
        "a file withdrawn on its own and linked again reappears",
        known(att(A, V1), att(B, V2, "withdrawn")),
        seen(ok(A, V1), ok(B, V2)),
        [("reappeared", B, V2, V2, None)],
        attachments={A: ("active", V1), B: ("active", V2)},
    ),
    Case(
        "a file moved to another URL of the page: one event",
        known(att(A, V1)),
        seen(ok(B, V1)),
        [("moved", B, V1, V1, A)],
        attachments={A: ("withdrawn", V1), B: ("active", V1)},
        new_versions={B},
    ),
    Case(
        "a page moved: a new URL with the files of a withdrawn page",
        None,
        seen(ok(A, V1), ok(B, V2), url=OTHER_PAGE),
        [("moved", None, None, None, PAGE)],
        attachments={A: ("active", V1), B: ("active", V2)},
        new_versions={A, B},
        others=(known(att(A, V1, "withdrawn"), att(B, V2, "withdrawn"), status="withdrawn"),),
        facts_changed=True,
    ),
    Case(
        "a page moved, seen the other way round: gone while a new page has its files",
        known(att(A, V1)),
        None,
        [("moved", None, None, None, OTHER_PAGE)],
        page_status="withdrawn",
        attachments={A: ("withdrawn", V1)},
        others=(known(att(A, V1), url=OTHER_PAGE),),
    ),
    Case(
        "the same file on two live pages is no move",
        None,
        seen(ok(A, V1), url=OTHER_PAGE),
        [("published", None, None, None, None)],
        attachments={A: ("active", V1)},
        new_versions={A},
        others=(known(att(A, V1)),),
        facts_changed=True,
    ),
    Case(
        "part of a withdrawn page's files is no move",
        None,
        seen(ok(A, V1), url=OTHER_PAGE),
        [("published", None, None, None, None)],
        attachments={A: ("active", V1)},
        new_versions={A},
        others=(known(att(A, V1, "withdrawn"), att(B, V2, "withdrawn"), status="withdrawn"),),
        facts_changed=True,
    ),
]


def run(case: Case) -> Outcome | None:
    if case.seen is None:
        return page_gone(case.known, 404, case.others)
    return page_seen(case.known, case.seen, case.others)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_revision_rules(case: Case):
    outcome = run(case)
    if case.page_status is None:
        assert outcome is None
        return
    assert outcome is not None
    assert outcome.status == case.page_status
    assert [
        (e.type, e.attachment_url, e.old_sha256, e.new_sha256, e.related_url)
        for e in outcome.events
    ] == case.events
    assert {a.url: (a.status, a.sha256) for a in outcome.attachments} == case.attachments
    assert {a.url for a in outcome.attachments if a.new_version} == case.new_versions
    assert outcome.facts_changed == case.facts_changed
    assert set(outcome.facts) == set(PAGE_FIELDS)


def test_page_changed_names_old_and_new_values():
    outcome = page_seen(known(att(A, V1)), seen(ok(A, V1), title="新标题2025年部门预算", year=2026))
    (event,) = outcome.events
    assert event.changes == {
        "title": (FACTS["title"], "新标题2025年部门预算"),
        "year": (2025, 2026),
    }
    assert outcome.facts["title"] == "新标题2025年部门预算"


def test_outcome_of_an_unchanged_page_is_stable():
    """Applying the outcome and observing the same page again changes nothing."""
    first = page_seen(None, seen(ok(A, V1)))
    again = KnownPage(
        PAGE,
        first.status,
        first.facts,
        tuple(KnownAttachment(a.url, a.name, a.status, a.sha256) for a in first.attachments),
    )
    second = page_seen(again, seen(ok(A, V1)))
    assert second.events == () and not second.facts_changed
    assert replace(second, attachments=()) == replace(
        first, attachments=(), facts_changed=False, events=()
    )
