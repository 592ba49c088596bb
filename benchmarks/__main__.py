"""Run every benchmark module in this package, one after another, each in its own process
so that one benchmark's Django test environment and databases cannot disturb the next."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import benchmarks

failed = []
for module in sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__)):
    if module.startswith("_"):
        continue
    print(f"== benchmarks.{module}", flush=True)
    if subprocess.run([sys.executable, "-m", f"benchmarks.{module}"], check=False).returncode:
        failed.append(module)
if failed:
    sys.exit(f"benchmarks that failed: {', '.join(failed)}")
