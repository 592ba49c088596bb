"""Helpers for the property-based tests: generated input, a fingerprint of the tables an
input may change, and a check that each example leaves no trace for the next one.

The number of examples comes from the Hypothesis profile (tests/conftest.py): a few dozen
per test in `make test`; HYPOTHESIS_PROFILE=thorough runs thousands.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from hypothesis import strategies as st

# Text as people paste it: letters, digits, punctuation, accents, emoji, control characters
# (NUL included: PostgreSQL refuses it, so it must be refused politely before it gets there).
any_text = st.text(max_size=60)
short_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
numbers_as_text = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e9", "٣", "½", "NaN", "inf", "0x10", "1,000"]),
)
dates_as_text = st.one_of(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)).flatmap(
        lambda d: st.sampled_from(
            [d.isoformat(), d.strftime("%d/%m/%Y"), d.strftime("%d %m %Y"), d.strftime("%d-%b-%y")]
        )
    ),
    st.sampled_from(["31/02/2026", "2026-13-01", "00/00/0000", "yesterday", "9999-12-31"]),
    short_text,
)


def garbage_or(*valid: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly plausible values, sometimes anything at all."""
    return st.one_of(*valid, any_text, numbers_as_text)


def fingerprint(*models) -> tuple:
    """Every row of the given models, in a stable order: equal before and after means the
    input changed nothing in them."""
    return tuple(
        tuple(tuple(sorted(row.items())) for row in model.objects.order_by("pk").values())
        for model in models
    )


class _RolledBack(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one example in a savepoint that is undone afterwards, so examples are
    independent while the test keeps its fixtures."""
    try:
        with transaction.atomic():
            yield
            raise _RolledBack
    except _RolledBack:
        pass


def refusal_messages(html: str) -> list[str]:
    """What a refused form's page says is wrong: its error summary's items and the messages
    beside the fields, as text."""
    items = []
    if 'class="govuk-error-summary"' in html:
        body = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
        items += re.findall(r"<li[^>]*>(.*?)</li>", body, re.S)
    items += re.findall(
        r'class="govuk-error-message"[^>]*>(.*?)</(?:p|span)>\s*(?:</p>)?', html, re.S
    )
    texts = (" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items)
    return [t.removeprefix("Error:").strip() for t in texts if t.removeprefix("Error:").strip()]
