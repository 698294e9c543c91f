"""Each role's home page speaks to its job (issue 11), and each figure leads to the list
behind it: under AppTest, as each demo role."""
from urllib.parse import parse_qs

from tests import expected
from tests.pages import apptest
from tests.pages.apptest import q
from tests.pages.visible import tel_quel


def home(url, role):
    return apptest.open_page(url, role, "accueil.py")


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def liens(at) -> list[tuple[str, dict]]:
    return [(p.proto.page, {k: v[0] for k, v in parse_qs(p.proto.query_string).items()}) for p in at.get("page_link")]


def test_a_conservateur_sees_what_waits_and_each_figure_opens_its_list(demo_db_url, use_database):
    use_database(demo_db_url)
    at = home(demo_db_url, "conservateur")
    shown = metrics(at)
    assert {"Dossiers à examiner", "Objets en péril", "Objets disparus"} <= set(shown)
    pages = liens(at)
    assert ("a-examiner", {}) in pages and ("urgences", {"constat": "peril"}) in pages
    assert ("urgences", {"constat": "disparu"}) in pages and ("couverture", {}) in pages
    assert ("communes-sans-adresse", {}) in pages and ("qualite-donnees", {}) in pages
    # The figure and the list behind it: the same objets.
    for constat, label in (("peril", "Objets en péril"), ("disparu", "Objets disparus")):
        liste = apptest.open_page(demo_db_url, "conservateur", "urgences.py", constat=constat)
        rows = len(liste.dataframe[0].value) if liste.dataframe else 0
        assert rows == expected.digits(shown[label]), constat
    # The coverage of each of its départements.
    table = at.dataframe[0].value
    assert [d.split()[0] for d in table["Département"]] == ["59", "62"]


def test_a_drac_manager_sees_coverage_and_no_dossiers_to_examine(demo_db_url, use_database):
    use_database(demo_db_url)
    at = home(demo_db_url, "drac")
    shown = metrics(at)
    assert "Dossiers à examiner" not in shown and "Part recensée depuis 5 ans (objectif : 100 %)" in shown
    pages = liens(at)
    assert ("couverture", {}) in pages and ("restauration", {}) in pages
    assert ("qualite-donnees", {}) in pages and ("carte", {}) in pages
    assert not any(page in ("a-examiner", "communes-sans-adresse") for page, _ in pages)


def test_a_deployment_officer_sees_communes_to_contact_and_campaigns(demo_db_url, use_database):
    use_database(demo_db_url)
    at = home(demo_db_url, "deploiement")
    shown = metrics(at)
    assert "Dossiers à examiner" not in shown and "Objets en péril" not in shown
    assert not any(page in ("a-examiner", "urgences") for page, _ in liens(at))
    want = [r[0] for r in q(demo_db_url, """
        SELECT o.commune_code FROM objet o
        WHERE o.departement_code = '62' AND o.dans_perimetre AND o.retire_le IS NULL
          AND NOT EXISTS (SELECT 1 FROM dossier d WHERE d.commune_code = o.commune_code)
        GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 10""")]
    assert want and [query["code"] for page, query in liens(at) if page == "commune"] == want
    assert any(s.value == "Campagnes de vos départements" for s in at.subheader)
    campagnes = at.dataframe[-1].value
    assert len(campagnes) and {d.split()[0] for d in campagnes["Département"]} == {"62"}
    assert all(len(d) == 10 and d[2] == "/" for d in campagnes["Lancement"])


def test_a_commune_sees_its_own_objets_not_national_figures(demo_db_url, use_database):
    use_database(demo_db_url)
    code, nom, n, a_recenser, recenses = q(demo_db_url, """
        SELECT s.code, c.nom, count(o.ref), count(o.ref) FILTER (WHERE o.dans_perimetre),
               count(o.ref) FILTER (WHERE o.dans_perimetre AND EXISTS (
                   SELECT 1 FROM recensement_courant r WHERE r.objet_ref = o.ref))
        FROM user_scope s JOIN app_user u ON u.id = s.user_id JOIN commune c ON c.code_insee = s.code
        LEFT JOIN objet o ON o.commune_code = s.code AND o.retire_le IS NULL
        WHERE u.demo AND u.role = 'commune' GROUP BY 1, 2""")[0]
    at = home(demo_db_url, "commune")
    shown = metrics(at)
    assert "Communes concernées" not in shown and "Dossiers à examiner" not in shown
    # The questionnaire's count, not every objet POP lists in the commune (those are in the table).
    assert 0 < a_recenser < n
    assert expected.digits(shown["Objets à recenser"]) == a_recenser
    assert expected.digits(shown["Objets recensés"]) == recenses
    assert any(f"{n - a_recenser} objets de la liste ne figurent pas au recensement" in c.value for c in at.caption)
    assert any(tel_quel(s.value) == f"Commune de {nom}" for s in at.subheader)
    assert ("commune", {"code": code}) in liens(at)
    assert len(at.dataframe[0].value) == n
