"""Scopes that no URL widens, and inputs that change nothing (issue 10, "Must hold"): for
every demo role (administrator national, conservateur of 59 and 62, DRAC of région 32,
déploiement of 62, one commune), every page is opened

- with URL parameters pointing outside the role's scope (an objet, a commune, a
  département, a région of elsewhere, alone and mixed with in-scope ones),
- with SQL-injection, script, Markdown, NUL and very long strings in every URL parameter
  the pages read (objet ref, commune code, every /carte parameter) and in every text input
  (the fiche pages' search fields, whose suggestions stay in the scope, the /urgences commune
  filter, the import form's URL),

and every export is built as the pages build it (the download buttons' data). Checked
against SQL written here from user_scope (not the app's scope code): no exception, no
objet of another scope in any table, figure or export, the home page's figures equal to
what the scope holds, refusals where a fiche is outside, and the database unchanged (row
counts and contents of the key tables; the record of visits of /urgences is the one
legitimate write).
"""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qs

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db
from dashboard.app import fiche_url
from dashboard.app.carte import vue as carte
from dashboard.reads import exports, qualite, urgences, users
from tests.pages.apptest import APP, ROOT, q
from tests.test_crawl import COMMUNE_DANS_PERIMETRE, OBJET_DANS_PERIMETRE

ROLES = ("admin", "conservateur", "drac", "deploiement", "commune")
INJECTIONS = ["' OR 1=1 --", '"; DROP TABLE objet; --', "<script>alert(1)</script>", "[x](javascript:alert(1))",
              "\x00", "%00", "62' UNION SELECT ref FROM objet --", "A" * 5000]
CARTE_PARAMS = ("region", "departement", "commune", "maille", "indicateur", "protection", "categorie", "siecle",
                "periode")
# Tables whose rows a visit must not change (the visits of /urgences are recorded: not here).
TABLES = ("objet", "commune", "departement", "region", "edifice", "recensement", "dossier", "suivi_disparition",
          "app_user", "user_scope", "chargement", "import_rejet", "import_tache", "audit")
DEPARTEMENT_DANS_PERIMETRE = OBJET_DANS_PERIMETRE.replace("o.departement_code", "d.code").replace(
    "o.commune_code", "NULL")


# --- what the scope holds, from user_scope ------------------------------------------------

class Perimetre:
    """The role's scope as sets, and targets outside it, read with SQL written here."""

    def __init__(self, url: str, role: str):
        self.role = role
        self.refs = {r[0] for r in q(url, f"SELECT o.ref FROM objet o WHERE {OBJET_DANS_PERIMETRE}", role=role)}
        self.communes = {r[0] for r in q(url, f"SELECT c.code_insee FROM commune c WHERE {COMMUNE_DANS_PERIMETRE}",
                                         role=role)}
        # Départements the role sees whole (a commune's user sees one commune of its département).
        national = bool(q(url, "SELECT 1 FROM user_scope s JOIN app_user u ON u.id = s.user_id WHERE u.demo "
                               "AND u.role = CAST(:role AS role) AND s.niveau = 'national'", role=role))
        self.national = national
        self.objets_comptes = q(url, f"""SELECT count(*) FROM objet_situation s JOIN objet o ON o.ref = s.ref
                                         WHERE s.compte AND {OBJET_DANS_PERIMETRE}""", role=role)[0][0]
        self.refs_dehors = [r[0] for r in q(url, f"""SELECT o.ref FROM objet o WHERE NOT {OBJET_DANS_PERIMETRE}
                                                    ORDER BY md5(o.ref) LIMIT 2""", role=role)]
        self.communes_dehors = [r[0] for r in q(url, f"""
            SELECT DISTINCT c.code_insee, md5(c.code_insee) FROM commune c JOIN objet o ON o.commune_code = c.code_insee
            WHERE NOT {COMMUNE_DANS_PERIMETRE} ORDER BY 2 LIMIT 2""", role=role)]
        self.deps_dedans = [r[0] for r in q(url, f"""SELECT DISTINCT o.departement_code FROM objet o
                                                    WHERE {OBJET_DANS_PERIMETRE} ORDER BY 1""", role=role)]
        self.deps_dehors = [r[0] for r in q(url, f"""
            SELECT DISTINCT o.departement_code FROM objet o
            WHERE o.departement_code IS NOT NULL AND o.departement_code NOT IN
                  (SELECT x.departement_code FROM objet x WHERE {OBJET_DANS_PERIMETRE.replace('o.', 'x.')}
                   AND x.departement_code IS NOT NULL)
            ORDER BY 1 LIMIT 2""", role=role)] if not national else []
        self.region_dedans = q(url, "SELECT region_code FROM departement WHERE code = :d",
                               d=self.deps_dedans[0])[0][0] if self.deps_dedans else None
        self.regions_dehors = [r[0] for r in q(url, """
            SELECT DISTINCT d.region_code FROM departement d JOIN objet o ON o.departement_code = d.code
            WHERE d.region_code <> ALL (CAST(:mine AS text[])) ORDER BY 1 LIMIT 1""",
            mine=[r[0] for r in q(url, "SELECT DISTINCT region_code FROM departement WHERE code = ANY(:d)",
                                  d=self.deps_dedans)])] if not national else []


