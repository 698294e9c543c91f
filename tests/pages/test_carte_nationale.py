"""/carte by commune for all of France under AppTest (issue 16): the map's component gets one
class per commune of the national file (and "." outside the user's scope), the table shows
the figures SQL gives a thousand rows at a time, and a click opens the commune's panel while
the view stays national."""
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard.app.carte import composant, nationale
from tests.pages.test_carte import APP, expected, open_carte, scalar, table
from tests.pages.visible import tel_quel


def _espion(monkeypatch):
    """The component replaced by a spy of its arguments."""
    vus = []
    vrai = composant.carte_communes

    def faux(arguments, key):
        vus.append(arguments)
        return vrai(arguments, key)

    monkeypatch.setattr(composant, "carte_communes", faux)
    return vus


def _ordre(url):
    with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as conn:
        return [r[0] for r in conn.execute(sa.text(
            "SELECT code_insee, departement_code FROM commune WHERE geom_affichage IS NOT NULL "
            "ORDER BY departement_code, code_insee")).all()]


def test_france_by_commune_classes_and_table_by_pages(demo_db_url, use_database, monkeypatch):
    vus = _espion(monkeypatch)
    monkeypatch.setattr(nationale, "LIGNES_TABLE", 100)   # the small demo: 474 communes with objets
    at = open_carte(demo_db_url, use_database, maille="communes")
    assert not at.error and at.query_params["maille"] == "communes"
    args = vus[-1]
    ordre = _ordre(demo_db_url)
    assert len(args["classes"]) == len(ordre) and "." not in args["classes"]
    assert args["fichier"].startswith("/carte/fichiers/communes-france.") and args["fichier"].endswith(".json")
    # Communes without a contour (Saint-Pierre-et-Miquelon) are on no map of communes.
    want = {c: n for c, n in expected(demo_db_url, key="o.commune_code").items() if c in set(ordre)}
    sans = str(len(args["libelles"]) - 1)
    assert {c for c, k in zip(ordre, args["classes"]) if k != sans} == set(want)
    # The table: a page of rows at a time, in the map's order, each with the figures SQL gives.
    assert len(want) > 200
    avec = [c for c in ordre if c in want]
    premiere = table(at)
    assert list(premiere["Code INSEE"]) == avec[:100]
    assert all(want[c] == n for c, n in zip(premiere["Code INSEE"], premiere["Objets"]))
    at.button(key="carte_table_pages_apres").click().run()
    at.button(key="carte_table_pages_apres").click().run()
    assert list(table(at)["Code INSEE"]) == avec[200:300]


def test_a_click_opens_the_panel_and_the_view_stays_national(demo_db_url, use_database, monkeypatch):
    code = scalar(demo_db_url, "SELECT commune_code FROM objet WHERE departement_code = '62' "
                               "AND dans_perimetre ORDER BY commune_code DESC LIMIT 1")
    nom = scalar(demo_db_url, "SELECT nom FROM commune WHERE code_insee = :c", c=code)
    indice = _ordre(demo_db_url).index(code)
    vus = _espion(monkeypatch)
    at = open_carte(demo_db_url, use_database, maille="communes")
    # The click comes back from the component on the next run, in the session state.
    at.session_state["carte_communes"] = {"indice": indice, "n": 1}
    at.run()
    assert not at.exception
    assert any(tel_quel(s.value) == nom for s in at.subheader)
    assert at.query_params["commune"] == code and at.query_params["maille"] == "communes"
    assert "departement" not in at.query_params
    assert vus[-1]["selection"] == indice
    # Only the selection changed: the classes sent are the same.
    assert vus[-1]["classes"] == vus[0]["classes"]


def test_a_conservateur_s_map_shows_their_departements_only(demo_db_url, use_database, monkeypatch):
    vus = _espion(monkeypatch)
    use_database(demo_db_url)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["user_id"] = scalar(demo_db_url, "SELECT id FROM app_user WHERE role = 'conservateur' AND demo")
    at.run()
    at.switch_page("../../pages/carte.py")
    at.query_params["maille"] = "communes"
    at.run()
    assert not at.exception
    with sa.create_engine(demo_db_url, poolclass=sa.pool.NullPool).connect() as conn:
        deps = [r[0] for r in conn.execute(sa.text(
            "SELECT departement_code FROM commune WHERE geom_affichage IS NOT NULL "
            "ORDER BY departement_code, code_insee")).all()]
    classes = vus[-1]["classes"]
    assert {d for d, k in zip(deps, classes) if k != "."} == {"59", "62"}
    assert set(table(at)["Département"]) <= {"59", "62"}


def test_the_geojson_download_of_france_by_commune(demo_db_url):
    import json

    from dashboard.app import fichiers_carte
    from dashboard.domain.identity import NATIONAL
    from dashboard.reads import carte

    from dashboard.app.carte.vue import Vue

    vue = Vue(maille="communes", indicateur="statut")
    with sa.create_engine(demo_db_url, poolclass=sa.pool.NullPool).connect() as conn:
        ref = carte.referentiel(conn, NATIONAL)
        donnees = json.loads(fichiers_carte.geojson_communes(conn, NATIONAL, vue, ref))
    ordre = set(_ordre(demo_db_url))
    assert len(donnees["features"]) == len(ordre)
    avec = [f for f in donnees["features"] if f["properties"].get("Objets")]
    assert {f["properties"]["code"] for f in avec} == set(expected(demo_db_url, key="o.commune_code")) & ordre
    # True positions (no inset): Réunion is in the Indian Ocean.
    reunion = next(f for f in donnees["features"] if f["properties"]["code"].startswith("974"))
    assert reunion["geometry"]["coordinates"][0][0][0][0] > 50
