"""A throwaway database for a benchmark, so no one's data is touched.

Django's test-database machinery creates `bench_<name>` beside the configured database
(PostgreSQL with DATABASE_URL), migrates it, and drops it afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


@contextmanager
def throwaway_database() -> Iterator[str]:
    setup_django()
    from django.conf import settings
    from django.db import connection

    name = settings.DATABASES["default"]["NAME"]
    settings.DATABASES["default"].setdefault("TEST", {})
    settings.DATABASES["default"]["TEST"]["NAME"] = f"bench_{os.path.basename(str(name))}"
    old = connection.settings_dict["NAME"]
    created = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield created
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
