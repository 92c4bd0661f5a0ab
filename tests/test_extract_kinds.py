"""The extractor on documents built to have one trait each, as real disclosures have them.

Each document is text (prose lines, table rows tab-separated) rendered to a real PDF by
the demo's renderer. A wrong number is a failure; a null where the document is unclear
is not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from demo_portal.render import SeedDoc, render_pdf
from extract.document import extract_pdf

UNIT = "示例市测绘服务中心"


def summary_table(
    revenue: str = "1,234.56", general: str = "1,234.56", expenditure: str = "1,234.56"
) -> str:
    return (
        "部门收支总表\n\n单位：万元\n\n"
        "收入\t\t支出\t\n"
        "项目\t预算数\t项目\t预算数\n"
        f"一、一般公共预算拨款收入\t{general}\t一、一般公共服务支出\t{expenditure}\n"
        "二、政府性基金预算拨款收入\t\t二、教育支出\t\n"
        "三、国有资本经营预算拨款收入\t\t\t\n"
        f"收入总计\t{revenue}\t支出总计\t{expenditure}\n"
    )


def document(*blocks: str, title: str = f"{UNIT}2025年部门预算") -> SeedDoc:
    text = f"**{title}**\n\n" + "\n\n".join(blocks) + "\n"
    return SeedDoc(name=title, text=text, labels={})


@pytest.fixture
def extract(tmp_path):
    def run(doc: SeedDoc) -> dict:
        path: Path = tmp_path / "doc.pdf"
        path.write_bytes(render_pdf(doc))
        return extract_pdf(path).to_json()

    return run


def test_a_narrowed_total_in_prose_is_not_the_whole(extract):
    """政府采购支出总额 and 专项转移支付支出预算 are parts; the whole stays unknown."""
    result = extract(
        document(
            "一、收支情况说明",
            "本部门政府采购支出总额0万元，其中：政府采购货物支出0万元。",
            "其他上级专项转移支付支出预算393.23万元，主要用于测绘服务。",
        )
    )
    assert result["expenditure_total"] is None


def test_a_heading_does_not_lend_its_figure_to_the_next_item(extract):
    """`三公经费支出情况（一）因公出国（境）经费…0.00万元`: 0.00 is the overseas part's."""
    result = extract(
        document(
            "六、一般公共预算三公经费支出情况（一）因公出国（境）经费2025年预算安排0.00万元，"
            "与上年持平。（二）公务接待费2025年预算安排2.00万元，与上年持平。",
        )
    )
    assert result["three_public_total"] is None
    assert result["three_public_overseas"] == 0.0
    assert result["three_public_reception"] == 2.0


def test_an_organisation_name_may_lead_a_total(extract):
    result = extract(
        document(f"2025年，{UNIT}收入预算1,234.56万元，其中：财政拨款收入1,234.56万元。")
    )
    assert result["revenue_total"] == 1234.56


def test_an_empty_total_cell_is_not_a_zero_total(extract):
    """A 收入总计 row whose amount cell is empty: unknown, not 0 (its parts are not 0)."""
    result = extract(document(summary_table(revenue="")))
    assert result["revenue_total"] is None
    assert result["expenditure_total"] == 1234.56
    assert result["gov_fund_income"] == 0.0  # an empty part is a zero


def test_a_printed_total_is_read(extract):
    result = extract(document(summary_table()))
    assert result["revenue_total"] == result["expenditure_total"] == 1234.56
    assert result["checks"]["revenue_equals_expenditure"]["status"] == "ok"


BASIC_BY_CLASS = (
    "一般公共预算基本支出表\n\n单位：万元\n\n"
    "科目编码\t科目名称\t合计\n"
    "\t合计\t1,000.00\n"
    "301\t工资福利支出\t700.00\n"
    "30101\t基本工资\t300.00\n"
    "30102\t津贴补贴\t400.00\n"
    "302\t商品和服务支出\t200.00\n"
    "30201\t办公费\t200.00\n"
    "303\t对个人和家庭的补助\t100.00\n"
    "30302\t退休费\t100.00\n"
)


