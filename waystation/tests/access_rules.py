"""Who may open every route of Waystation: one table, checked by test_authorization.py.

Every URL pattern and API route needs an entry here, or the test fails naming it. To add a
route, add one line: its URL name, the personas allowed (names from people/tests/personas.py),
the method it serves, the statuses an allowed persona gets, and the URL arguments.

URL arguments are symbolic: "person" is a person registered at Onsong, "station" is Onsong's
code, "missing" is a record that does not exist (the rule then checks the role gate only: an
allowed persona passes it and gets 404; the record's scope is tested in the app's own tests);
anything else is used as written.
"""

from dataclasses import dataclass, field

# Persona groups (see people/tests/personas.py).
ADMIN = "admin"
AUDITOR = "auditor"
DOCUMENTS = "documents"
LABOUR = "labour"
LABOUR_ELSEWHERE = "labour-ryanggang"
REGISTRARS = frozenset({"registrar-onsong", "registrar-musan"})
MEDICAL = frozenset({"medical-onsong", "medical-musan"})
SUPPLIES = frozenset({"supplies-onsong", "supplies-musan"})
ONSONG_STAFF = frozenset({"registrar-onsong", "medical-onsong", "supplies-onsong"})
ALL_STAFF = frozenset(
    {ADMIN, AUDITOR, DOCUMENTS, LABOUR, LABOUR_ELSEWHERE} | REGISTRARS | MEDICAL | SUPPLIES
)
EVERYONE_SIGNED_IN = ALL_STAFF | {"no-role"}
# Who can see a person registered at Onsong: its station's staff and the province and
# country-wide roles (not the labour officer of another province).
ONSONG_READERS = ONSONG_STAFF | {ADMIN, AUDITOR, DOCUMENTS, LABOUR}
LABOUR_ACTORS = frozenset({LABOUR, LABOUR_ELSEWHERE, ADMIN})
LABOUR_READERS = LABOUR_ACTORS | {AUDITOR}


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    method: str = "get"
    ok: tuple[int, ...] = (200,)
    kwargs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Public:
    """Open without signing in (the sign-in page itself, public keys for offline checks)."""

    method: str = "get"
    ok: tuple[int, ...] = (200,)
    why: str = ""


@dataclass(frozen=True)
class Api:
    """A django-ninja route: a bearer token is required; `payload` names a body in
    test_authorization.API_PAYLOADS. Refusals are 401 (no staff role), 403 (role) or
    404/422 (a person or station outside the caller's scope does not exist for them)."""

    allowed: frozenset[str]
    method: str = "get"
    ok: tuple[int, ...] = (200,)
    kwargs: dict[str, str] = field(default_factory=dict)
    payload: str = ""


P = {"pk": "person"}
MISSING = {"pk": "missing"}
STATION = {"code": "station"}

