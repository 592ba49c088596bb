"""The worktray's and the compliance review's dates and addresses are worked out once a
process for what they depend on (issue 16): the same as the `date` filter and `reverse()`
give, in each language and under each script prefix."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse, set_script_prefix
from django.utils import translation

from accounts.models import Team
from accounts.paging import Paged, pagination
from remediation import display


def test_a_date_is_shown_as_the_date_filter_shows_it_and_formatted_once():
    day = dt.date(2026, 3, 4)
    display._shown_date.cache_clear()
    with mock.patch.object(
        display.dateformat, "format", wraps=display.dateformat.format
    ) as formatted:
        first = display.shown_date(day)
        again = display.shown_date(day)
    assert first == again == date_filter(day)
    assert formatted.call_count == 1
    assert display.shown_date(None) == ""


def test_a_date_kept_in_one_language_is_not_shown_in_another():
    day = dt.date(2026, 3, 4)
    with translation.override("en-gb"):
        english = display.shown_date(day)
    with translation.override("fr"):
        french = display.shown_date(day)
        assert french == date_filter(day)
    assert english != french


def test_an_address_is_reversed_once_and_kept_by_script_prefix():
    display._between_for.cache_clear()
    with mock.patch.object(display, "reverse", wraps=reverse) as reversed_:
        head, tail = display._between("remediation:detail", "0")
        assert display._between("remediation:detail", "0") == (head, tail)
        assert reversed_.call_count == 1
    assert f"{head}7{tail}" == reverse("remediation:detail", args=[7])
    try:
        set_script_prefix("/casefile/")
        prefixed_head, _ = display._between("remediation:detail", "0")
        assert prefixed_head.startswith("/casefile/")
        assert f"{prefixed_head}7{tail}" == reverse("remediation:detail", args=[7])
    finally:
        set_script_prefix("/")


def _paged(*, previous: str, following: str, links: list) -> Paged:
    return Paged(page=None, items=[], previous_url=previous, next_url=following, links=links)


@pytest.mark.parametrize("label", ["Pages of actions", "", "<Teams & more>"])
@pytest.mark.parametrize(
    "paged",
    [
        _paged(previous="", following="", links=[]),
        _paged(previous="", following="?page=2", links=[]),
        _paged(previous="?page=1&show=all", following="", links=[]),
        _paged(
            previous="?page=1",
            following="?page=3&team=4",
            links=[
                {"number": 1, "url": "?page=1", "current": False},
                {"ellipsis": True},
                {"number": 2, "url": "?page=2", "current": True},
                {"number": 3, "url": "?page=3&team=4", "current": False},
                {"ellipsis": True},
                {"number": 1200, "url": "?page=1200", "current": False},
            ],
        ),
        _paged(
            previous="",
            following="?page=2",
            links=[
                {"number": 1, "url": "?page=1", "current": True},
                {"number": 2, "url": "?page=2", "current": False},
            ],
        ),
    ],
)
def test_the_pagination_is_the_same_as_the_templates(paged, label):
    included = Template('{% include "_pagination.html" with label=label %}').render(
        Context({"paged": paged, "label": label})
    )
    assert pagination(paged, label) == included


@pytest.mark.parametrize("language", ["en-gb", "de"])
def test_a_figure_is_grouped_as_intcomma_groups_it_in_each_language(language):
    with translation.override(language):
        for value in (0, 7, 1234, 1234567, -4321):
            assert display.grouped(value) == intcomma(value)


def test_the_team_options_are_as_the_templates_loop_gave_them():
    teams = [Team(pk=3, name="North <A> & B"), Team(pk=5, name="South")]
    loop = Template(
        '{% for team in teams %}<option value="{{ team.pk }}"{% if team.pk == team_id %}'
        " selected{% endif %}>{{ team.name }}</option>{% endfor %}"
    )
    for chosen in (None, 3, 5):
        given = loop.render(Context({"teams": teams, "team_id": chosen}))
        assert display.team_options(teams, chosen) == given


def test_an_address_with_arguments_is_reversed_once_and_kept_by_script_prefix():
    display._address_for.cache_clear()
    with mock.patch.object(display, "reverse", wraps=reverse) as reversed_:
        first = display.address("remediation:compliance-xlsx", "2026-03")
        assert display.address("remediation:compliance-xlsx", "2026-03") == first
        assert reversed_.call_count == 1
    assert first == reverse("remediation:compliance-xlsx", args=["2026-03"])
    assert display.address("remediation:compliance-xlsx", "2026-04") != first
    try:
        set_script_prefix("/casefile/")
        assert display.address("remediation:compliance-xlsx", "2026-03") == ("/casefile" + first)
    finally:
        set_script_prefix("/")
