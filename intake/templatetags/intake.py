from django import template

from stations.access import visible_stations

register = template.Library()


@register.simple_tag(takes_context=True)
def station_codes(context: template.Context) -> str:
    """'pk=code pk=code' for the stations in the reader's scope: the offline script sends
    station codes to the API while the forms choose stations by key."""
    staff = getattr(context.get("request"), "staff", None)
    if staff is None:
        return ""
    return " ".join(
        f"{pk}={code}" for pk, code in visible_stations(staff).values_list("pk", "code")
    )
