"""GOV.UK Frontend's files for the browser, found in node_modules (where `make install` puts
them from the npm registry) and served under /static/govuk/.

The package's dist folder holds about 900 files, most of them Sass, Nunjucks macros and
component fixtures that only a build reads. A browser needs its fonts and images
(`assets/`) and the JavaScript bundle, with its source map, that `static/app/init.js`
imports. This finder lists and finds only those, so collectstatic copies fifteen files
rather than nine hundred, and WhiteNoise, which walks every finder's files whenever its
middleware is made (once per web worker, and once per test client), has a short walk.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.utils import get_files
from django.core.checks import Warning
from django.core.files.storage import FileSystemStorage

PREFIX = "govuk"
ASSETS = "assets"
SCRIPTS = ("govuk-frontend.min.js", "govuk-frontend.min.js.map")


def frontend_root() -> Path:
    return Path(settings.BASE_DIR) / "node_modules" / "govuk-frontend" / "dist" / PREFIX


def _served(path: str) -> bool:
    """A path inside the package's dist/govuk folder that a browser may fetch."""
    return path in SCRIPTS or path.startswith(f"{ASSETS}/")


class GovukFrontendFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=frontend_root())
        self.storage.prefix = PREFIX  # read by collectstatic and WhiteNoise for the URL

    def check(self, **kwargs):
        if frontend_root().is_dir():
            return []
        return [
            Warning(
                f"GOV.UK Frontend is not installed at {frontend_root()}.",
                hint="Run `make install`, which installs it from the npm registry.",
                id="casefile.W001",
            )
        ]

    def find(self, path, find_all=False):
        inside = path.removeprefix(f"{PREFIX}/")
        found = frontend_root() / inside
        if inside == path or not _served(inside) or ".." in found.parts or not found.is_file():
            return []  # nothing, as Django's own finders say it
        return [str(found)] if find_all else str(found)

    def list(self, ignore_patterns):
        if not frontend_root().is_dir():
            return
        for path in get_files(self.storage, ignore_patterns, location=ASSETS):
            yield path, self.storage
        for script in SCRIPTS:
            if self.storage.exists(script):
                yield script, self.storage
