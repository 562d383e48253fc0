"""The API tokens page: administrators issue a token for a staff member (the secret is shown
once, on the answer to the request that made it), see when each was last used, revoke it."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api import services
from api.models import ApiToken
from stations.access import StaffRequest, role_required
from stations.roles import Role


def _context(form_errors: dict | None = None) -> dict:
    holders = (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__isnull=False)
        .select_related("staff_profile__station")
        .order_by("username")
    )
    tokens = ApiToken.objects.select_related("user", "revoked_by").order_by(
        "revoked_at", "-created_at"
    )
    return {"tokens": tokens, "holders": holders, "errors": form_errors or {}}


@role_required(Role.ADMINISTRATOR, Role.AUDITOR)
def token_list(request: StaffRequest) -> HttpResponse:
    return render(request, "api/tokens.html", _context())


@require_POST
@role_required(Role.ADMINISTRATOR)
def token_new(request: StaffRequest) -> HttpResponse:
    try:
        token, secret = services.issue_token(
            user=request.user,
            holder=request.POST.get("holder", ""),
            label=request.POST.get("label", ""),
        )
    except ValidationError as error:
        return render(request, "api/tokens.html", _context(error.message_dict), status=422)
    # The secret is in this answer only; a reload or the list never shows it again.
    context = {**_context(), "issued": token, "secret": secret}
    response = render(request, "api/tokens.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@role_required(Role.ADMINISTRATOR)
def token_revoke(request: StaffRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        services.revoke_token(user=request.user, token=token, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, _("The token no longer works."))
    return redirect("api-tokens")
