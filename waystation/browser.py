"""Test support: Debian's Chromium driven by Playwright, never a downloaded browser."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium stalls on refused connections in a closed network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_missing_reason() -> str | None:
    if not os.path.exists(CHROMIUM):
        return (
            f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing. Install Debian's Chromium "
            "(`apt-get install -y chromium`; `make test` does it when run as root)."
        )
    return None


@contextmanager
def chromium_page() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            context = browser.new_context(locale="en-GB")
            yield context.new_page()
        finally:
            browser.close()
