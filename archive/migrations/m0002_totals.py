"""0002: what the extractor read from each stored PDF (key totals, evidence, checks).

Shipped in 0.1 (2026-11-24). Never edit a shipped migration: add a new one. Its columns are
written out here, not taken from the extractor's field list: that list grows, and each new
field arrives as a column of a later migration.
"""

from __future__ import annotations

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.table("totals").create(
        {
            "sha256": str,
            "extractor_version": str,
            "extracted_at": str,
            "status": str,  # ok | error
            "error": str,
            "text_layer": int,
            "is_budget_disclosure": int,
            "pages": int,
            "year": int,
            "unit_name": str,
            "doc_type": str,
            "scope": str,
            "amount_unit": str,
            "revenue_total": float,
            "expenditure_total": float,
            "general_budget_income": float,
            "gov_fund_income": float,
            "state_capital_income": float,
            "carryover": float,
            "basic_expenditure": float,
            "project_expenditure": float,
            "personnel_expenditure": float,
            "public_expenditure": float,
            "three_public_total": float,
            "three_public_overseas": float,
            "three_public_vehicle_purchase": float,
            "three_public_vehicle_operation": float,
            "three_public_reception": float,
            "operating_expenses": float,
            "checks_failed": int,
            "result": str,  # the extractor's whole JSON answer
        },
        pk="sha256",
        foreign_keys=[("sha256", "files", "sha256")],
    )
    db.table("totals_by_function").create(
        {"sha256": str, "name": str, "amount": float},
        pk=("sha256", "name"),
        foreign_keys=[("sha256", "totals", "sha256")],
    )
    db.table("totals_evidence").create(
        {"sha256": str, "field": str, "page": int, "source": str, "text": str},
        pk=("sha256", "field"),
        foreign_keys=[("sha256", "totals", "sha256")],
    )
    db.table("totals_checks").create(
        {"sha256": str, "name": str, "status": str, "detail": str},
        pk=("sha256", "name"),
        foreign_keys=[("sha256", "totals", "sha256")],
    )
