"""The extractor on table layouts the demo's renderer does not draw: merged cells and a
收支总表 that breaks spending down by function and by economic class side by side (as
Xi'an's 部门综合预算收支总表 does, ../shared/real/corpus).

Each table is drawn here with reportlab's platypus (SPAN for merged cells) into a real PDF.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from demo_portal.render import FONT
from extract.document import extract_pdf

TITLE = "示例市民政服务中心2025年部门预算"

#: 收入 | 预算数 | 支出功能分类 (its label cell merged over two columns) | 预算数 |
#: 经济分类 | 预算数. 其他支出 is an economic class (0.00) before it is a function class.
# fmt: off
HEAD = [
    ["收入", "", "支出", "", "", "", ""],
    ["项目", "预算数", "支出功能分类科目（按大类）", "", "预算数", "政府预算支出经济分类科目", "预算数"],
]
BODY = [
    ["一、财政拨款", "900.00", "一、社会保障和就业支出", "", "700.00", "1、机关工资福利支出", "300.00"],
    ["二、事业收入", "100.00", "二、卫生健康支出", "", "120.00", "2、其他支出", "0.00"],
    ["", "", "三、住房保障支出", "", "60.00", "3、对个人和家庭的补助", "700.00"],
    ["", "", "四、其他支出", "", "120.00", "", ""],
    ["收入总计", "1,000.00", "支出总计", "", "1,000.00", "支出总计", "1,000.00"],
]
CLASSES = {"社会保障和就业支出": 700.0, "卫生健康支出": 120.0, "住房保障支出": 60.0, "其他支出": 120.0}
# fmt: on


def summary_pdf() -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), title=TITLE)
    title = ParagraphStyle("t", fontName=FONT, fontSize=14, leading=18)
    rows = HEAD + BODY
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("SPAN", (0, 0), (1, 0)),  # 收入
        ("SPAN", (2, 0), (6, 0)),  # 支出
    ]
    style += [("SPAN", (2, i), (3, i)) for i in range(1, len(rows))]  # the class labels
    table = Table(rows, colWidths=[90, 60, 90, 50, 60, 120, 60])
    table.setStyle(TableStyle(style))
    story = [
        Paragraph(TITLE, title),
        Paragraph("部门收支总表", title),
        Paragraph("单位：万元", ParagraphStyle("u", fontName=FONT, fontSize=9)),
        table,
    ]
    doc.build(story)
    return out.getvalue()


def test_function_classes_in_merged_cells_beside_economic_classes(tmp_path: Path):
    path = tmp_path / "summary.pdf"
    path.write_bytes(summary_pdf())
    result = extract_pdf(path).to_json()
    assert result["expenditure_total"] == pytest.approx(1000.0)
    assert result["by_function"] == pytest.approx(CLASSES)
    assert result["checks"]["by_function_sum"]["status"] == "ok"


#: 序号 | 科目名称 | then three groups of three narrow columns: the header's name in the middle
#: one between two empty cells, each figure merged over its group (as a real 基本支出表 of
#: the same template draws it).
BASIC_ROWS = [
    ["序号", "科目名称", "", "合计", "", "", "人员经费支出", "", "", "公用经费支出", ""],
    ["1", "合计", "600.00", "", "", "450.00", "", "", "150.00", "", ""],
    ["2", "工资福利支出", "450.00", "", "", "450.00", "", "", "", "", ""],
    ["3", "商品和服务支出", "150.00", "", "", "", "", "", "150.00", "", ""],
]


def basic_pdf() -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), title=TITLE)
    title = ParagraphStyle("t", fontName=FONT, fontSize=14, leading=18)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
    ]
    for i in range(1, len(BASIC_ROWS)):
        style += [("SPAN", (c, i), (c + 2, i)) for c in (2, 5, 8)]
    table = Table(BASIC_ROWS, colWidths=[40, 120] + [12, 70, 12] * 3)
    table.setStyle(TableStyle(style))
    story = [
        Paragraph(TITLE, title),
        Paragraph("一般公共预算基本支出表", title),
        Paragraph("单位：万元", ParagraphStyle("u", fontName=FONT, fontSize=9)),
        table,
    ]
    doc.build(story)
    return out.getvalue()


def test_figures_merged_under_a_split_header_beside_row_numbers(tmp_path: Path):
    """The total row starts with its 序号; each figure's cell spans the header's three; the
    header row's empty cells are not zeros."""
    path = tmp_path / "basic.pdf"
    path.write_bytes(basic_pdf())
    result = extract_pdf(path).to_json()
    assert result["personnel_expenditure"] == pytest.approx(450.0)
    assert result["public_expenditure"] == pytest.approx(150.0)


#: A 支出总表 whose 基本支出 is only its two parts (人员支出, 日常公用支出), under one merged
#: header cell and without a subtotal column.
# fmt: off
EXPENDITURE_ROWS = [
    ["科目名称", "合计", "基本支出", "", "项目支出"],
    ["", "", "人员支出", "日常公用支出", ""],
    ["合计", "1,000.00", "500.00", "100.00", "400.00"],
    ["教育支出", "1,000.00", "500.00", "100.00", "400.00"],
]
SUMMARY_TEXT = [
    ["收入", "预算数", "支出", "预算数"],
    ["一、财政拨款收入", "1,000.00", "一、教育支出", "1,000.00"],
    ["收入总计", "1,000.00", "支出总计", "1,000.00"],
]
# fmt: on


def folded_pdf() -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), title=TITLE)
    title = ParagraphStyle("t", fontName=FONT, fontSize=14, leading=18)
    unit = ParagraphStyle("u", fontName=FONT, fontSize=9)
    grid = [("FONTNAME", (0, 0), (-1, -1), FONT), ("GRID", (0, 0), (-1, -1), 0.4, colors.black)]
    summary = Table(SUMMARY_TEXT, colWidths=[120, 70, 120, 70])
    summary.setStyle(TableStyle(grid))
    expenditure = Table(EXPENDITURE_ROWS, colWidths=[120, 70, 70, 80, 70])
    spans = [("SPAN", (2, 0), (3, 0))] + [("SPAN", (c, 0), (c, 1)) for c in (0, 1, 4)]
    expenditure.setStyle(TableStyle(grid + spans))
    story = [
        Paragraph(TITLE, title),
        Paragraph("部门收支总表", title),
        Paragraph("单位：万元", unit),
        summary,
        Paragraph("部门支出总表", title),
        Paragraph("单位：万元", unit),
        expenditure,
    ]
    doc.build(story)
    return out.getvalue()


def test_basic_given_only_as_its_parts_is_their_sum_marked_derived(tmp_path: Path):
    path = tmp_path / "folded.pdf"
    path.write_bytes(folded_pdf())
    result = extract_pdf(path).to_json()
    assert result["basic_expenditure"] == pytest.approx(600.0)
    assert result["evidence"]["basic_expenditure"]["derived"] is True
    assert result["project_expenditure"] == pytest.approx(400.0)
    assert result["checks"]["basic_plus_project"]["status"] == "ok"
