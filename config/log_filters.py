"""Keep API keys out of the logs: Power BI sends its "Web API" key as the `api_key` query
parameter, so any log line that quotes a URL could carry one."""

from __future__ import annotations

import logging
import re

_KEY_IN_QUERY = re.compile(r"(?i)(api_key=)[^&\s\"']+")
_KEY_ANYWHERE = re.compile(r"\bcfa_[0-9a-f]{8}_[A-Za-z0-9_\-]+")


def redact(text: str) -> str:
    return _KEY_ANYWHERE.sub("cfa_[redacted]", _KEY_IN_QUERY.sub(r"\1[redacted]", text))


class RedactApiKeys(logging.Filter):
    """Rewrites a record's message with any API key replaced by `[redacted]`."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