RULES: dict[str, Rule | Public | Api] = {
    # sign-in and account
    "login": Public(why="the sign-in page"),
    "api-tokens": Rule(frozenset({ADMIN, AUDITOR})),
    "api-token-new": Rule(frozenset({ADMIN}), method="post", ok=(422,)),
    "api-token-revoke": Rule(frozenset({ADMIN}), method="post", ok=(404,), kwargs=MISSING),
    "favicon": Public(ok=(302,), why="the site's icon"),
    "logout": Public(method="post", ok=(302,), why="signing out needs no rights"),
    "set_language": Public(method="post", ok=(302,), why="the sign-in page has a language menu"),
    "profile": Rule(EVERYONE_SIGNED_IN),
    "otp-verify": Rule(EVERYONE_SIGNED_IN, ok=(302,)),  # test personas are already verified
    "otp-setup": Rule(EVERYONE_SIGNED_IN, ok=(200, 302)),
    # one's own recovery codes; without a device, to the set-up page
    "otp-recovery-codes": Rule(EVERYONE_SIGNED_IN, ok=(200, 302)),
    "otp-recovery-codes-new": Rule(EVERYONE_SIGNED_IN, method="post", ok=(302,)),
    # an administrator's one-time link; this one is invalid for everyone who opens it
    "otp-enrol": Rule(
        EVERYONE_SIGNED_IN, ok=(403,), kwargs={"uidb64": "MQ", "token": "not-a-link"}
    ),
    # set-up: administrators set the province up, auditors read what is set up
    "setup-home": Rule(frozenset({ADMIN, AUDITOR})),
    "setup-province-new": Rule(frozenset({ADMIN})),
    "setup-province": Rule(frozenset({ADMIN}), ok=(404,), kwargs=MISSING),
    "setup-province-offices": Rule(frozenset({ADMIN}), method="post", ok=(404,), kwargs=MISSING),
    "setup-station-new": Rule(frozenset({ADMIN})),
    "setup-station": Rule(frozenset({ADMIN}), kwargs=STATION),
    "setup-station-place": Rule(frozenset({ADMIN}), method="post", ok=(302,), kwargs=STATION),
    "setup-staff-new": Rule(frozenset({ADMIN})),
    "setup-staff": Rule(frozenset({ADMIN}), ok=(404,), kwargs=MISSING),
    # imports: registrars bring in their station's register, labour officers their labour
    # plan, administrators both; auditors read the reports. Missing jobs give 404.
    "imports-home": Rule(REGISTRARS | {ADMIN, AUDITOR, LABOUR, LABOUR_ELSEWHERE}),
    "imports-job": Rule(
        REGISTRARS | {ADMIN, AUDITOR, LABOUR, LABOUR_ELSEWHERE}, ok=(404,), kwargs=MISSING
    ),
    "imports-progress": Rule(
        REGISTRARS | {ADMIN, AUDITOR, LABOUR, LABOUR_ELSEWHERE}, ok=(404,), kwargs=MISSING
    ),
    "imports-start": Rule(
        REGISTRARS | {ADMIN, LABOUR, LABOUR_ELSEWHERE}, method="post", ok=(404,), kwargs=MISSING
    ),
    # household-wide actions: each member goes through the owning app's own checks
    "household-admit": Rule(MEDICAL, method="post", ok=(404,), kwargs=MISSING),
    "household-issue": Rule(SUPPLIES | {ADMIN}, method="post", ok=(404,), kwargs=MISSING),
    "household-documents": Rule(
        frozenset({ADMIN, DOCUMENTS, LABOUR, LABOUR_ELSEWHERE}) | REGISTRARS,
        method="post",
        ok=(404,),
        kwargs=MISSING,
    ),
    # stations and people
    "home": Rule(ALL_STAFF, ok=(200, 302)),  # station staff are sent on to their station
    "station-dashboard": Rule(ONSONG_STAFF | {ADMIN, AUDITOR, DOCUMENTS, LABOUR}, kwargs=STATION),
    "person-list": Rule(ALL_STAFF),
    "person-search": Rule(ALL_STAFF),
    "register-household": Rule(REGISTRARS | {ADMIN}),
    "person-detail": Rule(ONSONG_READERS, kwargs=P),
    # Each role may force the states it may (people/journey.py says which), with a reason.
    "person-override": Rule(ONSONG_READERS - {AUDITOR}, method="post", ok=(302,), kwargs=P),
    "person-register-arrival": Rule(
        frozenset({"registrar-onsong", ADMIN}), method="post", ok=(302,), kwargs=P
    ),
    "person-crossing": Rule(
        frozenset({"registrar-onsong", ADMIN}), method="post", ok=(302,), kwargs=P
    ),
    "audit-log": Rule(frozenset({ADMIN, AUDITOR})),
    # health
    "health-quarantine": Rule(MEDICAL, ok=(302,)),
    "health-board": Rule(frozenset({"medical-onsong"}), kwargs=STATION),
    "health-record": Rule(frozenset({"medical-onsong"}), kwargs=P),
    "health-fhir": Rule(frozenset({"medical-onsong"}), kwargs=P),
    "health-card": Rule(frozenset({"medical-onsong"}), kwargs=P),
    "health-action": Rule(
        frozenset({"medical-onsong"}),
        method="post",
        ok=(302,),
        kwargs={"pk": "person", "action": "wash"},
    ),
    "health-outbreaks": Rule(MEDICAL | {ADMIN}),
    "health-case-new": Rule(MEDICAL),
    "health-case-update": Rule(MEDICAL, method="post", ok=(302,)),
    # documents
    "documents:home": Rule(frozenset({ADMIN, AUDITOR, DOCUMENTS})),
    "documents:queue": Rule(frozenset({ADMIN, AUDITOR, DOCUMENTS})),
    "documents:daily": Rule(frozenset({ADMIN, AUDITOR, DOCUMENTS})),
    "documents:offices": Rule(frozenset({ADMIN, AUDITOR, DOCUMENTS})),
    "documents:applications": Rule(frozenset({ADMIN, AUDITOR, DOCUMENTS})),
    "documents:verify": Rule(ALL_STAFF),
    "documents:keys-json": Public(why="public keys, for checking documents offline"),
    "documents:revocations-json": Public(
        ok=(200, 503), why="the signed revocation list is public (503 until one is published)"
    ),
    "documents:application-decide": Rule(
        frozenset({ADMIN, DOCUMENTS}), method="post", ok=(404,), kwargs=MISSING
    ),
    "documents:person-request": Rule(
        frozenset({ADMIN, DOCUMENTS, LABOUR, "registrar-onsong"}),
        method="post",
        ok=(302,),
        kwargs=P,
    ),
    "documents:application-file": Rule(
        frozenset({ADMIN, DOCUMENTS}), method="post", ok=(302,), kwargs=P
    ),
    "documents:request-issue": Rule(
        frozenset({ADMIN, DOCUMENTS}), method="post", ok=(404,), kwargs=MISSING
    ),
    "documents:request-refuse": Rule(
        frozenset({ADMIN, DOCUMENTS}), method="post", ok=(404,), kwargs=MISSING
    ),
    "documents:batch-pdf": Rule(frozenset({ADMIN, DOCUMENTS}), ok=(404,)),  # 404: nothing chosen
    # a batch is the asking officer's own: another officer gets 404 like a missing one
    "documents:batch": Rule(frozenset({ADMIN, DOCUMENTS}), ok=(404,), kwargs=MISSING),
    "documents:batch-download": Rule(frozenset({ADMIN, DOCUMENTS}), ok=(404,), kwargs=MISSING),
    "documents:detail": Rule(
        REGISTRARS | {ADMIN, AUDITOR, DOCUMENTS, LABOUR, LABOUR_ELSEWHERE},
        ok=(404,),
        kwargs=MISSING,
    ),
    # No photo is taken in the test: allowed readers pass the role and scope gates and get 404.
    "documents:photo": Rule(
        frozenset({"registrar-onsong", ADMIN, AUDITOR, DOCUMENTS, LABOUR}), ok=(404,), kwargs=P
    ),
    "documents:photo-upload": Rule(
        frozenset({"registrar-onsong", ADMIN, DOCUMENTS}), method="post", ok=(302,), kwargs=P
    ),
    "documents:pdf": Rule(frozenset({ADMIN, DOCUMENTS}), ok=(404,), kwargs=MISSING),
    "documents:revoke": Rule(
        frozenset({ADMIN, DOCUMENTS}), method="post", ok=(404,), kwargs=MISSING
    ),
    "documents:reissue": Rule(
        frozenset({ADMIN, DOCUMENTS}), method="post", ok=(404,), kwargs=MISSING
    ),
    # supplies
    "supplies-home": Rule(SUPPLIES | {ADMIN, AUDITOR}, ok=(200, 302)),
    "supplies-planning": Rule(SUPPLIES | {ADMIN, AUDITOR, LABOUR, LABOUR_ELSEWHERE}),
    "supplies-planning-csv": Rule(SUPPLIES | {ADMIN, AUDITOR, LABOUR, LABOUR_ELSEWHERE}),
    "supplies-station": Rule(frozenset({"supplies-onsong", ADMIN, AUDITOR}), kwargs=STATION),
    "supplies-add-place": Rule(
        frozenset({"supplies-onsong", ADMIN}), method="post", ok=(302,), kwargs=STATION
    ),
    "supplies-movement": Rule(
        frozenset({"supplies-onsong", ADMIN}),
        method="post",
        ok=(302,),
        kwargs={"code": "station", "kind": "receive"},
    ),
    "supplies-issue-entitlement": Rule(
        frozenset({"supplies-onsong", ADMIN}),
        method="post",
        ok=(404,),
        kwargs={"pk": "person", "entitlement_pk": "missing"},
    ),
    "supplies-issue-item": Rule(
        frozenset({"supplies-onsong", ADMIN}), method="post", ok=(302,), kwargs=P
    ),
    "supplies-assign-bed": Rule(
        frozenset({"supplies-onsong", ADMIN}), method="post", ok=(302,), kwargs=P
    ),
    "supplies-release-bed": Rule(
        frozenset({"supplies-onsong", ADMIN}), method="post", ok=(302,), kwargs=P
    ),
    "supplies-transfer": Rule(
        frozenset({"supplies-onsong", ADMIN}), method="post", ok=(302,), kwargs=P
    ),
    "supplies-check-out": Rule(
        frozenset({"supplies-onsong", ADMIN}), method="post", ok=(302,), kwargs=P
    ),
    "supplies-check-in": Rule(
        frozenset({"supplies-onsong", ADMIN}), method="post", ok=(302,), kwargs=P
    ),
    # reports
    "reports:situation": Rule(ALL_STAFF),
    "reports:situation-download": Rule(ALL_STAFF, kwargs={"fmt": "csv"}),
    "reports:dashboard": Rule(ALL_STAFF),
    "reports:dashboard-retention": Rule(ALL_STAFF),
    "reports:record-outcome": Rule(frozenset({LABOUR}), method="post", ok=(302,), kwargs=P),
    "reports:grievances": Rule(REGISTRARS | {ADMIN, AUDITOR, DOCUMENTS, LABOUR, LABOUR_ELSEWHERE}),
    "reports:grievance-new": Rule(
        frozenset({ADMIN, DOCUMENTS, LABOUR, "registrar-onsong"}), kwargs={"person_pk": "person"}
    ),
    "reports:grievance": Rule(
        REGISTRARS | {ADMIN, AUDITOR, DOCUMENTS, LABOUR, LABOUR_ELSEWHERE},
        ok=(404,),
        kwargs=MISSING,
    ),
    "reports:grievance-action": Rule(
        frozenset({ADMIN, DOCUMENTS, LABOUR, LABOUR_ELSEWHERE}),
        method="post",
        ok=(404,),
        kwargs={"pk": "missing", "action": "assign"},
    ),
    "reports:person-export": Rule(frozenset({ADMIN, LABOUR, LABOUR_ELSEWHERE})),
    # identity: the files check is the registrars'; bulk runs and undoing links the
    # administrators'; auditors read the queues.
    "identity-check": Rule(REGISTRARS | {ADMIN}),
    "identity-review": Rule(REGISTRARS | {ADMIN, AUDITOR}),
    "identity-review-decide": Rule(REGISTRARS | {ADMIN}, method="post", ok=(404,), kwargs=MISSING),
    "identity-duplicates": Rule(frozenset({ADMIN, AUDITOR})),
    "identity-progress": Rule(frozenset({ADMIN, AUDITOR})),
    "identity-run": Rule(frozenset({ADMIN}), method="post", ok=(302,)),
    "identity-reestimate": Rule(frozenset({ADMIN}), method="post", ok=(302,)),
    "identity-repeat": Rule(REGISTRARS | {ADMIN, AUDITOR}),
    "identity-unlink": Rule(frozenset({ADMIN}), method="post", ok=(404,), kwargs=MISSING),
    "identity-person-check": Rule(frozenset({"registrar-onsong", ADMIN, AUDITOR}), kwargs=P),
    # labour: officers act in their province, auditors read; records outside the province or
    # missing give 404 to those past the role gate.
    "labour-home": Rule(LABOUR_READERS),
    "labour-run": Rule(LABOUR_READERS, ok=(404,), kwargs=MISSING),
    "labour-request": Rule(LABOUR_READERS, ok=(404,), kwargs=MISSING),
    "labour-approval": Rule(LABOUR_READERS, ok=(404,), kwargs=MISSING),
    "labour-run-approve": Rule(LABOUR_ACTORS, method="post", ok=(404,), kwargs=MISSING),
    "labour-what-if": Rule(LABOUR_ACTORS, ok=(404,), kwargs=MISSING),
    "labour-compare": Rule(LABOUR_READERS, ok=(404,)),  # 404: no runs chosen to compare
    "labour-outcomes": Rule(LABOUR_READERS),
    "labour-assignment": Rule(LABOUR_ACTORS, ok=(404,), kwargs=MISSING),
    "labour-sites": Rule(LABOUR_READERS),
    "labour-record-new": Rule(LABOUR_ACTORS, kwargs={"kind": "employer"}),
    "labour-record": Rule(LABOUR_ACTORS, ok=(404,), kwargs={"kind": "employer", "pk": "missing"}),
    "labour-credential-claim": Rule(frozenset({LABOUR, ADMIN}), method="post", ok=(302,), kwargs=P),
    "labour-credential-claim-at-station": Rule(
        frozenset({"registrar-onsong"}), method="post", ok=(302,), kwargs=P
    ),
    "labour-credential-decide": Rule(
        LABOUR_ACTORS, method="post", ok=(404,), kwargs={"pk": "missing", "decision": "verify"}
    ),
    "labour-placement-end": Rule(frozenset({LABOUR, ADMIN}), method="post", ok=(302,), kwargs=P),
    "labour-preferences": Rule(frozenset({LABOUR, ADMIN}), method="post", ok=(302,), kwargs=P),
    "labour-hand-over": Rule(
        frozenset({LABOUR, ADMIN, "registrar-onsong"}), method="post", ok=(302,), kwargs=P
    ),
    # offline intake: the worker and manifest are fetched by the browser without cookies and
    # hold no data; the outbox and conflicts are registrars' own.
    "service-worker": Public(why="the offline worker's script, no data"),
    "healthz": Public(why="a monitor's health check: whether the database answers, no data"),
    "web-manifest": Public(why="the installable app's manifest, no data"),
    "intake-outbox": Rule(REGISTRARS | {ADMIN}),
    "intake-edit-person": Rule(frozenset({"registrar-onsong", ADMIN}), kwargs=P),
    "intake-conflict": Rule(REGISTRARS | {ADMIN}, ok=(404,), kwargs=MISSING),
    # API (bearer tokens)
    "api-1:openapi-json": Public(why="the API's schema, no data"),
    # the documentation page loads Swagger UI from a CDN: signed-in staff only
    "api-1:openapi-view": Rule(ALL_STAFF),
    "api-1:api-root": Public(ok=(404,), why="nothing is served at the API's root"),
    "api-1:list_persons": Api(ALL_STAFF),
    # the files check: registrars see the candidates anywhere (the point of the check)
    "api-1:identity_check": Api(REGISTRARS | {ADMIN}),
    "api-1:read_person": Api(ONSONG_READERS, kwargs={"person_id": "person"}),
    "api-1:create_household": Api(
        frozenset({"registrar-onsong", ADMIN}), method="post", ok=(201,), payload="household"
    ),
    "api-1:create_person": Api(
        frozenset({"registrar-onsong", ADMIN}), method="post", ok=(201,), payload="person"
    ),
    "api-1:edit_person": Api(
        frozenset({"registrar-onsong", ADMIN}),
        method="patch",
        kwargs={"person_id": "person"},
        payload="edit",
    ),
    "api-1:create_crossing": Api(
        frozenset({"registrar-onsong", ADMIN}), method="post", ok=(201,), payload="crossing"
    ),
}

# The Django admin site: every one of its routes is checked through its index, which only
# signed-in staff users (with a second factor) reach.
ADMIN_SITE_PREFIX = "/admin/"
