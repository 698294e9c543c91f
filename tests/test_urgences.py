"""Urgent cases: the rule on every combination (real views), scope and role in the data
layer, filters applied by SQL equal to the pandas filtering they replaced, what the filters
offer, "nouveau" since a date, the previous visit, and the export equal to the table."""
import csv
import io
import itertools
from datetime import date, datetime, timezone

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.domain import etat, identity
from dashboard.domain.vocabulary import PROTECTION
from dashboard.reads import urgences
from dashboard.writes import visites
from tests.expected import EFFECTIFS

LOCALISATIONS = ["edifice_initial", "autre_edifice", "deplacement_autre_commune", "deplacement_temporaire", "absent"]
ETATS = [None, "bon", "moyen", "mauvais", "peril"]
SECUS = [None, "en_securite", "en_danger"]

# Independent statement of the expected results (domain.md), not the app's SQL.
URGENT_SQL = EFFECTIFS + """
, cur AS (SELECT DISTINCT ON (objet_ref) * FROM eff ORDER BY objet_ref, recense_le DESC, id DESC)
SELECT o.ref, o.departement_code, o.commune_code,
       CASE WHEN cur.localisation = 'absent' OR cur.etat = 'peril' THEN 'prioritaire'
            WHEN cur.etat = 'mauvais' OR (:secu AND cur.secu = 'en_danger') THEN 'preoccupant' END AS niveau,
       cur.recense_le
FROM objet o JOIN cur ON cur.objet_ref = o.ref
WHERE (CAST(:deps AS text[]) IS NULL OR o.departement_code = ANY(CAST(:deps AS text[])))
  AND (CAST(:commune AS text) IS NULL OR o.commune_code = CAST(:commune AS text))
"""


def expected_urgent(url, deps=None, commune=None, secu=True) -> pd.DataFrame:
    with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as conn:
        df = pd.DataFrame(conn.execute(sa.text(URGENT_SQL), {"deps": deps, "commune": commune, "secu": secu})
                          .mappings().all())
    return df[df["niveau"].notna()]


def expected_rule(loc, etat, secu, a_etat, a_secu, recensable) -> str | None:
    if not recensable or loc == "absent":
        eff_etat = eff_secu = None
    else:
        eff_etat, eff_secu = a_etat or etat, a_secu or secu
    if loc == "absent" or eff_etat == "peril":
        return "prioritaire"
    if eff_etat == "mauvais" or eff_secu == "en_danger":
        return "preoccupant"
    return None


def combinations():
    """Every answer a commune can give and every override the constraints allow."""
    for loc, etat, secu in itertools.product(LOCALISATIONS, ETATS, SECUS):
        recensable = loc != "absent" and not (etat is None and secu is None)
        if not recensable and (etat or secu):
            continue
        for a_etat, a_secu in itertools.product(ETATS, SECUS):
            if (a_etat is not None and a_etat == etat) or (a_secu is not None and a_secu == secu):
                continue  # an override equal to the answer is never stored
            yield loc, etat, secu, a_etat, a_secu, recensable


