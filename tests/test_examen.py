"""Examen writes against real PostGIS: overrides, refused concurrent edit, scope and role in
SQL, dossier acceptance rule, reopening, audit author, notes kept verbatim, disparus follow-up."""
from datetime import date

import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.writes import examen
from dashboard.domain import identity
from dashboard.reads import users

HTML_NOTE = '<script>alert("x")</script><b>gras</b> & <img src=x onerror=alert(1)>'


@pytest.fixture
def ctx(writable_demo_db_url):
    """A writable demo, its users, and a submitted dossier of the conservateur's départements
    holding an unanalysed recensable recensement and an unanalysed absent one."""
    engine = db.engine_for(writable_demo_db_url)
    with engine.begin() as conn:
        load = {r: users.load_user(conn, conn.execute(sa.text(
            "SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role)"), {"r": r}).scalar())
            for r in ("admin", "conservateur", "drac", "deploiement")}
        row = conn.execute(sa.text("""
            SELECT d.id AS dossier_id, d.version AS dossier_version,
                   (SELECT r.id FROM recensement r WHERE r.dossier_id = d.id AND r.statut = 'completed'
                      AND r.recensable AND r.etat_sanitaire = 'bon' ORDER BY r.id LIMIT 1) AS rec_id
            FROM dossier d JOIN commune c ON c.code_insee = d.commune_code
            WHERE d.statut = 'submitted' AND c.departement_code IN ('59', '62')
              AND EXISTS (SELECT 1 FROM recensement r WHERE r.dossier_id = d.id AND r.statut = 'completed'
                          AND r.recensable AND r.etat_sanitaire = 'bon')
            ORDER BY d.id LIMIT 1""")).mappings().one()
        # Make sure the dossier holds an unanalysed absent recensement (a prioritaire).
        absent = conn.execute(sa.text("""
            UPDATE recensement SET localisation = 'absent', recensable = false, etat_sanitaire = NULL,
                   securisation = NULL, analyse_le = NULL, analyse_etat_sanitaire = NULL,
                   analyse_securisation = NULL, analyse_fiches = ARRAY[]::text[]
            WHERE id = (SELECT id FROM recensement WHERE dossier_id = :d AND statut = 'completed' AND id <> :r
                        ORDER BY id LIMIT 1)
            RETURNING id, version"""), {"d": row["dossier_id"], "r": row["rec_id"]}).one()
        other = conn.execute(sa.text("""
            SELECT r.id FROM recensement r JOIN dossier d ON d.id = r.dossier_id
            JOIN objet o ON o.ref = r.objet_ref
            WHERE d.statut = 'submitted' AND r.statut = 'completed' AND o.departement_code NOT IN ('59', '62')
            ORDER BY r.id LIMIT 1""")).scalar()
    return {"engine": engine, "users": load, **row, "absent_id": absent.id, "absent_version": absent.version,
            "other_rec": other}


def _rec(ctx, rid):
    with ctx["engine"].connect() as conn:
        return conn.execute(sa.text("SELECT * FROM recensement WHERE id = :i"), {"i": rid}).mappings().one()


def test_analysis_stores_only_real_overrides_and_records_the_author(ctx):
    cons = ctx["users"]["conservateur"]
    rid = ctx["rec_id"]
    before = _rec(ctx, rid)
    with ctx["engine"].begin() as conn:
        v = examen.analyser(conn, cons, rid, before["version"], etat="bon", securisation="en_danger"
                            if before["securisation"] != "en_danger" else "en_securite",
                            notes="ok", fiches=["securisation"])
    after = _rec(ctx, rid)
    assert v == before["version"] + 1 == after["version"]
    assert after["analyse_etat_sanitaire"] is None  # equal to the commune's answer: not stored
    assert after["analyse_securisation"] is not None and after["analyse_securisation"] != after["securisation"]
    assert after["analyse_par"] == cons.id and after["analyse_le"] is not None
    with ctx["engine"].begin() as conn:
        examen.analyser(conn, cons, rid, v, etat="peril", securisation=None, notes=None, fiches=[])
    assert _rec(ctx, rid)["analyse_etat_sanitaire"] == "peril"
    with ctx["engine"].connect() as conn:
        authors = conn.execute(sa.text("SELECT user_id FROM audit WHERE table_name = 'recensement' "
                                       "AND row_key = :k AND action = 'update'"), {"k": str(rid)}).scalars().all()
    assert authors == [cons.id, cons.id]


