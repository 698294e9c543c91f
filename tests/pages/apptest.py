"""Opening a page of the app under AppTest as a demo user, and reading the test database."""
from pathlib import Path

import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import settings

ROOT = Path(__file__).resolve().parents[2]
APP = str(settings.APP_SCRIPT)


def q(url, statement, **params):
    with sa.create_engine(url, poolclass=sa.pool.NullPool).begin() as conn:
        result = conn.execute(sa.text(statement), params)
        return result.all() if result.returns_rows else []


def open_page(url, role, page: str, *, home_first: bool = False, **query):
    """Page `page` (a script of pages/) run as the demo user of `role`, with query params;
    with `home_first`, the app's home runs once before (as a visitor arriving on /)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user_id"] = q(url, "SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role)", r=role)[0][0]
    if home_first:
        at.run()
    at.switch_page(str(ROOT / "pages" / page))
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at
