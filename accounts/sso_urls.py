"""Only the parts of django-allauth that single sign-on needs: the provider's sign-in and
callback, and its error pages. No sign-up, no account pages."""

from allauth.socialaccount import views as social_views
from allauth.socialaccount.providers.openid_connect import urls as oidc_urls
from django.urls import include, path

urlpatterns = [
    path("", include(oidc_urls)),
    path("cancelled/", social_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("error/", social_views.login_error, name="socialaccount_login_error"),
]
