"""QA staff's month in Chromium, through links alone (issue 18): sign in, upload this
week's four case lists in one go, draw and confirm next month's sample, allocate it and
confirm the allocation. Every page passes axe-core, and the walk counts its pages, clicks
and keystrokes so that a step added to the month shows up as a failing count.

With QA_MONTH_SCREENSHOTS=docs/qa-month the walk also saves the README's screenshots.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.selectors import policy_get
from audits.models import AllocationRun, RunStatus
from sampling.models import Sample, SampleStatus, Snapshot, SnapshotStatus
from tests.accounts.factories import PASSWORD
from tests.audits.factories import case_in, confirmed_sample
from tests.conftest import assert_accessible
from tests.sampling.conftest import child, headers, write_csv, write_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 12, 1)  # a Tuesday; December's sample is confirmed already
MONDAY = "2026-11-30"  # this week's lists, dated in their names
# Choosing the files in the system's dialog: click the first, shift-click the last, Open.
FILE_DIALOG_CLICKS = 3

# What the walk needs (issue 18 measured 19 pages, 33 clicks and 90 keystrokes before).
PAGES = 11
CLICKS = 14
KEYSTROKES = len("qa@example.test") + len(PASSWORD)


class Walk:
    """Counts what QA staff do: every page the browser shows, every click, every key."""

    def __init__(self, page, shots: Path | None):
        self.page = page
        self.pages: list[str] = []
        self.clicks = 0
        self.keys = 0
        self.shots = shots
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.pages.append(frame.url)

    def click(self, locator) -> None:
        self.clicks += 1
        locator.click()

    def type(self, locator, text: str) -> None:
        self.keys += len(text)
        locator.fill(text)

    def check(self, name: str | None = None) -> None:
        """The page passes axe-core; with a screenshot folder, it is saved as `name`."""
        assert_accessible(self.page)
        if self.shots and name:
            self._shoot(self.shots / f"{name}.png")

    def _shoot(self, path: Path) -> None:
        """The page's main content (the header is the same on every page), kept small."""
        main = self.page.locator("main").bounding_box()
        width = self.page.viewport_size["width"]
        self.page.screenshot(
            path=str(path), clip={"x": 0, "y": main["y"], "width": width, "height": 600}
        )
        try:
            from PIL import Image
        except ImportError:  # the PNG stays as Chromium wrote it
            return
        with Image.open(path) as image:
            small = image.convert("RGB").quantize(colors=32)
        small.save(path, optimize=True)


def _four_lists(folder: Path) -> list[Path]:
    """This week's Lists 6, 7, 8 and 9: 24 children of North Family Support, synthetic."""
    made = []
    for code, start in ((6, 1), (7, 101), (8, 201), (9, 301)):
        rows = [child(code, n) for n in range(start, start + 6)]
        name = f"Annex A List {code} {MONDAY}"
        if code == 8:
            made.append(write_xlsx(folder / f"{name}.xlsx", headers(code), rows))
        else:
            made.append(write_csv(folder / f"{name}.csv", headers(code), rows))
    return made


@pytest.fixture
def december_done(org):
    """December's sample is confirmed and allocated; the pool is three people from outside
    North Family Support, so each may audit any of its cases."""
    policy = policy_get()
    policy.authority_name = "Bury Council"
    policy.default_quota = 1
    policy.quotas = {}
    policy.own_team_roles = []
    policy.other_area_roles = []
    policy.paired_percent = 0
    policy.yearly_cap = None
    policy.strata = ["case_type"]
    policy.save()
    User.objects.exclude(
        pk__in=[org.auditor.pk, org.senior_manager.pk, org.south_team.manager_id]
    ).update(in_audit_pool=False)
    sample = confirmed_sample(
        period=dt.date(2026, 12, 1), cases=[case_in(org.north_team, external_id="D0001")]
    )
    AllocationRun.objects.create(
        period=sample.period, sample=sample, seed=7, status=RunStatus.CONFIRMED
    )
    return sample


