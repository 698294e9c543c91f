"""Crawl: every page of the app, as each demo role, on the small demo.

For each role: the home page, the inbox (/a-examiner), /urgences (and filters from its URL), /carte (France with each indicator, a région, its
communes, a département with each indicator, filters, a commune's panel), /couverture and
/restauration (the scope, a région, a département, a target date, bad values and an empty
territory), /qualite-donnees,
/communes-a-contacter (the scope, a région, a département, filters, weights, bad values, an
empty selection), /campagnes (campaigns of the scope, a few of each status; an unknown one), /a-rappeler,
/donnees, /accessibilite, the fiche of EVERY commune of the role's scope that holds objets
(or a dossier, or objets reported moved there), a stratified sample of the objets of its
scope (never recensé, each état, disparu, analysis override, notes or none, each dossier
status, each reason for being outside the recensement's perimeter…: a few of each, then an
even spread up to OBJETS_PAR_ROLE), a few communes and objets outside its scope (refused),
and the pages its role may not open (not routable: Streamlit's page-not-found falls back to
the home page). Strata the demo leaves empty are printed.

A page fails when it raises, when it shows a missing value as a word ("nan", "NaN",
"None", "NaT": see tests/pages/visible.py), or when an in-scope fiche is refused. Every
offending page is reported (role, URL, where, snippet) in one failure message.

One AppTest per role is re-run with new query parameters (about 0.1 s a page once the
caches are warm); the time per role is printed. All roles take about two minutes on the
project's 2-core machines (three when other jobs load them): OBJETS_PAR_ROLE sets the cost.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options
from streamlit.util import calc_hash

from dashboard.app.carte import vue as carte
from dashboard.app import navigation
from dashboard.domain import priorite
from dashboard.settings import PAGES_DIR
from tests.pages.apptest import APP, ROOT, q
from tests.pages.visible import suspects

ROLES = ("admin", "conservateur", "drac", "deploiement", "commune")
OBJETS_PAR_ROLE = 300  # sample size: keeps all roles together under 5 minutes
PAR_STRATE = 8  # objets taken from each stratum before the even spread
HORS_PERIMETRE = 2  # communes and objets outside the scope, to check the refusal

# Every page the crawl opens as it is, and those it opens only with codes or filters (each
# visited below). A page of the navigation missing here fails test_crawl.
SANS_PARAMETRES = ("", "a-examiner", "urgences", "qualite-donnees", "communes-sans-adresse", "donnees",
                   "accessibilite", "couverture", "restauration", "communes-a-contacter", "a-rappeler", "campagnes")
AVEC_PARAMETRES = ("objet", "commune", "carte", "recensement")

# Who may open a page (independently of dashboard/navigation.py, which the crawl checks).
RESERVEES = {"a-examiner": {"admin", "conservateur"}, "urgences": {"admin", "conservateur", "drac"},
             "qualite-donnees": {"admin", "conservateur", "drac"},
             "communes-sans-adresse": {"admin", "conservateur"},
             "couverture": {"admin", "conservateur", "drac"}, "restauration": {"admin", "conservateur", "drac"},
             **dict.fromkeys(("communes-a-contacter", "a-rappeler", "campagnes"),
                             {"admin", "conservateur", "deploiement"}),
             "recensement": {"admin", "conservateur", "commune"}}
TITRES = {"": "Collectif Objets — tableau de bord", "a-examiner": "Dossiers à examiner", "urgences": "Cas urgents",
          "qualite-donnees": "Qualité des données",
          "communes-sans-adresse": "Communes sans adresse", "couverture": "Couverture et objectif quinquennal",
          "restauration": "Restauration : état des objets et évolution", "communes-a-contacter": "Communes à contacter",
          "a-rappeler": "Communes à rappeler", "campagnes": "Campagnes"}

# The role's scope, read from user_scope (not through the app's own code).
_PERIMETRE = """
    EXISTS (SELECT 1 FROM user_scope s JOIN app_user u ON u.id = s.user_id
            WHERE u.demo AND u.role = CAST(:role AS role)
              AND (s.niveau = 'national'
                   OR (s.niveau = 'departement' AND s.code = {dep})
                   OR (s.niveau = 'region' AND s.code = (SELECT region_code FROM departement WHERE code = {dep}))
                   OR (s.niveau = 'commune' AND s.code = {commune})))"""
OBJET_DANS_PERIMETRE = _PERIMETRE.format(dep="o.departement_code", commune="o.commune_code")
COMMUNE_DANS_PERIMETRE = _PERIMETRE.format(dep="c.departement_code", commune="c.code_insee")


def _recensement(condition: str) -> str:
    return f"EXISTS (SELECT 1 FROM recensement r WHERE r.objet_ref = o.ref AND {condition})"


def _dossier(condition: str) -> str:
    return (f"EXISTS (SELECT 1 FROM recensement r JOIN dossier d ON d.id = r.dossier_id "
            f"WHERE r.objet_ref = o.ref AND {condition})")


# Strata of objets (o: objet, c: its recensement_courant, if any).
STRATES = {
    "jamais recensé": "c.id IS NULL",
    **{f"état {e}": f"c.etat_sanitaire = '{e}'" for e in ("bon", "moyen", "mauvais", "peril")},
    "non recensable": "c.recensable IS FALSE",
    "disparu": "c.disparu",
    **{f"localisation {loc}": f"c.localisation = '{loc}'"
       for loc in ("autre_edifice", "deplacement_autre_commune", "deplacement_temporaire")},
    "prioritaire": "c.urgence = 'prioritaire'",
    "préoccupant": "c.urgence = 'preoccupant'",
    "analyse qui corrige la commune": "c.corrige",
    "analysé sans correction": "c.analyse AND NOT c.corrige",
    "recensé, pas analysé": "c.id IS NOT NULL AND NOT c.analyse",
    "notes de la commune": _recensement("r.notes IS NOT NULL"),
    "recensé sans notes": f"c.id IS NOT NULL AND NOT {_recensement('r.notes IS NOT NULL')}",
    "notes d'analyse": _recensement("r.analyse_notes IS NOT NULL"),
    "fiches conseils": _recensement("r.analyse_fiches <> '{}'"),
    "plusieurs recensements": "(SELECT count(*) FROM recensement r WHERE r.objet_ref = o.ref) > 1",
    "recensement brouillon ou supprimé": _recensement("r.statut <> 'completed'"),
    **{f"dossier {s}": _dossier(f"d.statut = '{s}'") for s in ("construction", "submitted", "accepted", "archived")},
    "dossier avec notes du conservateur": _dossier("d.notes_conservateur IS NOT NULL"),
    "dossier sans notes du conservateur": _dossier("d.notes_conservateur IS NULL"),
    "dossier avec notes de la commune": _dossier("d.notes_commune IS NOT NULL"),
    "suivi de disparition": "EXISTS (SELECT 1 FROM suivi_disparition s WHERE s.objet_ref = o.ref)",
    "retiré de POP": "o.retire_le IS NOT NULL",
    **{f"hors périmètre : {r}": f"o.hors_perimetre_raison = '{r}'"
       for r in ("vole_ou_manquant", "traitement_en_cours", "sous_dossier", "declasse", "propriete_etat")},
    "protection inconnue": "o.protection IS NULL",
    "sans édifice": "o.edifice_id IS NULL",
    "signalé dans POP": "(o.manquant IS NOT NULL OR o.deplacement IS NOT NULL)",
    "anomalies d'import": "o.anomalies <> '{}'",
}


def _pages_by_url() -> dict[str, str]:
    """URL path -> script, as the app's navigation registers them."""
    return {e.url_path: str(PAGES_DIR / e.script) for entries in navigation.SECTIONS.values() for e in entries}


