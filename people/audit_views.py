from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from people.audit import AuditEntry
from stations.access import role_required
from stations.roles import Role
from waystation.input_guard import parse_id


@role_required(Role.AUDITOR, Role.ADMINISTRATOR)
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("user", "person", "station")
    params = request.GET
    if params.get("action") in AuditEntry.Action.values:
        entries = entries.filter(action=params["action"])
    if (params.get("user") or "").strip():
        entries = entries.filter(user__username=params["user"].strip())
    if (person_id := parse_id(params.get("person"))) is not None:
        entries = entries.filter(person_id=person_id)
    if params.get("role") in Role.values:
        entries = entries.filter(role=params["role"])
    since, until = parse_date(params.get("since") or ""), parse_date(params.get("until") or "")
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    page = Paginator(entries.order_by("-at", "-id"), 100).get_page(params.get("page"))
    roles = dict(Role.choices)
    rows = [
        {"entry": entry, "object": object_label(entry), "role": roles.get(entry.role, "")}
        for entry in page.object_list
    ]
    query = params.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": rows,
        "actions": AuditEntry.Action.choices,
        "roles": Role.choices,
        "params": params,
        "query_without_page": query.urlencode(),
        "usernames": get_user_model()
        .objects.order_by("username")
        .values_list("username", flat=True),
    }
    return render(request, "people/audit_log.html", context)


def object_label(entry: AuditEntry) -> str:
    """What an entry is about, as a reader says it: "person 안재수 (20525)", "travel pass
    request 81", never the table's name."""
    if entry.object_type == "people.Person" and entry.person is not None:
        return f"{entry.person.display_name} ({entry.object_id})"
    try:
        name = str(apps.get_model(entry.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        name = ""
    return " ".join(part for part in (name, entry.object_id) if part)
