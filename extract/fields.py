"""The fields an extraction gives: one declaration, read by the extractor, the archive's
store and the demo renderer.

A new field is added here and, in the same change, as a column by a new migration of the
archive (`archive/migrations/`); a test checks that every field here is a column there.
"""

from __future__ import annotations

#: What the document is (read from its cover, headers or title).
TEXT_FIELDS = ("unit_name", "doc_type", "scope", "amount_unit")

#: The key totals, in 万元, in the order of KEY_TOTALS.md.
AMOUNT_FIELDS = (
    "revenue_total",
    "expenditure_total",
    "general_budget_income",
    "gov_fund_income",
    "state_capital_income",
    "carryover",
    "basic_expenditure",
    "project_expenditure",
    "personnel_expenditure",
    "public_expenditure",
    "three_public_total",
    "three_public_overseas",
    "three_public_vehicle_purchase",
    "three_public_vehicle_operation",
    "three_public_reception",
    "operating_expenses",
)
