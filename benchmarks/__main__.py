"""Run every benchmark module in this package, one after another."""

from __future__ import annotations

import importlib
import pkgutil

import benchmarks

for module in sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__)):
    if module.startswith("_"):
        continue
    print(f"== benchmarks.{module}", flush=True)
    importlib.import_module(f"benchmarks.{module}").main()