def test_second_concurrent_save_is_refused(ctx):
    cons, admin = ctx["users"]["conservateur"], ctx["users"]["admin"]
    rid = ctx["rec_id"]
    opened = _rec(ctx, rid)["version"]  # both open the form on the same version
    with ctx["engine"].begin() as conn:
        examen.analyser(conn, admin, rid, opened, etat="mauvais", securisation=None, notes="admin", fiches=[])
    with pytest.raises(examen.Conflit, match="modifié par Alix"):
        with ctx["engine"].begin() as conn:
            examen.analyser(conn, cons, rid, opened, etat="moyen", securisation=None, notes="cons", fiches=[])
    after = _rec(ctx, rid)
    assert after["analyse_notes"] == "admin" and after["analyse_etat_sanitaire"] == "mauvais"


def test_scope_and_role_are_enforced_in_sql(ctx):
    cons, drac = ctx["users"]["conservateur"], ctx["users"]["drac"]
    other = ctx["other_rec"]
    assert other is not None
    before = _rec(ctx, other)
    with pytest.raises(examen.Refus, match="périmètre"):
        with ctx["engine"].begin() as conn:
            examen.analyser(conn, cons, other, before["version"], etat="peril", securisation=None, notes=None,
                            fiches=[])
    # Bypassing the Python checks: the statement itself matches nothing out of scope or role.
    from dashboard.db import sql
    from dashboard.domain.rights import Capacite, roles_avec

    roles_examen = sorted(roles_avec(Capacite.EXAMINER))
    with ctx["engine"].begin() as conn:
        for user in (cons, drac):
            done = sql.execute(conn, "examen_analyser", id=other, version=before["version"], etat="peril",
                               securisation=None, notes=None, fiches=[], user_id=user.id,
                               roles_examen=roles_examen, **identity.Scope(departements=("59", "62")).params()).first()
            assert done is None
        same_scope_wrong_role = sql.execute(
            conn, "examen_analyser", id=ctx["rec_id"], version=_rec(ctx, ctx["rec_id"])["version"], etat="peril",
            securisation=None, notes=None, fiches=[], user_id=drac.id, roles_examen=roles_examen,
            **identity.NATIONAL.params()).first()
        assert same_scope_wrong_role is None
    assert _rec(ctx, other)["version"] == before["version"]
    with pytest.raises(examen.Refus):
        with ctx["engine"].begin() as conn:
            examen.analyser(conn, drac, ctx["rec_id"], 1, etat=None, securisation=None, notes=None, fiches=[])


def test_depot_plainte_only_for_an_absent_objet(ctx):
    cons = ctx["users"]["conservateur"]
    with pytest.raises(examen.ExamenError, match="introuvable"):
        with ctx["engine"].begin() as conn:
            examen.analyser(conn, cons, ctx["rec_id"], _rec(ctx, ctx["rec_id"])["version"], etat=None,
                            securisation=None, notes=None, fiches=["depot_plainte"])
    with ctx["engine"].begin() as conn:
        examen.analyser(conn, cons, ctx["absent_id"], ctx["absent_version"], etat="peril", securisation="en_danger",
                        notes=None, fiches=["depot_plainte", "securisation"])
    after = _rec(ctx, ctx["absent_id"])
    assert after["analyse_fiches"] == ["depot_plainte", "securisation"]
    assert after["analyse_etat_sanitaire"] is None and after["analyse_securisation"] is None  # nothing to override
    with pytest.raises(sa.exc.IntegrityError):  # the CHECK of migration 0003 backs the rule
        with ctx["engine"].begin() as conn:
            conn.execute(sa.text("UPDATE recensement SET analyse_fiches = ARRAY['depot_plainte'] WHERE id = :i"),
                         {"i": ctx["rec_id"]})


