"""Campaigns created and changed by users, against real PostGIS: two active campaigns of one
département never overlap (the exclusion constraint itself, and the French message of the
write that names the campaign in the way), drafts may; the communes of a campaign are of its
département and of the user's scope, or nothing is written; an empty selection and bad
dates are refused in French; a concurrent change is refused; every write has its author."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.domain import campagnes as regles
from dashboard.reads import campagnes as lectures
from dashboard.reads import users
from dashboard.writes import campagnes, examen

AUJOURD_HUI = date.today()


@pytest.fixture
def ctx(writable_demo_db_url, use_database):
    use_database(writable_demo_db_url)
    engine = db.engine_for(writable_demo_db_url)
    with engine.connect() as conn:
        load = {r: users.load_user(conn, conn.execute(sa.text(
            "SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role)"), {"r": r}).scalar())
            for r in ("admin", "conservateur", "deploiement")}
        communes = conn.execute(sa.text("SELECT DISTINCT commune_code FROM objet WHERE departement_code = '62' "
                                        "ORDER BY 1")).scalars().all()
        ailleurs = conn.execute(sa.text("SELECT min(commune_code) FROM objet WHERE departement_code = '59'")).scalar()
        # The demo's campaign of the 62 that is active now (ongoing).
        active = conn.execute(sa.text("SELECT id, nom, date_lancement, date_fin FROM campagne "
                                      "WHERE departement_code = '62' AND statut IN ('planned', 'ongoing')")).one()
    return {"engine": engine, "users": load, "communes": communes, "ailleurs": ailleurs, "active": active}


def _dates(debut: date, jours: int = 60) -> regles.Dates:
    return regles.Dates(debut, debut + timedelta(days=jours), (debut + timedelta(days=15),))


def _nouvelle(debut: date, statut="planned", departement="62", nom="Campagne test") -> campagnes.NouvelleCampagne:
    return campagnes.NouvelleCampagne(departement, nom, _dates(debut), statut)


def _count(ctx, statement, **params):
    with ctx["engine"].connect() as conn:
        return conn.execute(sa.text(statement), params).scalar()


def test_the_database_refuses_two_overlapping_active_campaigns(ctx):
    active = ctx["active"]
    with pytest.raises(sa.exc.IntegrityError, match="campagne_actives_sans_chevauchement"):
        with ctx["engine"].begin() as conn:
            conn.execute(sa.text("INSERT INTO campagne (departement_code, nom, statut, date_lancement, date_fin) "
                                 "VALUES ('62', 'en travers', 'planned', :d, :f)"),
                         {"d": active.date_fin, "f": active.date_fin + timedelta(days=30)})   # one day in common
    with ctx["engine"].begin() as conn:
        # The day after its end, another département, a draft, a finished one: accepted.
        for dep, statut, debut in (("62", "planned", active.date_fin + timedelta(days=1)),
                                   ("59", "planned", active.date_lancement), ("62", "draft", active.date_lancement),
                                   ("62", "finished", active.date_lancement)):
            conn.execute(sa.text("INSERT INTO campagne (departement_code, nom, statut, date_lancement, date_fin) "
                                 "VALUES (:dep, 'x', CAST(:s AS campagne_statut), :d, :f)"),
                         {"dep": dep, "s": statut, "d": debut, "f": debut + timedelta(days=20)})
    # Turning that draft into an active campaign: refused by the database too.
    with pytest.raises(sa.exc.IntegrityError, match="campagne_actives_sans_chevauchement"):
        with ctx["engine"].begin() as conn:
            conn.execute(sa.text("UPDATE campagne SET statut = 'ongoing' WHERE departement_code = '62' "
                                 "AND statut = 'draft'"))


def test_an_overlap_is_refused_with_a_french_message_and_nothing_written(ctx):
    dep, active = ctx["users"]["deploiement"], ctx["active"]
    avant = _count(ctx, "SELECT count(*) FROM campagne")
    with pytest.raises(campagnes.Chevauchement) as refus:
        examen.ecrire(campagnes.creer, dep, _nouvelle(active.date_fin - timedelta(days=5)), ctx["communes"][:2])
    message = str(refus.value)
    assert message.startswith("Le département 62 a déjà une campagne active à ces dates : "
                              f"« {active.nom} » (en cours, du {active.date_lancement:%d/%m/%Y} au "
                              f"{active.date_fin:%d/%m/%Y}).")
    assert "ne peuvent pas se chevaucher" in message
    assert _count(ctx, "SELECT count(*) FROM campagne") == avant
    # In draft, the same dates are accepted; planning it is refused, with the same message.
    cid = examen.ecrire(campagnes.creer, dep, _nouvelle(active.date_fin - timedelta(days=5), "draft"),
                        ctx["communes"][:2])
    with pytest.raises(campagnes.Chevauchement, match=f"« {active.nom} »"):
        examen.ecrire(campagnes.changer_statut, dep, cid, 1, "draft", "planned")
    # Moved after the active one, it can be planned.
    assert examen.ecrire(campagnes.modifier, dep, cid, 1, "Campagne test", _dates(active.date_fin +
                                                                                  timedelta(days=1))) == 2
    assert examen.ecrire(campagnes.changer_statut, dep, cid, 2, "draft", "planned") == 3


def test_a_campaign_and_its_communes_with_their_author(ctx):
    dep = ctx["users"]["deploiement"]
    debut = ctx["active"].date_fin + timedelta(days=10)
    cid = examen.ecrire(campagnes.creer, dep, _nouvelle(debut), ctx["communes"][:3])
    with ctx["engine"].connect() as conn:
        row = conn.execute(sa.text("SELECT statut::text, provenance, cree_par, date_relance_1, version FROM campagne "
                                   "WHERE id = :i"), {"i": cid}).one()
        assert tuple(row) == ("planned", "application", dep.id, debut + timedelta(days=15), 1)
        codes = conn.execute(sa.text("SELECT commune_code FROM campagne_commune WHERE campagne_id = :i ORDER BY 1"),
                             {"i": cid}).scalars().all()
        assert codes == sorted(ctx["communes"][:3])
        authors = conn.execute(sa.text("SELECT DISTINCT user_id FROM audit WHERE table_name IN ('campagne', "
                                       "'campagne_commune') AND row_key = :k"), {"k": str(cid)}).scalars().all()
        assert authors == [dep.id]
        suivi = lectures.avancement(conn, dep.scope, dep.role)
        ligne = suivi[suivi["id"] == cid].iloc[0]
        assert (ligne["communes"], ligne["invitees"], ligne["commencees"]) == (3, 0, 0)
    assert examen.ecrire(campagnes.ajouter_communes, dep, cid, ctx["communes"][:5]) == len(ctx["communes"][:5]) - 3


def test_bad_selections_and_dates_write_nothing(ctx):
    dep, cons = ctx["users"]["deploiement"], ctx["users"]["conservateur"]
    debut = ctx["active"].date_fin + timedelta(days=10)
    avant = _count(ctx, "SELECT count(*) FROM campagne")
    with pytest.raises(campagnes.CampagneInvalide, match="Aucune commune sélectionnée"):
        examen.ecrire(campagnes.creer, dep, _nouvelle(debut), [])
    with pytest.raises(examen.Refus, match="^1 commune n.est pas du département 62"):
        examen.ecrire(campagnes.creer, dep, _nouvelle(debut), [ctx["communes"][0], ctx["ailleurs"]])
    with pytest.raises(examen.Refus, match="pas dans votre périmètre"):
        examen.ecrire(campagnes.creer, dep, _nouvelle(debut, departement="59"), [ctx["ailleurs"]])
    with pytest.raises(campagnes.CampagneInvalide, match="La date de fin doit suivre la date de lancement"):
        examen.ecrire(campagnes.creer, dep, campagnes.NouvelleCampagne("62", "x", regles.Dates(debut, debut)),
                      ctx["communes"][:1])
    with pytest.raises(campagnes.CampagneInvalide, match="Donnez un nom"):
        examen.ecrire(campagnes.creer, dep, _nouvelle(debut, nom="  "), ctx["communes"][:1])
    with pytest.raises(examen.Refus, match="chargés de déploiement"):
        examen.ecrire(campagnes.creer, cons, _nouvelle(debut), ctx["communes"][:1])
    assert _count(ctx, "SELECT count(*) FROM campagne") == avant


def test_a_concurrent_change_is_refused(ctx):
    dep, admin = ctx["users"]["deploiement"], ctx["users"]["admin"]
    debut = ctx["active"].date_fin + timedelta(days=10)
    cid = examen.ecrire(campagnes.creer, dep, _nouvelle(debut, "draft"), ctx["communes"][:1])
    assert examen.ecrire(campagnes.modifier, admin, cid, 1, "Renommée", _dates(debut)) == 2
    with pytest.raises(examen.Conflit, match="modifiée depuis que vous l'avez ouverte"):
        examen.ecrire(campagnes.changer_statut, dep, cid, 1, "draft", "planned")
    with pytest.raises(examen.Refus, match="se fait tout seul"):
        examen.ecrire(campagnes.changer_statut, dep, cid, 2, "planned", "ongoing")
    assert _count(ctx, "SELECT nom FROM campagne WHERE id = :i", i=cid) == "Renommée"