def test_personnel_derived_from_its_parts_when_a_check_confirms_it(extract):
    """人员经费 = 工资福利支出 + 对个人和家庭的补助, marked derived, kept because
    人员经费 + 公用经费 = 基本支出 holds."""
    result = extract(
        document(
            "2025年基本支出预算1,000.00万元，主要用于保障机构运转；公用经费200.00万元。",
            BASIC_BY_CLASS,
        )
    )
    assert result["personnel_expenditure"] == 800.0
    assert result["evidence"]["personnel_expenditure"]["derived"] is True
    assert result["checks"]["personnel_plus_public"]["status"] == "ok"


def test_personnel_parts_without_a_confirming_check_give_null(extract):
    result = extract(document(BASIC_BY_CLASS))
    assert result["personnel_expenditure"] is None


def test_a_sentence_that_says_none_is_a_zero(extract):
    result = extract(
        document(
            "本单位无机关运行经费。",
            "2025年本部门无“三公”经费预算安排。",
            "本部门没有政府性基金预算拨款收入。",
        )
    )
    assert result["operating_expenses"] == 0.0
    assert result["three_public_total"] == 0.0
    assert result["three_public_reception"] == 0.0  # each part of a zero total
    assert result["gov_fund_income"] == 0.0
    assert result["evidence"]["operating_expenses"]["source"] == "sentence"


def test_none_said_of_another_year_is_not_this_years_zero(extract):
    result = extract(document("上年无机关运行经费，2024年无“三公”经费。"))
    assert result["operating_expenses"] is None
    assert result["three_public_total"] is None


@pytest.mark.parametrize(
    ("title", "name", "marker"),
    [
        ("示例市信访局（本级）2025年单位预算", "示例市信访局", "本级"),
        (".示例市信访局（本级）2025年单位预算", "示例市信访局", "本级"),
        ("示例市司法局（汇总2025年部门预算", "示例市司法局", "汇总"),
        ("示例市司法局2025年部门预算", "示例市司法局", None),
    ],
)
def test_a_unit_name_is_whole_and_its_scope_marker_apart(extract, title, name, marker):
    result = extract(document(summary_table(), title=title))
    assert result["unit_name"] == name
    assert result["evidence"]["unit_name"].get("marker") == marker


def test_figures_of_one_source_of_funds_are_not_the_whole(extract):
    """`三、财政拨款情况说明 … 其中：基本支出 …`: that section's 基本支出 is the 财政拨款 part."""
    result = extract(
        document(
            "二、部门收支总体情况",
            "2025年年初预算数1,500.00万元，其中：一般公共预算财政拨款1,000.00万元。",
            "三、财政拨款情况说明",
            "2025年一般公共预算财政拨款支出1,000.00万元。其中：基本支出600.00万元，"
            "主要用于保障运转；项目支出400.00万元，主要用于测绘。",
        )
    )
    assert result["basic_expenditure"] is None
    assert result["project_expenditure"] is None


def test_basic_and_project_short_of_the_total_by_a_printed_carry_forward(extract):
    result = extract(
        document(
            "三、支出预算情况说明",
            "2025年支出预算1,500.00万元。（一）基本支出。基本支出预算600.00万元。"
            "（二）项目支出。项目支出预算800.00万元。（三）年终结转结余资金100.00万元。",
        )
    )
    check = result["checks"]["basic_plus_project"]
    assert (result["basic_expenditure"], result["project_expenditure"]) == (600.0, 800.0)
    assert check["status"] == "ok" and check["besides"] == {"carry_forward": 100.0}


def test_basic_and_project_short_of_the_total_otherwise_fail(extract):
    result = extract(
        document(
            "三、支出预算情况说明",
            "2025年支出预算1,500.00万元。（一）基本支出。基本支出预算600.00万元。"
            "（二）项目支出。项目支出预算800.00万元。（三）年终结转结余资金50.00万元。",
        )
    )
    assert result["checks"]["basic_plus_project"]["status"] == "failed"


def test_function_classes_short_of_the_total_by_its_carry_forward(extract):
    """A 收支总表 lists the classes down to 本年支出合计, then 结转下年 below it: the classes
    add up to 支出总计 less the carry-forward."""
    result = extract(
        document(
            "部门收支总表\n\n单位：万元\n\n"
            "收入\t\t支出\t\n"
            "项目\t预算数\t项目\t预算数\n"
            "一、一般公共预算拨款收入\t1,000.00\t一、教育支出\t700.00\n"
            "二、上年结转\t200.00\t二、住房保障支出\t300.00\n"
            "本年收入合计\t1,000.00\t本年支出合计\t1,000.00\n"
            "\t\t结转下年\t200.00\n"
            "收入总计\t1,200.00\t支出总计\t1,200.00\n"
        )
    )
    check = result["checks"]["by_function_sum"]
    assert result["by_function"] == {"教育支出": 700.0, "住房保障支出": 300.0}
    assert check["status"] == "ok" and check["besides"] == {"carry_forward": 200.0}


