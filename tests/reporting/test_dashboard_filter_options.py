"""The dashboard's filter options are built in Python (issue 16) as the template's loops
built them: the same HTML for every choice, with names escaped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines

from reporting.dashboard.filter_html import filter_options
from reporting.dashboard.filters import PERIODS, read_filters
from reporting.dashboard.scope import reader_scope
from sampling.models import CaseType
from tests.accounts.factories import ServiceAreaFactory, TeamFactory

pytestmark = pytest.mark.django_db

# The loops the template had.
LOOPS = {
    "period_options": '{% for value, label in periods.items %}<option value="{{ value }}"'
    "{% if filters.period == value %} selected{% endif %}>{{ label }}</option>{% endfor %}",
    "area_options": '{% for id, name in filters.areas %}<option value="{{ id }}"'
    "{% if filters.area_id == id %} selected{% endif %}>{{ name }}</option>{% endfor %}",
    "team_options": '{% for team in filters.teams %}<option value="{{ team.id }}"'
    "{% if filters.team_id == team.id %} selected{% endif %}>{{ team.name }}"
    " ({{ team.area_name }})</option>{% endfor %}",
    "case_type_options": '{% for value, label in case_types %}<option value="{{ value }}"'
    "{% if filters.case_type == value %} selected{% endif %}>{{ label }}</option>{% endfor %}",
}


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"period": "quarter", "case_type": "cp"},
        {"period": "range", "from": "2026-01", "to": "2026-06"},
        {"area": "AREA", "team": "TEAM"},
        {"period": "nonsense", "area": "999999", "team": "x", "case_type": "none"},
    ],
)
def test_the_options_are_what_the_template_loops_made(org, params):
    area = ServiceAreaFactory(name='Fish & "Chips" <Area>')
    team = TeamFactory(name="O'Brien & <Sons>", service_area=area)
    params = {
        k: str(area.pk) if v == "AREA" else str(team.pk) if v == "TEAM" else v
        for k, v in params.items()
    }
    scope = reader_scope(org.senior_manager)
    filters = read_filters(params, scope=scope, today=dt.date(2026, 12, 10))
    context = {"periods": PERIODS, "case_types": CaseType.choices, "filters": filters}
    built = filter_options(filters=filters, periods=PERIODS, case_types=CaseType.choices)
    engine = engines["django"]
    for name, loop in LOOPS.items():
        assert built[name] == engine.from_string(loop).render(context), name
    assert "O&#x27;Brien &amp; &lt;Sons&gt;" in built["team_options"]
    if "team" in params and params["team"] == str(team.pk):
        assert f'<option value="{team.pk}" selected>' in built["team_options"]
