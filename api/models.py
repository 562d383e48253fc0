import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the intake client or another system; only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    label = models.CharField(_("label"), max_length=120)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # stamped at most once a minute (api.services.note_use), not on every request
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        constraints = [models.CheckConstraint(condition=~Q(label=""), name="api_token_labelled")]

    def __str__(self) -> str:
        return self.label

    @classmethod
    def issue(cls, user: object, label: str) -> tuple["ApiToken", str]:
        """Create a token and return it with the only copy of the secret."""
        raw = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, label=label, token_hash=hash_token(raw)), raw
