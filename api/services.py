"""API tokens: issued by an administrator for a staff member (the secret shown once, only its
hash kept), revoked with a reason, and when each was last used. Every change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from people.audit import AuditEntry, record_audit
from stations.access import require, staff_profile_of
from stations.roles import Role

ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})
# Use is stamped at most this often: a write on every request would cost every request.
USE_RESOLUTION = dt.timedelta(minutes=1)


def issue_token(*, user: Any, holder: Any, label: str) -> tuple[ApiToken, str]:
    """A new token for `holder` (a staff member, who then acts through it with their own role
    and scope). Returns the token and its secret, which is never shown again."""
    require(user, ADMINISTRATORS)
    label = " ".join((label or "").split())
    if not label or len(label) > 120:
        raise ValidationError({"label": [_("Name the token (at most 120 characters).")]})
    holder = get_user_model().objects.filter(pk=getattr(holder, "pk", holder)).first()
    if holder is None or not holder.is_active or staff_profile_of(holder) is None:
        raise ValidationError(
            {"holder": [_("A token belongs to an active staff member with a role.")]}
        )
    with transaction.atomic():
        token, raw = ApiToken.issue(holder, label)
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=token,
            reason=_("API token issued"),
            detail={"holder": holder.pk, "label": label},
        )
    return token, raw


def revoke_token(*, user: Any, token: ApiToken, reason: str) -> ApiToken:
    """Stop a token working at once; it stays listed, with who revoked it and why."""
    require(user, ADMINISTRATORS)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Say why the token is revoked.")]})
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=user
        )
        if not updated:
            raise ValidationError(_("This token was already revoked."))
        token.refresh_from_db()
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=token,
            reason=reason,
            detail={"revoked": True, "holder": token.user_id},
        )
    return token


def note_use(token: ApiToken) -> None:
    """Remember when a token was last used, to the minute (so unused tokens can be found
    and revoked); security time, so the real clock."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