def test_basic_and_project_add_up_to_this_years_spending_when_no_field_names_the_rest(extract):
    """支出总计 holds lines below 本年支出合计 that no field names (未安排支出的资金): the
    parts are checked against the printed 本年支出合计."""
    result = extract(
        document(
            "部门收支总表\n\n单位：万元\n\n"
            "收入\t\t支出\t\n"
            "项目\t预算数\t项目\t预算数\n"
            "一、一般公共预算拨款收入\t1,200.00\t一、教育支出\t1,000.00\n"
            "本年收入合计\t1,200.00\t本年支出合计\t1,000.00\n"
            "\t\t结转下年\t50.00\n"
            "\t\t未安排支出的资金\t150.00\n"
            "收入总计\t1,200.00\t支出总计\t1,200.00\n",
            "三、支出预算情况说明",
            "基本支出预算600.00万元。项目支出预算400.00万元。",
        )
    )
    for name in ("basic_plus_project", "by_function_sum"):
        check = result["checks"][name]
        assert check["status"] == "ok" and check["besides"] == {"below_this_year": 200.0}, name


def test_parts_short_of_this_years_spending_still_fail(extract):
    result = extract(
        document(
            "部门收支总表\n\n单位：万元\n\n"
            "收入\t\t支出\t\n"
            "项目\t预算数\t项目\t预算数\n"
            "一、一般公共预算拨款收入\t1,200.00\t一、教育支出\t1,000.00\n"
            "本年收入合计\t1,200.00\t本年支出合计\t1,000.00\n"
            "\t\t未安排支出的资金\t200.00\n"
            "收入总计\t1,200.00\t支出总计\t1,200.00\n",
            "三、支出预算情况说明",
            "基本支出预算600.00万元。项目支出预算390.00万元。",
        )
    )
    assert result["checks"]["basic_plus_project"]["status"] == "failed"


FILLER = ["本表反映部门本年度的收支总体情况。"] * 40
BASIC_PROJECT_SUMMARY = (
    "部门收支总体情况表\n\n单位：万元\n\n"
    "收入\t\t支出\t\n"
    "项目\t本年预算\t项目\t本年预算\n"
    "一、本级财政拨款收入\t1,000.00\t一、基本支出\t600.00\n"
    "二、事业收入\t\t二、项目支出\t400.00\n"
    "收入总计\t1,000.00\t支出总计\t1,000.00\n"
)


def test_classes_from_the_expenditure_table_when_the_summary_lists_none(extract):
    """A 收支总表 by basic and project only (as Changsha's): the classes and the basic /
    project split come from the 部门支出总体情况表, its 类 rows (款 and 项 below them)."""
    result = extract(
        document(
            BASIC_PROJECT_SUMMARY,
            "部门支出总体情况表\n\n单位：万元\n\n"
            "科目编码\t功能科目\t总计\t基本支出\t项目支出\n"
            "\t合计\t1,000.00\t600.00\t400.00\n"
            "205\t教育支出\t800.00\t500.00\t300.00\n"
            "20503\t职业教育\t800.00\t500.00\t300.00\n"
            "221\t住房保障支出\t200.00\t100.00\t100.00\n"
            "22102\t住房改革支出\t200.00\t100.00\t100.00\n",
        )
    )
    assert result["by_function"] == {"教育支出": 800.0, "住房保障支出": 200.0}
    assert result["checks"]["by_function_sum"]["status"] == "ok"
    assert (result["basic_expenditure"], result["project_expenditure"]) == (600.0, 400.0)


