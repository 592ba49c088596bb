"""Gunicorn's settings for the web service (docker-compose.yml), from the environment."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
# The access log's request line would show Power BI's `api_key` query parameter: redact it.
logger_class = "config.gunicorn_logging.RedactingLogger"


def post_worker_init(worker):
    # Importing WeasyPrint takes over a second (it loads Pango and the fonts); do it before
    # the worker takes requests, so the first audit PDF anyone asks for is as quick as the
    # rest.
    import weasyprint  # noqa: F401