def test_qa_staff_walk_the_whole_month_through_links_alone(
    org, december_done, on_day, live_server, page, tmp_path, settings
):
    """Issue 18: no dead end, fewer steps, honest messages, each page axe-clean."""
    on_day(TODAY)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    shots = os.environ.get("QA_MONTH_SCREENSHOTS")
    folder = Path(shots) if shots else None
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1000, "height": 1100})
    files = _four_lists(tmp_path)
    walk = Walk(page, folder)

    # 1. Sign in: the only address typed.
    page.goto(f"{live_server.url}/accounts/sign-in/")
    walk.check()
    walk.type(page.get_by_label("Email address"), org.qa_officer.email)
    walk.type(page.get_by_label("Password"), PASSWORD)
    walk.click(page.get_by_role("button", name="Sign in"))
    expect(page.locator(".govuk-generic-header__homepage-link")).to_have_text("Bury Council")
    walk.check()

    # 2. Upload this week's four lists in one go, dated from their names.
    walk.click(page.get_by_role("link", name="Cases", exact=True).first)
    expect(page.get_by_role("heading", level=1)).to_have_text("The sampling frame")
    walk.check()
    walk.click(page.get_by_role("button", name="Import case lists"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import case lists")
    expect(page.get_by_label("Case lists")).to_be_in_viewport()
    expect(page.get_by_role("button", name="Import the lists")).to_be_in_viewport()
    walk.check("1-upload")
    walk.clicks += 1 + FILE_DIALOG_CLICKS  # open the chooser, pick the four files
    page.get_by_label("Case lists").set_input_files([str(path) for path in files])
    walk.click(page.get_by_role("button", name="Import the lists"))
    expect(page.get_by_role("heading", level=1)).to_have_text("4 files imported")
    walk.check("2-imported")
    assert sorted(
        Snapshot.objects.filter(status=SnapshotStatus.IMPORTED).values_list("annex_list", "as_of")
    ) == [(code, dt.date(2026, 11, 30)) for code in ("6", "7", "8", "9")]

    # 3. Draw January's sample: the menu starts at the first month that needs one.
    walk.click(page.get_by_role("link", name="Draw the monthly sample"))
    expect(page.get_by_label("Month")).to_have_value("2027-01")
    walk.check("3-draw")
    walk.click(page.get_by_role("button", name="Draw the monthly sample"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("January 2027")
    # Lists from yesterday are no risk: no warning about their age.
    expect(page.get_by_text("days old")).to_have_count(0)
    walk.check("4-preview")
    walk.click(page.get_by_role("button", name="Confirm the sample"))
    expect(page.get_by_text("The sample is confirmed.")).to_be_visible()
    walk.check()

    # 4. The confirmed sample leads on to its allocation.
    walk.click(page.get_by_role("button", name="Allocate this sample"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocation for January 2027")
    walk.check()
    walk.click(page.get_by_role("button", name="Propose the allocation"))
    expect(page.get_by_text("is proposed")).to_be_visible()
    walk.check("5-proposed")
    walk.click(page.get_by_role("button", name="Confirm and send the allocation"))
    panel = page.locator(".govuk-panel")
    expect(panel).to_contain_text("Allocation for January 2027 confirmed")
    expect(panel).to_contain_text(
        re.compile("Told: 3 auditors, 1 allocated worker and 1 team manager")
    )
    walk.check("6-sent")

    january = Sample.objects.get(period=dt.date(2027, 1, 1))
    assert january.status == SampleStatus.CONFIRMED
    assert AllocationRun.objects.get(period=january.period).status == RunStatus.CONFIRMED
    assert [url for url in walk.pages if "/accounts/sign-in/" not in url], "signed in"
    assert (len(walk.pages), walk.clicks, walk.keys) == (PAGES, CLICKS, KEYSTROKES), walk.pages