def test_classes_from_the_expenditure_table_that_do_not_add_up_are_left_out(extract):
    result = extract(
        document(
            BASIC_PROJECT_SUMMARY,
            *FILLER,  # the next table on a page of its own
            "部门支出总体情况表\n\n单位：万元\n\n"
            "科目编码\t功能科目\t总计\t基本支出\t项目支出\n"
            "205\t教育支出\t800.00\t500.00\t300.00\n"
            "20503\t职业教育\t800.00\t500.00\t300.00\n",
        )
    )
    assert result["by_function"] is None


def test_classes_printed_without_their_zhichu_under_a_function_header(extract):
    """Under 支出功能分类科目 a class may be printed 教育 for 教育支出."""
    result = extract(
        document(
            "部门收支总表\n\n单位：万元\n\n"
            "收入\t\t支出\t\n"
            "项目\t预算数\t支出功能分类科目（按大类）\t预算数\n"
            "一、财政拨款\t1,000.00\t1、教育\t700.00\n"
            "二、事业收入\t\t2、卫生健康\t300.00\n"
            "收入总计\t1,000.00\t支出总计\t1,000.00\n"
        )
    )
    assert result["by_function"] == {"教育支出": 700.0, "卫生健康支出": 300.0}


def three_public_down_the_page(*extra: str, total: str = "27.31") -> str:
    return (
        "一般公共预算“三公”经费支出预算表\n\n单位：万元\n\n"
        "项目\t预算数\n"
        f"合计\t{total}\n"
        "1、因公出国（境）费用\t0.00\n"
        "2、公务接待费\t2.00\n"
        "3、公务用车购置及运行费\t25.31\n"
        "其中：（1）公务用车购置费\t0.00\n"
        "（2）公务用车运行费\t25.31\n" + "".join(extra)
    )


def test_a_three_public_table_down_the_page(extract):
    """The items in rows and one column of figures (as many cities print it)."""
    result = extract(document(three_public_down_the_page()))
    got = {k: result[k] for k in result if k.startswith("three_public")}
    assert got == {
        "three_public_total": 27.31,
        "three_public_overseas": 0.0,
        "three_public_vehicle_purchase": 0.0,
        "three_public_vehicle_operation": 25.31,
        "three_public_reception": 2.0,
    }
    assert result["checks"]["three_public_parts"]["status"] == "ok"


def test_a_three_public_total_down_the_page_that_counts_more_is_left_out(extract):
    """Its 合计 also counts 会议费 and 培训费: the parts do not add up to it."""
    result = extract(
        document(three_public_down_the_page("4、会议费\t3.00\n5、培训费\t1.00\n", total="31.31"))
    )
    assert result["three_public_total"] is None
    assert result["three_public_reception"] == 2.0


FINAL_SUMMARY = (
    "收入支出决算总表\n\n单位：万元\n\n"
    "收入\t\t\t\t支出\t\t\t\n"
    "项目\t行次\t年初预算数\t决算数\t项目\t行次\t年初预算数\t决算数\n"
    "一、一般公共预算财政拨款收入\t1\t880.00\t900.00\t一、一般公共服务支出\t7\t900.00\t950.00\n"
    "二、政府性基金预算财政拨款收入\t2\t\t\t二、教育支出\t8\t\t\n"
    "本年收入合计\t3\t880.00\t900.00\t本年支出合计\t9\t900.00\t950.00\n"
    "年初结转和结余\t4\t20.00\t100.00\t年末结转和结余\t10\t\t50.00\n"
    "总计\t5\t900.00\t1,000.00\t总计\t11\t900.00\t1,000.00\n"
)


def test_a_final_account_gives_its_actuals_with_both_carry_overs(extract):
    """总计 on both sides holds 年初 / 年末结转和结余; the 决算数 column, not 年初预算数, not 行次."""
    result = extract(document(FINAL_SUMMARY, title=f"{UNIT}2024年度部门决算"))
    assert result["doc_type"] == "final_account"
    assert (result["revenue_total"], result["expenditure_total"]) == (1000.0, 1000.0)
    assert result["general_budget_income"] == 900.0
    assert result["carryover"] == 100.0
    assert result["by_function"] == {"一般公共服务支出": 950.0}


