"""The five audit forms the seeds describe, as data (SPEC §5).

A form definition is a plain dict, JSON-safe, so that a published version can be frozen
into the database as it stands and shown unchanged for as long as its audits exist:

- ``key``, ``title``, ``source`` (the seed and paragraphs the form follows),
  ``period_months`` (how far back the audit looks; 0 for the whole record);
- ``scales``: named scales, each an ordered list of levels from best to worst, every level
  with a ``value``, a ``label`` and a short ``descriptor``; a level with ``"inadequate":
  true`` starts the inadequate pathway (P&Q 25);
- ``sections``: each with ``key``, ``title``, ``prompts`` (our own short summaries of the
  seed's guidance), ``scale``, ``applies_to`` (case types; empty for every case) and, for
  Hillingdon, numbered ``criteria``;
- ``overall``: the overall grade's ``scale`` and ``prompt``;
- ``rules``: which grade rules of `audits.grading` the form enforces on submit;
- ``blocks``: the other parts of the form (child and family views, strengths, learning,
  actions, and the "are the child's outcomes met?" question Hillingdon 3 needs).

The prompts are summaries written for this project, never the seeds' sentences.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from . import bradford, bury, hillingdon, leeds, pq

PRESETS: dict[str, dict[str, Any]] = {
    "bradford": bradford.DEFINITION,
    "pq": pq.DEFINITION,
    "hillingdon": hillingdon.DEFINITION,
    "bury": bury.DEFINITION,
    "leeds": leeds.DEFINITION,
}

BLOCKS = ("child_family_views", "strengths", "learning", "actions", "outcomes_question")


class DefinitionError(ValueError):
    """A form definition is not well formed; the message says where."""


def preset(key: str) -> dict[str, Any]:
    """A copy of one preset's definition, safe to change."""
    try:
        return deepcopy(PRESETS[key])
    except KeyError:
        raise DefinitionError(f"There is no form preset called {key!r}.") from None


def validate(definition: dict[str, Any]) -> None:
    """Refuse a definition the form pages could not show or grade. Raises DefinitionError."""
    from ..grading import RULES

    for field in ("key", "title", "scales", "sections", "overall", "rules", "blocks"):
        if field not in definition:
            raise DefinitionError(f"The form has no {field!r}.")
    scales = definition["scales"]
    for name, levels in scales.items():
        values = [level["value"] for level in levels]
        if len(levels) < 2 or len(set(values)) != len(values):
            raise DefinitionError(f"Scale {name!r} needs two or more different levels.")
        for level in levels:
            if not level.get("label"):
                raise DefinitionError(f"A level of scale {name!r} has no label.")
    keys = [s["key"] for s in definition["sections"]]
    if not keys or len(set(keys)) != len(keys):
        raise DefinitionError("The form needs sections with different keys.")
    for section in definition["sections"]:
        if section["scale"] not in scales:
            raise DefinitionError(f"Section {section['key']!r} uses an unknown scale.")
        if not section.get("title") or not section.get("prompts"):
            raise DefinitionError(f"Section {section['key']!r} needs a title and prompts.")
    if definition["overall"]["scale"] not in scales:
        raise DefinitionError("The overall grade uses an unknown scale.")
    unknown = set(definition["rules"]) - set(RULES)
    if unknown:
        raise DefinitionError(f"Unknown grade rules: {', '.join(sorted(unknown))}.")
    unknown_blocks = set(definition["blocks"]) - set(BLOCKS)
    if unknown_blocks:
        raise DefinitionError(f"Unknown blocks: {', '.join(sorted(unknown_blocks))}.")


def sections_for(definition: dict[str, Any], case_type: str) -> list[dict[str, Any]]:
    """The sections that apply to a case of this type (Hillingdon 4.7: looked-after
    children and care leavers only)."""
    return [
        s for s in definition["sections"] if not s.get("applies_to") or case_type in s["applies_to"]
    ]


def scale(definition: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return definition["scales"][name]


def level_label(definition: dict[str, Any], scale_name: str, value: str) -> str:
    for level in definition["scales"].get(scale_name, ()):
        if level["value"] == value:
            return level["label"]
    return value