@pytest.fixture(scope="module")
def combos_db(fresh_database, demo_template):
    """A demo copy holding one test objet per combination, each with one current recensement
    in a submitted dossier of a Pas-de-Calais commune, older recensements saying the opposite."""
    url = fresh_database(demo_template)
    cases = list(combinations())
    with db.engine_for(url).begin() as conn:
        dossier_id, commune = conn.execute(sa.text(
            "SELECT d.id, d.commune_code FROM dossier d JOIN commune c ON c.code_insee = d.commune_code "
            "WHERE d.statut = 'submitted' AND c.departement_code = '62' ORDER BY d.id LIMIT 1")).one()
        template = conn.execute(sa.text("SELECT ref FROM objet WHERE commune_code = :c ORDER BY ref LIMIT 1"),
                                {"c": commune}).scalar_one()
        # The older recensements in an older dossier of the commune (a dossier holds one live
        # recensement per objet, migration 0011).
        ancien = conn.execute(sa.text(
            "INSERT INTO dossier (commune_code, statut, created_at, submitted_at, accepted_at, provenance) "
            "VALUES (:c, 'accepted', now() - interval '3 years', now() - interval '3 years', "
            "now() - interval '3 years', 'demo') RETURNING id"), {"c": commune}).scalar_one()
        for i, (loc, etat, secu, a_etat, a_secu, recensable) in enumerate(cases):
            ref = f"PMT{i:07d}"
            conn.execute(sa.text(
                "INSERT INTO objet (ref, titre, commune_code, departement_code, protection, dans_perimetre, "
                "provenance) SELECT :ref, 'objet de test', commune_code, departement_code, protection, true, 'demo' "
                "FROM objet WHERE ref = :t"), {"ref": ref, "t": template})
            # An older urgent recensement that the current one must supersede.
            conn.execute(sa.text(
                "INSERT INTO recensement (objet_ref, dossier_id, statut, localisation, recensable, recense_le) "
                "VALUES (:ref, :d, 'completed', 'absent', false, now() - interval '3 years')"),
                {"ref": ref, "d": ancien})
            conn.execute(sa.text(
                "INSERT INTO recensement (objet_ref, dossier_id, statut, localisation, recensable, etat_sanitaire, "
                "securisation, analyse_etat_sanitaire, analyse_securisation, recense_le) VALUES (:ref, :d, "
                "'completed', CAST(:loc AS localisation), :rec, CAST(:etat AS etat_sanitaire), "
                "CAST(:secu AS securisation), CAST(:a_etat AS etat_sanitaire), CAST(:a_secu AS securisation), "
                "now() - interval '1 day')"),
                {"ref": ref, "d": dossier_id, "loc": loc, "rec": recensable, "etat": etat, "secu": secu,
                 "a_etat": a_etat, "a_secu": a_secu})
    return url, cases


def test_urgency_rule_on_every_combination_of_answer_and_override(combos_db):
    url, cases = combos_db
    assert len(cases) > 300
    with db.engine_for(url).connect() as conn:
        got = dict(conn.execute(sa.text("SELECT ref, urgence FROM objet_situation WHERE ref LIKE 'PMT%'")).all())
        listed = urgences.cas_urgents(conn, identity.Scope(departements=("62",)), "conservateur")
        masked = urgences.cas_urgents(conn, identity.Scope(departements=("62",)), "drac")
    listed = dict(zip(listed["ref"], listed["niveau"]))
    masked = dict(zip(masked["ref"], masked["niveau"]))
    for i, case in enumerate(cases):
        ref = f"PMT{i:07d}"
        want = expected_rule(*case)
        assert got[ref] == want, (case, got[ref])
        assert listed.get(ref) == want, case
        # Without sécurisation, a case urgent only because it is easy to steal disappears.
        loc, etat, secu, a_etat, a_secu, recensable = case
        assert masked.get(ref) == expected_rule(loc, etat, None, a_etat, None, recensable), case


def test_cases_are_sorted_prioritaires_first_then_newest(demo_db_url):
    with db.engine_for(demo_db_url).connect() as conn:
        cas = urgences.cas_urgents(conn, identity.NATIONAL, "admin")
    assert set(cas["niveau"]) == {"prioritaire", "preoccupant"}
    levels = list(cas["niveau"])
    first_preoccupant = levels.index("preoccupant")
    assert set(levels[first_preoccupant:]) == {"preoccupant"}
    for level in urgences.NIVEAUX:
        dates = list(cas.loc[cas["niveau"] == level, "recense_le"])
        assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("deps", [None, ["62"], ["59", "62"], ["2A"]])
