"""The declared schema of what spiders yield: a missing, unknown or mistyped field fails."""

from __future__ import annotations

import pytest

from crawler.items import (
    ITEM_TYPES,
    AttachmentLink,
    Disclosure,
    FetchProblem,
    FileOutcome,
    InvalidItem,
    check,
)


def disclosure(**fields) -> Disclosure:
    base = {
        "portal_id": "p",
        "section": "s",
        "url": "http://h/a.html",
        "title": "甲局2025年部门预算",
    }
    return Disclosure(**{**base, **fields})


def test_a_well_formed_item_passes():
    check(
        disclosure(
            year=2025,
            doc_type="budget",
            attachments=[AttachmentLink(url="http://h/a.pdf", name="a.pdf")],
            files=[FileOutcome(url="http://h/a.pdf", status="downloaded", sha256="0" * 64)],
        )
    )
    check(FetchProblem(portal_id=None, url="http://h/x", kind="http_500", http_status=500))


def test_missing_and_unknown_fields_fail_when_the_item_is_built():
    with pytest.raises(TypeError, match="title"):
        Disclosure(portal_id="p", section="s", url="http://h/a.html")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unit"):
        disclosure(unit="甲局")


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (disclosure(year="2025"), "Disclosure.year"),
        (disclosure(year=True), "Disclosure.year"),
        (disclosure(doc_type="预算"), "Disclosure.doc_type"),
        (disclosure(attachments=[{"url": "u", "name": "n"}]), "Disclosure.attachments[0]"),
        (disclosure(files=[FileOutcome(url="u", status="ok")]), "Disclosure.files[0].status"),
        (disclosure(file_urls=["u", None]), "Disclosure.file_urls[1]"),
        ({"url": "u"}, "not an item of the schema"),
    ],
)
def test_a_mistyped_value_fails_naming_where(item, message):
    with pytest.raises(InvalidItem, match=message.replace("[", r"\[").replace("]", r"\]")):
        check(item)


def test_every_item_type_is_a_dataclass_with_keyword_fields():
    from dataclasses import fields, is_dataclass

    for cls in ITEM_TYPES:
        assert is_dataclass(cls) and all(f.kw_only for f in fields(cls)), cls
