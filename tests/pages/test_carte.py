"""/carte under AppTest: each level and each filter shows the figures SQL gives (SQL written
here), filters live in the URL, bad URLs fall back to the national view, a click opens the
commune's panel."""

import pytest
import sqlalchemy as sa
import streamlit_folium
from streamlit.testing.v1 import AppTest

from dashboard import settings
from tests.pages.visible import tel_quel

APP = str(settings.APP_SCRIPT)

# Counted objets (domain.md: in the recensement scope, not withdrawn) per département or
# commune, with the filters of the page restated here.
OBJETS = """
SELECT {key} AS code, count(*) AS objets
FROM objet o JOIN departement d ON d.code = o.departement_code
WHERE o.dans_perimetre AND o.retire_le IS NULL
  AND (CAST(:region AS text) IS NULL OR d.region_code = CAST(:region AS text))
  AND (CAST(:dep AS text) IS NULL OR o.departement_code = CAST(:dep AS text))
  AND (CAST(:protection AS text) IS NULL OR o.protection::text = CAST(:protection AS text))
  AND (CAST(:categorie AS text) IS NULL OR CAST(:categorie AS text) = ANY(o.categorie))
  AND (CAST(:siecle AS text) IS NULL OR EXISTS (
        SELECT 1 FROM unnest(o.siecle) s WHERE s ~ ('(^|[^0-9])' || CAST(:siecle AS text) || '(e|er) siècle')))
GROUP BY 1 ORDER BY 1
"""


def expected(url, key="o.departement_code", region=None, dep=None, protection=None, categorie=None, siecle=None):
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(OBJETS.format(key=key)), dict(
            region=region, dep=dep, protection=protection, categorie=categorie, siecle=siecle)).all()
    return {code: n for code, n in rows if code is not None}


def scalar(url, query, **params):
    with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as conn:
        return conn.execute(sa.text(query), params).scalar()


def open_carte(url, use_database, **query) -> AppTest:
    use_database(url)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("../../pages/carte.py")
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception[0].message if at.exception else ""
    return at


def table(at):
    return at.dataframe[-1].value


def shown(at, key_column):
    df = table(at)
    return dict(zip(df[key_column], df["Objets"]))


def test_national_view_by_departement(demo_db_url, use_database):
    at = open_carte(demo_db_url, use_database)
    want = expected(demo_db_url)
    got = {k: v for k, v in shown(at, "Département").items() if v}
    assert got == want and len(want) > 50
    assert not at.error
    # Legend in words beside the map, credits under it.
    assert any("Part des objets recensés" in md.value and "de 80 à 100 %" in md.value for md in at.markdown)
    assert any("IGN" in c.value and "Licence Ouverte" in c.value for c in at.caption)
    assert dict(at.query_params) == {}


def test_an_undefined_share_is_shown_as_a_dash(demo_db_url, use_database):
    """A département with no objet of known état has no "Péril ou mauvais (%)": the grid draws "—",
    not its default "None"."""
    at = open_carte(demo_db_url, use_database)
    assert table(at)["Péril ou mauvais (%)"].isna().any()
    assert at.dataframe[-1].proto.placeholder == "—"


def test_region_view(demo_db_url, use_database):
    at = open_carte(demo_db_url, use_database, region="32")
    assert set(table(at)["Département"]) == {"02", "59", "60", "62", "80"}
    assert {k: v for k, v in shown(at, "Département").items() if v} == expected(demo_db_url, region="32")
    assert at.selectbox(key="carte_region").value == "32"


def test_region_view_by_commune(demo_db_url, use_database):
    at = open_carte(demo_db_url, use_database, region="32", maille="communes")
    assert shown(at, "Code INSEE") == expected(demo_db_url, key="o.commune_code", region="32")
    assert at.query_params["maille"] == "communes"


def test_departement_view_by_commune(demo_db_url, use_database):
    at = open_carte(demo_db_url, use_database, departement="62")
    assert shown(at, "Code INSEE") == expected(demo_db_url, key="o.commune_code", dep="62")
    communes_62 = scalar(demo_db_url, "SELECT count(*) FROM commune WHERE departement_code = '62'")
    sans = communes_62 - len(expected(demo_db_url, key="o.commune_code", dep="62"))
    assert any(f"{sans:,}".replace(",", "\u202f") + " communes sans objet" in c.value for c in at.caption)
    assert any("objet disparu" in md.value for md in at.markdown)  # disparus in the legend
    # A statut colour table in words.
    assert any("À examiner" in md.value for md in at.markdown)


@pytest.mark.parametrize("param,value,kwargs", [
    ("protection", "classe", {"protection": "classe"}),
    ("protection", "inscrit", {"protection": "inscrit"}),
    ("categorie", "sculpture", {"categorie": "sculpture"}),
    ("siecle", "18", {"siecle": "18"}),
])
def test_filters_from_the_url(demo_db_url, use_database, param, value, kwargs):
    at = open_carte(demo_db_url, use_database, departement="59", **{param: value})
    want = expected(demo_db_url, key="o.commune_code", dep="59", **kwargs)
    assert shown(at, "Code INSEE") == want
    assert sum(want.values()) < sum(expected(demo_db_url, key="o.commune_code", dep="59").values())
    assert at.query_params[param] == value and at.query_params["departement"] == "59"


