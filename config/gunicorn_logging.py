"""Gunicorn's access log without API keys (see config/log_filters.py)."""

from __future__ import annotations

from gunicorn.glogging import Logger

from config.log_filters import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("r", "q", "U", "f"):
            if isinstance(atoms.get(name), str):
                atoms[name] = redact(atoms[name])
        return atoms
