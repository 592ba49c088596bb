"""The read-only API for Power BI (issue 15): the datasets, their filters, paging, JSON and
CSV, what each key's persona may read, and no child's name anywhere."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine

from api.models import ApiPull
from audits.models import Audit

from .conftest import NOVEMBER, OCTOBER, TODAY, graded_audit

pytestmark = pytest.mark.django_db

DATASETS = ["audits", "audit-sections", "actions", "estimates"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def get(client, key, path, **params):
    return client.get(f"/api/v1/{path}", params, HTTP_X_API_KEY=key)


def test_audits_give_case_month_area_team_type_form_grades_dates_and_state(
    client, authority, senior_key
):
    response = get(client, senior_key[1], "audits", period="2026-10")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 9
    row = body["results"][0]
    assert row["case_id"] == authority[0].case.external_id
    assert row["period"] == "2026-10"
    assert row["service_area"] == "North"
    assert row["team"] == "North Family Support"
    assert row["case_type"] == "cin"
    assert row["form"] == "bradford" and row["form_version"] == 1
    assert row["status"] == "with_team_manager"
    assert row["overall_grade"] == "good" and row["overall_grade_label"] == "Good"
    assert [s["key"] for s in row["sections"]][:2] == ["risk_and_need", "assessments"]
    assert {s["grade"] for s in row["sections"]} == {"good"}
    assert row["allocated_on"] == "2026-10-01" and row["finished_on"] == "2026-10-21"


def test_a_draft_audit_shows_its_state_but_no_grades(client, authority, senior_key):
    rows = get(client, senior_key[1], "audits", period="2026-11").json()["results"]
    draft = next(r for r in rows if r["status"] == "in_progress")
    assert draft["overall_grade"] is None
    assert {s["grade"] for s in draft["sections"]} == {None}


def test_a_period_range_filters_by_audit_month(client, authority, senior_key):
    key = senior_key[1]
    assert get(client, key, "audits").json()["count"] == 12
    assert get(client, key, "audits", period_from="2026-11").json()["count"] == 3
    assert get(client, key, "audits", period_to="2026-10").json()["count"] == 9
    both = get(client, key, "audits", period_from="2026-10", period_to="2026-11")
    assert both.json()["count"] == 12


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "October"}, "period must be a month written YYYY-MM"),
        ({"period_from": "2026-13"}, "period_from must be a month written YYYY-MM"),
        ({"period_from": "2026-11", "period_to": "2026-10"}, "must not be after"),
    ],
)
def test_a_bad_period_is_refused_with_a_clear_message(
    client, authority, senior_key, params, message
):
    response = get(client, senior_key[1], "audits", **params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_pages_link_on_without_the_key_and_cover_every_row(client, authority, senior_key):
    key = senior_key[1]
    seen = []
    url = f"/api/v1/audits?page_size=5&api_key={key}"
    pages = 0
    while url:
        body = client.get(url).json()
        seen += [r["audit_id"] for r in body["results"]]
        pages += 1
        assert body["total_pages"] == 3
        if body["next"]:
            assert "api_key" not in body["next"] and "cfa_" not in body["next"]
            assert "page_size=5" in body["next"]
        url = body["next"] and f"{body['next']}&api_key={key}"
    assert pages == 3
    assert sorted(seen) == sorted(Audit.objects.values_list("pk", flat=True))
    assert len(seen) == 12


def test_audits_as_csv_have_one_line_an_audit_with_the_section_grades(
    client, authority, senior_key
):
    response = get(client, senior_key[1], "audits", period="2026-10", format="csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["X-Total-Count"] == "9"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 9
    assert "auditor" not in rows[0]
    assert rows[0]["section_grades"].startswith("risk_and_need=good; assessments=good")


def test_audit_sections_come_one_row_a_section(client, authority, senior_key):
    body = get(client, senior_key[1], "audit-sections", period="2026-10", page_size=2).json()
    assert body["count"] == 9  # paged by audit
    assert len(body["results"]) == 18
    assert body["results"][0]["section"] == "risk_and_need"


def test_actions_give_state_due_done_and_team(client, authority, senior_key):
    body = get(client, senior_key[1], "actions", period="2026-10").json()
    assert body["count"] == 2
    row = body["results"][0]
    assert row["status"] == "open" and row["team"] == "North Family Support"
    assert row["due_on"] and row["done_on"] is None
    assert row["overdue"] is (row["due_on"] < TODAY.isoformat())
    assert row["team_manager"] is None and row["worker"] is None
    assert get(client, senior_key[1], "actions", period="2026-11").json()["count"] == 0


def test_staff_names_only_reach_a_key_that_reads_as_qa_staff(
    client, authority, senior_key, qa_key, org
):
    senior = get(client, senior_key[1], "audits", period="2026-10").content.decode()
    assert org.auditor.full_name not in senior
    qa_rows = get(client, qa_key[1], "audits", period="2026-10").json()["results"]
    assert qa_rows[0]["auditor"] == org.auditor.full_name
    qa_actions = get(client, qa_key[1], "actions").json()["results"]
    assert qa_actions[0]["team_manager"] == org.team_manager.full_name
    senior_actions = get(client, senior_key[1], "actions").content.decode()
    assert org.social_worker.full_name not in senior_actions


@pytest.mark.parametrize("dataset", [*DATASETS, "completion"])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_no_dataset_carries_a_childs_name_or_free_text(client, authority, qa_key, dataset, fmt):
    """The audits' free text (evidence, reasons, action wording) can hold a child's name;
    none of it is served."""
    body = get(client, qa_key[1], dataset, format=fmt).content.decode()
    assert "Jamie" not in body
    assert "Example" not in body


def test_a_key_that_reads_as_senior_manager_may_not_read_completion_by_auditor(
    client, authority, senior_key
):
    record, key = senior_key
    response = get(client, key, "completion")
    assert response.status_code == 403
    assert "may not read the completion dataset" in response.json()["detail"]
    pull = ApiPull.objects.get(key=record)
    assert (pull.dataset, pull.status_code, pull.rows) == ("completion", 403, 0)


def test_completion_by_auditor_and_month_for_qa_staff(client, authority, qa_key, org):
    body = get(client, qa_key[1], "completion").json()
    rows = {(r["period"], r["auditor"]): r for r in body["results"]}
    october = rows[("2026-10", org.auditor.full_name)]
    assert (october["done"], october["total"]) == (9, 9)
    november = rows[("2026-11", org.auditor.full_name)]
    # The audit still in progress passed its deadline on 28 November.
    assert (november["done"], november["overdue"], november["total"]) == (2, 1, 3)


def test_estimates_weight_each_stratum_by_its_share_of_the_frame(client, authority, senior_key):
    """Bury 2.1. October: stratum A (N=100) has 2 of 4 audits Good or better, B (N=300) 5 of 5:
    p = 0.25 × 0.5 + 0.75 × 1 = 0.875, SE² = 0.25² × (1 − 4/100) × 0.25 / 3 = 0.005."""
    rows = get(client, senior_key[1], "estimates", period="2026-10").json()["results"]
    good = next(r for r in rows if r["grade"] == "good")
    assert good["estimate"] == 0.875
    assert good["standard_error"] == pytest.approx(0.0707, abs=1e-4)
    assert good["sample_share"] == round(7 / 9, 4)
    assert (good["audited"], good["drawn"], good["population"], good["strata"]) == (9, 9, 400, 2)
    assert good["lower"] < 0.875 < good["upper"]
    assert good["measure"] == "Overall: Good or better"
    outstanding = next(r for r in rows if r["grade"] == "outstanding")
    assert outstanding["estimate"] == 0.15
    # None inadequate-or-better row: everyone is; it says nothing.
    assert [r["grade"] for r in rows] == ["outstanding", "good", "requires_improvement"]


def test_an_estimate_with_no_successes_still_has_an_upper_bound(client, org, senior_key):
    from .conftest import month_sample

    month_sample(OCTOBER, {"all": 50})
    for _ in range(3):
        graded_audit(org, period=OCTOBER, grade="requires_improvement")
    rows = get(client, senior_key[1], "estimates").json()["results"]
    top = rows[0]
    assert top["estimate"] == 0.0 and top["upper"] > 0
    assert top["low_precision"] is True


def test_each_list_runs_a_fixed_number_of_queries_whatever_its_size(
    client, org, senior_key, qa_key, django_assert_max_num_queries
):
    from .conftest import month_sample

    month_sample(NOVEMBER, {"all": 500})
    graded_audit(org, period=NOVEMBER, grade="good", actions=1)
    counts = {}
    for size in ("small", "large"):
        if size == "large":
            for _ in range(15):
                graded_audit(org, period=NOVEMBER, grade="good", actions=2)
        for dataset in DATASETS:
            key = senior_key[1]
            with django_assert_max_num_queries(12) as captured:
                assert get(client, key, dataset).status_code == 200
            counts[(dataset, size)] = len(captured)
        with django_assert_max_num_queries(12) as captured:
            assert get(client, qa_key[1], "completion").status_code == 200
        counts[("completion", size)] = len(captured)
    for dataset in [*DATASETS, "completion"]:
        assert counts[(dataset, "small")] == counts[(dataset, "large")], dataset


def test_the_openapi_schema_lists_every_dataset_and_the_ways_to_send_a_key(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    for dataset in [*DATASETS, "completion"]:
        path = schema["paths"][f"/api/v1/{dataset}"]
        assert list(path) == ["get"]  # read-only
        names = {p["name"] for p in path["get"]["parameters"]}
        assert {"period", "period_from", "period_to", "format", "page", "page_size"} <= names
    schemes = schema["components"]["securitySchemes"]
    assert {"in": "header", "name": "X-API-Key"}.items() <= schemes["HeaderKey"].items()
    assert {"in": "query", "name": "api_key"}.items() <= schemes["QueryKey"].items()


def test_with_the_api_switched_off_nothing_answers(client, settings, senior_key):
    settings.API_ENABLED = False
    assert get(client, senior_key[1], "audits").status_code == 404
    assert client.get("/api/v1/openapi.json").status_code == 404
    assert not ApiPull.objects.exists()
