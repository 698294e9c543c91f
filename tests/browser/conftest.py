"""A real app server and Debian's chromium driven by Playwright."""
import os
import shutil
from pathlib import Path

import pytest

from dashboard.ops import serving

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def start_app(database_url: str, extra_env: dict | None = None):
    try:
        return serving.start(database_url, ROOT / ".local" / "streamlit-test.log", extra_env=extra_env)
    except serving.ServerError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.fail("chromium manquant : apt-get install -y chromium (ou make test, qui l'installe)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def demo_app(demo_db_url):
    (ROOT / ".local").mkdir(exist_ok=True)
    proc, base = start_app(demo_db_url)
    yield base
    serving.stop(proc)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    context.close()


def wait_idle(page, timeout=60_000):
    """A Streamlit page is ready when its script has stopped running (engineering.md). The
    state is also "notRunning" before the first run starts: wait for that run's first element."""
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stElementContainer"]', state="attached",
                           timeout=timeout)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
