import pytest

from crawler.dates import parse_date
from extract.titles import classify_title


@pytest.mark.parametrize(
    "title, is_disclosure, doc_type, year, unit, scope",
    [
        ("演示市教育局2025年部门预算", True, "budget", 2025, "演示市教育局", "department"),
        (
            "演示市医疗保障事务中心2025年单位预算",
            True,
            "budget",
            2025,
            "演示市医疗保障事务中心",
            "unit",
        ),
        (
            "关于公开演示市教育局2023年度部门决算的说明",
            True,
            "final_account",
            2023,
            "演示市教育局",
            "department",
        ),
        (
            "重庆市财政局（本级）2026年单位预算公开",
            True,
            "budget",
            2026,
            "重庆市财政局（本级）",
            "unit",
        ),
        ("演示市财政局2025年办公设备采购项目公开招标公告", False, None, 2025, "演示市财政局", None),
        ("演示市教育局2025年公开招聘事业单位工作人员公告", False, None, 2025, "演示市教育局", None),
        (
            "演示市2024年预算执行情况和2025年预算草案的报告",
            False,
            "budget",
            2024,
            "演示市",
            "department",
        ),
        ("2 0 2 5 年 部 门 预 算", True, "budget", 2025, None, "department"),
        # words that mark notices are part of some units' names
        ("演示市教育考试院2026年单位预算", True, "budget", 2026, "演示市教育考试院", "unit"),
        (
            "演示市政府采购中心2025年部门预算",
            True,
            "budget",
            2025,
            "演示市政府采购中心",
            "department",
        ),
        (
            "演示市财政投资评审中心2024年度单位决算",
            True,
            "final_account",
            2024,
            "演示市财政投资评审中心",
            "unit",
        ),
    ],
)
def test_classify_title(title, is_disclosure, doc_type, year, unit, scope):
    facts = classify_title(title)
    assert facts.is_disclosure is is_disclosure
    assert facts.doc_type == doc_type
    assert facts.year == year
    assert facts.unit_name == unit
    assert facts.scope == scope


def test_kangxi_radicals_are_normalised():
    # ⽀ (U+2F40) is how Chromium-printed PDFs spell 支; titles copied from them keep it.
    assert classify_title("演示市⼈民医院2025年单位预算").unit_name == "演示市人民医院"


@pytest.mark.parametrize(
    "text, iso",
    [
        ("2026-03-02 09:52", "2026-03-02"),
        ("2026年3月2日", "2026-03-02"),
        ("发布时间：2025/4/1", "2025-04-01"),
        ("[03-02]", None),
        ("2025-13-40", None),
        (None, None),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "title, unit",
    [
        ("（更正版）某市司法局2025年部门预算", "某市司法局"),
        ("某市司法局（更正）2025年部门决算", "某市司法局"),
        ("【更正】某市信访局（本级）2026年单位预算", "某市信访局（本级）"),
        ("某市民政局(修订版)2026年部门预算公开", "某市民政局"),
    ],
)
def test_correction_markers_are_no_part_of_a_unit_name(title, unit):
    facts = classify_title(title)
    assert facts.is_disclosure and facts.unit_name == unit


@pytest.mark.parametrize(
    "title, word",
    [
        ("某局2026年预算执行情况审计整改报告", "执行情况"),
        ("关于开展2026年部门预算绩效自评工作的通知", "绩效自评"),
        ("某区2026年部门预算绩效目标表", "绩效目标"),
        ("关于某区2026年部门预算公开的征求意见稿", "征求意见"),
    ],
)
def test_noise_says_which_word_made_it_noise(title, word):
    facts = classify_title(title)
    assert not facts.is_disclosure and facts.noise_word == word