def test_a_budget_beside_last_years_column_gives_this_years(extract):
    table = (
        "部门收支总表\n\n单位：万元\n\n"
        "项目\t2024年预算数\t2025年预算数\t项目\t2024年预算数\t2025年预算数\n"
        "一般公共预算拨款收入\t1,100.00\t1,234.56\t一般公共服务支出\t1,100.00\t1,234.56\n"
        "收入总计\t1,100.00\t1,234.56\t支出总计\t1,100.00\t1,234.56\n"
    )
    result = extract(document(table))
    assert result["revenue_total"] == result["expenditure_total"] == 1234.56
    assert result["general_budget_income"] == 1234.56
    assert result["by_function"] == {"一般公共服务支出": 1234.56}


def test_numbers_split_by_noise(extract):
    """`2, 361. 22`, `1 585.06`, full-width digits and punctuation: one number each."""
    result = extract(
        document(
            "2025年收入预算2, 361. 22万元，其中：一般公共预算拨款收入２，３６１．２２万元。",
            summary_table(revenue="1 585.06", general="1 585.06", expenditure="1 585.06"),
        )
    )
    assert result["revenue_total"] == 1585.06  # the table's figure, before the prose's
    assert result["checks"]["table_agrees_with_prose"]["status"] == "failed"
    assert result["general_budget_income"] == 1585.06


def test_prose_figures_with_noise_when_there_is_no_table(extract):
    result = extract(
        document("2025年收入预算2, 361. 22万元，其中：一般公共预算拨款收入２，３６１．２２万元。")
    )
    assert result["revenue_total"] == 2361.22
    assert result["general_budget_income"] == 2361.22


FOLDED_SUMMARY = (
    "部门收支总表\n\n单位：万元\n\n"
    "收入\t\t支出\t\n"
    "项目\t预算数\t项目\t预算数\n"
    "一、一般公共预算资金\t1,100.00\t一、一般公共服务支出\t1,000.00\n"
    "二、政府性基金预算资金\t150.00\t二、教育支出\t300.00\n"
    "三、国有资本经营预算资金\t\t\t\n"
    "四、事业收入资金\t50.00\t\t\n"
    "收入总计\t1,300.00\t支出总计\t1,300.00\n"
)


def fiscal_table(general_now: str = "1,000.00", general_before: str = "100.00") -> str:
    return (
        "财政拨款收支总表\n\n单位：万元\n\n"
        "收入\t\t支出\t\t\t\n"
        "项目\t预算数\t项目\t合计\t一般公共预算\t政府性基金预算\n"
        f"一、本年收入\t{general_now}\t一、本年支出\t1,250.00\t1,100.00\t150.00\n"
        f"（一）一般公共预算资金\t{general_now}\t（一）一般公共服务支出\t1,000.00\t1,000.00\t\n"
        "（二）政府性基金预算资金\t\t（二）教育支出\t250.00\t100.00\t150.00\n"
        "（三）国有资本经营预算资金\t\t\t\t\t\n"
        "二、上年结转\t250.00\t二、结转下年\t\t\t\n"
        f"（一）一般公共预算拨款\t{general_before}\t\t\t\t\n"
        "（二）政府性基金预算拨款\t150.00\t\t\t\t\n"
        "收入合计\t1,250.00\t支出合计\t1,250.00\t1,100.00\t150.00\n"
    )


def test_income_lines_that_fold_their_carry_over_give_this_years(extract):
    """A 收支总表 with no 上年结转 line: each source's line holds its carry-over, which only the
    财政拨款收支总表 splits off. This year's appropriations and the carry-over are read there."""
    prose = "2025年收入预算1,300.00万元，其中：一般公共预算资金1,100.00万元。"
    result = extract(document(prose, FOLDED_SUMMARY, "\f", fiscal_table()))
    assert result["revenue_total"] == 1300.0
    assert result["general_budget_income"] == 1000.0
    assert result["gov_fund_income"] == 0.0
    assert result["carryover"] == 250.0
    evidence = result["evidence"]["general_budget_income"]
    assert evidence["with_carryover"]["printed"] == 1100.0
    # the prose gives the folded line: not a disagreement with the tables
    assert result["checks"]["table_agrees_with_prose"]["status"] != "failed"


def test_a_split_that_does_not_add_up_to_the_line_changes_nothing(extract):
    """1,000 + 90 is not the 收支总表's 1,100: no telling what the line holds."""
    result = extract(document(FOLDED_SUMMARY, "\f", fiscal_table(general_before="90.00")))
    assert result["general_budget_income"] == 1100.0
    assert result["carryover"] is None