def test_accept_only_when_prioritaires_are_analysed_then_reopen(ctx):
    cons = ctx["users"]["conservateur"]
    did, version = ctx["dossier_id"], ctx["dossier_version"]
    with pytest.raises(examen.Refus, match="prioritaire"):
        with ctx["engine"].begin() as conn:
            examen.accepter(conn, cons, did, version)
    with ctx["engine"].begin() as conn:
        examen.analyser(conn, cons, ctx["absent_id"], ctx["absent_version"], etat=None, securisation=None,
                        notes="vu", fiches=["depot_plainte"])
        # Every other prioritaire of the dossier, analysed as well.
        for rid, v in conn.execute(sa.text(
                "SELECT e.id, r.version FROM recensement_effectif e JOIN recensement r ON r.id = e.id "
                "WHERE e.dossier_id = :d AND NOT e.analyse "
                "AND niveau_urgence(e.localisation, e.etat_sanitaire, e.securisation) = 'prioritaire'"),
                {"d": did}).all():
            examen.analyser(conn, cons, rid, v, etat=None, securisation=None, notes=None, fiches=[])
        info = examen.dossier(conn, cons, did)
        assert info["prioritaires_non_analyses"] == 0 and info["prioritaires"] >= 1
        v2 = examen.accepter(conn, cons, did, version).version
    with ctx["engine"].connect() as conn:
        statut = conn.execute(sa.text("SELECT statut FROM dossier WHERE id = :i"), {"i": did}).scalar()
    assert statut == "accepted"
    with pytest.raises(examen.Refus):  # an accepted dossier's recensements are frozen until reopened
        with ctx["engine"].begin() as conn:
            examen.analyser(conn, cons, ctx["rec_id"], _rec(ctx, ctx["rec_id"])["version"], etat="peril",
                            securisation=None, notes=None, fiches=[])
    with pytest.raises(examen.Conflit):
        with ctx["engine"].begin() as conn:
            examen.rouvrir(conn, cons, did, version)  # stale version
    with ctx["engine"].begin() as conn:
        v3 = examen.rouvrir(conn, cons, did, v2)
        v4 = examen.enregistrer_dossier(conn, cons, did, v3, visite="prioritaire", notes="Visite à prévoir")
        row = conn.execute(sa.text("SELECT statut, accepted_at, visite, version FROM dossier WHERE id = :i"),
                           {"i": did}).one()
    assert row.statut == "submitted" and row.accepted_at is None and row.visite == "prioritaire" and row.version == v4


@pytest.mark.parametrize("note", ["x" * 100_000, HTML_NOTE])
def test_long_and_html_notes_are_stored_verbatim(ctx, note):
    cons = ctx["users"]["conservateur"]
    with ctx["engine"].begin() as conn:
        examen.analyser(conn, cons, ctx["rec_id"], _rec(ctx, ctx["rec_id"])["version"], etat=None,
                        securisation=None, notes=note, fiches=[])
    assert _rec(ctx, ctx["rec_id"])["analyse_notes"] == note


def test_disparition_follow_up_with_versions(ctx):
    cons, admin = ctx["users"]["conservateur"], ctx["users"]["admin"]
    rid = ctx["absent_id"]
    data = examen.Suivi(date(2024, 3, 1), "Brigade de gendarmerie d'Arras", "PV 2024/123", None, None, HTML_NOTE)
    with ctx["engine"].begin() as conn:
        v1 = examen.enregistrer_suivi(conn, cons, rid, 0, data)
    with pytest.raises(examen.Conflit):
        with ctx["engine"].begin() as conn:
            examen.enregistrer_suivi(conn, admin, rid, 0, data)  # opened before the first save
    with ctx["engine"].begin() as conn:
        v2 = examen.enregistrer_suivi(conn, admin, rid, v1, examen.Suivi(
            date(2024, 3, 1), "Brigade", "PV 2024/123", date(2024, 3, 5), "OCBC-77", None))
        stored = examen.suivi(conn, cons, rid)
        audit = conn.execute(sa.text("SELECT user_id FROM audit WHERE table_name = 'suivi_disparition' "
                                     "ORDER BY id")).scalars().all()
    assert v2 == v1 + 1 and stored["ocbc_reference"] == "OCBC-77" and stored["maj_par"].startswith("Alix")
    assert audit == [cons.id, admin.id]
    with pytest.raises(examen.ExamenError, match="date"):
        with ctx["engine"].begin() as conn:
            examen.enregistrer_suivi(conn, cons, rid, v2, examen.Suivi(None, None, "PV sans date"))
    with pytest.raises(examen.Refus):  # not a disparu
        with ctx["engine"].begin() as conn:
            examen.enregistrer_suivi(conn, cons, ctx["rec_id"], 0, data)
