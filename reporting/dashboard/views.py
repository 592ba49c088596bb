"""The dashboard's pages (stub)."""

from django.http import HttpResponse


def dashboard(request):
    return HttpResponse("")


def table_download(request, key, fmt):
    return HttpResponse("")


def drill_list(request, kind):
    return HttpResponse("")
