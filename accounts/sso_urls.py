"""Only the parts of django-allauth that single sign-on needs: the provider's sign-in and
callback, and our own pages for a cancelled or failed sign-in (allauth's would link to its
account pages, which are not mounted). No sign-up, no account pages."""

from allauth.socialaccount.providers.openid_connect import urls as oidc_urls
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView


def _page(template: str):
    return login_not_required(TemplateView.as_view(template_name=template))


urlpatterns = [
    path("", include(oidc_urls)),
    path(
        "cancelled/",
        _page("socialaccount/login_cancelled.html"),
        name="socialaccount_login_cancelled",
    ),
    path(
        "error/", _page("socialaccount/authentication_error.html"), name="socialaccount_login_error"
    ),
]
