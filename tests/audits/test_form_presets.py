"""The five form presets follow their seeds' structure, headings and scales (SPEC §5)."""

from __future__ import annotations

import pytest

from audits import form_presets
from audits.form_presets import DefinitionError, preset, sections_for, validate
from audits.grading import values

SEEDS = {"bradford", "pq", "hillingdon", "bury", "leeds"}


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_each_preset_is_a_well_formed_definition(key):
    """Every preset passes the same checks a QA-drafted form must pass before publishing."""
    definition = preset(key)
    validate(definition)
    assert definition["key"] == key
    for section in definition["sections"]:
        assert section["prompts"], section["key"]


def test_there_are_exactly_the_five_seed_presets():
    assert set(form_presets.PRESETS) == SEEDS


def test_bradford_has_nine_sections_each_on_the_four_grades():
    """Bradford Appendix 1: nine subsections each graded separately; Appendix 2: four
    grades, outstanding to inadequate."""
    definition = preset("bradford")
    assert len(definition["sections"]) == 9
    assert [s["title"].split(".")[0] for s in definition["sections"]] == [
        str(n) for n in range(1, 10)
    ]
    assert values(definition, "grade") == [
        "outstanding",
        "good",
        "requires_improvement",
        "inadequate",
    ]
    assert all(s["scale"] == "grade" for s in definition["sections"])
    assert "overall_within_one_of_lowest" in definition["rules"]
    assert definition["period_months"] == 6


def test_pq_judges_nine_domains_met_partially_or_not_and_overall_on_five_levels():
    """P&Q 16: nine domains judged met / partially met / not met; five-level judgement."""
    definition = preset("pq")
    assert len(definition["sections"]) == 9
    assert {s["scale"] for s in definition["sections"]} == {"met"}
    assert values(definition, "met") == ["met", "partially_met", "not_met"]
    assert values(definition, "overall") == [
        "outstanding",
        "good",
        "requires_improvement_good_elements",
        "requires_improvement",
        "inadequate",
    ]
    assert "good_elements_named" in definition["rules"]


def test_hillingdon_has_seven_areas_and_thirty_seven_numbered_criteria():
    """Hillingdon 4.1-4.7: seven areas, criteria numbered 1 to 37."""
    definition = preset("hillingdon")
    assert [s["title"][:3] for s in definition["sections"]] == [f"4.{n}" for n in range(1, 8)]
    numbers = [c["number"] for s in definition["sections"] for c in s["criteria"]]
    assert numbers == list(range(1, 38))
    assert "outcomes_question" in definition["blocks"]
    assert "outcomes_cap_grade" in definition["rules"]


def test_hillingdon_area_4_7_applies_only_to_looked_after_children_and_care_leavers():
    """Hillingdon 4.7: additional considerations for looked-after children and care
    leavers only."""
    definition = preset("hillingdon")
    assert "looked_after" not in [s["key"] for s in sections_for(definition, "cin")]
    assert "looked_after" in [s["key"] for s in sections_for(definition, "cla")]
    assert "looked_after" in [s["key"] for s in sections_for(definition, "care_leaver")]


def test_bury_reviews_the_whole_record_and_leeds_five_dimensions_over_twelve_months():
    """Bury 4.2: whole-record audits; Leeds 3.2.3-3.2.4: five dimensions, 12 months."""
    assert preset("bury")["period_months"] == 0
    leeds = preset("leeds")
    assert len(leeds["sections"]) == 5
    assert leeds["period_months"] == 12


def test_every_preset_asks_for_child_and_family_views_strengths_learning_and_actions():
    """SPEC §5: the form's extra blocks (Hillingdon 2.3-2.9, P&Q 16-17)."""
    for key in SEEDS:
        blocks = set(preset(key)["blocks"])
        assert {"child_family_views", "strengths", "learning", "actions"} <= blocks, key


def test_a_definition_with_an_unknown_scale_or_rule_is_refused():
    definition = preset("bury")
    definition["sections"][0]["scale"] = "stars"
    with pytest.raises(DefinitionError, match="unknown scale"):
        validate(definition)
    definition = preset("bury")
    definition["rules"] = ["be_nice"]
    with pytest.raises(DefinitionError, match="Unknown grade rules"):
        validate(definition)


def test_preset_returns_a_copy_so_changing_it_leaves_the_preset_alone():
    definition = preset("leeds")
    definition["sections"].clear()
    assert len(preset("leeds")["sections"]) == 5
