from django.http import HttpResponse


def monthly_list(request):
    return HttpResponse("")


def half_year_list(request):
    return HttpResponse("")
