"""`objets alertes`: the digest of new urgent cases, printed or sent to a local SMTP server."""
import email
import socketserver
import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from dashboard.ops import alertes
from dashboard import db


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self):
        self.wfile.write(b"220 test ESMTP\r\n")
        mail = {"rcpt": []}
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode().strip().split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-test\r\n250 8BITMIME\r\n")
            elif verb == "MAIL":
                mail["from"] = line.decode().strip()
                self.wfile.write(b"250 OK\r\n")
            elif verb == "RCPT":
                mail["rcpt"].append(line.decode().strip())
                self.wfile.write(b"250 OK\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 go\r\n")
                body = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.server.messages.append({**mail, "data": b"".join(body)})
                mail = {"rcpt": []}
                self.wfile.write(b"250 queued\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


@pytest.fixture
def smtp_server(monkeypatch):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("OBJETS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("OBJETS_SMTP_PORT", str(server.server_address[1]))
    monkeypatch.setenv("OBJETS_SMTP_FROM", "alertes@example.org")
    yield server
    server.shutdown()
    server.server_close()


def _expected_new(url, depuis, jusqu_a):
    """Urgent cases of the demo conservateur's départements transmitted in the period (independent SQL)."""
    from tests.test_urgences import expected_urgent

    cases = expected_urgent(url, ["59", "62"])
    with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as conn:
        transmis = dict(conn.execute(sa.text(
            "SELECT o.ref, d.submitted_at FROM objet o JOIN objet_situation s ON s.ref = o.ref "
            "JOIN recensement r ON r.id = s.recensement_id JOIN dossier d ON d.id = r.dossier_id "
            "WHERE s.urgence IS NOT NULL")).all())
    return {ref for ref in cases["ref"] if depuis < transmis[ref] <= jusqu_a}


def _latest_submission(url):
    with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as conn:
        return conn.execute(sa.text(
            "SELECT max(d.submitted_at) FROM dossier d JOIN commune c ON c.code_insee = d.commune_code "
            "WHERE c.departement_code IN ('59', '62')")).scalar()


def test_digest_sent_by_smtp_then_nothing_new(writable_demo_db_url, smtp_server):
    url = writable_demo_db_url
    now = _latest_submission(url) + timedelta(hours=1)
    want = _expected_new(url, now - alertes.PERIODE, now)
    assert want, "the demo should hold recent urgent cases"
    with db.engine_for(url).begin() as conn:
        sent = alertes.run(conn, echo=lambda *_: None, maintenant=now)
    assert len(sent) == 1 and len(smtp_server.messages) == 1
    message = email.message_from_bytes(smtp_server.messages[0]["data"])
    assert message["To"] == "conservatrice.demo@example.org"
    body = message.get_payload(decode=True).decode()
    assert {ref for ref in want if ref in body} == want
    assert "facile à voler" not in body and "danger" not in body.lower()
    # The next digest starts where this one stopped: nothing new an hour later.
    with db.engine_for(url).begin() as conn:
        again = alertes.run(conn, echo=lambda *_: None, maintenant=now + timedelta(hours=1))
        recorded = conn.execute(sa.text("SELECT nb_cas, canal FROM alerte_envoi")).all()
    assert again == [] and len(smtp_server.messages) == 1
    assert recorded == [(len(want), "smtp")]


def test_digest_printed_without_smtp(writable_demo_db_url, use_database, monkeypatch):
    monkeypatch.delenv("OBJETS_SMTP_HOST", raising=False)
    use_database(writable_demo_db_url)
    from dashboard.cli import main

    if "alertes" not in main.commands:
        main.add_command(alertes.alertes_command, name="alertes")
    now = datetime.now(timezone.utc)
    want = _expected_new(writable_demo_db_url, now - alertes.PERIODE, now)
    result = CliRunner().invoke(main, ["alertes", "--sans-enregistrer"])
    assert result.exit_code == 0, result.output
    assert "conservatrice.demo@example.org" in result.output
    assert all(ref in result.output for ref in want)
    if not want:
        assert "aucun nouveau cas" in result.output
