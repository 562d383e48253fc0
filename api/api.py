"""The REST API for the offline intake client and other systems (OpenAPI at /api/docs)."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.views import openapi_view
from ninja.security import HttpBearer, SessionAuth

from accounts.services import owes_second_factor
from api.models import ApiToken, hash_token
from api.schemas import (
    CandidateOut,
    CheckQuery,
    CrossingIn,
    CrossingOut,
    ErrorOut,
    HouseholdIn,
    HouseholdOut,
    PersonCreateIn,
    PersonEditConflictOut,
    PersonEditIn,
    PersonOut,
    Text,
)
from api.services import note_use
from identity import services as identity_services
from identity.check import CheckLimitReached, checked_by
from intake import services as intake_services
from people import journey, services
from people.audit import record_persons_shown
from people.models import Crossing, Household, Person
from people.queries import filtered_persons, listed_filters, visible_persons
from people.states import JourneyState
from stations.access import (
    can_see_station,
    require,
    role_required,
    scope_to_stations,
    staff_profile_of,
    visible_stations,
)
from stations.models import Station
from stations.roles import Role


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        # One query for token, user, profile and station: every API request starts here.
        found = next(
            iter(
                ApiToken.objects.select_related("user__staff_profile__station").filter(
                    token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True
                )[:1]
            ),
            None,
        )
        if found is None:
            return None
        found.user._cached_staff_profile = getattr(found.user, "staff_profile", None)
        profile = staff_profile_of(found.user)
        if profile is None:
            return None
        request.user = found.user
        request.staff = profile
        note_use(found)
        return found


class StaffSession(SessionAuth):
    """The logged-in staff member's session, for the offline intake page; ninja checks CSRF
    on unsafe methods, so a page must send the X-CSRFToken header. A session that still owes
    its second factor is no session here: the password alone opens nothing."""

    def authenticate(self, request: HttpRequest, key: str | None) -> object | None:
        if not request.user.is_authenticated or owes_second_factor(request.user):
            return None
        profile = staff_profile_of(request.user)
        if profile is None:
            return None
        request.staff = profile
        return request.user


def _staff_only_docs(view: Callable) -> Callable:
    """The documentation page is for signed-in staff only (it lists what a client may do);
    the schema itself stays public (no data)."""
    if getattr(view, "func", None) is openapi_view:
        return role_required()(view)
    return view


api = NinjaAPI(
    title="Waystation API",
    version="1",
    auth=[BearerToken(), StaffSession()],
    docs_url="/docs",
    docs_decorator=_staff_only_docs,
    description="Registration of households, persons and crossings. Every create carries a "
    "client-made UUID: sending it again returns the first answer and stores nothing twice.",
)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ApiError(Exception):
    def __init__(self, status: int, detail: str, errors: dict[str, list[str]] | None = None):
        self.status, self.detail, self.errors = status, detail, errors or {}


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError):
    return api.create_response(
        request, {"detail": exc.detail, "errors": exc.errors}, status=exc.status
    )


@api.exception_handler(NinjaValidationError)
def _invalid_input(request: HttpRequest, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for problem in exc.errors:
        location = ".".join(
            str(part) for part in problem.get("loc", ()) if part not in ("body", "payload", "query")
        )
        errors.setdefault(location or "__all__", []).append(problem.get("msg", "invalid"))
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


def _station(request: HttpRequest, code: str) -> Station:
    own = request.staff.station
    if own is not None and own.code == code:  # a station's own staff: loaded with the token
        return own
    station = visible_stations(request.staff).filter(code=code).first()
    if station is None:
        raise ApiError(
            422, "Unknown station.", {"station": ["No station with this code in your scope."]}
        )
    return station


def _call(action, *args, **kwargs):
    """Translate the services' refusals into API errors, never a 500."""
    try:
        return action(*args, **kwargs)
    except Http404 as absent:  # out of the caller's scope, so absent for them
        raise ApiError(404, "Not found.") from absent
    except services.IdempotencyConflict as conflict:
        raise ApiError(409, str(conflict)) from conflict
    except ValidationError as error:
        raise ApiError(422, "Invalid input.", error.message_dict) from error
    except PermissionDenied as denied:
        raise ApiError(403, str(denied) or "Not allowed.") from denied
    except journey.TransitionRefused as refusal:
        raise ApiError(409, str(refusal)) from refusal


def _person_input(member: Schema) -> services.PersonInput:
    fields = member.dict(exclude={"station", "household_uuid", "crossed_at", "files_check"})
    return services.PersonInput(**fields)


