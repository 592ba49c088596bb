"""Rows read with their joins as `select_related` would put them together, with SQL
built once a process (`accounts.compiled`): the audit pages' audit and the people they
name (`selectors.audit.audit_for`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from accounts.compiled import rows_for


class Joined:
    """Rows of `model` that `where(id)` picks, with their joins (`select_related` paths),
    read with SQL built once a process (`accounts.compiled`): every column of each table,
    put together as Django's `select_related` would (each related object cached on the
    one before it)."""

    def __init__(
        self, model, where: Callable[..., QuerySet], *joins: str, extra: tuple[str, ...] = ()
    ) -> None:
        paths: list[str] = []
        for join in joins:
            parts = join.split("__")
            for n in range(1, len(parts) + 1):
                if "__".join(parts[:n]) not in paths:
                    paths.append("__".join(parts[:n]))
        # Each table: its path, the field that reaches it from the one before and its model.
        self.tables: list[tuple[str, Any, Any]] = [("", None, model)]
        models = {"": model}
        for path in paths:
            before, _, name = path.rpartition("__")
            field = models[before]._meta.get_field(name)
            models[path] = field.related_model
            self.tables.append((path, field, field.related_model))
        self.columns = [
            f"{path}__{f.attname}" if path else f.attname
            for path, _field, model in self.tables
            for f in model._meta.concrete_fields
        ]
        # Columns read besides the tables' (`with_extra`), after them.
        self.width = len(self.columns)
        self.columns += extra

        def rows(*ids: int) -> QuerySet:
            return where(*ids).values_list(*self.columns)

        self.rows = rows

    def all(self, *ids: int) -> list:
        return [self._put_together(row) for row in rows_for(self.rows, *ids)]

    def get(self, an_id: int):
        found = self.all(an_id)
        return found[0] if found else None

    def with_extra(self, *args) -> tuple[Any, tuple] | None:
        """The first row's object and its `extra` columns, or None."""
        found = rows_for(self.rows, *args)
        if not found:
            return None
        return self._put_together(found[0][: self.width]), tuple(found[0][self.width :])

    def _put_together(self, row: tuple):
        values = iter(row)
        loaded: dict[str, Any] = {}
        for path, field, model in self.tables:
            fields = model._meta.concrete_fields
            row = [next(values) for _ in fields]
            before = path.rpartition("__")[0]
            if field is None:
                loaded[path] = model.from_db("default", [f.attname for f in fields], row)
                continue
            parent = loaded.get(before)
            obj = None
            if parent is not None and row[fields.index(model._meta.pk)] is not None:
                obj = model.from_db("default", [f.attname for f in fields], row)
            if parent is not None:
                field.set_cached_value(parent, obj)
                if obj is not None and field.one_to_one:
                    field.remote_field.set_cached_value(obj, parent)
            loaded[path] = obj
        return loaded[""]
