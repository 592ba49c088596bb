"""The grade rules checked on submit (SPEC §5)."""

from __future__ import annotations

from audits.form_presets import preset
from audits.grading import Answers, Outcomes, check, check_grades, is_inadequate


def _bradford(sections: list[str], overall: str) -> Answers:
    keys = [s["key"] for s in preset("bradford")["sections"]]
    return Answers(
        case_type="cin", sections=dict(zip(keys, sections, strict=True)), overall=overall
    )


def test_bradford_overall_grade_may_not_be_more_than_one_above_the_lowest_section():
    """Bradford Appendix 1: one section requires improvement → overall no higher than
    good."""
    answers = _bradford(["good"] * 8 + ["requires_improvement"], "outstanding")
    errors = check_grades(preset("bradford"), answers)
    assert "no higher than Good" in errors["overall_grade"]


def test_bradford_overall_one_grade_above_the_lowest_section_is_allowed():
    """Bradford Appendix 1: one grade above the lowest is within the rule of thumb."""
    answers = _bradford(["good"] * 8 + ["requires_improvement"], "good")
    assert check_grades(preset("bradford"), answers) == {}


def test_bradford_an_inadequate_section_caps_the_overall_at_requires_improvement():
    answers = _bradford(["outstanding"] * 8 + ["inadequate"], "good")
    errors = check_grades(preset("bradford"), answers)
    assert "Requires improvement" in errors["overall_grade"]


def test_hillingdon_cannot_be_good_when_outcomes_are_not_met():
    """Hillingdon 3: not Good or Outstanding if outcomes are not met or on the way."""
    definition = preset("hillingdon")
    for grade in ("good", "outstanding"):
        answers = Answers(case_type="cin", sections={}, overall=grade, outcomes=Outcomes.NOT_MET)
        assert "cannot be" in check_grades(definition, answers)["overall_grade"]


def test_hillingdon_outcomes_on_the_way_to_being_met_allow_good():
    """Hillingdon 3: "or are not on the way of being met": on track is enough."""
    answers = Answers(case_type="cin", sections={}, overall="good", outcomes=Outcomes.ON_TRACK)
    assert check_grades(preset("hillingdon"), answers) == {}


def test_hillingdon_requires_an_answer_on_outcomes():
    answers = Answers(case_type="cin", sections={}, overall="requires_improvement")
    assert "outcomes_met" in check_grades(preset("hillingdon"), answers)


def test_pq_requires_improvement_with_good_elements_must_name_them():
    """P&Q 16: auditors must be specific about which elements of practice are good."""
    definition = preset("pq")
    answers = Answers(case_type="cp", sections={}, overall="requires_improvement_good_elements")
    assert "good_elements" in check_grades(definition, answers)
    named = Answers(
        case_type="cp",
        sections={},
        overall="requires_improvement_good_elements",
        good_elements="Direct work captured the child's wishes well.",
    )
    assert check_grades(definition, named) == {}


def test_pq_met_domains_are_not_compared_with_the_overall_scale():
    """The one-grade rule is Bradford's; P&Q domains use another scale altogether."""
    definition = preset("pq")
    keys = [s["key"] for s in definition["sections"]]
    answers = Answers(
        case_type="cp", sections=dict.fromkeys(keys, "not_met"), overall="outstanding"
    )
    assert check_grades(definition, answers) == {}


def test_missing_grades_and_evidence_are_named_field_by_field():
    definition = preset("leeds")
    errors = check(definition, Answers(case_type="cin", sections={"recording": "good"}))
    assert "section-recording-grade" not in errors
    assert "section-recording-evidence" in errors
    assert "section-assessment-grade" in errors
    assert errors["overall_grade"] == "Choose the overall grade"


def test_a_section_that_does_not_apply_is_not_required():
    """Hillingdon 4.7 is not asked of a child-in-need case."""
    definition = preset("hillingdon")
    errors = check(definition, Answers(case_type="cin", sections={}))
    assert "section-looked_after-grade" not in errors
    errors = check(definition, Answers(case_type="cla", sections={}))
    assert "section-looked_after-grade" in errors


def test_only_the_inadequate_level_starts_the_pathway():
    """P&Q 25: the inadequate process follows an inadequate overall grade."""
    assert is_inadequate(preset("pq"), "inadequate")
    assert not is_inadequate(preset("pq"), "requires_improvement")
    assert is_inadequate(preset("bradford"), "inadequate")
