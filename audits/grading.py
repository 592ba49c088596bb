"""The grade rules an audit must pass before it is submitted (SPEC §5).

Pure: no Django, no database. Each rule takes the form's definition and the grades given and
returns {field: message} for what breaks it, so the page can show each message beside its
field and in the error summary.

- ``overall_within_one_of_lowest``: the overall grade is at most one grade above the
  lowest section grade (Bradford Appendix 1, "rule of thumb").
- ``outcomes_cap_grade``: not Good or Outstanding when the child's outcomes are neither met
  nor on the way to being met (Hillingdon 3).
- ``good_elements_named``: "requires improvement with elements of good practice" must say
  which elements are good (P&Q 16).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

OVERALL = "overall_grade"
OUTCOMES = "outcomes_met"
GOOD_ELEMENTS = "good_elements"


class Outcomes:
    """Answers to "are the child's outcomes met?" (Hillingdon 3)."""

    MET = "met"
    ON_TRACK = "on_track"
    NOT_MET = "not_met"
    CHOICES = (
        (MET, "Met"),
        (ON_TRACK, "Not yet met, but on the way to being met"),
        (NOT_MET, "Not met and not on the way to being met"),
    )


@dataclass(frozen=True)
class Answers:
    """What the auditor gave: a grade per section key, the overall grade, and the extras
    the rules read."""

    case_type: str
    sections: Mapping[str, str]
    overall: str = ""
    outcomes: str = ""
    good_elements: str = ""
    evidence: Mapping[str, str] = field(default_factory=dict)


def values(definition: Mapping[str, Any], scale: str) -> list[str]:
    """A scale's values, best first."""
    return [level["value"] for level in definition["scales"][scale]]


def rank(definition: Mapping[str, Any], scale: str, value: str) -> int:
    """0 for the best level of the scale, 1 for the next, and so on."""
    return values(definition, scale).index(value)


def label(definition: Mapping[str, Any], scale: str, value: str) -> str:
    for level in definition["scales"][scale]:
        if level["value"] == value:
            return level["label"]
    return value


def is_inadequate(definition: Mapping[str, Any], value: str) -> bool:
    """Whether an overall grade starts the inadequate pathway (P&Q 25)."""
    for level in definition["scales"][definition["overall"]["scale"]]:
        if level["value"] == value:
            return bool(level.get("inadequate"))
    return False


def _applicable(definition: Mapping[str, Any], case_type: str) -> list[Mapping[str, Any]]:
    return [
        s for s in definition["sections"] if not s.get("applies_to") or case_type in s["applies_to"]
    ]


def overall_within_one_of_lowest(definition: Mapping[str, Any], answers: Answers) -> dict[str, str]:
    """Bradford Appendix 1: the overall grade may be at most one grade above the lowest
    section grade. Sections on another scale than the overall grade are not compared."""
    overall_scale = definition["overall"]["scale"]
    if answers.overall not in values(definition, overall_scale):
        return {}
    ranks = [
        rank(definition, overall_scale, answers.sections[s["key"]])
        for s in _applicable(definition, answers.case_type)
        if s["scale"] == overall_scale
        and answers.sections.get(s["key"]) in values(definition, overall_scale)
    ]
    if not ranks:
        return {}
    lowest = max(ranks)
    overall = rank(definition, overall_scale, answers.overall)
    if overall >= lowest - 1:
        return {}
    lowest_label = label(definition, overall_scale, values(definition, overall_scale)[lowest])
    highest_allowed = label(
        definition, overall_scale, values(definition, overall_scale)[lowest - 1]
    )
    return {
        OVERALL: f"The overall grade can be no higher than {highest_allowed}, one grade "
        f"above your lowest section grade ({lowest_label})"
    }


def outcomes_cap_grade(definition: Mapping[str, Any], answers: Answers) -> dict[str, str]:
    """Hillingdon 3: an audit cannot be Good or Outstanding when the child's outcomes are
    not met and not on the way to being met. The answer itself is required."""
    if not answers.outcomes:
        return {OUTCOMES: "Say whether the child's outcomes are met"}
    if answers.outcomes == Outcomes.NOT_MET and answers.overall in ("good", "outstanding"):
        shown = label(definition, definition["overall"]["scale"], answers.overall)
        return {
            OVERALL: f"The overall grade cannot be {shown} when the child's outcomes are "
            "not met and not on the way to being met"
        }
    return {}


def good_elements_named(definition: Mapping[str, Any], answers: Answers) -> dict[str, str]:
    """P&Q 16: "requires improvement with elements of good practice" must name the good
    elements, so the worker knows what is working."""
    if (
        answers.overall == "requires_improvement_good_elements"
        and not (answers.good_elements or "").strip()
    ):
        return {
            GOOD_ELEMENTS: "Name the elements of good practice, as the grade requires "
            "improvement with elements of good practice"
        }
    return {}


RULES: dict[str, Callable[[Mapping[str, Any], Answers], dict[str, str]]] = {
    "overall_within_one_of_lowest": overall_within_one_of_lowest,
    "outcomes_cap_grade": outcomes_cap_grade,
    "good_elements_named": good_elements_named,
}


def check_complete(definition: Mapping[str, Any], answers: Answers) -> dict[str, str]:
    """Every section that applies has a grade on its scale and evidence; the overall grade
    is given. Keys are `section-<key>-grade`, `section-<key>-evidence`, `overall_grade`."""
    errors: dict[str, str] = {}
    for section in _applicable(definition, answers.case_type):
        key = section["key"]
        if answers.sections.get(key) not in values(definition, section["scale"]):
            errors[f"section-{key}-grade"] = f"Grade “{section['title']}”"
        if not (answers.evidence.get(key) or "").strip():
            errors[f"section-{key}-evidence"] = f"Give the evidence for “{section['title']}”"
    if answers.overall not in values(definition, definition["overall"]["scale"]):
        errors[OVERALL] = "Choose the overall grade"
    return errors


def check_grades(definition: Mapping[str, Any], answers: Answers) -> dict[str, str]:
    """The grade rules the form names, each message keyed by the field it belongs to."""
    errors: dict[str, str] = {}
    for name in definition.get("rules", ()):
        for key, message in RULES[name](definition, answers).items():
            errors.setdefault(key, message)
    return errors


def check(definition: Mapping[str, Any], answers: Answers) -> dict[str, str]:
    """Everything that stops a submission: missing answers first, then the grade rules."""
    errors = check_complete(definition, answers)
    for key, message in check_grades(definition, answers).items():
        errors.setdefault(key, message)
    return errors