def test_scope_filters_in_the_data_layer(demo_db_url, deps):
    scope = identity.NATIONAL if deps is None else identity.Scope(departements=tuple(deps))
    with db.engine_for(demo_db_url).connect() as conn:
        cas = urgences.cas_urgents(conn, scope, "conservateur")
    want = expected_urgent(demo_db_url, deps)
    assert sorted(cas["ref"]) == sorted(want["ref"])
    assert dict(zip(cas["ref"], cas["niveau"])) == dict(zip(want["ref"], want["niveau"]))
    if deps:
        assert set(cas["departement_code"]) <= set(deps)


def test_commune_scope_and_empty_scope(demo_db_url):
    with db.engine_for(demo_db_url).connect() as conn:
        commune = conn.execute(sa.text(
            "SELECT commune_code FROM objet_situation WHERE urgence IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 "
            "LIMIT 1")).scalar_one()
        dep = conn.execute(sa.text("SELECT departement_code FROM commune WHERE code_insee = :c"), {"c": commune}).scalar()
        cas = urgences.cas_urgents(conn, identity.Scope(departements=(dep,), commune=commune), "admin")
        nowhere = urgences.cas_urgents(conn, identity.NOWHERE, "admin")
    assert len(cas) > 0 and set(cas["commune_code"]) == {commune}
    assert sorted(cas["ref"]) == sorted(expected_urgent(demo_db_url, commune=commune)["ref"])
    assert nowhere.empty


def test_roles_without_need_get_nothing_and_drac_gets_no_securisation(demo_db_url):
    with db.engine_for(demo_db_url).connect() as conn:
        for role in ("deploiement", "commune"):
            with pytest.raises(urgences.AccesRefuse):
                urgences.cas_urgents(conn, identity.NATIONAL, role)
        drac = urgences.cas_urgents(conn, identity.NATIONAL, "drac")
        full = urgences.cas_urgents(conn, identity.NATIONAL, "conservateur")
    assert drac["securisation"].isna().all()
    assert (full["securisation"] == "en_danger").any()
    assert sorted(drac["ref"]) == sorted(expected_urgent(demo_db_url, secu=False)["ref"])
    assert len(drac) < len(full)


@pytest.fixture(scope="module")
def national(demo_db_url):
    with db.engine_for(demo_db_url).connect() as conn:
        return urgences.cas_urgents(conn, identity.NATIONAL, "admin")


def filtered_in_pandas(url, cas: pd.DataFrame, f: urgences.Filtres, depuis=None) -> pd.DataFrame:
    """The filtering the page did in pandas before it moved into SQL (restated here), on every
    case of the scope; adds the column `nouveau` (transmitted after the previous visit)."""
    nouveau = (pd.to_datetime(cas["transmis_le"], utc=True) > pd.Timestamp(depuis)) if depuis is not None else \
        pd.Series(False, index=cas.index)
    keep = pd.Series(True, index=cas.index)
    if f.departements:
        keep &= cas["departement_code"].isin(f.departements)
    if f.commune:
        keep &= cas["commune_code"] == f.commune
    if f.niveaux:
        keep &= cas["niveau"].isin(f.niveaux)
    if f.constats:
        keep &= (((cas["localisation"] == "absent") & ("disparu" in f.constats))
                 | cas["etat_sanitaire"].isin(f.constats)
                 | ((cas["securisation"] == "en_danger") & ("en_danger" in f.constats)))
    if f.protections:
        keep &= cas["protection"].isin(f.protections)
    if f.categorie:
        keep &= cas["categorie"].map(lambda cats: f.categorie in (cats or ()))
    if f.examine is not None:
        keep &= cas["analyse"] == f.examine
    if f.nouveaux:
        keep &= nouveau
    return cas.assign(nouveau=nouveau)[keep].reset_index(drop=True)


# --- pure parts ---------------------------------------------------------------------------

