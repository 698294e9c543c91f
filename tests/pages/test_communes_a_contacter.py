"""/communes-a-contacter under AppTest: the score of communes computed by hand here (from the
base tables, by the rule the page states) equals the page's, points included; a change of
weight changes the order as stated; bad input gives a French message and the page still
works; the map of a département; the exports are the selection; a campaign created from
the selection, an overlapping one refused in French with the form kept."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from dashboard.app.deploiement import tableau
from dashboard.domain import priorite
from tests.pages.apptest import open_page, q
from tests.pages.deploiement_pages import figures, nombre, ouvrir, score_a_la_main
from tests.pages.pilotage_pages import deferred  # noqa: F401 (fixture)

PAGE = "communes_a_contacter.py"


def _classement(at):
    return next(d.value for d in at.dataframe if tableau.SCORE in d.value.columns)


def test_scores_computed_by_hand_equal_the_pages(demo_db_url, use_database):
    use_database(demo_db_url)
    at = ouvrir(demo_db_url, "admin", PAGE)
    shown = _classement(at).set_index(tableau.CODE)
    want = figures(demo_db_url)
    assert set(shown.index) == set(want.index)                     # every commune holding counted objets
    assert list(shown[tableau.RANG]) == list(range(1, len(shown) + 1))
    # A few communes: the first ones, the last one, and some in between.
    codes = list(shown.index[:3]) + list(shown.index[len(shown) // 2: len(shown) // 2 + 2]) + [shown.index[-1]]
    for code in codes:
        score, points = score_a_la_main(want.loc[code], priorite.PAR_DEFAUT)
        assert nombre(shown.loc[code, tableau.SCORE]) == pytest.approx(score, abs=0.051), code
        for critere, p in zip(priorite.CRITERES, points):
            assert nombre(shown.loc[code, tableau.points_colonne(critere)]) == pytest.approx(p, abs=0.051), code
        assert int(shown.loc[code, tableau.OBJETS]) == want.loc[code, "objets"]
    # The order is the scores' (then objets, then code), computed here.
    attendu = sorted(want.index, key=lambda c: (-round(score_a_la_main(want.loc[c], priorite.PAR_DEFAUT)[0], 9),
                                                -want.loc[c, "objets"], c))
    assert list(shown.index) == attendu


def test_a_change_of_weight_changes_the_order_as_stated(demo_db_url, use_database):
    """Only "objets en péril ou disparus" weighted: the communes come by that count (capped at
    5), then by objets; only "classés jamais recensés": by that count (capped at 10)."""
    use_database(demo_db_url)
    want = figures(demo_db_url)
    zero = {f"poids_{c}": "0" for c in priorite.CODES}
    par_urgences = list(_classement(ouvrir(demo_db_url, "admin", PAGE, **{**zero, "poids_urgences": "10"}))
                        [tableau.CODE])
    assert par_urgences == sorted(want.index, key=lambda c: (-min(want.loc[c, "peril"], 5), -want.loc[c, "objets"], c))
    par_classes = list(_classement(ouvrir(demo_db_url, "admin", PAGE, **{**zero, "poids_classes": "4"}))
                       [tableau.CODE])
    assert par_classes == sorted(want.index, key=lambda c: (-min(want.loc[c, "classes_jamais"], 10),
                                                            -want.loc[c, "objets"], c))
    assert par_urgences != par_classes
    # A preset chosen in the page sets the weights, and the URL follows.
    at = ouvrir(demo_db_url, "admin", PAGE)
    at.selectbox(key="cac_preset").set_value("urgences").run()
    assert at.slider(key="cac_poids_urgences").value == 8
    assert at.query_params["poids_urgences"] == ["8"] or at.query_params["poids_urgences"] == "8"


@pytest.mark.parametrize("query, mot", [
    ({"poids_classes": "12"}, "Poids hors limites pour « Objets classés jamais recensés » : 12"),
    ({"poids_urgences": "abc"}, "Poids hors limites pour « Objets en péril ou disparus »"),
    ({f"poids_{c}": "0" for c in priorite.CODES}, "Tous les poids sont à zéro"),
    ({"departement": "62", "epci": "999999999"}, "EPCI inconnu ou hors du territoire choisi : 999999999"),
    ({"departement": "2A' OR 1=1"}, "Département inconnu ou hors de votre périmètre"),
    ({"objets_min": "-3"}, "Nombre minimal d'objets invalide"),
])
def test_bad_input_a_french_message_and_a_working_page(demo_db_url, use_database, query, mot):
    use_database(demo_db_url)
    at = ouvrir(demo_db_url, "deploiement", PAGE, **query)
    assert any(mot in w.value for w in at.warning), [w.value for w in at.warning]
    assert len(_classement(at)) > 0


def test_an_empty_selection_says_so(demo_db_url, use_database):
    use_database(demo_db_url)
    at = ouvrir(demo_db_url, "deploiement", PAGE, objets_min="10000")
    assert any("Aucune commune ne correspond à ces filtres" in i.value for i in at.info)
    assert not [d for d in at.dataframe if tableau.SCORE in d.value.columns]


def test_the_filters_and_the_scope(demo_db_url, use_database):
    use_database(demo_db_url)
    at = ouvrir(demo_db_url, "deploiement", PAGE)
    shown = _classement(at)
    assert set(shown[tableau.DEPARTEMENT]) == {"62"} and set(shown[tableau.CODE]) == set(figures(demo_db_url, ["62"])
                                                                                         .index)
    cons = _classement(ouvrir(demo_db_url, "conservateur", PAGE))
    assert set(cons[tableau.DEPARTEMENT]) == {"59", "62"}
    epci, n = q(demo_db_url, """SELECT c.epci_code, count(DISTINCT c.code_insee) FROM objet o
                                JOIN commune c ON c.code_insee = o.commune_code
                                WHERE o.departement_code = '62' AND o.dans_perimetre AND o.retire_le IS NULL
                                GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1""")[0]
    at = ouvrir(demo_db_url, "deploiement", PAGE, epci=epci)
    assert len(_classement(at)) == n and not at.warning
    # Contacted communes hidden on demand: invited by the demo's launched campaigns, or with a
    # contact recorded (the demo's deployment officer's).
    contactees = {r[0] for r in q(demo_db_url, """SELECT cc.commune_code FROM campagne_commune cc
                                                  JOIN campagne ca ON ca.id = cc.campagne_id
                                                  WHERE ca.statut IN ('ongoing', 'finished')
                                                  UNION SELECT commune_code FROM contact_commune""")}
    assert q(demo_db_url, "SELECT count(*) FROM contact_commune")[0][0] > 0
    at = ouvrir(demo_db_url, "deploiement", PAGE, masquer_contactees="1")
    rest = set(_classement(at)[tableau.CODE]) if [d for d in at.dataframe if tableau.SCORE in d.value.columns] else set()
    assert rest == set(shown[tableau.CODE]) - contactees


def test_the_map_of_a_departement_and_the_exports(demo_db_url, use_database, deferred):
    use_database(demo_db_url)
    at = ouvrir(demo_db_url, "admin", PAGE, departement="62")
    assert len(at.get("component_instance")) == 1    # st_folium (its bytes: dashboard/bench/deploiement.py)
    assert any("Score de priorité (sur 100)" in m.value and "80 et plus" in m.value for m in at.markdown)
    shown = _classement(at)
    nom = next(k for k in deferred if k.endswith(".csv") and k.startswith("communes-a-contacter-departement-62"))
    rows = list(csv.DictReader(io.StringIO(deferred[nom]().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [r[tableau.CODE] for r in rows] == list(shown[tableau.CODE])
    assert [r[tableau.SCORE].replace(",", ".") for r in rows] == [s.replace(",", ".") for s in shown[tableau.SCORE]]
    assert all(r[tableau.RAISON] for r in rows)
    courriels = dict(q(demo_db_url, "SELECT code_insee, nullif(btrim(mairie_email), '') FROM commune "
                                    "WHERE departement_code = '62'"))
    assert all((r[tableau.COURRIEL] or None) == courriels[r[tableau.CODE]] for r in rows)
    assert any(k.endswith(".xlsx") for k in deferred)
    france = ouvrir(demo_db_url, "admin", PAGE)
    assert any("Choisissez un département pour voir la carte" in c.value for c in france.caption)
    assert not france.get("component_instance")
    # A scope of one département: its map without choosing it (the demo's deployment officer: 62).
    seul = ouvrir(demo_db_url, "deploiement", PAGE)
    assert len(seul.get("component_instance")) == 1 and not any("Choisissez" in c.value for c in seul.caption)


def test_a_campaign_from_the_selection_and_an_overlap_refused(writable_demo_db_url, use_database):
    url = writable_demo_db_url
    use_database(url)
    active = q(url, "SELECT nom, date_lancement, date_fin FROM campagne WHERE departement_code = '62' "
                    "AND statut IN ('planned', 'ongoing')")[0]
    at = ouvrir(url, "deploiement", PAGE, departement="62")
    n = len(_classement(at))
    avant = q(url, "SELECT count(*) FROM campagne")[0][0]
    # No row checked: an empty selection, refused in French, the name typed kept.
    assert at.radio(key="cac_campagne_quelles").value == "cochees"
    at.text_input(key="cac_campagne_nom").input("Ma campagne")
    next(b for b in at.button if b.label == "Créer la campagne").click().run()
    assert not at.exception and any("Aucune commune sélectionnée" in e.value for e in at.error), \
        [e.value for e in at.error]
    assert at.text_input(key="cac_campagne_nom").value == "Ma campagne"
    assert q(url, "SELECT count(*) FROM campagne")[0][0] == avant
    at.radio(key="cac_campagne_quelles").set_value("selection").run()
    at.date_input(key="cac_campagne_lancement").set_value(active[2] - timedelta(days=3))
    at.date_input(key="cac_campagne_relance_1").set_value(active[2] + timedelta(days=5))
    at.date_input(key="cac_campagne_relance_2").set_value(None)
    at.date_input(key="cac_campagne_relance_3").set_value(None)
    at.date_input(key="cac_campagne_fin").set_value(active[2] + timedelta(days=40))
    at.radio(key="cac_campagne_statut").set_value("planned")
    next(b for b in at.button if b.label == "Créer la campagne").click().run()
    assert any(f"« {active[0]} »" in e.value.replace("\\", "") and "chevaucher" in e.value for e in at.error), \
        [e.value for e in at.error]
    assert at.text_input(key="cac_campagne_nom").value == "Ma campagne"          # nothing lost
    assert q(url, "SELECT count(*) FROM campagne WHERE nom = 'Ma campagne'")[0][0] == 0
    # Moved after the active one: created, with the whole selection.
    at.date_input(key="cac_campagne_lancement").set_value(active[2] + timedelta(days=1))
    next(b for b in at.button if b.label == "Créer la campagne").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    cid, statut = q(url, "SELECT id, statut::text FROM campagne WHERE nom = 'Ma campagne'")[0]
    assert statut == "planned"
    assert q(url, "SELECT count(*) FROM campagne_commune WHERE campagne_id = :i", i=cid)[0][0] == n
    assert any("Campagne créée" in s.value for s in at.success)


def test_linked_from_the_home_page_of_the_roles_that_may_read_it(demo_db_url, use_database):
    """Deployment officers, conservateurs and administrateurs (the rights table): a link on
    their home page; DRAC managers and communes: no link, and the page is not routable."""
    use_database(demo_db_url)
    for role in ("admin", "conservateur", "deploiement"):
        at = open_page(demo_db_url, role, "accueil.py")
        assert "communes-a-contacter" in {link.proto.page for link in at.get("page_link")}, role
    for role in ("drac", "commune"):
        at = open_page(demo_db_url, role, "accueil.py")
        assert "communes-a-contacter" not in {link.proto.page for link in at.get("page_link")}, role
        with pytest.raises(ValueError):
            at.switch_page(f"pages/{PAGE}")
