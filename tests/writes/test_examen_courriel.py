"""When a dossier is accepted, the conservateur's notes and decision go to the mairie through
the outbox, in the acceptance's transaction (issue 11): against a real database."""
import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.domain import compte_rendu
from dashboard.reads import users
from dashboard.writes import examen

NOTE_DOSSIER = "Merci pour ce recensement.\nLe calice doit être mis sous clé.\n<b>pas du HTML</b>"
NOTE_OBJET = "Fissure à surveiller ; prévoir un restaurateur."


@pytest.fixture
def pret(writable_demo_db_url):
    """A submitted dossier of the conservateur's départements, ready to be accepted: every
    prioritaire analysed, the conservateur's notes written, one objet's examen with notes."""
    engine = db.engine_for(writable_demo_db_url)
    with engine.begin() as conn:
        cons = users.load_user(conn, conn.execute(sa.text(
            "SELECT id FROM app_user WHERE demo AND role = 'conservateur'")).scalar())
        did, code = conn.execute(sa.text("""
            SELECT d.id, d.commune_code FROM dossier d JOIN commune c ON c.code_insee = d.commune_code
            WHERE d.statut = 'submitted' AND c.departement_code IN ('59', '62')
              AND EXISTS (SELECT 1 FROM recensement_effectif e WHERE e.dossier_id = d.id)
            ORDER BY d.id LIMIT 1""")).one()
        recs = conn.execute(sa.text(
            "SELECT e.id, r.version, r.objet_ref FROM recensement_effectif e JOIN recensement r ON r.id = e.id "
            "WHERE e.dossier_id = :d ORDER BY e.id"), {"d": did}).all()
        for i, (rid, version, _) in enumerate(recs):
            examen.analyser(conn, cons, rid, version, etat=None, securisation=None,
                            notes=NOTE_OBJET if i == 0 else None, fiches=["restauration"] if i == 0 else [])
        version = conn.execute(sa.text("SELECT version FROM dossier WHERE id = :d"), {"d": did}).scalar()
        version = examen.enregistrer_dossier(conn, cons, did, version, visite="souhaitable", notes=NOTE_DOSSIER)
    return {"engine": engine, "cons": cons, "dossier": did, "version": version, "code": code,
            "ref": recs[0].objet_ref}


def _courriels(ctx):
    with ctx["engine"].connect() as conn:
        return conn.execute(sa.text("SELECT destinataire, sujet, corps, motif, commune_code, user_id FROM courriel "
                                    "WHERE motif = :m"), {"m": compte_rendu.MOTIF}).mappings().all()


def _adresses(ctx):
    with ctx["engine"].connect() as conn:
        return conn.execute(sa.text("SELECT nullif(btrim(mairie_email), '') FROM commune WHERE code_insee = :c"),
                            {"c": ctx["code"]}).scalar()


def test_acceptance_queues_one_message_with_the_notes_and_the_decision(pret):
    mairie = _adresses(pret)
    if mairie is None:
        with pret["engine"].begin() as conn:
            conn.execute(sa.text("UPDATE commune SET mairie_email = 'mairie@exemple.fr' WHERE code_insee = :c"),
                         {"c": pret["code"]})
        mairie = "mairie@exemple.fr"
    with pret["engine"].begin() as conn:
        fait = examen.accepter(conn, pret["cons"], pret["dossier"], pret["version"],
                               url_publique="https://objets.exemple.gouv.fr/")
    assert fait.version == pret["version"] + 1 and fait.destinataire == mairie and fait.courriel_id
    (message,) = _courriels(pret)
    assert message["destinataire"] == mairie and message["commune_code"] == pret["code"]
    assert message["user_id"] == pret["cons"].id
    assert "a été examiné" in message["sujet"]
    corps = message["corps"]
    for ligne in NOTE_DOSSIER.splitlines():
        assert ligne in corps                       # the notes, as typed (plain text)
    assert NOTE_OBJET in corps and pret["ref"] in corps and "Restauration" in corps
    assert "examiné et accepté le" in corps and pret["cons"].nom in corps
    assert "visite du conservateur : souhaitable" in corps.lower()
    assert f"https://objets.exemple.gouv.fr/commune?code={pret['code']}" in corps
    assert "danger" not in corps.lower() and "sécurité" not in corps.lower()  # sécurisation never travels


def test_the_address_a_conservateur_set_wins_over_the_mairies(pret):
    with pret["engine"].begin() as conn:
        conn.execute(sa.text("INSERT INTO commune_contact (commune_code, email, defini_par) VALUES (:c, :e, :u)"),
                     {"c": pret["code"], "e": "secretariat@commune.example.org", "u": pret["cons"].id})
    with pret["engine"].begin() as conn:
        fait = examen.accepter(conn, pret["cons"], pret["dossier"], pret["version"])
    assert fait.destinataire == "secretariat@commune.example.org"
    assert [m["destinataire"] for m in _courriels(pret)] == ["secretariat@commune.example.org"]


def test_a_rolled_back_acceptance_queues_nothing(pret):
    with pret["engine"].connect() as conn:
        with conn.begin() as transaction:
            examen.accepter(conn, pret["cons"], pret["dossier"], pret["version"])
            transaction.rollback()
    assert _courriels(pret) == []
    with pret["engine"].connect() as conn:
        assert conn.execute(sa.text("SELECT statut FROM dossier WHERE id = :d"),
                            {"d": pret["dossier"]}).scalar() == "submitted"


def test_without_any_address_the_dossier_is_accepted_and_nothing_is_sent(pret):
    with pret["engine"].begin() as conn:
        conn.execute(sa.text("UPDATE commune SET mairie_email = NULL WHERE code_insee = :c"), {"c": pret["code"]})
        fait = examen.accepter(conn, pret["cons"], pret["dossier"], pret["version"])
    assert fait.destinataire is None and fait.courriel_id is None
    assert _courriels(pret) == []
