"""Form templates and their versions (SPEC §5): QA staff draft, preview and publish; an
audit keeps the version it started on."""

from __future__ import annotations

import copy
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.errors import RuleViolation
from accounts.models import User

from ..form_presets import PRESETS, DefinitionError, preset, validate
from ..models import FormStatus, FormTemplate, FormVersion, ThemeTag

# A starting list of learning themes QA staff can change (Bradford 4, Hillingdon 2.15).
DEFAULT_THEMES = (
    "Child's voice and lived experience",
    "Assessment and analysis",
    "Planning and drift",
    "Management oversight and supervision",
    "Multi-agency working",
    "Recording",
    "Equality and diversity",
)


@transaction.atomic
def form_draft(
    *, template: FormTemplate, definition: dict[str, Any], by: User | None
) -> FormVersion:
    """A new draft version of a form; refused if its definition is not well formed."""
    try:
        validate(definition)
    except DefinitionError as error:
        raise RuleViolation(str(error)) from None
    template = FormTemplate.objects.select_for_update().get(pk=template.pk)
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return FormVersion.objects.create(
        template=template, number=number, definition=definition, created_by=by
    )


@transaction.atomic
def form_draft_edit(
    *,
    version: FormVersion,
    title: str,
    sections: dict[str, tuple[str, list[str]]],
    by: User | None,
) -> FormVersion:
    """Change a draft's wording: the form's title, and each section's title and guidance
    prompts. Sections keep their keys, scales and case types, so answers stay comparable
    across versions. A published version never changes (SPEC §5)."""
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != FormStatus.DRAFT:
        raise RuleViolation("Only a draft can be changed; copy this version to a draft first.")
    definition = copy.deepcopy(version.definition)
    if not title.strip():
        raise RuleViolation("Enter the form's title.")
    definition["title"] = title.strip()
    for section in definition["sections"]:
        new_title, prompts = sections.get(section["key"], (section["title"], section["prompts"]))
        if not new_title.strip():
            raise RuleViolation(f"Enter a title for the section now called “{section['title']}”.")
        section["title"] = new_title.strip()
        section["prompts"] = [p.strip() for p in prompts if p.strip()]
    try:
        validate(definition)
    except DefinitionError as error:
        raise RuleViolation(str(error)) from None
    version.definition = definition
    version.save(update_fields=["definition"])
    return version


@transaction.atomic
def form_publish(*, version: FormVersion, by: User | None) -> FormVersion:
    """Publish a draft. From then on it never changes; new audits start on it while
    audits already started keep their own version."""
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == FormStatus.PUBLISHED:
        return version
    validate(version.definition)
    version.status = FormStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = by
    version.save(update_fields=["status", "published_at", "published_by"])
    return version


@transaction.atomic
def form_make_current(*, template: FormTemplate) -> FormTemplate:
    FormTemplate.objects.filter(is_current=True).exclude(pk=template.pk).update(is_current=False)
    FormTemplate.objects.filter(pk=template.pk).update(is_current=True)
    template.is_current = True
    return template


@transaction.atomic
def form_preset_load(
    *, key: str, make_current: bool = False, by: User | None = None
) -> FormVersion:
    """Load one of the five seed forms as a published version, the first time only: once a
    form has a published version, loading again publishes nothing, so QA staff's own later
    versions are never replaced. Also adds the default learning themes that are missing."""
    if key not in PRESETS:
        raise RuleViolation(f"There is no form preset called {key!r}.")
    definition = preset(key)
    template, _ = FormTemplate.objects.get_or_create(
        key=key, defaults={"title": definition["title"]}
    )
    latest = template.versions.filter(status=FormStatus.PUBLISHED).order_by("-number").first()
    if latest is None:
        draft = form_draft(template=template, definition=definition, by=by)
        latest = form_publish(version=draft, by=by)
    if make_current:
        form_make_current(template=template)
    for name in DEFAULT_THEMES:
        ThemeTag.objects.get_or_create(name=name)
    return latest