def test_filters_become_bound_parameters_and_an_empty_choice_is_no_filter():
    assert urgences.Filtres().params() == {
        "filtre_departements": None, "filtre_commune": None, "niveaux": None, "constats": None, "protections": None,
        "categorie": None, "examine": None}
    f = urgences.Filtres(departements=("62", "2A"), commune="62249", niveaux=("prioritaire",), constats=("peril",),
                         protections=("classe", "inscrit"), categorie="orfèvrerie", examine=False, nouveaux=True)
    assert f.params() == {
        "filtre_departements": ["62", "2A"], "filtre_commune": "62249", "niveaux": ["prioritaire"],
        "constats": ["peril"], "protections": ["classe", "inscrit"], "categorie": "orfèvrerie", "examine": False}
    assert urgences.Filtres(commune="", categorie="", examine=True).params()["filtre_commune"] is None
    assert urgences.Filtres(categorie="").params()["categorie"] is None
    assert urgences.Filtres(examine=True).params()["examine"] is True
    hash(f)  # a cache key


def _row(**values):
    base = {"niveau": "preoccupant", "ref": "PM62000001", "titre": None, "categorie": None, "protection": None,
            "commune_code": None, "commune_nom": None, "departement_code": "62",
            "departement_nom": "Pas-de-Calais", "recensement_id": 1,
            "recense_le": datetime(2024, 3, 31, 23, 30, tzinfo=timezone.utc),
            "transmis_le": datetime(2024, 4, 2, 8, 0, tzinfo=timezone.utc), "localisation": "edifice_initial",
            "etat_sanitaire": None, "securisation": None, "corrige": False, "analyse": False, "nouveau": False}
    return {**base, **values}


def test_table_is_built_from_the_rows_in_their_order():
    cas = pd.DataFrame([
        _row(niveau="prioritaire", ref="PM62000002", titre="Calice", categorie=["orfèvrerie", "liturgie"],
             protection="classe", commune_code="62041", commune_nom="Arras", localisation="absent",
             corrige=True, analyse=True, nouveau=True),
        _row(etat_sanitaire="mauvais", securisation="en_danger"),
    ])
    table = urgences.tableau(cas)
    assert list(table.columns) == urgences.COLONNES + [urgences.LIEN]
    first, second = table.to_dict("records")
    assert first["Niveau"] == "Prioritaire" and first["REF"] == "PM62000002" and first["Objet"] == "Calice"
    assert first["Catégorie"] == "orfèvrerie, liturgie" and first["Protection"] == "Classé"
    assert first["Commune"] == "Arras (62041)" and first["Département"] == "62 Pas-de-Calais"
    assert first["Constat"] == "Introuvable (disparu)" and first["Nouveau"] == "Nouveau"
    assert first["Examiné"] == "Oui" and first[urgences.LIEN] == "objet?ref=PM62000002"
    # Dates are shown in French time: 23:30 UTC on 31 March is 1 April in Paris.
    assert str(first["Recensé le"]) == "2024-04-01" and str(first["Transmis le"]) == "2024-04-02"
    assert second["Protection"] == "Inconnue" and second["Commune"] == " (?)" and second["Nouveau"] == ""
    assert second["Constat"] == "État : mauvais · En danger (facile à voler)"
    assert urgences.comptes(table) == {"prioritaire": 1, "preoccupant": 1, "nouveaux": 1}
    empty = urgences.tableau(cas.iloc[0:0])
    assert list(empty.columns) == urgences.COLONNES + [urgences.LIEN] and empty.empty
    assert urgences.comptes(empty) == {"prioritaire": 0, "preoccupant": 0, "nouveaux": 0}


def test_constat_names_mauvais_and_peril_from_the_one_rule():
    assert etat.MAUVAIS_OU_PERIL == ("mauvais", "peril")
    table = urgences.tableau(pd.DataFrame([_row(etat_sanitaire=e) for e in ("bon", "moyen", "mauvais", "peril", None)]))
    assert list(table["Constat"]) == ["", "", "État : mauvais", "État : péril", ""]
    both = urgences.tableau(pd.DataFrame([_row(localisation="absent", etat_sanitaire="peril", securisation="en_danger")]))
    assert list(both["Constat"]) == ["Introuvable (disparu) · État : péril · En danger (facile à voler)"]


