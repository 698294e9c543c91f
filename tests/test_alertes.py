"""`objets alertes`: the digest of new urgent cases, queued in the outbox with its record
(delivery by `objets mail send` is tested in tests/ops/test_courrier.py), or printed."""
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from dashboard.ops import alertes
from dashboard import db


@pytest.fixture
def smtp_configure(monkeypatch):
    """SMTP settings present (no server: queuing does not talk to it)."""
    monkeypatch.setenv("OBJETS_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("OBJETS_SMTP_FROM", "alertes@example.org")
    for name in ("OBJETS_SMTP_PORT", "OBJETS_SMTP_CA_FILE", "OBJETS_SMTP_USER", "OBJETS_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


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


def _outbox(url):
    with db.engine_for(url).connect() as conn:
        return conn.execute(sa.text("SELECT destinataire, sujet, corps, motif FROM courriel ORDER BY id")).all()


def _recorded(url):
    with db.engine_for(url).connect() as conn:
        return conn.execute(sa.text("SELECT nb_cas, canal FROM alerte_envoi ORDER BY id")).all()


def test_digest_queued_with_its_record_then_nothing_new(writable_demo_db_url, smtp_configure):
    url = writable_demo_db_url
    now = _latest_submission(url) + timedelta(hours=1)
    want = _expected_new(url, now - alertes.PERIODE, now)
    assert want, "the demo should hold recent urgent cases"
    with db.engine_for(url).begin() as conn:
        queued = alertes.run(conn, echo=lambda *_: None, maintenant=now)
    assert len(queued) == 1
    [(destinataire, sujet, body, motif)] = _outbox(url)
    assert (destinataire, sujet, motif) == ("conservatrice.demo@example.org", queued[0].sujet, "digest")
    assert {ref for ref in want if ref in body} == want
    assert "facile à voler" not in body and "danger" not in body.lower()
    assert _recorded(url) == [(len(want), "smtp")]   # 'smtp': handed to the mailer
    # The next digest starts where this one stopped: nothing new an hour later.
    with db.engine_for(url).begin() as conn:
        again = alertes.run(conn, echo=lambda *_: None, maintenant=now + timedelta(hours=1))
    assert again == [] and len(_outbox(url)) == 1 and len(_recorded(url)) == 1


def test_a_digest_rolled_back_is_neither_queued_nor_recorded(writable_demo_db_url, smtp_configure):
    url = writable_demo_db_url
    now = _latest_submission(url) + timedelta(hours=1)
    with pytest.raises(RuntimeError):
        with db.engine_for(url).begin() as conn:
            assert alertes.run(conn, echo=lambda *_: None, maintenant=now)
            raise RuntimeError("the run failed after queuing")
    assert _outbox(url) == [] and _recorded(url) == []
    # So the next run covers the same period.
    with db.engine_for(url).begin() as conn:
        assert len(alertes.run(conn, echo=lambda *_: None, maintenant=now)) == 1


def test_sans_enregistrer_prints_and_queues_nothing(writable_demo_db_url, use_database, smtp_configure):
    use_database(writable_demo_db_url)
    from dashboard.cli import main

    result = CliRunner().invoke(main, ["alertes", "--sans-enregistrer"])
    assert result.exit_code == 0, result.output
    assert "conservatrice.demo@example.org" in result.output
    assert _outbox(writable_demo_db_url) == [] and _recorded(writable_demo_db_url) == []


def test_a_half_filled_smtp_setting_is_refused(writable_demo_db_url, use_database, smtp_configure, monkeypatch):
    use_database(writable_demo_db_url)
    monkeypatch.delenv("OBJETS_SMTP_FROM")
    from dashboard.cli import main

    result = CliRunner().invoke(main, ["alertes"])
    assert result.exit_code == 1 and "OBJETS_SMTP_FROM" in result.output
    assert _outbox(writable_demo_db_url) == [] and _recorded(writable_demo_db_url) == []


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


def test_without_smtp_the_digest_is_printed_and_recorded_as_console(writable_demo_db_url, monkeypatch):
    monkeypatch.delenv("OBJETS_SMTP_HOST", raising=False)
    url = writable_demo_db_url
    now = _latest_submission(url) + timedelta(hours=1)
    printed = []
    with db.engine_for(url).begin() as conn:
        assert len(alertes.run(conn, echo=printed.append, maintenant=now)) == 1
    assert any(line.startswith("--- à conservatrice.demo@example.org") for line in printed)
    assert _outbox(url) == [] and [canal for _, canal in _recorded(url)] == ["console"]


def test_a_subject_stays_short_enough_for_the_outbox():
    import pandas as pd

    from dashboard.domain.identity import Scope, User
    from dashboard.writes import courriels

    deps = tuple(f"{n:02d}" for n in range(1, 96))
    scope = Scope(departements=deps, libelle=", ".join(f"Département n°{d}" for d in deps))
    digest = alertes.Digest(User(1, "C", "c@example.org", "conservateur", scope), datetime.now(timezone.utc),
                            datetime.now(timezone.utc), pd.DataFrame({"niveau": ["urgent"] * 2}))
    assert digest.sujet == "Collectif Objets : 2 nouveaux cas urgents (95 départements)"
    assert len(digest.sujet) <= courriels.SUJET_MAX


def test_two_runs_at_once_queue_each_digest_once(writable_demo_db_url, smtp_configure):
    import threading

    url = writable_demo_db_url
    now = _latest_submission(url) + timedelta(hours=1)
    second = []
    with db.engine_for(url).begin() as conn:
        assert len(alertes.run(conn, echo=lambda *_: None, maintenant=now)) == 1
        # Another machine's timer fires before this run commits: it must wait, not read the old state.
        other = threading.Thread(target=lambda: second.append(_run_alone(url, now)))
        other.start()
        other.join(2)
        assert other.is_alive()
    other.join(30)
    assert second == [[]]
    assert len(_outbox(url)) == 1 and len(_recorded(url)) == 1


def _run_alone(url, now):
    with db.engine_for(url).begin() as conn:
        return alertes.run(conn, echo=lambda *_: None, maintenant=now)


def test_the_digest_lists_the_changes_in_pop_of_the_departements(writable_demo_db_url, smtp_configure, tmp_path,
                                                                 monkeypatch):
    """Imports that changed objets of the conservateur's départements since the previous digest:
    listed (here the croix that left the 62 for the 01), even in a week without urgent case."""
    from dashboard.importer import palissy_import

    url = writable_demo_db_url
    monkeypatch.setenv("OBJETS_DATA_DIR", str(tmp_path))
    fixtures = Path(__file__).parent / "fixtures" / "palissy"
    palissy_import.import_palissy(url, str(fixtures / "changements_avant.csv"), report_path=tmp_path / "1.json",
                                  remplacer_demo=True)
    palissy_import.import_palissy(url, str(fixtures / "changements_apres.csv"), report_path=tmp_path / "2.json",
                                  complet=True, force=True)
    now = datetime.now(timezone.utc) + timedelta(minutes=1)
    with db.engine_for(url).begin() as conn:
        queued = alertes.run(conn, echo=lambda *_: None, maintenant=now)
    [digest] = queued
    assert digest.cas.empty and list(digest.changements["ref"]) == ["PM62000905"]
    [(destinataire, sujet, body, motif)] = _outbox(url)
    assert "0 nouveau cas urgent, 1 changement dans POP" in sujet
    assert "Commune modifiée (1) :" in body
    assert "PM62000905 — croix de procession — Ambérieu-en-Bugey (01) : 62041 (Arras) → 01004 (Ambérieu-en-Bugey)" \
        in body
    assert "PM01000901" not in body and "PM01000907" not in body      # the 01 is not theirs
    assert _recorded(url) == [(0, "smtp")]
    # The next digest starts where this one stopped.
    with db.engine_for(url).begin() as conn:
        assert alertes.run(conn, echo=lambda *_: None, maintenant=now + timedelta(hours=1)) == []
