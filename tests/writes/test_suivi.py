"""Contacts with communes against real PostGIS: recorded with their author (audit), the note
kept verbatim, never overwritten by a new contact; a concurrent correction refused; the
scope and the role checked in SQL; bad input refused in French with nothing written; a
recorded contact makes the commune "contactée" for the pilotage."""
from datetime import date

import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.domain import suivi as regles
from dashboard.reads import deploiement, users
from dashboard.writes import examen, suivi

NOTE = "<script>alert('x')</script>\n**gras** [lien](javascript:alert(1)) :red[rouge] $x$"
AUJOURD_HUI = date.today()


@pytest.fixture
def ctx(writable_demo_db_url, use_database):
    use_database(writable_demo_db_url)   # examen.ecrire() opens the app's connections
    engine = db.engine_for(writable_demo_db_url)
    with engine.begin() as conn:   # the demo's contacts out: each test sees only its own
        conn.execute(sa.text("TRUNCATE contact_commune"))
    with engine.connect() as conn:
        load = {r: users.load_user(conn, conn.execute(sa.text(
            "SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role)"), {"r": r}).scalar())
            for r in ("admin", "conservateur", "deploiement", "drac")}
        code = conn.execute(sa.text("SELECT min(commune_code) FROM objet WHERE departement_code = '62'")).scalar()
        ailleurs = conn.execute(sa.text("SELECT min(commune_code) FROM objet WHERE departement_code = '75'")).scalar()
    return {"engine": engine, "url": writable_demo_db_url, "users": load, "code": code, "ailleurs": ailleurs}


def _contact(**kw):
    return regles.Contact(**{"contacte_le": AUJOURD_HUI, "canal": "telephone", "resultat": "interessee", **kw})


def _rows(ctx, statement, **params):
    with ctx["engine"].connect() as conn:
        return conn.execute(sa.text(statement), params).mappings().all()


def test_a_contact_is_stored_as_typed_with_its_author(ctx):
    dep = ctx["users"]["deploiement"]
    with ctx["engine"].begin() as conn:
        first = suivi.ajouter(conn, dep, ctx["code"], _contact(note=NOTE, courriel="elu@mairie.fr",
                                                               rappeler_le=AUJOURD_HUI), AUJOURD_HUI)
        second = suivi.ajouter(conn, dep, ctx["code"], _contact(resultat="accepte"), AUJOURD_HUI)
    rows = _rows(ctx, "SELECT id, note, courriel, auteur_id, version FROM contact_commune ORDER BY id")
    assert [r["id"] for r in rows] == [first, second]      # a new contact is a new row
    assert rows[0]["note"] == NOTE and rows[0]["courriel"] == "elu@mairie.fr" and rows[0]["auteur_id"] == dep.id
    audit = _rows(ctx, "SELECT user_id, action, row_key FROM audit WHERE table_name = 'contact_commune' ORDER BY id")
    assert [(a["user_id"], a["action"], a["row_key"]) for a in audit] == [
        (dep.id, "insert", str(first)), (dep.id, "insert", str(second))]
    with ctx["engine"].connect() as conn:
        historique = deploiement.historique(conn, dep.scope, dep.role, ctx["code"])
        assert list(historique["id"]) == [second, first] and historique["note"].iloc[1] == NOTE
        # The commune counts as contacted for the pilotage (commune_contactee).
        assert conn.execute(sa.text("SELECT contactee FROM commune_engagement WHERE code_insee = :c"),
                            {"c": ctx["code"]}).scalar()


def test_a_concurrent_correction_is_refused_not_overwritten(ctx):
    dep, admin = ctx["users"]["deploiement"], ctx["users"]["admin"]
    with ctx["engine"].begin() as conn:
        cid = suivi.ajouter(conn, dep, ctx["code"], _contact(note="première"), AUJOURD_HUI)
    # Both opened version 1; the administrator saves first.
    assert examen.ecrire(suivi.modifier, admin, cid, 1, _contact(note="de l'administratrice"), AUJOURD_HUI) == 2
    with pytest.raises(examen.Conflit, match="modifié par Alix Administratrice"):
        examen.ecrire(suivi.modifier, dep, cid, 1, _contact(note="du chargé"), AUJOURD_HUI)
    row = _rows(ctx, "SELECT note, version, modifie_par FROM contact_commune WHERE id = :i", i=cid)[0]
    assert (row["note"], row["version"], row["modifie_par"]) == ("de l'administratrice", 2, admin.id)
    assert examen.ecrire(suivi.modifier, dep, cid, 2, _contact(note="du chargé"), AUJOURD_HUI) == 3


