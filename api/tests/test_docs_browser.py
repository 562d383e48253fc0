"""The API's documentation page works on a closed network: Swagger UI comes from the
application's own static files, under its content security policy, never from a CDN."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_docs_page_lists_the_operations_from_our_own_files(live_server, page) -> None:
    from people.tests.personas import build_personas

    build_personas()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "registrar-onsong")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock", timeout=15000)

    assert page.locator(".opblock").count() > 5
    assert "/api/persons" in page.inner_text("#swagger-ui")
    assert all(url.startswith(live_server.url) for url in requested), requested
    assert blocked == []
