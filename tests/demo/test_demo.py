"""The demo loader against a real PostGIS: determinism, proportions, constraints, users.

Each test module loads its own copies of the reference database (fresh_database), so the
shared reference database is never written to.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.ops import migrate
from dashboard.domain import palissy
from dashboard.demo import DemoError, chargement, figures, load_demo
from dashboard.demo.users import demo_departements

TODAY = date(2025, 6, 15)
SCALE = 0.05


def scalar(conn, query, **params):
    return conn.execute(sa.text(query), params).scalar()


def rows(conn, query, **params):
    return conn.execute(sa.text(query), params).all()


@pytest.fixture(scope="module")
def loaded(fresh_database, reference_template):
    """Scale 0.05, seed 1, loaded today (the views count five years back from now())."""
    url = fresh_database(reference_template)
    with db.engine_for(url).begin() as conn:
        counts = load_demo(conn, scale=SCALE, seed=1)
    return url, counts


@pytest.fixture(scope="module")
def conn(loaded):
    with db.engine_for(loaded[0]).connect() as c:
        yield c


@pytest.fixture(scope="module")
def counts(loaded):
    return loaded[1]


# --- the embedded 2022 counts --------------------------------------------------------------

def test_palissy_2022_counts_embedded():
    assert sum(figures.OBJETS_2022.values()) == 275_926
    assert len(figures.OBJETS_2022) == 101                  # 96 métropole + 971 to 975
    assert figures.OBJETS_2022["59"] == 9_178 and figures.OBJETS_2022["2A"] == 812 and figures.OBJETS_2022["975"] == 19
    assert "976" not in figures.OBJETS_2022


# --- determinism ----------------------------------------------------------------------------

# Every column the loader writes, rows in key order; load times (now()) and timings left out.
DIGESTS = {
    "edifice": "SELECT id, ref_merimee, nom, commune_code, provenance, chargement_id FROM edifice ORDER BY id",
    "objet": "SELECT ref, titre, denomination, categorie, siecle, protection, protection_brute, dpro, protection_date, "
             "statut_proprietaire, proprietaire, insee_brut, commune_code, commune_resolution, departement_code, "
             "edifice_id, edifice_nom, emplacement, ref_merimee, manquant, deplacement, dossier_type, denq, etat_pop, "
             "dans_perimetre, hors_perimetre_raison, retire_le, provenance, chargement_id FROM objet ORDER BY ref",
    "campagne": "SELECT * FROM campagne ORDER BY id",
    "campagne_commune": "SELECT * FROM campagne_commune ORDER BY campagne_id, commune_code",
    "dossier": "SELECT * FROM dossier ORDER BY id",
    "recensement": "SELECT * FROM recensement ORDER BY id",
    # cree_le: when the row was written (migration 0007), not content of the demo.
    "app_user": "SELECT id, email, nom, role, actif, demo, mot_de_passe, oidc_issuer, oidc_sub, desactive_le "
                "FROM app_user ORDER BY id",
    "user_scope": "SELECT * FROM user_scope ORDER BY user_id, niveau, code",
    "contact_commune": "SELECT * FROM contact_commune ORDER BY id",
    "load_state": "SELECT name, detail - 'seconds' FROM load_state ORDER BY name",
}


def digest(url: str) -> dict[str, str]:
    with db.engine_for(url).connect() as c:
        return {table: scalar(c, f"SELECT md5(coalesce(string_agg(t::text, '|'), '')) FROM ({query}) t")
                for table, query in DIGESTS.items()}


def load(url: str, **kwargs) -> dict:
    with db.engine_for(url).begin() as c:
        return load_demo(c, **kwargs)


def test_same_seed_same_content_other_seed_differs(fresh_database, reference_template):
    first, second, other = (fresh_database(reference_template) for _ in range(3))
    counts = load(first, scale=0.02, seed=7, today=TODAY)
    assert load(second, scale=0.02, seed=7, today=TODAY)["objets"] == counts["objets"]
    load(other, scale=0.02, seed=8, today=TODAY)
    reference = digest(first)
    assert digest(second) == reference
    changed = {t for t, h in digest(other).items() if h != reference[t]}
    assert {"objet", "dossier", "recensement"} <= changed


def test_row_triggers_on_or_off_give_the_same_content(fresh_database, reference_template):
    fast, slow = fresh_database(reference_template), fresh_database(reference_template)
    load(fast, scale=0.01, seed=3, today=TODAY, skip_row_triggers=True)
    load(slow, scale=0.01, seed=3, today=TODAY, skip_row_triggers=False)
    assert digest(fast) == digest(slow)
    for url in (fast, slow):
        with db.engine_for(url).connect() as c:
            # One summary audit row, no per-row audit; data_version bumped either way.
            assert rows(c, "SELECT table_name, action FROM audit WHERE action <> 'load reference'") == [
                ("objet", "load demo")]
            assert scalar(c, "SELECT version FROM data_version") > 1


_INDEX = ("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
          "AND tablename IN ('objet', 'edifice') ORDER BY indexname")


def test_the_search_indexes_set_aside_for_the_load_are_built_again(fresh_database, reference_template):
    url = fresh_database(reference_template)
    with db.engine_for(url).connect() as c:
        before = rows(c, _INDEX)
    assert sum(" USING gin " in d for _, d in before) == 2   # objet's title, edifice's name (migration 0010)
    load(url, scale=0.01, seed=3, today=TODAY)
    with db.engine_for(url).connect() as c:
        assert rows(c, _INDEX) == before
        assert scalar(c, "SELECT bool_and(x.indisvalid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                         "WHERE i.relname LIKE '%trgm_idx'")
        # The index serves the search (a trigram match), and finds what the load wrote.
        titre = scalar(c, "SELECT titre_recherche FROM objet ORDER BY ref LIMIT 1")
        assert scalar(c, "SELECT count(*) FROM objet WHERE titre_recherche % :t", t=titre) >= 1


# --- what gets written ----------------------------------------------------------------------

def test_counts_returned_match_the_tables(conn, counts):
    assert counts["objets"] == scalar(conn, "SELECT count(*) FROM objet")
    assert counts["objets_dans_perimetre"] == scalar(conn, "SELECT count(*) FROM objet WHERE dans_perimetre")
    assert counts["communes_avec_objets"] == scalar(conn, "SELECT count(DISTINCT commune_code) FROM objet")
    assert counts["edifices"] == scalar(conn, "SELECT count(*) FROM edifice")
    assert counts["campagnes"] == scalar(conn, "SELECT count(*) FROM campagne")
    assert counts["dossiers"] == scalar(conn, "SELECT count(*) FROM dossier")
    assert counts["recensements"] == scalar(conn, "SELECT count(*) FROM recensement")
    assert counts["users"] == scalar(conn, "SELECT count(*) FROM app_user WHERE demo") == 5
    assert counts["seconds"] > 0


def test_chargement_audit_and_load_state(conn, counts):
    nature, rapport, fin = conn.execute(sa.text("SELECT nature, rapport, fin FROM chargement "
                                                "WHERE nature <> 'reference'")).one()
    assert nature == "demo" and fin is not None
    assert rapport["objets"] == counts["objets"]
    assert rows(conn, "SELECT table_name, action FROM audit WHERE action <> 'load reference'") == [
        ("objet", "load demo")]
    assert scalar(conn, "SELECT after ->> 'recensements' FROM audit WHERE action = 'load demo'") == str(
        counts["recensements"])
    assert scalar(conn, "SELECT detail ->> 'objets' FROM load_state WHERE name = 'demo'") == str(counts["objets"])
    assert scalar(conn, "SELECT count(*) FROM objet WHERE chargement_id IS DISTINCT FROM "
                        "(SELECT id FROM chargement WHERE nature = 'demo')") == 0


def test_objets_per_departement_follow_the_2022_counts(conn):
    got = dict(rows(conn, "SELECT departement_code, count(*) FROM objet GROUP BY 1 ORDER BY 1"))
    expected = {d: max(1, int(n * SCALE + 0.5)) for d, n in figures.OBJETS_2022.items()}
    assert got == expected                               # 975 included: its communes exist
    assert scalar(conn, "SELECT count(*) FROM objet o JOIN commune c ON c.code_insee = o.commune_code "
                        "WHERE c.departement_code <> o.departement_code") == 0


def test_objets_concentrated_in_heavy_tailed_communes(conn, counts):
    assert 0.9 * 15_000 * SCALE <= counts["communes_avec_objets"] <= 1.1 * 15_000 * SCALE
    sizes = [r[0] for r in rows(conn, "SELECT count(*) FROM objet GROUP BY commune_code ORDER BY 1")]
    median = sizes[len(sizes) // 2]
    assert sizes[-1] >= 20 * median                      # a few communes hold a lot
    assert sum(1 for s in sizes if s <= 3) >= 0.1 * len(sizes)   # and many hold a few
    # A handful of holding communes per département at least (fewer only when it has fewer objets or communes).
    for dep, holders, objets, communes in rows(conn, """
            SELECT o.departement_code, count(DISTINCT o.commune_code), count(*),
                   (SELECT count(*) FROM commune c WHERE c.departement_code = o.departement_code)
            FROM objet o GROUP BY 1 ORDER BY 1"""):
        assert holders >= min(5, objets, communes), dep


def test_every_demo_ref_is_reserved(conn, counts):
    assert scalar(conn, "SELECT count(*) FROM objet WHERE ref ~ '^PMZ[0-9]{7}$'") == counts["objets"]
    assert scalar(conn, "SELECT count(*) FROM objet WHERE provenance <> 'demo' OR commune_resolution <> 'demo' "
                        "OR insee_brut IS DISTINCT FROM commune_code") == 0
    assert scalar(conn, "SELECT count(*) FROM edifice WHERE ref_merimee IS NOT NULL OR provenance <> 'demo'") == 0


def test_edifices(conn):
    per_commune = [r[0] for r in rows(conn, "SELECT count(*) FROM edifice GROUP BY commune_code ORDER BY 1")]
    assert min(per_commune) >= 1 and max(per_commune) <= 4
    assert scalar(conn, "SELECT count(*) FROM (SELECT commune_code, nom FROM edifice GROUP BY 1, 2 "
                        "HAVING count(*) > 1) x") == 0
    assert scalar(conn, "SELECT count(*) FROM objet o JOIN edifice e ON e.id = o.edifice_id "
                        "WHERE e.commune_code <> o.commune_code OR e.nom <> o.edifice_nom") == 0
    names = {r[0] for r in rows(conn, "SELECT DISTINCT nom FROM edifice ORDER BY 1")}
    assert {"église", "église Saint-Martin"} <= names
    assert any(n.startswith("chapelle") for n in names)


def test_typed_columns_come_from_the_palissy_rules(conn):
    for prot, dpro, protection, when in rows(
            conn, "SELECT DISTINCT protection_brute, dpro, protection::text, protection_date FROM objet ORDER BY 1, 2"):
        assert palissy.protection_from(prot, dpro) == (protection, when)
    for stat, proprietaire in rows(conn, "SELECT DISTINCT statut_proprietaire, proprietaire::text FROM objet "
                                         "ORDER BY 1"):
        assert palissy.proprietaire_from(stat) == proprietaire
    for insee, doss, manquant, tico, proprietaire, protection, raison in rows(conn, """
            SELECT DISTINCT insee_brut, dossier_type, manquant, titre, proprietaire::text, protection::text,
                   hors_perimetre_raison FROM objet ORDER BY 1, 2, 3, 4"""):
        assert palissy.raison_hors_perimetre(insee, doss, manquant, tico, proprietaire,
                                             protection == "non_protege") == raison


def test_raw_vocabularies(conn):
    prot = {r[0] for r in rows(conn, "SELECT DISTINCT protection_brute FROM objet ORDER BY 1")}
    assert {"inscrit au titre objet", "classé au titre objet", "classé au titre immeuble"} <= prot
    dirty = prot - {None, "inscrit au titre objet", "classé au titre objet", "classé au titre immeuble", "déclassé",
                    "classé comme un ensemble historique mobilier"}
    assert len(dirty) >= 3
    assert scalar(conn, "SELECT count(*) FROM objet WHERE dpro ~ '^[0-9]{4}/[0-9]{2}/[0-9]{2} : '") > 0
    assert scalar(conn, "SELECT count(*) FROM objet WHERE dpro ~ '^[0-9]{4} : '") > 0
    assert scalar(conn, "SELECT count(*) FROM objet WHERE titre = 'statue : Vierge à l''Enfant'") > 0
    assert scalar(conn, "SELECT count(*) FROM objet WHERE 'sculpture' = ANY(categorie)") > 0
    assert scalar(conn, "SELECT count(*) FROM objet WHERE emplacement = 'sacristie'") > 0
    shares = dict(rows(conn, "SELECT protection::text, count(*)::float / sum(count(*)) OVER () FROM objet "
                             "GROUP BY 1 ORDER BY 1"))
    assert 0.48 < shares["inscrit"] < 0.60 and 0.40 < shares["classe"] < 0.52
    assert 0.66 < scalar(conn, "SELECT avg((statut_proprietaire = 'propriété de la commune')::int) FROM objet") < 0.76


def test_out_of_scope_share_and_reasons(conn):
    share = scalar(conn, "SELECT avg((NOT dans_perimetre)::int) FROM objet")
    assert 0.11 < share < 0.19
    reasons = dict(rows(conn, "SELECT hors_perimetre_raison, count(*) FROM objet WHERE NOT dans_perimetre "
                              "GROUP BY 1 ORDER BY 1"))
    assert {"sous_dossier", "vole_ou_manquant", "propriete_etat"} <= set(reasons)
    assert set(reasons) <= set(palissy.RAISONS_HORS_PERIMETRE)


# --- campaigns, dossiers, recensements ---------------------------------------------------------

def test_campagnes(conn):
    today = date.today()
    assert scalar(conn, "SELECT count(*) FROM campagne WHERE provenance <> 'demo'") == 0
    assert scalar(conn, "SELECT min(date_lancement) FROM campagne") >= today - timedelta(days=5 * 366)
    assert scalar(conn, "SELECT count(*) FROM campagne WHERE statut = 'ongoing'") >= 1
    assert scalar(conn, "SELECT count(*) FROM campagne WHERE statut = 'ongoing' "
                        "AND NOT (date_lancement <= CAST(:t AS date) AND date_fin >= CAST(:t AS date))", t=today) == 0
    assert scalar(conn, "SELECT count(*) FROM campagne WHERE statut = 'finished' AND date_fin >= CAST(:t AS date)",
                  t=today) == 0
    # Never two campaigns at a time in one département.
    assert scalar(conn, """SELECT count(*) FROM campagne a JOIN campagne b ON a.departement_code = b.departement_code
                           AND a.id < b.id AND a.date_lancement <= b.date_fin
                           AND b.date_lancement <= a.date_fin""") == 0
    years = scalar(conn, "SELECT count(DISTINCT extract(year FROM date_lancement)) FROM campagne")
    assert years >= 5


def test_dossiers(conn):
    # One dossier per commune per campaign, for an invited commune of that département.
    assert scalar(conn, "SELECT count(*) FROM (SELECT 1 FROM dossier GROUP BY commune_code, campagne_id "
                        "HAVING count(*) > 1) x") == 0
    assert scalar(conn, """SELECT count(*) FROM dossier d LEFT JOIN campagne_commune cc
                           ON cc.campagne_id = d.campagne_id AND cc.commune_code = d.commune_code
                           WHERE cc.campagne_id IS NULL""") == 0
    # Never two open dossiers for one commune.
    assert scalar(conn, "SELECT count(*) FROM (SELECT commune_code FROM dossier WHERE statut IN "
                        "('construction', 'submitted') GROUP BY 1 HAVING count(*) > 1) x") == 0
    statuts = dict(rows(conn, "SELECT statut::text, count(*) FROM dossier GROUP BY 1 ORDER BY 1"))
    assert set(statuts) == {"construction", "submitted", "accepted", "archived"}
    assert statuts["accepted"] > statuts["submitted"] > 0
    assert scalar(conn, "SELECT count(*) FROM dossier WHERE statut = 'archived' AND submitted_at IS NOT NULL") > 0
    assert scalar(conn, "SELECT count(*) FROM dossier WHERE recenseur IS NULL") == 0
    bad_dates = """SELECT count(*) FROM dossier WHERE submitted_at < created_at OR accepted_at < submitted_at
                   OR (statut = 'archived') <> (archived_at IS NOT NULL)
                   OR (statut = 'construction' AND submitted_at IS NOT NULL)
                   OR greatest(created_at, submitted_at, accepted_at, archived_at) >= CAST(:t AS date)"""
    assert scalar(conn, bad_dates, t=date.today()) == 0


def test_recensements_cover_in_scope_objets_of_the_commune(conn):
    assert scalar(conn, """SELECT count(*) FROM recensement r JOIN objet o ON o.ref = r.objet_ref
                           JOIN dossier d ON d.id = r.dossier_id
                           WHERE NOT o.dans_perimetre OR o.commune_code <> d.commune_code""") == 0
    # Submitted dossiers cover every in-scope objet of their commune.
    assert scalar(conn, """SELECT count(*) FROM dossier d JOIN objet o ON o.commune_code = d.commune_code
                           AND o.dans_perimetre
                           LEFT JOIN recensement r ON r.dossier_id = d.id AND r.objet_ref = o.ref
                           WHERE d.submitted_at IS NOT NULL AND r.id IS NULL""") == 0
    # Drafts only in dossiers never submitted.
    assert scalar(conn, "SELECT count(*) FROM recensement r JOIN dossier d ON d.id = r.dossier_id "
                        "WHERE r.statut = 'draft' AND d.submitted_at IS NOT NULL") == 0
    assert scalar(conn, "SELECT count(*) FROM recensement WHERE statut = 'draft'") > 0
    deleted = rows(conn, "SELECT deleted_at IS NOT NULL AND deleted_reason IS NOT NULL FROM recensement "
                         "WHERE statut = 'deleted' ORDER BY id")
    assert deleted and all(r[0] for r in deleted)


def test_recensement_dates(conn):
    assert scalar(conn, """SELECT count(*) FROM recensement r JOIN dossier d ON d.id = r.dossier_id
                           JOIN campagne c ON c.id = d.campagne_id
                           WHERE r.statut = 'completed' AND (r.recense_le::date < c.date_lancement
                              OR r.recense_le::date > c.date_fin OR r.recense_le < d.created_at
                              OR r.recense_le > d.submitted_at)""") == 0
    assert scalar(conn, "SELECT count(*) FROM recensement WHERE analyse_le IS NOT NULL AND analyse_le < "
                        "(SELECT submitted_at FROM dossier d WHERE d.id = dossier_id)") == 0


def test_recensement_answers_are_consistent(conn):
    assert scalar(conn, """SELECT count(*) FROM recensement WHERE
        (localisation = 'autre_edifice') <> (edifice_nom IS NOT NULL)
        OR (localisation = 'deplacement_autre_commune') <> (autre_commune_code IS NOT NULL)
        OR (recensable IS NOT TRUE AND nb_photos > 0)
        OR (statut = 'completed' AND (localisation IS NULL OR recensable IS NULL))
        OR (statut = 'completed' AND recensable AND (etat_sanitaire IS NULL OR securisation IS NULL))
        OR (statut = 'completed' AND nb_photos = 0 AND NOT confirmation_sans_photo)""") == 0
    assert scalar(conn, """SELECT count(*) FROM recensement r JOIN dossier d ON d.id = r.dossier_id
                           WHERE r.autre_commune_code = d.commune_code
                           OR (r.autre_commune_code IS NOT NULL AND NOT EXISTS
                               (SELECT 1 FROM commune c WHERE c.code_insee = r.autre_commune_code))""") == 0


def test_recensement_proportions(conn):
    eff = "FROM recensement_effectif"
    n = scalar(conn, f"SELECT count(*) {eff}")
    assert n > 1000
    absent = scalar(conn, f"SELECT avg(disparu::int) {eff}")
    assert 0.004 < absent < 0.02
    non_recensable = scalar(conn, f"SELECT avg((NOT recensable)::int) {eff} WHERE NOT disparu")
    assert 0.01 < non_recensable < 0.035
    # The communes' answers (before the conservateurs' overrides).
    commune_answers = dict(rows(conn, f"SELECT x.etat_sanitaire::text, count(*)::float / sum(count(*)) OVER () {eff} r "
                                      "JOIN recensement x ON x.id = r.id WHERE x.etat_sanitaire IS NOT NULL "
                                      "GROUP BY 1 ORDER BY 1"))
    assert 0.50 < commune_answers["bon"] < 0.62
    assert 0.30 < commune_answers["moyen"] < 0.41
    assert 0.045 < commune_answers["mauvais"] < 0.11
    assert 0.002 < commune_answers["peril"] < 0.025
    danger = scalar(conn, "SELECT avg((securisation = 'en_danger')::int) FROM recensement "
                          "WHERE securisation IS NOT NULL")
    assert 0.08 < danger < 0.25
    localisations = dict(rows(conn, f"SELECT localisation::text, count(*)::float / sum(count(*)) OVER () {eff} "
                                    "GROUP BY 1 ORDER BY 1"))
    assert localisations["edifice_initial"] > 0.85
    assert "autre_edifice" in localisations and "deplacement_temporaire" in localisations


def test_share_recensed_in_five_years(conn):
    # About 15 % of the yearly objective each year, over five years: ~15 % of the objets counted.
    share = scalar(conn, "SELECT avg(recense_5_ans::int) FROM objet_situation WHERE compte")
    assert 0.11 < share < 0.19
    per_year = [r[0] for r in rows(conn, """SELECT count(*) FROM recensement_courant
        WHERE recense_le >= now() - interval '5 years' GROUP BY date_trunc('year', recense_le) ORDER BY 1""")]
    assert len(per_year) >= 5


def test_examens(conn):
    # Every recensement of an accepted dossier is analysed; part of the submitted ones too.
    assert scalar(conn, "SELECT count(*) FROM recensement r JOIN dossier d ON d.id = r.dossier_id "
                        "WHERE d.statut = 'accepted' AND r.statut = 'completed' AND r.analyse_le IS NULL") == 0
    assert scalar(conn, "SELECT count(*) FROM recensement r JOIN dossier d ON d.id = r.dossier_id "
                        "WHERE d.statut = 'submitted' AND r.analyse_le IS NOT NULL") > 0
    assert scalar(conn, "SELECT count(*) FROM recensement WHERE (analyse_le IS NULL) <> (analyse_par IS NULL)") == 0
    assert scalar(conn, "SELECT count(*) FROM recensement WHERE analyse_le IS NULL AND (analyse_etat_sanitaire "
                        "IS NOT NULL OR analyse_securisation IS NOT NULL OR analyse_fiches <> '{}')") == 0
    override = scalar(conn, "SELECT avg((analyse_etat_sanitaire IS NOT NULL OR analyse_securisation IS NOT NULL)::int) "
                            "FROM recensement WHERE analyse_le IS NOT NULL")
    assert 0.05 < override < 0.15
    assert scalar(conn, "SELECT count(*) FROM recensement WHERE 'depot_plainte' = ANY(analyse_fiches) "
                        "AND localisation <> 'absent'") == 0
    # Analysed by the demo conservateur in their départements, by the admin elsewhere.
    assert scalar(conn, """SELECT count(*) FROM recensement r JOIN dossier d ON d.id = r.dossier_id
        JOIN commune c ON c.code_insee = d.commune_code JOIN app_user u ON u.id = r.analyse_par
        WHERE u.role <> (CASE WHEN EXISTS (SELECT 1 FROM user_scope s JOIN app_user k ON k.id = s.user_id
                                           WHERE k.role = 'conservateur' AND s.code = c.departement_code)
                              THEN 'conservateur' ELSE 'admin' END)::role""") == 0
    assert scalar(conn, "SELECT count(*) FROM dossier WHERE statut = 'accepted' AND conservateur_id IS NULL") == 0


# --- users -------------------------------------------------------------------------------------

def test_one_demo_user_per_role_with_scope(conn):
    users = rows(conn, "SELECT role::text, email FROM app_user WHERE demo ORDER BY role")
    assert sorted(r[0] for r in users) == sorted(["commune", "conservateur", "drac", "deploiement", "admin"])
    assert all(email.endswith("@example.org") for _, email in users)
    assert all("(démo)" in r[0] for r in rows(conn, "SELECT nom FROM app_user ORDER BY id"))
    scopes = {}
    for role, niveau, code in rows(conn, "SELECT u.role::text, s.niveau::text, s.code FROM app_user u "
                                         "JOIN user_scope s ON s.user_id = u.id ORDER BY 1, 2, 3"):
        scopes.setdefault(role, set()).add((niveau, code))
    assert scopes["admin"] == {("national", "")}
    assert scopes["conservateur"] == {("departement", "59"), ("departement", "62")}
    assert scopes["drac"] == {("region", "32")}
    assert scopes["deploiement"] == {("departement", "62")}
    [(niveau, commune)] = scopes["commune"]
    assert niveau == "commune"
    assert scalar(conn, "SELECT departement_code FROM commune WHERE code_insee = :c", c=commune) == "62"
    assert scalar(conn, "SELECT count(*) FROM dossier WHERE commune_code = :c AND statut = 'submitted'",
                  c=commune) == 1
    # The biggest such commune of the département.
    best = scalar(conn, """SELECT o.commune_code FROM objet o WHERE o.departement_code = '62' AND EXISTS
        (SELECT 1 FROM dossier d WHERE d.commune_code = o.commune_code AND d.statut = 'submitted')
        GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""")
    assert commune == best


def test_the_deployment_officers_contacts(conn, counts):
    """Contacts with communes of the demo département holding counted objets, by the demo
    deployment officer, in the past, to call back on or after the day of the contact."""
    assert counts["contacts"] == scalar(conn, "SELECT count(*) FROM contact_commune") >= 3
    assert rows(conn, """SELECT DISTINCT c.departement_code, u.role::text FROM contact_commune k
                         JOIN commune c ON c.code_insee = k.commune_code JOIN app_user u ON u.id = k.auteur_id""") == [
        ("62", "deploiement")]
    assert scalar(conn, """SELECT count(*) FROM contact_commune k WHERE k.contacte_le >= current_date
                           OR k.rappeler_le < k.contacte_le
                           OR (k.resultat = 'a_rappeler') <> (k.rappeler_le IS NOT NULL)
                           OR NOT EXISTS (SELECT 1 FROM objet o WHERE o.commune_code = k.commune_code
                                          AND o.dans_perimetre AND o.retire_le IS NULL)""") == 0
    # Some communes are to call back (their latest contact says so).
    assert scalar(conn, """SELECT count(*) FROM (SELECT DISTINCT ON (commune_code) resultat FROM contact_commune
                           ORDER BY commune_code, contacte_le DESC, id DESC) d WHERE resultat = 'a_rappeler'""") >= 1


def test_other_departement_when_62_is_empty():
    import numpy as np

    deps = np.array(["13", "59", "62", "75"])
    assert demo_departements(deps, np.array([5, 3, 0, 9])) == ["75"]
    assert demo_departements(deps, np.array([9, 3, 0, 9])) == ["13"]
    assert demo_departements(deps, np.array([5, 3, 2, 9])) == ["62", "59"]
    assert demo_departements(deps, np.array([5, 0, 2, 9])) == ["62"]


# --- refusals and atomicity ------------------------------------------------------------------

def test_refuses_without_communes(empty_db_url):
    migrate.upgrade(empty_db_url)
    with pytest.raises(DemoError, match="commune"):
        with db.engine_for(empty_db_url).begin() as c:
            load_demo(c, scale=0.01)


def test_refuses_a_second_load(loaded):
    with pytest.raises(DemoError, match="déjà"):
        with db.engine_for(loaded[0]).begin() as c:
            load_demo(c, scale=0.01)


def test_refuses_a_null_scale(reference_db_url):
    with pytest.raises(DemoError):
        with db.engine_for(reference_db_url).begin() as c:
            load_demo(c, scale=0)


def test_interrupted_load_leaves_nothing(fresh_database, reference_template, monkeypatch):
    url = fresh_database(reference_template)
    real_copy = chargement.copy_rows

    def failing(conn, statement, columns):
        if statement == "demo_copie_recensement":
            raise RuntimeError("coupure")
        return real_copy(conn, statement, columns)

    monkeypatch.setattr(chargement, "copy_rows", failing)
    with pytest.raises(RuntimeError):
        with db.engine_for(url).begin() as c:
            load_demo(c, scale=0.01, today=TODAY)
    with db.engine_for(url).connect() as c:
        for table in ("objet", "edifice", "dossier", "app_user"):
            assert scalar(c, f"SELECT count(*) FROM {table}") == 0
        assert scalar(c, "SELECT count(*) FROM chargement WHERE nature = 'demo'") == 0
        assert scalar(c, "SELECT count(*) FROM audit WHERE action = 'load demo'") == 0
        assert scalar(c, "SELECT count(*) FROM load_state WHERE name = 'demo'") == 0


def test_copy_refuses_columns_in_another_order():
    # Checked before anything is sent: values in another order would land in the wrong columns.
    with pytest.raises(ValueError, match="demo_copie_user_scope"):
        chargement.copy_rows(None, "demo_copie_user_scope", {"niveau": [], "user_id": [], "code": []})