def test_filter_options_from_the_aggregate_rows():
    rows = pd.DataFrame([("departement", "62", "Pas-de-Calais"), ("categorie", "sculpture", None),
                         ("departement", "2A", "Corse-du-Sud"), ("protection", "inscrit", None),
                         ("departement", "59", None), ("categorie", "orfèvrerie", None),
                         ("protection", "classe", None)], columns=["quoi", "code", "nom"])
    assert urgences.options(rows) == {
        "departements": [("2A", "2A Corse-du-Sud"), ("59", "59"), ("62", "62 Pas-de-Calais")],
        "categories": ["orfèvrerie", "sculpture"],
        "protections": [p for p in PROTECTION if p in ("classe", "inscrit")],
    }
    assert urgences.options(rows.iloc[0:0]) == {"departements": [], "categories": [], "protections": []}


# --- against the small demo -----------------------------------------------------------------

def test_commune_filter_is_a_code_and_constats_name_what_makes_the_case_urgent(demo_db_url, national):
    commune = national["commune_code"].value_counts().index[0]
    peril = national[national["etat_sanitaire"] == "peril"]
    with db.engine_for(demo_db_url).connect() as conn:
        rows = urgences.cas_urgents(conn, identity.NATIONAL, "admin", urgences.Filtres(commune=commune))
        perils = urgences.cas_urgents(conn, identity.NATIONAL, "admin", urgences.Filtres(constats=("peril",)))
        disparus = urgences.cas_urgents(conn, identity.NATIONAL, "admin", urgences.Filtres(constats=("disparu",)))
        danger_drac = urgences.cas_urgents(conn, identity.NATIONAL, "drac", urgences.Filtres(constats=("en_danger",)))
    assert set(rows["commune_code"]) == {commune}
    assert sorted(rows["ref"]) == sorted(national.loc[national["commune_code"] == commune, "ref"])
    assert sorted(perils["ref"]) == sorted(peril["ref"]) and len(perils)
    assert sorted(disparus["ref"]) == sorted(national.loc[national["localisation"] == "absent", "ref"]) and len(disparus)
    # Whoever may not see sécurisation gets nothing for "easy to steal".
    assert danger_drac.empty


def test_filters_combine(demo_db_url, national):
    pick = national[(national["niveau"] == "prioritaire") & ~national["analyse"]].iloc[0]
    dep, protection = pick["departement_code"], pick["protection"]
    f = urgences.Filtres(departements=(dep,), niveaux=("prioritaire",), protections=(protection,), examine=False)
    with db.engine_for(demo_db_url).connect() as conn:
        rows = urgences.cas_urgents(conn, identity.NATIONAL, "admin", f)
        categorie = national["categorie"].explode().mode()[0]
        by_categorie = urgences.cas_urgents(conn, identity.NATIONAL, "admin", urgences.Filtres(categorie=categorie))
    assert pick["ref"] in set(rows["ref"])
    assert set(rows["departement_code"]) == {dep} and set(rows["niveau"]) == {"prioritaire"}
    assert set(rows["protection"]) == {protection} and not rows["analyse"].any()
    assert len(rows) == len(national[(national["departement_code"] == dep) & (national["niveau"] == "prioritaire")
                                     & (national["protection"] == protection) & ~national["analyse"]])
    assert len(by_categorie) and all(categorie in cats for cats in by_categorie["categorie"])
    assert len(by_categorie) < len(national)


