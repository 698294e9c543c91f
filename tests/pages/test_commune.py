"""/commune?code=INSEE under AppTest: bad URLs, status, dossiers, objets sorted by priority, examen of a dossier."""
import csv
import io
import re

from dashboard.domain.vocabulary import STATUT_COMMUNE

from tests.pages import apptest
from tests.pages.apptest import q
from tests.pages.pilotage_pages import deferred  # noqa: F401 (fixture)
from tests.pages.visible import tel_quel



def open_page(url, role, **query):
    return apptest.open_page(url, role, "commune.py", **query)


def test_unknown_and_out_of_scope_codes(demo_db_url, use_database):
    use_database(demo_db_url)
    assert any("Aucune commune ne porte le code INSEE" in e.value
               for e in open_page(demo_db_url, "admin", code="00000").error)
    assert any("Aucune commune" in e.value for e in open_page(demo_db_url, "admin", code="'; DROP TABLE x").error)
    assert any("pas dans votre périmètre" in e.value
               for e in open_page(demo_db_url, "conservateur", code="75056").error)


def test_a_commune_user_opens_its_own_fiche_without_a_code(demo_db_url, use_database):
    """/commune from the menu: a commune's user has one commune, its fiche, not a search."""
    use_database(demo_db_url)
    nom = q(demo_db_url, """SELECT c.nom FROM user_scope s JOIN app_user u ON u.id = s.user_id
                            JOIN commune c ON c.code_insee = s.code WHERE u.demo AND u.role = 'commune'""")[0][0]
    at = open_page(demo_db_url, "commune")
    assert not at.exception and not at.error
    assert tel_quel(at.title[0].value) == nom
    assert not at.text_input    # no search field
    # Another user without a code still gets the search.
    at = open_page(demo_db_url, "conservateur")
    assert at.title[0].value == "Fiche commune" and at.text_input


def _submitted_commune(url):
    return q(url, """
        SELECT d.commune_code, c.nom, count(DISTINCT d.id) FROM dossier d JOIN commune c ON c.code_insee = d.commune_code
        JOIN dossier d2 ON d2.commune_code = d.commune_code
        WHERE d.statut = 'submitted' AND c.departement_code IN ('59', '62')
        GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 1""")[0]


def test_commune_status_dossiers_and_objets_by_priority(demo_db_url, use_database):
    use_database(demo_db_url)
    code, nom, _ = _submitted_commune(demo_db_url)
    at = open_page(demo_db_url, "conservateur", code=code)
    assert tel_quel(at.title[0].value) == nom
    # Status from the latest non-archived dossier (written here, independently of commune_statut).
    statut = q(demo_db_url, """
        SELECT CASE WHEN d.statut = 'accepted' THEN 'examine'
                    WHEN EXISTS (SELECT 1 FROM recensement r WHERE r.dossier_id = d.id AND r.analyse_le IS NOT NULL)
                    THEN 'en_cours_examen' ELSE 'a_examiner' END
        FROM dossier d WHERE d.commune_code = :c AND d.statut <> 'archived' ORDER BY d.created_at DESC LIMIT 1""",
               c=code)[0][0]
    assert at.metric[0].value == STATUT_COMMUNE.libelle(statut)
    n_dossiers = q(demo_db_url, "SELECT count(*) FROM dossier WHERE commune_code = :c", c=code)[0][0]
    assert len(at.dataframe[0].value) == n_dossiers
    objets = q(demo_db_url, "SELECT count(*) FROM objet WHERE commune_code = :c AND retire_le IS NULL", c=code)[0][0]
    tables = [t for t in at.dataframe if "Signalement" in t.value.columns]  # one per édifice
    assert len(tables) == sum(1 for m in at.markdown if re.search(r"\*\* — \d+ objets?$", m.value))
    assert sum(len(t.value) for t in tables) == objets
    for t in tables:
        ranks = [0 if "Péril" in s else 1 if "Disparu" in s else 2 if "Préoccupant" in s else 3
                 for s in t.value["Signalement"]]
        assert ranks == sorted(ranks)
    assert at.get("iframe") or any("Contour" in c.value for c in at.caption)


def test_accept_button_blocked_by_unanalysed_prioritaire_then_visit_wish_saved(writable_demo_db_url, use_database):
    url = writable_demo_db_url
    code, _, _ = _submitted_commune(url)
    did = q(url, "SELECT id FROM dossier WHERE commune_code = :c AND statut = 'submitted'", c=code)[0][0]
    q(url, """UPDATE recensement SET localisation = 'absent', recensable = false, etat_sanitaire = NULL,
              securisation = NULL, analyse_le = NULL, analyse_etat_sanitaire = NULL, analyse_securisation = NULL,
              analyse_fiches = ARRAY[]::text[]
              WHERE id = (SELECT min(id) FROM recensement WHERE dossier_id = :d AND statut = 'completed')""", d=did)
    use_database(url)
    at = open_page(url, "conservateur", code=code)
    accept = next(b for b in at.button if b.label == "Accepter le dossier")
    assert accept.disabled
    assert any("Acceptation impossible" in c.value for c in at.caption)
    at.radio(key=f"dossier_{did}_visite").set_value("souhaitable")
    at.text_area(key=f"dossier_{did}_notes").input("<b>Merci</b>")
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    assert not at.exception
    assert q(url, "SELECT visite::text, notes_conservateur FROM dossier WHERE id = :d", d=did)[0] == \
        ("souhaitable", "<b>Merci</b>")
    assert any("Dossier enregistré" in s.value for s in at.success)


def test_the_list_of_objets_downloads_as_french_csv(demo_db_url, use_database, deferred):
    """The tables' own download is off: the fiche gives the commune's objets as the one CSV
    writer writes them (";", BOM; its own tests cover formula-like cells)."""
    use_database(demo_db_url)
    code, _, _ = _submitted_commune(demo_db_url)
    open_page(demo_db_url, "conservateur", code=code)
    nom = next(k for k in deferred if k.startswith(f"objets-commune-{code}-") and k.endswith(".csv"))
    texte = deferred[nom]().decode("utf-8-sig")
    lignes = list(csv.DictReader(io.StringIO(texte, newline=""), delimiter=";"))
    refs = {r[0] for r in q(demo_db_url, "SELECT ref FROM objet WHERE commune_code = :c AND retire_le IS NULL",
                            c=code)}
    assert {ligne["REF"] for ligne in lignes} == refs and len(lignes) == len(refs)
    assert set(lignes[0]) == {"Édifice", "Objet", "REF", "À recenser", "Protection", "État", "Signalement"}
    a_recenser = {r[0] for r in q(demo_db_url, "SELECT ref FROM objet WHERE commune_code = :c AND dans_perimetre "
                                               "AND retire_le IS NULL", c=code)}
    assert {ligne["REF"] for ligne in lignes if ligne["À recenser"] == "Oui"} == a_recenser
    assert {ligne["À recenser"] for ligne in lignes} <= {"Oui", "Non"}
    hors = [ligne["Signalement"] for ligne in lignes if ligne["À recenser"] == "Non"]
    assert hors and not any("Non recensé" in s for s in hors) and any("Hors recensement" in s for s in hors)
