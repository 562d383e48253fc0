"""The labour card on the person page: credentials (claimed, verified, rejected), the
household's ranked preferences and the active placement, with forms for labour officers."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from labour.forms import ClaimForm, PreferenceForm, VerifyForm
from labour.models import Credential, Placement, Preference
from labour.services.access import ACTING_ROLES, READING_ROLES
from people.models import Person
from stations.roles import Role


def person_panel(request: HttpRequest, person: Person) -> SafeString | str:
    profile = getattr(request, "staff", None)
    if profile is not None and profile.role == Role.REGISTRAR:
        return _registrar_claims(request, person, profile.station_id)
    if profile is None or profile.role not in READING_ROLES:
        return ""
    owner = {"household_id": person.household_id} if person.household_id else {"person": person}
    wishes = list(Preference.objects.filter(**owner, superseded_at__isnull=True).order_by("rank"))
    initial = {}
    for wish in wishes[:3]:
        initial[f"kind_{wish.rank}"] = wish.kind
        initial[f"value_{wish.rank}"] = wish.sector or wish.county
    context = {
        "person": person,
        "credentials": Credential.objects.filter(person=person).select_related("decided_by"),
        "wishes": wishes,
        "placement": Placement.objects.filter(person=person, status="active")
        .select_related("site", "vacancy")
        .first(),
        "can_act": profile.role in ACTING_ROLES,
        "left_reasons": [
            _("work too hard"),
            _("unable to do the work"),
            _("dissatisfied with the assignment"),
            _("family"),
        ],
        "claim_form": ClaimForm(),
        "verify_form": VerifyForm(),
        "preference_form": PreferenceForm(initial=initial),
    }
    return mark_safe(render_to_string("labour/_person_panel.html", context, request=request))  # noqa: S308


def _registrar_claims(request: HttpRequest, person: Person, station_id: int | None) -> str:
    """Registrars of the person's station record claimed education and skills they hear at
    registration; verification stays with labour officers."""
    if station_id is None or station_id != person.station_id:
        return ""
    context = {
        "person": person,
        "credentials": Credential.objects.filter(person=person),
        "claim_form": ClaimForm(),
    }
    return mark_safe(render_to_string("labour/_registrar_claims.html", context, request=request))  # noqa: S308