def _combinations(cas: pd.DataFrame, cut) -> list[tuple[urgences.Filtres, object]]:
    deps = tuple(cas["departement_code"].value_counts().index[:2])
    communes = cas["commune_code"].value_counts().index
    categorie = cas["categorie"].explode().mode()[0]
    F = urgences.Filtres
    return [
        (F(), None), (F(), cut),
        (F(departements=deps), None), (F(departements=(deps[0],), niveaux=("preoccupant",)), cut),
        (F(commune=communes[0]), None), (F(commune=communes[1]), cut), (F(commune="00000"), None),
        (F(constats=("peril",)), None), (F(constats=("disparu", "mauvais")), cut), (F(constats=("en_danger",)), None),
        (F(niveaux=("prioritaire",)), None), (F(niveaux=("prioritaire", "preoccupant")), None),
        (F(protections=("classe",)), None), (F(protections=("inscrit", "non_protege")), cut),
        (F(categorie=categorie), None), (F(examine=False), None), (F(examine=True), cut),
        (F(nouveaux=True), cut), (F(nouveaux=True), None),
        (F(departements=deps, niveaux=("prioritaire",), protections=("classe",), examine=False, nouveaux=True), cut),
        (F(departements=deps, commune=communes[0], categorie=categorie, examine=True), cut),
        (F(departements=deps, niveaux=("prioritaire",), constats=("disparu",), protections=("classe",)), None),
    ]


