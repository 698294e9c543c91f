"""`objets campagnes` against real PostGIS, the day given as a parameter: every status change
on its date, the invitations and reminders queued in the outbox on theirs (each with the
commune's own one-time sign-in link, to the address a conservateur set when there is one),
each send recorded once, nothing to a commune that answered or has no address."""
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from dashboard import db
from dashboard.cli import main
from dashboard.domain import connexion as regles_connexion
from dashboard.ops import campagnes
from dashboard.writes import connexion

URL = "https://objets.example.gouv.fr"
LANCEMENT = date(2031, 3, 2)
R1, R2, R3, FIN = LANCEMENT + timedelta(days=14), LANCEMENT + timedelta(days=28), LANCEMENT + timedelta(days=42), \
    LANCEMENT + timedelta(days=60)


@pytest.fixture
def cas(writable_demo_db_url):
    """A planned campaign of a département without any other (the one holding the most
    communes with objets), with four communes: one whose address a conservateur set, one
    without any address, two with the mairie's."""
    engine = db.engine_for(writable_demo_db_url)
    with engine.begin() as conn:
        dep = conn.execute(sa.text("""
            SELECT o.departement_code FROM objet o
            WHERE NOT EXISTS (SELECT 1 FROM campagne c WHERE c.departement_code = o.departement_code
                              AND c.statut IN ('planned', 'ongoing'))
            GROUP BY 1 HAVING count(DISTINCT o.commune_code) >= 4 ORDER BY count(DISTINCT o.commune_code) DESC, 1
            LIMIT 1""")).scalar()
        codes = conn.execute(sa.text("SELECT DISTINCT commune_code FROM objet WHERE departement_code = :d ORDER BY 1 "
                                     "LIMIT 4"), {"d": dep}).scalars().all()
        admin = conn.execute(sa.text("SELECT id FROM app_user WHERE demo AND role = 'admin'")).scalar()
        conn.execute(sa.text("UPDATE commune SET mairie_email = 'mairie@exemple.fr' WHERE code_insee = ANY(:c)"),
                     {"c": codes})
        conn.execute(sa.text("INSERT INTO commune_contact (commune_code, email, defini_par) VALUES (:c, :e, :u)"),
                     {"c": codes[0], "e": "secretariat@commune.fr", "u": admin})
        conn.execute(sa.text("UPDATE commune SET mairie_email = NULL WHERE code_insee = :c"), {"c": codes[1]})
        cid = conn.execute(sa.text("""
            INSERT INTO campagne (departement_code, nom, statut, date_lancement, date_relance_1, date_relance_2,
                                  date_relance_3, date_fin)
            VALUES (:d, 'Campagne du test', 'planned', :l, :r1, :r2, :r3, :f) RETURNING id"""),
                           {"d": dep, "l": LANCEMENT, "r1": R1, "r2": R2, "r3": R3, "f": FIN}).scalar()
        for code in codes:
            conn.execute(sa.text("INSERT INTO campagne_commune (campagne_id, commune_code) VALUES (:i, :c)"),
                         {"i": cid, "c": code})
    return {"engine": engine, "id": cid, "codes": codes, "departement": dep, "url": writable_demo_db_url}


def _run(cas, jour):
    with cas["engine"].begin() as conn:
        return campagnes.avancer(conn, jour, URL, echo=lambda *_: None)


def _one(cas, statement, **params):
    with cas["engine"].connect() as conn:
        return conn.execute(sa.text(statement), params).all()


def _statut(cas):
    return _one(cas, "SELECT statut::text FROM campagne WHERE id = :i", i=cas["id"])[0][0]


def _courriels(cas, motif):
    return _one(cas, "SELECT commune_code, destinataire, sujet, corps FROM courriel WHERE motif = :m "
                     "AND commune_code = ANY(:c) ORDER BY commune_code, id", m=motif, c=cas["codes"])


