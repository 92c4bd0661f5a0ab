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
#: the key totals' names as the documents print them
AMOUNT_LABELS = {
    "revenue_total": "收入总计",
    "expenditure_total": "支出总计",
    "general_budget_income": "一般公共预算拨款收入",
    "gov_fund_income": "政府性基金预算拨款收入",
    "state_capital_income": "国有资本经营预算拨款收入",
    "carryover": "上年结转",
    "basic_expenditure": "基本支出",
    "project_expenditure": "项目支出",
    "personnel_expenditure": "人员经费",
    "public_expenditure": "公用经费",
    "three_public_total": "“三公”经费",
    "three_public_overseas": "因公出国(境)费",
    "three_public_vehicle_purchase": "公务用车购置费",
    "three_public_vehicle_operation": "公务用车运行维护费",
    "three_public_reception": "公务接待费",
    "operating_expenses": "机关运行经费",
}