def _files_check(member: Schema) -> services.FilesCheck | None:
    """None when the client sent no verdicts: the service then queues every candidate."""
    if member.files_check is None:
        return None
    return _call(services.FilesCheck, {v.candidate_id: str(v.verdict) for v in member.files_check})


def _household_out(household: Household) -> dict:
    members = getattr(household, "registered_members", None)
    if members is None:  # a resend: the household was registered by an earlier request
        members = list(household.members.select_related("station").order_by("id"))
    return {
        "id": household.pk,
        "client_uuid": household.client_uuid,
        "station": household.station.code,
        "head_id": household.head_id,
        "members": members,
    }


def _links(person_id: str, crossing: bool = True) -> dict[str, dict]:
    """OpenAPI links from an answer naming a person to what a client does next with them:
    read, edit, record a crossing. Clients (and the stateful fuzzing) follow them."""
    links = {
        "ReadPerson": {
            "operationId": "api_api_read_person",
            "parameters": {"person_id": person_id},
        },
        "EditPerson": {
            "operationId": "api_api_edit_person",
            "parameters": {"person_id": person_id},
        },
    }
    if crossing:
        links["RecordCrossing"] = {
            "operationId": "api_api_create_crossing",
            "requestBody": {"person_id": person_id},
        }
    return links


def _linked(person_id: str, *statuses: int, crossing: bool = True) -> dict:
    return {"responses": {status: {"links": _links(person_id, crossing)} for status in statuses}}


@api.post(
    "/households",
    response={200: HouseholdOut, 201: HouseholdOut, **ERRORS},
    tags=["registration"],
    openapi_extra=_linked("$response.body#/members/0/id", 200, 201),
)
def create_household(request: HttpRequest, payload: HouseholdIn):
    station = _station(request, payload.station)
    household, created = _call(
        services.register_household,
        user=request.user,
        station=station,
        members=[_person_input(member) for member in payload.members],
        head_index=payload.head_index,
        client_uuid=payload.client_uuid,
        crossed_at=payload.crossed_at,
        files_checks=_files_checks(payload.members),
    )
    return Status(201 if created else 200, _household_out(household))


def _files_checks(members: list[Schema]) -> list[services.FilesCheck] | None:
    checks = [_files_check(member) for member in members]
    if all(check is None for check in checks):
        return None
    return [check or services.FilesCheck() for check in checks]


@api.post(
    "/persons",
    response={200: PersonOut, 201: PersonOut, **ERRORS},
    tags=["registration"],
    openapi_extra=_linked("$response.body#/id", 200, 201),
)
def create_person(request: HttpRequest, payload: PersonCreateIn):
    station = _station(request, payload.station)
    household = None
    if payload.household_uuid is not None:
        households = scope_to_stations(staff_profile_of(request.user), Household.objects.all())
        household = households.filter(client_uuid=payload.household_uuid).first()
        if household is None:
            raise ApiError(422, "Unknown household.", {"household_uuid": ["No such household."]})
    person, created = _call(
        services.add_person,
        user=request.user,
        station=station,
        data=_person_input(payload),
        household=household,
        crossed_at=payload.crossed_at,
        files_check=_files_check(payload),
    )
    return Status(
        201 if created else 200, Person.objects.select_related("station").get(pk=person.pk)
    )


@api.get(
    "/identity/check",
    response={200: list[CandidateOut], 429: ErrorOut, **ERRORS},
    tags=["registration"],
)
def identity_check(request: HttpRequest, typed: Query[CheckQuery]):
    """The files check for a person being registered, scored as the registration page scores
    it (document number included): the earlier records to decide on, best first. Send the
    verdicts with the registration (`files_check` of each member). A record outside the
    caller's scope shows its name, birth date and station only; every check is audited and
    counted against the caller's hourly limit (429 past it)."""
    require(request.user, (Role.REGISTRAR, Role.ADMINISTRATOR))
    fields = identity_services.typed_fields(typed.dict())
    if not any(fields[name] for name in identity_services.CHECKED_FIELDS[:6]):
        return []
    try:
        _prepared, shown = checked_by(request.user, fields)
    except CheckLimitReached as limit:
        raise ApiError(429, str(limit)) from limit
    return [
        {
            "id": item.candidate.person.pk,
            "name": item.candidate.person.display_name,
            "sex": item.candidate.person.sex if item.in_scope else "",
            "birth_date": item.candidate.person.birth_date,
            "station": item.candidate.person.station.code,
            "in_scope": item.in_scope,
            "score": round(item.candidate.result.score, 2),
            "band": item.candidate.result.band,
            "reasons": [
                f"{row.field}: {row.level}"
                for row in item.candidate.result.comparisons
                if row.level != "missing" and item.in_scope
            ],
        }
        for item in shown
    ]