def _etat_de_la_base(url: str) -> dict[str, tuple]:
    state = {}
    for table in TABLES:
        # Identifiers from the constant above; the contents summed up by one hash per table. The
        # audit trail of the visits of /urgences (derniere_visite) is the legitimate write.
        where = " WHERE t.table_name <> 'derniere_visite'" if table == "audit" else ""
        state[table] = tuple(q(url, f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                                    f"FROM {table} t{where}")[0])
    return state


# --- what a page shows ------------------------------------------------------------------------

def _tables(at) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def _refs(frame: pd.DataFrame) -> set[str]:
    found = set()
    for column in ("REF", "ref"):
        if column in frame.columns:
            found |= {str(v) for v in frame[column].dropna()}
    return found


def _hors_perimetre_affiche(at, p: Perimetre) -> list[str]:
    """What the page shows of another scope: objets in any table, territories with figures."""
    problems = []
    for frame in _tables(at):
        stray = _refs(frame) - p.refs
        if stray:
            problems.append(f"objets hors périmètre dans un tableau : {sorted(stray)[:5]}")
        first = frame.columns[0] if len(frame.columns) else None
        if first in ("Département", "Code INSEE") and "Objets" in frame.columns and not p.national:
            allowed = set(p.deps_dedans) if first == "Département" else p.communes
            shown = {str(c).split()[0] for c, n in zip(frame[first], frame["Objets"]) if _nombre(n) > 0}
            if shown - allowed:
                problems.append(f"chiffres d'un territoire hors périmètre : {sorted(shown - allowed)[:5]}")
    return problems


def _nombre(value) -> int:
    """A count in a table: a number, or as French writes it ("1 234"); "—" or none: 0."""
    if isinstance(value, str):
        digits = value.replace("\u202f", "").replace(" ", "")
        return int(digits) if digits.isdigit() else 0
    return 0 if pd.isna(value) else int(value)


def _suggestions_hors_perimetre(at, p: Perimetre) -> list[str]:
    """Links to fiches (the search's suggestions, the home page's lists) outside the scope."""
    problems = []
    for link in at.get("page_link"):
        query = {k: v[0] for k, v in parse_qs(link.proto.query_string).items()}
        if link.proto.page == "objet" and query.get("ref") and query["ref"] not in p.refs:
            problems.append(f"lien vers un objet hors périmètre : {query['ref']}")
        if link.proto.page == "commune" and query.get("code") and query["code"] not in p.communes:
            problems.append(f"lien vers une commune hors périmètre : {query['code']}")
    return problems


def _compte(metric_value: str) -> int:
    return int(metric_value.replace("\u202f", "").replace(" ", ""))


# --- a visit ------------------------------------------------------------------------------------

def _visite(at: AppTest, page: str, query: dict | None = None) -> AppTest | None:
    """Open `page` (a script of pages/) with these URL parameters; None when the role may
    not open it (not routable: AppTest knows only the pages of the role's navigation)."""
    at.query_params.clear()
    at.query_params.update(query or {})
    try:
        at.switch_page(str(ROOT / "pages" / page))
    except ValueError:
        return None
    at.run()
    return at


def _taper(at: AppTest, label: str, texte: str) -> bool:
    field = next((t for t in at.text_input if t.label == label), None)
    if field is None:
        return False
    field.input(texte).run()
    return True