def test_period_filter_counts_recensements_of_the_period(demo_db_url, use_database):
    year = scalar(demo_db_url, "SELECT max(extract(year FROM recense_le))::int FROM recensement "
                               "WHERE statut = 'completed'")
    at = open_carte(demo_db_url, use_database, periode=f"{year}-{year}")
    recenses = scalar(demo_db_url, """
        WITH cur AS (SELECT DISTINCT ON (r.objet_ref) r.objet_ref, r.recense_le
                     FROM recensement r JOIN dossier d ON d.id = r.dossier_id
                     WHERE r.statut = 'completed' AND d.submitted_at IS NOT NULL
                     ORDER BY r.objet_ref, r.recense_le DESC, r.id DESC)
        SELECT count(*) FROM objet o JOIN cur ON cur.objet_ref = o.ref
        WHERE o.dans_perimetre AND o.retire_le IS NULL AND extract(year FROM cur.recense_le) = :y""", y=year)
    assert table(at)["Recensés dans la période"].sum() == recenses > 0
    assert at.query_params["periode"] == f"{year}-{year}"
    assert at.toggle(key="carte_periode_on").value is True


def test_indicator_changes_the_legend_and_the_url(demo_db_url, use_database):
    at = open_carte(demo_db_url, use_database)
    at.selectbox(key="carte_indicateur").select("etat").run()
    assert not at.exception
    assert at.query_params["indicateur"] == "etat"
    assert any("péril ou en mauvais état" in md.value for md in at.markdown)


def test_choosing_a_departement_in_the_filters(demo_db_url, use_database):
    at = open_carte(demo_db_url, use_database)
    at.selectbox(key="carte_departement").select("62").run()
    assert not at.exception
    assert at.query_params["departement"] == "62"
    assert "Code INSEE" in table(at).columns


@pytest.mark.parametrize("query,needle", [
    ({"departement": "999"}, "Département inconnu"),
    ({"region": "<script>"}, "valeur illisible"),
    ({"commune": "99999"}, "Commune inconnue"),
    ({"commune": "abc"}, "Commune inconnue"),
    ({"siecle": "quarante"}, "Siècle invalide"),
    ({"periode": "1850-3000"}, "Période invalide"),
    ({"maille": "cantons", "indicateur": "x"}, "Maille inconnue"),
])
def test_bad_url_gives_a_message_and_the_national_view(demo_db_url, use_database, query, needle):
    at = open_carte(demo_db_url, use_database, **query)
    assert any(needle in e.value for e in at.error), [e.value for e in at.error]
    assert "Département" in table(at).columns and len(table(at)) > 90


def test_commune_in_the_url_opens_its_panel(demo_db_url, use_database):
    code = scalar(demo_db_url, "SELECT commune_code FROM objet WHERE departement_code = '62' "
                               "AND dans_perimetre ORDER BY commune_code LIMIT 1")
    nom = scalar(demo_db_url, "SELECT nom FROM commune WHERE code_insee = :c", c=code)
    at = open_carte(demo_db_url, use_database, commune=code)
    assert at.query_params["departement"] == "62" and at.query_params["commune"] == code
    assert any(tel_quel(s.value) == nom for s in at.subheader)
    assert any(f"/commune?code={code}" in md.value for md in at.markdown)
    panel = at.dataframe[0].value
    assert panel.set_index("État sanitaire actuel").loc["Total", "Objets"] == expected(
        demo_db_url, key="o.commune_code", dep="62")[code]


def test_click_on_a_commune_opens_the_panel_without_changing_the_map(demo_db_url, use_database, monkeypatch):
    code = scalar(demo_db_url, "SELECT commune_code FROM objet WHERE departement_code = '62' "
                               "AND dans_perimetre ORDER BY commune_code DESC LIMIT 1")
    nom = scalar(demo_db_url, "SELECT nom FROM commune WHERE code_insee = :c", c=code)
    maps = []
    real = streamlit_folium.st_folium

    def fake(fig, **kwargs):
        maps.append(fig.get_root().render())
        real(fig, **kwargs)
        return {"last_active_drawing": {"type": "Feature", "properties": {"code": code}}} if len(maps) > 1 else {}

    monkeypatch.setattr(streamlit_folium, "st_folium", fake)
    at = open_carte(demo_db_url, use_database, departement="62")
    assert not at.subheader or all(tel_quel(s.value) != nom for s in at.subheader)
    at.run()  # the "click" comes back from the component on the next run
    assert not at.exception
    assert any(tel_quel(s.value) == nom for s in at.subheader)
    assert at.query_params["commune"] == code
    # Same view, same map: Streamlit does not send it again.
    import re
    strip = lambda html: re.sub(r"_[0-9a-f]{32}", "", html)  # noqa: E731 - folium's random ids
    assert strip(maps[-1]) == strip(maps[-2])