def communes(url: str, role: str) -> list[str]:
    """Every commune of the role's scope that holds objets, a dossier, or objets reported moved there."""
    return [r[0] for r in q(url, f"""
        SELECT c.code_insee FROM commune c
        WHERE (EXISTS (SELECT 1 FROM objet o WHERE o.commune_code = c.code_insee)
               OR EXISTS (SELECT 1 FROM dossier d WHERE d.commune_code = c.code_insee)
               OR EXISTS (SELECT 1 FROM pop_correction p WHERE p.commune_signalee = c.code_insee))
          AND {COMMUNE_DANS_PERIMETRE}
        ORDER BY c.code_insee""", role=role)]


def objets(url: str, role: str) -> tuple[list[str], dict[str, int]]:
    """A deterministic stratified sample of the role's objets, and how many each stratum holds."""
    names = list(STRATES)
    flags = ", ".join(f"coalesce({cond}, false)" for cond in STRATES.values())
    rows = q(url, f"""
        SELECT o.ref, {flags}
        FROM objet o LEFT JOIN recensement_courant c ON c.objet_ref = o.ref
        WHERE {OBJET_DANS_PERIMETRE}
        ORDER BY md5(o.ref)""", role=role)
    chosen: dict[str, None] = {}
    sizes = {name: 0 for name in names}
    for i, name in enumerate(names):
        members = [row[0] for row in rows if row[i + 1]]
        sizes[name] = len(members)
        chosen.update(dict.fromkeys(members[:PAR_STRATE]))
    rest = [row[0] for row in rows if row[0] not in chosen]
    room = max(0, OBJETS_PAR_ROLE - len(chosen))
    step = max(1, len(rest) // room) if room else 0
    chosen.update(dict.fromkeys(rest[::step][:room] if step else []))
    return list(chosen), sizes


def hors_perimetre(url: str, role: str) -> tuple[list[str], list[str]]:
    codes = [r[0] for r in q(url, f"""
        SELECT DISTINCT o.commune_code, md5(o.commune_code) FROM objet o JOIN commune c ON c.code_insee = o.commune_code
        WHERE NOT {COMMUNE_DANS_PERIMETRE} ORDER BY 2 LIMIT :n""", role=role, n=HORS_PERIMETRE)]
    refs = [r[0] for r in q(url, f"SELECT o.ref FROM objet o WHERE NOT {OBJET_DANS_PERIMETRE} ORDER BY md5(o.ref) "
                                 "LIMIT :n", role=role, n=HORS_PERIMETRE)]
    return codes, refs


def campagnes(url: str, role: str) -> list[int]:
    """Campaigns of the départements of the role's scope: up to four of each status."""
    return [r[0] for r in q(url, f"""
        SELECT id FROM (
            SELECT ca.id, row_number() OVER (PARTITION BY ca.statut ORDER BY md5(ca.id::text)) AS n
            FROM campagne ca
            WHERE EXISTS (SELECT 1 FROM commune c WHERE c.departement_code = ca.departement_code
                          AND {COMMUNE_DANS_PERIMETRE})) x
        WHERE n <= 4 ORDER BY id""", role=role)]


def region_et_departement(url: str, role: str) -> tuple[str, str]:
    """A région and a département of the role's scope that hold objets (the most objets)."""
    return q(url, f"""
        SELECT d.region_code, o.departement_code FROM objet o JOIN departement d ON d.code = o.departement_code
        WHERE {OBJET_DANS_PERIMETRE}
        GROUP BY 1, 2 ORDER BY count(*) DESC, 2 LIMIT 1""", role=role)[0]


@dataclass
class Visite:
    path: str  # URL path ("" for the home page)
    query: dict = field(default_factory=dict)
    # "ouvre": the page (or the fiche) is shown; "refuse": a fiche outside the scope, refused;
    # "introuvable": not routable for the role; "message": a bad or missing code, a message.
    attendu: str = "ouvre"

    @property
    def url(self) -> str:
        return "/" + self.path + ("?" + urlencode(self.query) if self.query else "")


def plan(url: str, role: str) -> tuple[list[Visite], dict[str, int]]:
    region, departement = region_et_departement(url, role)
    fiches_communes = communes(url, role)
    refs, strates = objets(url, role)
    codes_hors, refs_hors = hors_perimetre(url, role)
    visites = [Visite(p, attendu="ouvre" if role in RESERVEES.get(p, {role}) else "introuvable")
               for p in SANS_PARAMETRES]
    if role in RESERVEES["couverture"]:
        pilotage = ({"region": region}, {"departement": departement},
                    {"departement": departement, "echeance": "2031-06-30"}, {"echeance": "2001-01-01"},
                    {"region": "00"}, {"departement": "976"})
        visites += [Visite(p, q) for p in ("couverture", "restauration") for q in pilotage]
    if role in RESERVEES["urgences"]:
        # Filters from the URL, good and bad (a message, the good ones kept), as the home page links them.
        visites += [Visite("urgences", v) for v in (
            {"constat": "peril"}, {"constat": "disparu"}, {"departement": departement, "niveau": "prioritaire"},
            {"commune": fiches_communes[0], "examen": "non"}, {"departement": departement, "commune": "00000"},
            {"niveau": "x", "constat": "y", "categorie": "z", "nouveaux": "2"})]
    if role in RESERVEES["communes-a-contacter"]:
        zero = {f"poids_{c}": "0" for c in priorite.CODES}
        visites += [Visite("communes-a-contacter", v) for v in (
            {"region": region}, {"departement": departement}, {"departement": departement, "masquer_contactees": "1",
                                                               "masquer_en_campagne": "1", "objets_min": "3"},
            {**zero, "poids_urgences": "10"}, {"poids_classes": "99", "epci": "000"}, {"objets_min": "100000"},
            {"departement": "976"})]
        visites += [Visite("campagnes", {"campagne": str(c)}) for c in campagnes(url, role)]
        visites += [Visite("campagnes", {"campagne": "0"}), Visite("a-rappeler", {})]
    visites += [Visite("carte", {"indicateur": i}) for i in carte.INDICATEURS_DEPARTEMENTS]
    visites += [Visite("carte", v) for v in (
        {"region": region}, {"region": region, "maille": "communes"}, {"commune": fiches_communes[0]},
        {"departement": departement, "protection": "classe", "siecle": "17", "periode": "2020-2024"})]
    visites += [Visite("carte", {"departement": departement, "indicateur": i}) for i in carte.INDICATEURS_COMMUNES]
    # /recensement: a commune's own (whatever ?commune= says), a commune's read-only for the others.
    ouvre = "ouvre" if role in RESERVEES["recensement"] else "introuvable"
    visites += [Visite("recensement", q, ouvre) for q in (
        {}, {"commune": fiches_communes[0]}, {"commune": "00000"}, {"commune": "pas un code"},
        {"commune": fiches_communes[0], "objet": refs[0]}, {"objet": "PM00000000"})]
    visites += [Visite("commune", attendu="message"), Visite("objet", attendu="message"),
                Visite("commune", {"code": "00000"}, "message"), Visite("objet", {"ref": "PM00000000"}, "message")]
    visites += [Visite("commune", {"code": code}) for code in fiches_communes]
    visites += [Visite("objet", {"ref": ref}) for ref in refs]
    visites += [Visite("commune", {"code": c}, "refuse") for c in codes_hors]
    visites += [Visite("objet", {"ref": r}, "refuse") for r in refs_hors]
    return visites, strates


def _open(at: AppTest, scripts: dict[str, str], v: Visite) -> list[tuple[str, str]]:
    """Run the page the URL names; what went wrong in reaching it."""
    at.query_params.clear()
    at.query_params.update(v.query)
    try:
        at.switch_page(scripts[v.path])  # AppTest knows only the pages registered for the role
        routable = True
    except ValueError:
        routable = False
    if routable == (v.attendu == "introuvable"):
        return [("navigation", "page routable pour ce rôle" if routable else "page non routable pour ce rôle")]
    if not routable:
        # What a browser sends for /path: st.navigation looks a page up by the hash of its URL
        # path (st.Page._script_hash); an unknown one gets Streamlit's page-not-found fallback.
        at._page_hash = calc_hash(v.path)
    at.run()
    return []


def _exception(e) -> str:
    """Type, message and the line of the app that raised (the crawl shows error details)."""
    frames = [f.strip().splitlines() for f in e.stack_trace if f.strip().startswith("File ")]
    where = ""
    if frames:
        found = re.match(r'File "(.*)", line (\d+)', frames[-1][0])
        path = found[1].removeprefix(str(ROOT) + "/") if found else frames[-1][0]
        code = frames[-1][1].strip() if len(frames[-1]) > 1 else ""
        where = f" ({path}:{found[2] if found else '?'} : {code[:100]})"
    return f"{e.proto.type}: {(e.message or '').splitlines()[0][:120]}{where}"


def _problems(at: AppTest, v: Visite) -> list[tuple[str, str]]:
    found = [("exception", _exception(e)) for e in at.exception]
    found += suspects(at)
    titre = at.title[0].value if at.title else ""
    if v.attendu == "introuvable" and titre != TITRES[""]:
        found.append(("page non routable", f"affiche « {titre} » au lieu de la page d'accueil"))
    if v.attendu == "ouvre" and v.path in TITRES and titre != TITRES[v.path]:
        found.append(("page refusée", f"titre « {titre} »"))
    if v.attendu == "ouvre" and v.path in ("commune", "objet") and titre in ("Fiche commune", "Fiche objet"):
        found.append(("fiche refusée", " ; ".join(e.value for e in at.error)[:200]))
    if v.attendu == "refuse" and not any("pas dans votre périmètre" in e.value for e in at.error):
        found.append(("fiche hors périmètre", f"pas de refus (titre « {titre} »)"))
    if any("La base de données ne répond pas" in e.value for e in at.error):
        found.append(("base", next(e.value for e in at.error if "base de données" in e.value)[:200]))
    return found


@pytest.mark.parametrize("role", ROLES)
def test_crawl(role, demo_db_url, use_database, capsys):
    use_database(demo_db_url)
    scripts = _pages_by_url()
    assert set(scripts) == {*SANS_PARAMETRES, *AVEC_PARAMETRES}, "a new page: add it to the crawl"
    visites, strates = plan(demo_db_url, role)
    start = time.perf_counter()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user_id"] = q(demo_db_url, "SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role)",
                                    r=role)[0][0]
    at.run()
    report: list[str] = []
    # The app redacts error details (client.showErrorDetails = "none"); the crawl reports them.
    with patch_config_options({"client.showErrorDetails": "full"}):
        for v in visites:
            try:
                problems = _open(at, scripts, v) or _problems(at, v)
            except Exception as exc:  # AppTest itself failed (timeout, unknown page): report it, go on
                problems = [("AppTest", f"{type(exc).__name__}: {exc}"[:200])]
            report += [f"{role} {v.url} — {where} : {snippet}" for where, snippet in problems]
    elapsed = time.perf_counter() - start
    counts = {p or "/": sum(1 for v in visites if v.path == p) for p in scripts}
    vides = [name for name, n in strates.items() if not n]
    with capsys.disabled():
        print(f"\n[crawl] {role}: {len(visites)} pages en {elapsed:.1f} s ({counts}); "
              f"strates vides : {', '.join(vides) or 'aucune'}")
    assert not report, f"{len(report)} problème(s) vus par {role} :\n" + "\n".join(report)
