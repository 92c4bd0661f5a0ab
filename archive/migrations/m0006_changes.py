"""0006: what a revision changed in the figures.

- `changes` (view): one row per figure that differs between the two versions of a file in a
  `revised` event — a key total or a function-class line (`by_function:<class>`) — read
  under one extractor version, the newest that read both versions; old, new and their
  difference (万元). A figure that only one version gives has the other side null.
- `change_sentences` (view): the same, one sentence a row:
  `演示市财政局 2026 部门预算: 支出总计 1,234.56 → 1,240.00 万元 (+5.44)`.

Views, not tables: they follow the totals as extractions arrive (a revision whose figures
are not extracted yet has no rows until they are).
"""

from __future__ import annotations

import sqlite_utils

# one (sha256, extractor_version, field, value) row per figure an extraction gave
_AMOUNTS = """
    select sha256, extractor_version, 'revenue_total' as field, revenue_total as value
      from totals where status = 'ok' and revenue_total is not null
    union all select sha256, extractor_version, 'expenditure_total', expenditure_total
      from totals where status = 'ok' and expenditure_total is not null
    union all select sha256, extractor_version, 'general_budget_income', general_budget_income
      from totals where status = 'ok' and general_budget_income is not null
    union all select sha256, extractor_version, 'gov_fund_income', gov_fund_income
      from totals where status = 'ok' and gov_fund_income is not null
    union all select sha256, extractor_version, 'state_capital_income', state_capital_income
      from totals where status = 'ok' and state_capital_income is not null
    union all select sha256, extractor_version, 'carryover', carryover
      from totals where status = 'ok' and carryover is not null
    union all select sha256, extractor_version, 'basic_expenditure', basic_expenditure
      from totals where status = 'ok' and basic_expenditure is not null
    union all select sha256, extractor_version, 'project_expenditure', project_expenditure
      from totals where status = 'ok' and project_expenditure is not null
    union all select sha256, extractor_version, 'personnel_expenditure', personnel_expenditure
      from totals where status = 'ok' and personnel_expenditure is not null
    union all select sha256, extractor_version, 'public_expenditure', public_expenditure
      from totals where status = 'ok' and public_expenditure is not null
    union all select sha256, extractor_version, 'three_public_total', three_public_total
      from totals where status = 'ok' and three_public_total is not null
    union all select sha256, extractor_version, 'three_public_overseas', three_public_overseas
      from totals where status = 'ok' and three_public_overseas is not null
    union all select sha256, extractor_version, 'three_public_vehicle_purchase',
      three_public_vehicle_purchase
      from totals where status = 'ok' and three_public_vehicle_purchase is not null
    union all select sha256, extractor_version, 'three_public_vehicle_operation',
      three_public_vehicle_operation
      from totals where status = 'ok' and three_public_vehicle_operation is not null
    union all select sha256, extractor_version, 'three_public_reception', three_public_reception
      from totals where status = 'ok' and three_public_reception is not null
    union all select sha256, extractor_version, 'operating_expenses', operating_expenses
      from totals where status = 'ok' and operating_expenses is not null
    union all select b.sha256, b.extractor_version, 'by_function:' || b.name, b.amount
      from totals_by_function b join totals t
        on t.sha256 = b.sha256 and t.extractor_version = b.extractor_version
      where t.status = 'ok'
"""

_CHANGES = f"""
create view changes as
with amounts as ({_AMOUNTS}),
revisions as (
  select e.id as event_id, e.time, e.crawl_id, e.portal_id, e.disclosure_id,
         e.attachment_id, e.old_sha256, e.new_sha256,
         (select o.extractor_version from totals o join totals n
            on n.sha256 = e.new_sha256 and n.extractor_version = o.extractor_version
           where o.sha256 = e.old_sha256 and o.status = 'ok' and n.status = 'ok'
           order by cast(o.extractor_version as integer) desc limit 1) as extractor_version
  from events e
  where e.type = 'revised' and e.old_sha256 is not null and e.new_sha256 is not null
),
sides as (
  select r.*, o.field, o.value as old, n.value as new
    from revisions r
    join amounts o on o.sha256 = r.old_sha256 and o.extractor_version = r.extractor_version
    left join amounts n on n.sha256 = r.new_sha256
      and n.extractor_version = r.extractor_version and n.field = o.field
  union all
  select r.*, n.field, null, n.value
    from revisions r
    join amounts n on n.sha256 = r.new_sha256 and n.extractor_version = r.extractor_version
    where not exists (select 1 from amounts o where o.sha256 = r.old_sha256
                        and o.extractor_version = r.extractor_version and o.field = n.field)
)
select event_id, time, crawl_id, portal_id, disclosure_id, attachment_id, old_sha256,
       new_sha256, extractor_version, field, old, new,
       case when old is not null and new is not null then round(new - old, 6) end
         as difference
  from sides
  where old is null or new is null or abs(new - old) > 0.000001
"""

# 1234.5 -> 1,234.50 (SQLite groups digits of integers only)
_WAN = "printf('%,d', cast(round({v}, 2) as integer)) || substr(printf('%.2f', round({v}, 2) - cast(round({v}, 2) as integer)), 2)"  # noqa: E501

_SENTENCES = f"""
create view change_sentences as
select c.event_id, c.time, c.portal_id, c.disclosure_id, c.field,
  coalesce(t.unit_name, d.unit_name, '?') || ' ' || coalesce(t.year, d.year, '')
  || ' ' || case coalesce(t.scope, '') when 'unit' then '单位' else '部门' end
  || case coalesce(t.doc_type, d.doc_type) when 'final_account' then '决算' else '预算' end
  || ': ' || case c.field
       when 'revenue_total' then '收入总计'
       when 'expenditure_total' then '支出总计'
       when 'general_budget_income' then '一般公共预算拨款收入'
       when 'gov_fund_income' then '政府性基金预算拨款收入'
       when 'state_capital_income' then '国有资本经营预算拨款收入'
       when 'carryover' then '上年结转'
       when 'basic_expenditure' then '基本支出'
       when 'project_expenditure' then '项目支出'
       when 'personnel_expenditure' then '人员经费'
       when 'public_expenditure' then '公用经费'
       when 'three_public_total' then '“三公”经费'
       when 'three_public_overseas' then '因公出国(境)费'
       when 'three_public_vehicle_purchase' then '公务用车购置费'
       when 'three_public_vehicle_operation' then '公务用车运行维护费'
       when 'three_public_reception' then '公务接待费'
       when 'operating_expenses' then '机关运行经费'
       else substr(c.field, length('by_function:') + 1) end
  || ' ' || case when c.old is null then '—' else {_WAN.format(v="c.old")} end
  || ' → ' || case when c.new is null then '—' else {_WAN.format(v="c.new")} end
  || ' 万元'
  || case when c.difference is null then ''
          else ' (' || printf('%+.2f', c.difference) || ')' end as sentence
from changes c
left join totals t on t.sha256 = c.new_sha256 and t.extractor_version = c.extractor_version
left join disclosures d on d.id = c.disclosure_id
"""


def apply(db: sqlite_utils.Database) -> None:
    db.execute(_CHANGES)
    db.execute(_SENTENCES)
