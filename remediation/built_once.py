"""Queries of several shapes, each built once a process (issue 16).

`accounts.compiled.rows_for` builds a query's SQL once when every value the query compares
with is one of its arguments. A page's query often compares with constants too (statuses,
kinds) and with the request's values (the person, the day), and its shape depends on who
asks (the teams they manage, those they oversee). `rows_built_once` takes:

- `shape`, a hashable key naming the query's shape (the builder is kept by it);
- `make(arg)`, which builds the queryset of that shape (a `values_list`), passing each
  constant it compares with through `arg(constant)` and reading each of the request's
  values as `arg.slot(name)`;
- the request's values, by name.

The first time a shape is asked for, `make` is run once to find which slots and constants
it uses; from then on the query is `rows_for(builder, *slots, *constants)`, the builder
giving `make` the stand-ins `rows_for` passes. Constants are text (as their value: a
TextChoices member as its string) or whole numbers; a bool or None compares as Django
builds it (the SQL is then built every time: `rows_for`'s fallback).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.compiled import rows_for


def _key(constant) -> tuple:
    if isinstance(constant, str):
        return (str, str(constant))
    return (type(constant), constant)


class _Recorder:
    """`arg` for the first build: notes each slot read and each constant, in order."""

    def __init__(self, slots: dict):
        self.values = slots
        self.slots: dict[str, None] = {}
        self.constants: dict[tuple, object] = {}

    def __call__(self, constant):
        self.constants.setdefault(_key(constant), constant)
        return constant

    def slot(self, name: str):
        self.slots.setdefault(name)
        return self.values[name]


class _Args:
    """`arg` for the builder: the arguments `rows_for` passes, by slot and by constant."""

    def __init__(self, slots: dict, constants: dict):
        self.slots = slots
        self.constants = constants

    def __call__(self, constant):
        return self.constants.get(_key(constant), constant)

    def slot(self, name: str):
        return self.slots[name]


@dataclass(frozen=True)
class _Shape:
    builder: Callable[..., QuerySet]
    slots: tuple[str, ...]
    constants: tuple  # the constants' plain values, in the builder's order


_shapes: dict[tuple[Callable, Hashable], _Shape] = {}


class AsIs:
    """`arg` for building the query as Django would, every time: the constants as they
    are and the slots' values."""

    def __init__(self, **slots):
        self.values = slots

    def __call__(self, constant):
        return constant

    def slot(self, name: str):
        return self.values[name]


def _plain(constant):
    return str(constant) if isinstance(constant, str) else constant


def rows_built_once(shape: Hashable, make: Callable[..., QuerySet], **slots) -> list[tuple]:
    """The rows of `make(arg)` for these slots' values, its SQL built once a process for
    each shape (see the module's note)."""
    found = _shapes.get((make, shape))
    if found is None:
        recorder = _Recorder(slots)
        make(recorder)
        names = tuple(recorder.slots)
        keys = tuple(recorder.constants)

        def builder(*args):
            given, constants = args[: len(names)], args[len(names) :]
            return make(
                _Args(dict(zip(names, given, strict=True)), dict(zip(keys, constants, strict=True)))
            )

        found = _shapes[make, shape] = _Shape(
            builder, names, tuple(_plain(c) for c in recorder.constants.values())
        )
    return rows_for(found.builder, *(slots[name] for name in found.slots), *found.constants)
