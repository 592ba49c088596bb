from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only API for Power BI and other tools (issue 15). It sits above every other
    app: it may import from all of them, and none imports it."""

    name = "api"
    verbose_name = "API for reporting tools"
    default_auto_field = "django.db.models.BigAutoField"
