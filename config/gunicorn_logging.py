"""Gunicorn's access log without API keys (see config/log_filters.py)."""

from __future__ import annotations

from gunicorn.glogging import Logger

from config.log_filters import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # The request line, the query, the referrer, and the environ and header atoms
        # (`{raw_uri}e`, `{referer}i`...) may all quote the URL.
        return {
            name: redact(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }
