"""The pages each role works on pass axe-core's checks (no serious or critical violation) and
fit a 360 px wide phone screen without sideways scrolling."""

from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

ROLES = ["registrar-onsong", "medical-onsong", "supplies-onsong", "labour", "documents", "auditor"]
PAGES_PER_ROLE = 10
SKIPPED = ("logout", "/lang", ".csv", ".pdf", ".json", "export", "/api/", "/admin/")


def _links(page, base: str) -> list[str]:
    found = []
    for href in page.eval_on_selector_all(
        "a[href]", "links => links.map(a => a.getAttribute('href'))"
    ):
        target = urlsplit(urljoin(base, href))
        if target.netloc and not base.startswith(f"{target.scheme}://{target.netloc}"):
            continue
        path = target.path + (f"?{target.query}" if target.query else "")
        if path.startswith("/") and not any(part in path for part in SKIPPED):
            found.append(path)
    return found


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_pass_axe_and_fit_a_phone(live_server, page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from health.tests.helpers import checked_person
    from people.states import JourneyState as S
    from people.tests.factories import PersonFactory, put_in_state
    from people.tests.personas import build_personas

    personas = build_personas()
    checked_person(personas.onsong, days_ago=20)
    for state in (S.IN_QUARANTINE, S.AWAITING_PLACEMENT, S.PLACED):
        put_in_state(PersonFactory(station=personas.onsong), state)

    axe = Axe()
    problems: list[str] = []
    page.set_viewport_size({"width": 360, "height": 740})
    for role in ROLES:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", role)
        page.fill("#id_password", "secret-pass-123")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        seen: set[str] = set()
        queue = [urlsplit(page.url).path]
        while queue and len(seen) < PAGES_PER_ROLE:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = page.goto(f"{live_server.url}{path}")
            if response is None or response.status != 200:
                continue
            results = axe.run(page)
            for violation in results.response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    where = violation["nodes"][0]["target"] if violation["nodes"] else ""
                    problems.append(f"{role} {path}: {violation['id']} at {where}")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 2:
                problems.append(f"{role} {path}: {overflow}px wider than a 360px screen")
            queue.extend(_links(page, live_server.url))
    assert not problems, "\n".join(problems)
