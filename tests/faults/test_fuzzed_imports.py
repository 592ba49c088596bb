"""Generated case lists and staff lists, pushed through the real importers (issue 11).

Whatever the rows hold, an import either succeeds or is refused with messages that name
the line and column; it never fails with a fault, and a refused file changes nothing
(STYLE: "Bad input gets a clear message and changes nothing").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from accounts.errors import ImportRejected
from accounts.models import Role, ServiceArea, Team, User
from accounts.services import staff_import
from sampling import annex_a
from sampling.annex_a.columns import _HEADER_INDEX
from sampling.models import Case, Snapshot, SnapshotCase, SnapshotStatus, StagedRow
from sampling.services import FrameFileRefused, frame_import_file

from .fuzz import dates_as_text, fingerprint, garbage_or, rolled_back, short_text

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 2)
_counter = itertools.count()

# -- The case list (Annex A) ---------------------------------------------------------------

HEADINGS = [name for c in annex_a.COLUMNS for name in (c.heading, *c.aliases)]
VALID_CELL = {
    "child_id": st.from_regex(r"\AC[0-9]{1,6}\Z"),
    "gender": st.sampled_from(["Male", "Female", "M", "F", "Unknown", "Other", ""]),
    "dob": st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2026, 10, 1)).map(
        lambda d: d.strftime("%d/%m/%Y")
    ),
    "age": st.integers(min_value=0, max_value=20).map(str),
    "team": st.sampled_from(["North Family Support", "South Children in Care", "Elsewhere"]),
    "worker": st.sampled_from(["Sky Worker", "Tia Manager", "", "Unallocated"]),
    "disability": st.sampled_from(["Yes", "No", "Y", "N", "", "Unknown"]),
    "case_status": st.sampled_from(["Open", ""]),
}
VALID_DATE = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 11, 1)).map(
    lambda d: d.isoformat()
)


def _cell(column, clean: bool) -> st.SearchStrategy:
    if column is None:  # a column the importer ignores
        return short_text
    if column.key in VALID_CELL:
        valid = VALID_CELL[column.key]
    elif column.key.endswith(("_start", "_date")):
        valid = VALID_DATE
    elif column.key.endswith("_end"):
        valid = st.just("")
    else:
        valid = st.sampled_from(["", "C2 Full care order", "Former relevant"])
    if clean:
        return valid
    return st.one_of(valid, valid, dates_as_text, garbage_or(valid))


@st.composite
def case_lists(draw) -> tuple[list[str], list[list[str]]]:
    """A header of known, aliased and unknown columns in any order, and rows that are all
    plausible (about half the files) or sprinkled with anything at all."""
    required = ["Child Unique ID", "Allocated Team"]
    others = draw(st.lists(st.sampled_from(HEADINGS), max_size=8, unique=True))
    extra = draw(st.lists(short_text, max_size=2))
    header = draw(st.permutations(list(dict.fromkeys(required + others)) + extra))
    if draw(st.integers(0, 9)) == 0:  # now and then a required column is missing
        header = [h for h in header if h != draw(st.sampled_from(required))]
    columns = [_HEADER_INDEX.get(annex_a.squash(h)) for h in header]
    clean = draw(st.booleans())
    cells = [_cell(c, clean) for c in columns]
    rows = draw(st.lists(st.tuples(*cells).map(list), max_size=12) if cells else st.just([]))
    return header, rows


def _write(tmp_path: Path, header: list[str], rows: list[list[str]], delimiter: str) -> Path:
    path = tmp_path / f"list-{next(_counter)}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@given(
    listing=case_lists(),
    delimiter=st.sampled_from([",", ";"]),
    annex_list=st.sampled_from([None, "6", "7", "8", "9"]),
)
def test_a_generated_case_list_is_imported_or_refused_line_by_line_and_never_half_done(
    org, tmp_path, listing, delimiter, annex_list
):
    """A bad row names its line and column, and a refused list changes no case."""
    header, rows = listing
    with rolled_back():
        before = fingerprint(Case, SnapshotCase)
        path = _write(tmp_path, header, rows, delimiter)
        try:
            snapshot = frame_import_file(path=path, as_of=AS_OF, annex_list=annex_list)
        except FrameFileRefused as refused:
            event("case list refused as a file")
            assert str(refused).strip()
            assert fingerprint(Case, SnapshotCase) == before
            return
        event(f"case list {snapshot.status}")
        assert snapshot.status in (SnapshotStatus.IMPORTED, SnapshotStatus.REJECTED)
        assert not StagedRow.objects.filter(snapshot=snapshot).exists()
        if snapshot.status == SnapshotStatus.REJECTED:
            assert snapshot.errors or snapshot.message
            for line, column, message in snapshot.errors:
                assert isinstance(line, int) and line >= 1
                assert isinstance(column, str)
                assert message.strip()
            assert fingerprint(Case, SnapshotCase) == before
        else:
            opened = SnapshotCase.objects.filter(snapshot=snapshot).count()
            assert opened == snapshot.open_count
            assert Snapshot.objects.get(pk=snapshot.pk).finished_at is not None


# -- The staff list ------------------------------------------------------------------------

STAFF_COLUMNS = [
    "email",
    "full_name",
    "role",
    "team",
    "service_area",
    "line_manager_email",
    "in_audit_pool",
]
EMAILS = [f"person{n}@example.test" for n in range(6)]
ROLES = [r.label for r in Role] + [r.value for r in Role]
CLEAN_ROW = st.fixed_dictionaries(
    {
        "email": st.sampled_from(EMAILS),
        "full_name": st.sampled_from(["Ada Example", "Bo Example", "Cy Example"]),
        "role": st.sampled_from(["Social Worker", "Advanced Practitioner", "QA officer"]),
        "team": st.sampled_from(["North Family Support", "New Team", ""]),
        "service_area": st.sampled_from(["North", "South"]),
        "line_manager_email": st.sampled_from(["", "tm@example.test"]),
        "in_audit_pool": st.sampled_from(["yes", "no", "Y", "N", ""]),
    }
)
ANY_ROW = st.fixed_dictionaries(
    {
        "email": garbage_or(st.sampled_from(EMAILS), st.emails(), st.just("PERSON1@EXAMPLE.TEST")),
        "full_name": garbage_or(st.sampled_from(["Ada Example", ""])),
        "role": garbage_or(st.sampled_from(ROLES)),
        "team": garbage_or(st.sampled_from(["North Family Support", "New Team", ""])),
        "service_area": garbage_or(st.sampled_from(["North", "South", ""])),
        "line_manager_email": garbage_or(st.sampled_from(["", *EMAILS])),
        "in_audit_pool": garbage_or(st.sampled_from(["yes", "no", "Y", "N", "", "true"])),
    }
)
staff_rows = st.one_of(
    st.lists(CLEAN_ROW, max_size=6, unique_by=lambda r: r["email"]),
    st.lists(st.one_of(CLEAN_ROW, ANY_ROW), max_size=10),
)


@given(
    columns=st.one_of(
        st.permutations(STAFF_COLUMNS),
        st.lists(st.sampled_from(STAFF_COLUMNS), min_size=4, max_size=7, unique=True),
    ),
    rows=staff_rows,
    encoding=st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_a_generated_staff_list_is_imported_or_refused_line_by_line_and_never_half_done(
    org, columns, rows, encoding
):
    """The whole file is checked first: a bad row names its line and column and nothing of
    the file is imported (README, "The staff list")."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding, errors="replace")
    with rolled_back():
        before = fingerprint(User, Team, ServiceArea)
        try:
            result = staff_import(stream=io.BytesIO(data))
        except ImportRejected as rejected:
            event("staff list refused")
            assert rejected.errors
            for error in rejected.errors:
                assert error.line >= 0  # 0: the file as a whole
                assert str(error).strip()
            assert fingerprint(User, Team, ServiceArea) == before
            return
        event("staff list imported")
        assert result.created + result.updated + result.unchanged == len(
            {r["email"].strip().lower() for r in rows}
        )