@pytest.mark.parametrize("role", ["admin", "drac"])
def test_sql_filters_give_what_the_pandas_filtering_gave(demo_db_url, role):
    """For several filter combinations, the rows SQL returns (and their order, and which are
    new) equal the old pandas filtering of every case of the scope."""
    with db.engine_for(demo_db_url).connect() as conn:
        every = urgences.cas_urgents(conn, identity.NATIONAL, role)
        cut = sorted(every["transmis_le"])[len(every) // 2]
        checked = 0
        for f, depuis in _combinations(every, cut):
            got = urgences.cas_urgents(conn, identity.NATIONAL, role, f, depuis)
            want = filtered_in_pandas(demo_db_url, every.drop(columns="nouveau"), f, depuis)
            assert list(got["ref"]) == list(want["ref"]), (f, depuis)
            assert list(got["nouveau"]) == list(want["nouveau"]), (f, depuis)
            # (An empty result has object columns where pandas infers strings for a full one.)
            pd.testing.assert_frame_equal(urgences.table(conn, identity.NATIONAL, role, f, depuis),
                                          urgences.tableau(want), check_dtype=len(got) > 0)
            checked += len(got) > 0
    assert checked >= 12  # most combinations select something on the demo


def test_new_means_transmitted_after_the_date_and_not_after_the_end(demo_db_url, national):
    """One definition of "nouveau" (queries/urgences.sql), for the page and the digest."""
    ref, transmis = national.iloc[0][["ref", "transmis_le"]]
    tick = pd.Timedelta(microseconds=1)

    def nouveau(depuis, jusqu_a=None, seulement=False):
        with db.engine_for(demo_db_url).connect() as conn:
            rows = urgences.cas_urgents(conn, identity.NATIONAL, "admin", urgences.Filtres(nouveaux=seulement),
                                        depuis, jusqu_a)
        return dict(zip(rows["ref"], rows["nouveau"]))

    assert ref in nouveau(None) and not any(nouveau(None).values())  # a first visit: nothing is new
    assert nouveau(None, seulement=True) == {}
    assert not nouveau(transmis)[ref]                              # transmitted at the visit: not after it
    assert nouveau(transmis - tick)[ref]
    assert nouveau(transmis - tick, transmis)[ref]                  # up to the end, included
    assert not nouveau(transmis - tick, transmis - tick)[ref]
    assert ref in nouveau(transmis - tick, seulement=True) and ref not in nouveau(transmis, seulement=True)


@pytest.mark.parametrize("role,scope", [("admin", identity.NATIONAL), ("drac", identity.NATIONAL),
                                        ("conservateur", identity.Scope(departements=("59", "62"))),
                                        ("admin", identity.NOWHERE)])
def test_filter_options_are_what_the_scope_holds(demo_db_url, role, scope):
    """The small aggregate query offers what every case of the scope (as the role sees them) holds."""
    with db.engine_for(demo_db_url).connect() as conn:
        cas = urgences.cas_urgents(conn, scope, role)
        got = urgences.choix_filtres(conn, scope, role)
    deps = cas[["departement_code", "departement_nom"]].drop_duplicates().dropna(subset=["departement_code"])
    assert got["departements"] == [(c, f"{c} {n or ''}".strip()) for c, n in
                                   sorted(zip(deps["departement_code"], deps["departement_nom"]))]
    assert got["categories"] == sorted({c for cats in cas["categorie"] for c in (cats or ())})
    assert got["protections"] == [p for p in PROTECTION if p in set(cas["protection"])]
    if scope is not identity.NOWHERE:
        assert got["departements"] and got["categories"] and got["protections"]


def test_new_since_previous_visit(writable_demo_db_url):
    with db.engine_for(writable_demo_db_url).begin() as conn:
        user_id = conn.execute(sa.text("SELECT id FROM app_user WHERE role = 'conservateur'")).scalar()
        assert visites.enregistrer_visite(conn, user_id, "urgences") is None
    with db.engine_for(writable_demo_db_url).begin() as conn:
        previous = visites.enregistrer_visite(conn, user_id, "urgences")
        audited = conn.execute(sa.text("SELECT count(*) FROM audit WHERE table_name = 'derniere_visite' "
                                       "AND user_id = :u"), {"u": user_id}).scalar()
        cas = urgences.cas_urgents(conn, identity.NATIONAL, "admin")
        cut = sorted(cas["transmis_le"])[len(cas) // 2]
        table = urgences.table(conn, identity.NATIONAL, "admin", urgences.Filtres(), cut)
        first_visit = urgences.table(conn, identity.NATIONAL, "admin", urgences.Filtres(), None)
        only_new = urgences.table(conn, identity.NATIONAL, "admin", urgences.Filtres(nouveaux=True), cut)
    assert previous is not None and audited == 2
    assert urgences.comptes(table)["nouveaux"] == int((cas["transmis_le"] > cut).sum()) > 0
    assert urgences.comptes(first_visit)["nouveaux"] == 0
    assert set(only_new["Nouveau"]) == {"Nouveau"} and len(only_new) == urgences.comptes(table)["nouveaux"]


def _rows(table: pd.DataFrame, jour=date.isoformat) -> list[list[str]]:
    return [["" if pd.isna(v) else (jour(v) if isinstance(v, date) else str(v)) for v in row]
            for row in table.itertuples(index=False)]


def test_export_csv_and_xlsx_equal_the_table(demo_db_url):
    with db.engine_for(demo_db_url).connect() as conn:
        table = urgences.table(conn, identity.NATIONAL, "admin", urgences.Filtres(niveaux=("prioritaire",)),
                               datetime(2000, 1, 1, tzinfo=timezone.utc))
    shown = urgences.export_table(table)
    assert list(shown.columns) == urgences.COLONNES and len(shown) > 0
    assert set(shown["Nouveau"]) == {"Nouveau"}

    text = urgences.export_csv(table).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == urgences.COLONNES
    assert rows[1:] == _rows(shown, lambda d: d.strftime("%d/%m/%Y"))  # dates as a French spreadsheet reads them

    book = openpyxl.load_workbook(io.BytesIO(urgences.export_xlsx(table)))
    sheet = book["Cas urgents"]
    values = [[("" if v is None else (v.date().isoformat() if isinstance(v, datetime) else str(v))) for v in r]
              for r in sheet.iter_rows(values_only=True)]
    assert values[0] == urgences.COLONNES
    assert values[1:] == _rows(shown)
    # Dates stay dates, shown dd/mm/yyyy.
    assert {c.number_format for c in next(sheet.iter_cols(min_col=9, max_col=9, min_row=2))} == {"DD/MM/YYYY"}
