"""Urgent cases: the rule on every combination (real views), scope and role in the data
layer, filters, the previous visit, and the export equal to the table."""
import csv
import io
import itertools
from datetime import datetime, timezone

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.domain import identity
from dashboard.reads import urgences
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
                {"ref": ref, "d": dossier_id})
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


def test_commune_search_ignores_accents_and_case(demo_db_url, national):
    accented = national[national["commune_nom"].str.contains("[éèêÉÈ]", regex=True, na=False)]
    assert not accented.empty
    name = accented.iloc[0]["commune_nom"]
    typed = name.upper().replace("É", "E").replace("È", "E").replace("Ê", "E")
    with db.engine_for(demo_db_url).connect() as conn:
        query = urgences.normaliser(conn, typed)
    shown = urgences.tableau(national, urgences.Filtres(commune=query))
    assert len(shown) >= 1
    assert all(name in commune for commune in shown["Commune"]) or all(
        query in urgences.filtrer(national, urgences.Filtres(commune=query))["commune_norm"])
    assert set(shown["REF"]) >= set(national.loc[national["commune_nom"] == name, "ref"])


def test_filters_combine(national):
    pick = national[(national["niveau"] == "prioritaire") & ~national["analyse"]].iloc[0]
    dep, protection = pick["departement_code"], pick["protection"]
    f = urgences.Filtres(departements=(dep,), niveaux=("prioritaire",), protections=(protection,), examine=False)
    rows = urgences.filtrer(national, f)
    assert pick["ref"] in set(rows["ref"])
    assert set(rows["departement_code"]) == {dep} and set(rows["niveau"]) == {"prioritaire"}
    assert set(rows["protection"]) == {protection} and not rows["analyse"].any()
    assert len(rows) == len(national[(national["departement_code"] == dep) & (national["niveau"] == "prioritaire")
                                     & (national["protection"] == protection) & ~national["analyse"]])
    categorie = national["categorie"].explode().mode()[0]
    rows = urgences.filtrer(national, urgences.Filtres(categorie=categorie))
    assert len(rows) and all(categorie in cats for cats in rows["categorie"])
    assert len(rows) < len(national)


def test_new_since_previous_visit(writable_demo_db_url):
    with db.engine_for(writable_demo_db_url).begin() as conn:
        user_id = conn.execute(sa.text("SELECT id FROM app_user WHERE role = 'conservateur'")).scalar()
        assert urgences.enregistrer_visite(conn, user_id, "urgences") is None
    with db.engine_for(writable_demo_db_url).begin() as conn:
        previous = urgences.enregistrer_visite(conn, user_id, "urgences")
        audited = conn.execute(sa.text("SELECT count(*) FROM audit WHERE table_name = 'derniere_visite' "
                                       "AND user_id = :u"), {"u": user_id}).scalar()
        cas = urgences.cas_urgents(conn, identity.NATIONAL, "admin")
    assert previous is not None and audited == 2
    cut = sorted(cas["transmis_le"])[len(cas) // 2]
    table = urgences.tableau(cas, urgences.Filtres(), cut)
    assert urgences.comptes(table)["nouveaux"] == int((cas["transmis_le"] > cut).sum()) > 0
    assert urgences.comptes(urgences.tableau(cas, urgences.Filtres(), None))["nouveaux"] == 0
    only_new = urgences.tableau(cas, urgences.Filtres(nouveaux=True), cut)
    assert set(only_new["Nouveau"]) == {"Nouveau"}


def _rows(table: pd.DataFrame) -> list[list[str]]:
    return [["" if pd.isna(v) else str(v) for v in row] for row in table.itertuples(index=False)]


def test_export_csv_and_xlsx_equal_the_table(national):
    table = urgences.tableau(national, urgences.Filtres(niveaux=("prioritaire",)), datetime(2000, 1, 1, tzinfo=timezone.utc))
    shown = urgences.export_table(table)
    assert list(shown.columns) == urgences.COLONNES and len(shown) > 0

    text = urgences.export_csv(table).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == urgences.COLONNES
    assert rows[1:] == _rows(shown)

    book = openpyxl.load_workbook(io.BytesIO(urgences.export_xlsx(table)))
    sheet = book["Cas urgents"]
    values = [[("" if v is None else (v.date().isoformat() if isinstance(v, datetime) else str(v))) for v in r]
              for r in sheet.iter_rows(values_only=True)]
    assert values[0] == urgences.COLONNES
    assert values[1:] == _rows(shown)


def test_cached_table_marked_with_the_visit_equals_the_direct_table(demo_db_url, national):
    cut = sorted(national["transmis_le"])[len(national) // 3]
    with db.engine_for(demo_db_url).connect() as conn:
        cached = urgences.table_affichee(conn, identity.NATIONAL, "admin", urgences.Filtres(niveaux=("preoccupant",)))
    for seulement in (False, True):
        shown = urgences.marquer_nouveaux(cached, cut, seulement)
        direct = urgences.tableau(national, urgences.Filtres(niveaux=("preoccupant",), nouveaux=seulement), cut)
        pd.testing.assert_frame_equal(shown, direct)
    assert (urgences.marquer_nouveaux(cached, None)["Nouveau"] == "").all()