@api.post(
    "/crossings",
    response={200: CrossingOut, 201: CrossingOut, **ERRORS},
    tags=["registration"],
    openapi_extra=_linked("$response.body#/person_id", 200, 201),
)
def create_crossing(request: HttpRequest, payload: CrossingIn):
    station = _station(request, payload.station)
    person = Person.objects.select_related("station").filter(pk=payload.person_id).first()
    # A returned person may come back through any station; any other person outside the
    # caller's scope is as absent as one that never existed (one answer, no oracle).
    coming_back = (
        person is not None
        and person.state == JourneyState.RETURNED
        and payload.direction == Crossing.Direction.IN
    )
    in_scope = person is not None and can_see_station(
        staff_profile_of(request.user), person.station
    )
    if person is None or not (coming_back or in_scope):
        raise ApiError(404, "Not found.", {"person_id": ["No such person."]})
    crossing, created = _call(
        services.record_crossing,
        user=request.user,
        person=person,
        station=station,
        direction=payload.direction,
        crossed_at=payload.crossed_at,
        note=payload.note,
        client_uuid=payload.client_uuid,
    )
    crossing.person.refresh_from_db(fields=["state"])
    return Status(201 if created else 200, crossing)


@api.get(
    "/persons/{person_id}",
    response={200: PersonOut, **ERRORS},
    tags=["people"],
    openapi_extra=_linked("$response.body#/id", 200),
)
def read_person(request: HttpRequest, person_id: int):
    person = visible_persons(request.staff).select_related("station").filter(pk=person_id).first()
    if person is None:
        raise ApiError(404, "Not found.")
    services.log_person_view(request.user, person, reason="API read")
    return person


MAX_OFFSET = 1_000_000_000


class PersonFilters(Schema):
    station: Text = Field("", max_length=32)
    state: Text = Field("", max_length=24)
    category: Text = Field("", max_length=24)
    sex: Text = Field("", max_length=1)
    q: Text = Field("", max_length=200)
    limit: int = Field(50, ge=1, le=500)
    # The databases take OFFSET as a 64-bit integer; a billion is beyond any registry.
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class PersonPage(Schema):
    count: int
    results: list[PersonOut]


@api.get("/persons", response={200: PersonPage, **ERRORS}, tags=["people"])
def list_persons(request: HttpRequest, filters: Query[PersonFilters]):
    params = filters.dict()
    if params["station"]:
        station = _station(request, params["station"])
        params["station"] = str(station.pk)
    persons = filtered_persons(request.staff, params)
    shown = list(persons[filters.offset : filters.offset + filters.limit])
    record_persons_shown(
        request.user,
        shown,
        reason="API list",
        searched=bool(params["q"].strip()),
        detail={"filters": listed_filters(params), "offset": filters.offset},
    )
    return {"count": persons.count(), "results": shown}


@api.patch(
    "/persons/{person_id}",
    response={
        200: PersonOut,
        409: PersonEditConflictOut,
        **{k: v for k, v in ERRORS.items() if k != 409},
    },
    tags=["people"],
)
def edit_person(request: HttpRequest, person_id: int, payload: PersonEditIn):
    """Change a person's fields. `version` is the version the edit was based on: if the person
    has changed since and the edit would change something, nothing is written and the answer is
    409 with the server's current fields and the conflict for a registrar to settle."""
    person = visible_persons(request.staff).select_related("station").filter(pk=person_id).first()
    if person is None:
        raise ApiError(404, "Not found.")
    # A null means "not sent", except for the date of birth, where it means "unknown".
    changes = {
        name: value
        for name, value in payload.changes.dict(exclude_unset=True).items()
        if value is not None or name == "birth_date"
    }
    try:
        outcome = _call(
            intake_services.edit_person,
            user=request.user,
            person=person,
            base_version=payload.version,
            changes=changes,
            client_uuid=payload.client_uuid,
        )
    except ApiError as refusal:
        if refusal.status != 409:
            raise
        # the client UUID came before with another edit: nothing is applied
        current = Person.objects.select_related("station").get(pk=person.pk)
        return Status(409, {"detail": refusal.detail, "conflict_id": None, "current": current})
    current = Person.objects.select_related("station").get(pk=person.pk)
    if outcome.conflict is not None:
        return Status(
            409,
            {
                "detail": "The person was changed since the version this edit was based on.",
                "conflict_id": outcome.conflict.pk,
                "current": current,
            },
        )
    return current
