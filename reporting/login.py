"""Login protection against password guessing.

After ``LOGIN_FAILURE_LIMIT`` failed attempts within ``LOGIN_LOCKOUT_MINUTES`` for one user name,
or ``LOGIN_FAILURE_LIMIT * 4`` from one address, the login form refuses to try further until the
window has passed. A successful login clears the user name's failures. Failures are kept in the
database, so the limit holds across worker processes.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from .models import FailedLogin


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def is_locked_out(username: str, ip: str | None) -> bool:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = FailedLogin.objects.filter(at__gte=since)
    by_name = recent.filter(username__iexact=username).count()
    by_ip = recent.filter(ip_address=ip).count() if ip else 0
    limit = settings.LOGIN_FAILURE_LIMIT
    return by_name >= limit or by_ip >= limit * 4


LOCKED_OUT = (
    "För många misslyckade inloggningsförsök. Vänta %(minutes)s minuter och försök igen, "
    "eller be administratören om hjälp."
)


class ThrottleMixin:
    """Refuses to authenticate while the user name or address is locked out."""

    def clean(self):
        username = (self.data.get("username") or "").strip()
        ip = client_ip(self.request)
        if username and is_locked_out(username, ip):
            raise forms.ValidationError(
                LOCKED_OUT,
                code="locked_out",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                FailedLogin.objects.create(username=username[:150], ip_address=ip)
            raise
        FailedLogin.objects.filter(username__iexact=username).delete()
        return cleaned


class ThrottledAuthenticationForm(ThrottleMixin, AuthenticationForm):
    """The site's login form."""


class ThrottledAdminAuthenticationForm(ThrottleMixin, AdminAuthenticationForm):
    """The admin's login form."""