def test_conservateur_sees_their_departements_only(demo_db_url, use_database):
    use_database(demo_db_url)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["user_id"] = scalar(demo_db_url, "SELECT id FROM app_user WHERE role = 'conservateur' AND demo")
    at.run()
    at.switch_page("../../pages/carte.py").run()
    assert not at.exception
    assert set(table(at)["Département"]) == {"59", "62"}
    assert at.selectbox(key="carte_departement").options == ["Tous", "59 — Nord", "62 — Pas-de-Calais"]
    at.query_params["departement"] = "75"
    at.run()
    assert any("hors de votre périmètre" in e.value for e in at.error)


def test_a_scope_of_one_departement_or_one_commune_opens_on_its_map(demo_db_url, use_database):
    """/carte from the menu: the deployment officer of the Pas-de-Calais sees its communes
    (not a national view of one département), a commune its own, panel open."""
    from tests.pages import apptest
    use_database(demo_db_url)
    at = apptest.open_page(demo_db_url, "deploiement", "carte.py")
    assert at.query_params["departement"] == "62" and "commune" not in at.query_params
    assert at.selectbox(key="carte_departement").value == "62"
    assert shown(at, "Code INSEE") == expected(demo_db_url, key="o.commune_code", dep="62")
    code, nom = apptest.q(demo_db_url, """SELECT c.code_insee, c.nom FROM user_scope s JOIN app_user u ON u.id = s.user_id
                                          JOIN commune c ON c.code_insee = s.code WHERE u.demo AND u.role = 'commune'""")[0]
    at = apptest.open_page(demo_db_url, "commune", "carte.py")
    assert at.query_params["commune"] == code
    assert any(tel_quel(s.value) == nom for s in at.subheader)


def test_downloads_are_offered(demo_db_url, use_database):
    at = open_carte(demo_db_url, use_database, departement="62")
    labels = [b.proto.label for b in at.get("download_button")]
    assert any("CSV" in label for label in labels) and any("GeoJSON" in label for label in labels)


def test_charts_for_the_selection(demo_db_url, use_database):
    import re

    at = open_carte(demo_db_url, use_database, departement="62")
    charts = [m.value for m in at.markdown if "carte-graphique" in m.value]
    assert len(charts) == 2 and not at.get("plotly_chart")     # no Plotly bundle for the browser to load
    etats = re.search(r'aria-label="Objets par état sanitaire actuel : ([^"]*)\."', charts[0])[1]
    total = sum(int(n.replace("\u202f", "")) for n in re.findall(r"(\d[\d\u202f]*)(?: ;|$)", etats))
    assert total == sum(expected(demo_db_url, key="o.departement_code", dep="62").values())
    assert "Recensements par mois" in charts[1]


def test_categorie_widget_is_bound_to_the_url(demo_db_url, use_database):
    # Bound to the URL (bind="query-params"): the browser writes ?categorie=… (AppTest has no
    # browser: tests/browser/test_carte.py checks the URL); the page writes the others.
    at = open_carte(demo_db_url, use_database, departement="59", categorie="sculpture")
    assert at.selectbox(key="categorie").value == "sculpture"
    at.selectbox(key="carte_siecle").select(18).run()
    assert not at.exception
    assert at.selectbox(key="categorie").value == "sculpture"
    assert {k: at.query_params[k] for k in ("departement", "categorie", "siecle")} == \
        {"departement": "59", "categorie": "sculpture", "siecle": "18"}
    assert shown(at, "Code INSEE") == expected(demo_db_url, key="o.commune_code", dep="59", categorie="sculpture",
                                               siecle="18")
    at.selectbox(key="categorie").select(None).run()
    assert not at.exception and at.selectbox(key="categorie").value is None
    assert shown(at, "Code INSEE") == expected(demo_db_url, key="o.commune_code", dep="59", siecle="18")
    assert at.query_params["siecle"] == "18"


def test_unknown_categorie_in_the_url_gives_a_message_and_leaves_the_url(demo_db_url, use_database):
    at = open_carte(demo_db_url, use_database, departement="59", categorie="tapisserie volante")
    assert any("Catégorie inconnue" in e.value for e in at.error)
    assert "categorie" not in at.query_params and at.query_params["departement"] == "59"
    assert at.selectbox(key="categorie").value is None


def test_click_on_a_departement_opens_its_map_with_the_same_filters(demo_db_url, use_database, monkeypatch):
    real = streamlit_folium.st_folium
    runs = []

    def fake(fig, **kwargs):
        runs.append(1)
        real(fig, **kwargs)
        return {"last_active_drawing": {"type": "Feature", "properties": {"code": "62"}}} if len(runs) > 1 else {}

    monkeypatch.setattr(streamlit_folium, "st_folium", fake)
    at = open_carte(demo_db_url, use_database, categorie="sculpture", protection="classe")
    at.run()  # the click comes back from the component: the page reruns on the département
    assert not at.exception
    assert dict(at.query_params) == {"departement": "62", "categorie": "sculpture", "protection": "classe"}
    assert shown(at, "Code INSEE") == expected(demo_db_url, key="o.commune_code", dep="62", categorie="sculpture",
                                               protection="classe")