def test_scope_role_and_bad_input_write_nothing(ctx):
    dep, cons, drac = ctx["users"]["deploiement"], ctx["users"]["conservateur"], ctx["users"]["drac"]
    with pytest.raises(examen.Refus, match="pas dans votre périmètre"):
        examen.ecrire(suivi.ajouter, dep, ctx["ailleurs"], _contact(), AUJOURD_HUI)
    for user in (cons, drac):   # conservateurs read the contacts; they do not record them
        with pytest.raises(examen.Refus, match="chargés de déploiement"):
            examen.ecrire(suivi.ajouter, user, ctx["code"], _contact(), AUJOURD_HUI)
    with pytest.raises(suivi.ContactInvalide, match="« elu-at-mairie » n'est pas une adresse électronique"):
        examen.ecrire(suivi.ajouter, dep, ctx["code"], _contact(courriel="elu-at-mairie"), AUJOURD_HUI)
    with pytest.raises(suivi.ContactInvalide, match="dans le futur"):
        examen.ecrire(suivi.ajouter, dep, ctx["code"], _contact(contacte_le=date(2999, 1, 1)), AUJOURD_HUI)
    assert _rows(ctx, "SELECT count(*) AS n FROM contact_commune")[0]["n"] == 0
    # The stored role counts, not the one the caller claims.
    with ctx["engine"].begin() as conn:
        conn.execute(sa.text("UPDATE app_user SET role = 'drac' WHERE id = :i"), {"i": dep.id})
    with pytest.raises(examen.Refus):
        examen.ecrire(suivi.ajouter, dep, ctx["code"], _contact(), AUJOURD_HUI)
    # And the database itself refuses a malformed address.
    with pytest.raises(sa.exc.IntegrityError):
        with ctx["engine"].begin() as conn:
            conn.execute(sa.text("INSERT INTO contact_commune (commune_code, contacte_le, canal, resultat, courriel, "
                                 "auteur_id) VALUES (:c, current_date, 'telephone', 'interessee', 'x', :u)"),
                         {"c": ctx["code"], "u": dep.id})


def test_the_call_back_list(ctx):
    dep, cons = ctx["users"]["deploiement"], ctx["users"]["conservateur"]
    with ctx["engine"].connect() as conn:
        autre = conn.execute(sa.text("SELECT max(commune_code) FROM objet WHERE departement_code = '62'")).scalar()
    with ctx["engine"].begin() as conn:
        suivi.ajouter(conn, dep, ctx["code"], _contact(resultat="a_rappeler", rappeler_le=date(2099, 1, 10)),
                      AUJOURD_HUI)
        suivi.ajouter(conn, dep, autre, _contact(resultat="a_rappeler", rappeler_le=AUJOURD_HUI), AUJOURD_HUI)
    with ctx["engine"].connect() as conn:
        liste = deploiement.a_rappeler(conn, cons.scope, cons.role)
        assert list(liste["code"]) == [autre, ctx["code"]]            # by date
        assert list(deploiement.a_rappeler(conn, cons.scope, cons.role, jusqu_a=AUJOURD_HUI)["code"]) == [autre]
    # The call back itself, recorded: the commune leaves the list.
    with ctx["engine"].begin() as conn:
        suivi.ajouter(conn, dep, autre, _contact(resultat="accepte"), AUJOURD_HUI)
    with ctx["engine"].connect() as conn:
        assert list(deploiement.a_rappeler(conn, cons.scope, cons.role)["code"]) == [ctx["code"]]
        with pytest.raises(deploiement.AccesRefuse):
            deploiement.a_rappeler(conn, ctx["users"]["drac"].scope, "drac")