def test_every_transition_and_send_on_its_date(cas):
    a, sans_adresse, b, c = cas["codes"]
    # The day before the launch: still planned, nothing sent.
    _run(cas, LANCEMENT - timedelta(days=1))
    assert _statut(cas) == "planned" and _courriels(cas, "invitation_campagne") == []
    # The launch day: ongoing, an invitation to each commune with an address.
    bilan = _run(cas, LANCEMENT)
    assert _statut(cas) == "ongoing"
    assert (cas["id"], "planned", "ongoing") in [(i, de, vers) for i, _, de, vers in bilan.statuts]
    invitations = _courriels(cas, "invitation_campagne")
    assert [(r.commune_code, r.destinataire) for r in invitations] == [
        (a, "secretariat@commune.fr"), (b, "mairie@exemple.fr"), (c, "mairie@exemple.fr")]
    assert (cas["id"], sans_adresse) in bilan.sans_adresse
    invitees = dict(_one(cas, "SELECT commune_code, invitee_le FROM campagne_commune WHERE campagne_id = :i",
                         i=cas["id"]))
    assert invitees == {a: LANCEMENT, b: LANCEMENT, c: LANCEMENT, sans_adresse: None}
    assert all(_one(cas, "SELECT courriel_id IS NOT NULL FROM campagne_commune WHERE campagne_id = :i AND "
                         "commune_code = :c", i=cas["id"], c=code)[0][0] for code in (a, b, c))
    # Each invitation carries the commune's own one-time sign-in link, which opens its account.
    for row in invitations:
        jeton = re.search(re.escape(URL) + r"/lien\?t=([A-Za-z0-9_-]+)", row.corps)[1]
        lien = _one(cas, "SELECT commune_code, destinataire FROM lien_connexion WHERE id = :i",
                    i=regles_connexion.empreinte(jeton))
        assert lien == [(row.commune_code, row.destinataire)]
    with cas["engine"].begin() as conn:
        ouverte = connexion.consommer_lien(conn, jeton, "l'administrateur")
        assert _one(cas, "SELECT 1") and ouverte.user_id
    # A second run the same day sends nothing more.
    assert _run(cas, LANCEMENT).invitations == 0 and len(_courriels(cas, "invitation_campagne")) == 3

    # Commune c answers (a dossier of the campaign); the day before reminder 1, nothing.
    with cas["engine"].begin() as conn:
        conn.execute(sa.text("INSERT INTO dossier (commune_code, campagne_id) VALUES (:c, :i)"),
                     {"c": c, "i": cas["id"]})
    assert _run(cas, R1 - timedelta(days=1)).relances == 0
    # Reminder 1 on its date, only to those who have not answered; recorded once.
    assert _run(cas, R1).relances == 2
    relances = _courriels(cas, "relance_campagne")
    assert [(r.commune_code, r.sujet.split(" :")[0]) for r in relances] == [(a, "Relance 1"), (b, "Relance 1")]
    assert "/lien?t=" in relances[0].corps and "fait suite à notre invitation" in relances[0].corps
    assert _run(cas, R1 + timedelta(days=1)).relances == 0
    # The timer missed reminder 2's date and 3's: only reminder 3, once.
    assert _run(cas, R3 + timedelta(days=2)).relances == 2
    assert sorted(_one(cas, "SELECT commune_code, numero, envoyee_le FROM campagne_relance WHERE campagne_id = :i",
                       i=cas["id"])) == sorted([(a, 1, R1), (b, 1, R1), (a, 3, R3 + timedelta(days=2)),
                                                (b, 3, R3 + timedelta(days=2))])
    # The end day: still ongoing; the day after: finished, and nothing is sent any more.
    _run(cas, FIN)
    assert _statut(cas) == "ongoing"
    _run(cas, FIN + timedelta(days=1))
    assert _statut(cas) == "finished"
    with cas["engine"].begin() as conn:
        conn.execute(sa.text("UPDATE commune SET mairie_email = 'enfin@exemple.fr' WHERE code_insee = :c"),
                     {"c": sans_adresse})
    assert _run(cas, FIN + timedelta(days=2)).invitations == 0


def test_an_address_set_later_gets_the_invitation_then(cas):
    sans_adresse = cas["codes"][1]
    _run(cas, LANCEMENT)
    with cas["engine"].begin() as conn:
        conn.execute(sa.text("UPDATE commune SET mairie_email = 'enfin@exemple.fr' WHERE code_insee = :c"),
                     {"c": sans_adresse})
    bilan = _run(cas, LANCEMENT + timedelta(days=3))
    assert bilan.invitations == 1
    assert _one(cas, "SELECT invitee_le FROM campagne_commune WHERE campagne_id = :i AND commune_code = :c",
                i=cas["id"], c=sans_adresse) == [(LANCEMENT + timedelta(days=3),)]
    # Invited after reminder 1's date: its first reminder is reminder 2.
    _run(cas, R2)
    assert _one(cas, "SELECT numero FROM campagne_relance WHERE campagne_id = :i AND commune_code = :c",
                i=cas["id"], c=sans_adresse) == [(2,)]


def test_a_draft_never_moves_and_a_missed_campaign_finishes(cas):
    with cas["engine"].begin() as conn:
        conn.execute(sa.text("UPDATE campagne SET statut = 'draft' WHERE id = :i"), {"i": cas["id"]})
    _run(cas, LANCEMENT + timedelta(days=5))
    assert _statut(cas) == "draft" and _courriels(cas, "invitation_campagne") == []
    with cas["engine"].begin() as conn:
        conn.execute(sa.text("UPDATE campagne SET statut = 'planned' WHERE id = :i"), {"i": cas["id"]})
    _run(cas, FIN + timedelta(days=1))
    assert _statut(cas) == "finished" and _courriels(cas, "invitation_campagne") == []


def test_the_command(cas, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", cas["url"])
    monkeypatch.setenv("OBJETS_URL_PUBLIQUE", URL)
    result = CliRunner().invoke(main, ["campagnes", "--date", LANCEMENT.isoformat()])
    assert result.exit_code == 0, result.output
    assert "« Campagne du test » : Planifiée -> En cours" in result.output
    assert f"{LANCEMENT:%d/%m/%Y} : " in result.output and "invitation(s)" in result.output
    assert len(_courriels(cas, "invitation_campagne")) == 3
    monkeypatch.delenv("OBJETS_URL_PUBLIQUE")
    monkeypatch.setenv("OBJETS_DEMO", "0")
    result = CliRunner().invoke(main, ["campagnes"])
    assert result.exit_code != 0 and "OBJETS_URL_PUBLIQUE manquante" in result.output