@pytest.fixture(scope="module")
def base(fresh_database, demo_template) -> str:
    """A copy of the demo, so that a write the app should not make would be seen, not shared."""
    return fresh_database(demo_template)


@pytest.mark.parametrize("role", ROLES)
def test_no_page_gives_anything_of_another_scope(base, role, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", base)
    p = Perimetre(base, role)
    avant = _etat_de_la_base(base)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["user_id"] = q(base, "SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role)", r=role)[0][0]
    at.run()
    report: list[str] = []

    def check(where: str, at_: AppTest | None, refus: bool = False):
        if at_ is None:
            return
        report.extend(f"{where} — exception : {e.message[:150]}" for e in at_.exception)
        report.extend(f"{where} — {problem}" for problem in _hors_perimetre_affiche(at_, p))
        report.extend(f"{where} — {problem}" for problem in _suggestions_hors_perimetre(at_, p))
        if refus:
            errors = " ".join(e.value for e in at_.error)
            if "pas dans votre périmètre" not in errors and "Aucun" not in errors and "forme" not in errors:
                report.append(f"{where} — pas de refus : {errors[:150]}")
            if _tables(at_):
                report.append(f"{where} — une fiche refusée montre un tableau")

    # The home page: its figures are those of the scope.
    at_ = _visite(at, "accueil.py")
    check("/", at_)
    # Every home counts the objets of its scope within the recensement's perimeter (a
    # commune's: those its questionnaire lists).
    metrics = {m.label: m.value for m in at.metric}
    if "Objets protégés dans le périmètre de recensement" in metrics:
        shown, want = metrics["Objets protégés dans le périmètre de recensement"], p.objets_comptes
    else:
        shown, want = metrics["Objets à recenser"], p.objets_comptes
    if _compte(shown) != want:
        report.append(f"/ — {shown} objets affichés, {want} dans le périmètre")

    # Fiches outside the scope: refused, nothing of them shown.
    for ref in p.refs_dehors:
        check(f"/objet?ref={ref}", _visite(at, "objet.py", {"ref": ref}), refus=True)
    for code in p.communes_dehors:
        check(f"/commune?code={code}", _visite(at, "commune.py", {"code": code}), refus=True)

    # The map with territories outside the scope, alone and mixed with in-scope ones.
    carte_urls = [{"departement": d} for d in p.deps_dehors] + [{"region": r} for r in p.regions_dehors]
    carte_urls += [{"commune": c} for c in p.communes_dehors]
    if p.deps_dedans and p.communes_dehors:
        carte_urls += [{"departement": p.deps_dedans[0], "commune": p.communes_dehors[0]},
                       {"region": p.region_dedans, "departement": (p.deps_dehors or p.deps_dedans)[0],
                        "maille": "communes"}]
    for query in carte_urls:
        at_ = _visite(at, "carte.py", query)
        check(f"/carte?{query}", at_)
        if not p.national and at_ is not None and not at_.error:
            report.append(f"/carte?{query} — territoire hors périmètre accepté sans message")

    # Injection strings in every URL parameter and every text input.
    for s in INJECTIONS:
        short = repr(s[:20])
        check(f"/objet?ref={short}", _visite(at, "objet.py", {"ref": s}), refus=True)
        check(f"/commune?code={short}", _visite(at, "commune.py", {"code": s}), refus=True)
        check(f"/carte (tous les paramètres = {short})", _visite(at, "carte.py", dict.fromkeys(CARTE_PARAMS, s)))
        for page in ("accueil.py", "urgences.py", "qualite_donnees.py"):
            check(f"/{page} ?ref=&code= {short}", _visite(at, page, {"ref": s, "code": s, "commune": s}))
        # Typed, it is a search (issue 11): no exception, no suggestion outside the scope.
        if _visite(at, "objet.py") and _taper(at, fiche_url.OBJET.libelle, s):
            check(f"/objet, recherche tapée {short}", at)
        if _visite(at, "commune.py") and _taper(at, fiche_url.COMMUNE.libelle, s):
            check(f"/commune, recherche tapée {short}", at)
        if _visite(at, "urgences.py") and _taper(at, "Commune", s):
            check(f"/urgences, filtre commune {short}", at)
        if _visite(at, "qualite_donnees.py") and _taper(at, "ou URL de l'export (http ou https)", s):
            button = next((b for b in at.button if b.label == "Lancer l'import"), None)
            if button is not None:
                button.click().run()
                check(f"/qualite-donnees, URL d'import {short}", at)
                if "import_tache" in at.session_state:
                    report.append(f"/qualite-donnees — un import a été lancé pour {short}")
    # Words that match objets and communes everywhere: suggested only within the scope.
    for mot in ("saint", "calice", "eglise"):
        if _visite(at, "objet.py") and _taper(at, fiche_url.OBJET.libelle, mot):
            check(f"/objet, recherche « {mot} »", at)
        if _visite(at, "commune.py") and _taper(at, fiche_url.COMMUNE.libelle, mot):
            check(f"/commune, recherche « {mot} »", at)
    for param in CARTE_PARAMS:
        for s in (INJECTIONS[0], INJECTIONS[-1], "\x00"):
            check(f"/carte?{param}={s[:20]!r}", _visite(at, "carte.py", {param: s}))

    apres = _etat_de_la_base(base)
    report += [f"table {t} modifiée : {avant[t]} → {apres[t]}" for t in TABLES if avant[t] != apres[t]]
    assert not report, f"{len(report)} problème(s) pour {role} :\n" + "\n".join(report[:60])


# --- exports, built as the pages build them -------------------------------------------------------

def _csv_refs(data: bytes, column: str) -> list[str]:
    return [r[column] for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")]


@pytest.mark.parametrize("role", ROLES)
def test_exports_hold_only_the_scope(demo_db_url, role):
    p = Perimetre(demo_db_url, role)
    with db.engine_for(demo_db_url).connect() as conn:
        user = users.load_user(conn, q(demo_db_url, "SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role)",
                                       r=role)[0][0])
        # /qualite-donnees: the POP exports (download buttons), flagged objets and moves.
        for fmt in ("csv", "geojson", "gpkg"):
            data = exports.download(demo_db_url, user.scope, False, fmt)
            if fmt == "csv":
                refs = _csv_refs(data, "REF")
                assert set(refs) == p.refs and len(refs) == len(p.refs)    # all of the scope, nothing else
            elif fmt == "geojson":
                features = json.loads(data)["features"]
                assert {f["properties"]["REF"] for f in features} <= p.refs
        flagged = qualite.objets_signales(conn, user.scope)
        assert set(_csv_refs(qualite.csv_bytes(flagged), "ref")) <= p.refs
        moves = qualite.deplacements_signales(conn, user.scope)
        assert set(_csv_refs(qualite.csv_bytes(moves), "ref")) <= p.refs
        # /urgences: CSV and XLSX of the table, also with injection strings in the commune filter.
        if role in ("admin", "conservateur", "drac"):
            tout = urgences.table(conn, user.scope, user.role, urgences.Filtres(), None)
            assert len(tout) > 0 and set(tout["REF"]) <= p.refs
            sheet = openpyxl.load_workbook(io.BytesIO(urgences.export_xlsx(tout))).active
            header = [c.value for c in sheet[1]]
            assert {r[header.index("REF")] for r in sheet.iter_rows(min_row=2, values_only=True)} <= p.refs
            for commune in INJECTIONS:
                table = urgences.table(conn, user.scope, user.role, urgences.Filtres(commune=commune), None)
                assert set(_csv_refs(urgences.export_csv(table), "REF")) <= p.refs
                # A string is a value to look for, never SQL: no commune is named like these (a
                # NUL alone is dropped: no filter).
                assert len(table) == (len(tout) if commune == "\x00" else 0), repr(commune[:20])
        else:
            with pytest.raises(urgences.AccesRefuse):
                urgences.table(conn, user.scope, user.role, urgences.Filtres(), None)
        # The imports' rows not stored: only for those who may import.
        if role != "admin":
            with pytest.raises(qualite.AccesRefuse):
                qualite.rejets(conn, user.role, 1)


def test_the_scope_sets_are_not_empty(demo_db_url):
    """The checks above mean something: every role holds objets, and there are objets outside."""
    for role in ROLES:
        p = Perimetre(demo_db_url, role)
        assert p.refs, role
        if role != "admin":
            assert p.refs_dehors and p.communes_dehors and p.deps_dehors, role
    assert set(carte.INDICATEURS_DEPARTEMENTS)  # the map's parameters exist (CARTE_PARAMS covers them)
