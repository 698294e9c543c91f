"""The pilotage's reads and tables (issue 13) against figures computed in the test
(tests/pilotage_attendu.py: plain SQL on the tables and pandas), on the small demo, for
France, régions and départements; the scope in the data layer; the shared definitions
(évolution, catégories, contacted communes) on cases written here."""
from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.app.pilotage import couverture, restauration
from dashboard.app.pilotage.tableaux import CODE
from dashboard.domain import identity
from dashboard.domain.vocabulary import STATUT_DOSSIER
from dashboard.reads import carte, pilotage
from dashboard.reads.pilotage import Territoire
from tests import pilotage_attendu as attendu

AUJOURD_HUI = date.today()
ECHEANCE = date(AUJOURD_HUI.year + 2, 6, 30)
HDF = ("02", "59", "60", "62", "80")       # région 32, the demo DRAC's scope
CONSERVATEUR = ("59", "62")

# (name, scope's départements (None: national), role, territory)
VUES = [
    ("France", None, "admin", Territoire()),
    ("région 11", None, "admin", Territoire(region="11")),
    ("département 78", None, "admin", Territoire(departement="78")),
    ("DRAC, sa région", HDF, "drac", Territoire()),
    ("DRAC, département 62", HDF, "drac", Territoire(departement="62")),
    ("conservateur", CONSERVATEUR, "conservateur", Territoire()),
]


@pytest.fixture(scope="module")
def conn(demo_db_url):
    with db.engine_for(demo_db_url).connect() as connection:
        yield connection


def _codes(url, scope, t: Territoire) -> list[str]:
    return attendu.departements(url, list(scope) if scope else None, t.region, t.departement)


def egal(got: pd.DataFrame, want: pd.DataFrame, index: str = CODE):
    """Every cell of `want` (indexed by code, the total under ""), compared with the table's."""
    got = got.set_index(index)
    assert list(got.index) == list(want.index)
    for column in want.columns:
        for key, expected in want[column].items():
            value = got.loc[key, column]
            if isinstance(expected, str) or isinstance(value, str):
                assert value == expected, (column, key, value, expected)
            elif expected is None or (isinstance(expected, float) and math.isnan(expected)):
                assert value is None or pd.isna(value), (column, key, value)
            else:
                assert value == pytest.approx(float(expected), rel=1e-9), (column, key, value, expected)


@pytest.mark.parametrize("nom, deps, role, territoire", VUES, ids=[v[0] for v in VUES])
def test_couverture_every_figure(demo_db_url, conn, nom, deps, role, territoire):
    scope = identity.Scope(departements=deps) if deps else identity.NATIONAL
    codes = _codes(demo_db_url, deps, territoire)
    assert codes
    p = couverture.page(carte.referentiel(conn, scope), codes,
                        pilotage.objets_par_departement(conn, scope, role, territoire, ECHEANCE),
                        pilotage.activite(conn, scope, role, territoire), ECHEANCE, AUJOURD_HUI)
    want = attendu.attendu_couverture(demo_db_url, codes, role != "drac", ECHEANCE, AUJOURD_HUI)
    want_index = [*codes, ""]
    for key in ("objets", "urgences", "echeance", "communes", "fiabilite"):
        assert list(want[key].index) == want_index
        egal(getattr(p, key).donnees, want[key])
    dossiers = p.dossiers.donnees.set_index(CODE)
    for statut in attendu.STATUTS:
        assert list(dossiers[STATUT_DOSSIER.libelle(statut)]) == list(want["dossiers"][statut]), statut
    assert list(dossiers[couverture.TOTAL_DOSSIERS]) == list(want["dossiers"]["total"])

    mois = p.mois.donnees.set_index(couverture.MOIS)[couverture.RECENSEMENTS]
    assert mois.sum() == want["mois"].sum() > 0
    assert {m: n for m, n in mois.items() if n} == {m: n for m, n in want["mois"].items()}
    assert p.mois.donnees[couverture.MOIS].iloc[-1] == AUJOURD_HUI.replace(day=1)
    for column, value in ((couverture.REQUIS_OBJECTIF_MOIS, want["requis_par_mois"]),
                          (couverture.REQUIS_ECHEANCE_MOIS, want["requis_echeance"])):
        assert list(p.mois.donnees[column]) == [pytest.approx(value)] * len(mois)
    total = want["objets"].loc[""]
    assert (p.rythme.objets, p.rythme.par_an) == (total[couverture.OBJETS], total[couverture.RECENSES_12_MOIS])
    assert str(p.annee_fin_cycle or p.rythme.libelle_cycle) == total[couverture.FIN_CYCLE]


def test_the_demo_gives_each_figure_something_to_show(demo_db_url):
    """Figures that stay at zero prove nothing: the small demo has some of each in France."""
    codes = _codes(demo_db_url, None, Territoire())
    want = attendu.attendu_couverture(demo_db_url, codes, True, ECHEANCE, AUJOURD_HUI)
    total = {k: v.loc[""] for k, v in want.items() if isinstance(v, pd.DataFrame)}
    assert total["objets"][couverture.RECENSES_12_MOIS] > 0
    assert 0 < total["communes"][couverture.TERMINEES] < total["communes"][couverture.PARTICIPANTES] \
        < total["communes"][couverture.CONTACTEES] < total["communes"][couverture.COMMUNES]
    assert 0 < total["fiabilite"][couverture.SANS_CORRECTION] < total["fiabilite"][couverture.ACCEPTES]
    for cols in (couverture.PRIORITAIRES, couverture.PREOCCUPANTS):
        assert total["urgences"][cols[1]] > 0 and total["urgences"][cols[2]] > 0
    assert all(total["dossiers"][s] > 0 for s in attendu.STATUTS)
    resto = attendu.attendu_restauration(demo_db_url, codes)["departements"].loc[""]
    assert resto[restauration.DEGRADES] > 0 and resto[restauration.AMELIORES] > 0
    assert resto[restauration.PERIL] > 0 and resto[restauration.MAUVAIS] > 0


RESTAURATION = [
    ("France", None, "admin", Territoire()),
    ("région 11 (des objets dégradés et améliorés)", None, "admin", Territoire(region="11")),
    ("département 78", None, "admin", Territoire(departement="78")),
    ("DRAC, sa région", HDF, "drac", Territoire()),
    ("conservateur, 62", CONSERVATEUR, "conservateur", Territoire(departement="62")),
]


@pytest.mark.parametrize("nom, deps, role, territoire", RESTAURATION, ids=[v[0] for v in RESTAURATION])
def test_restauration_every_figure_and_the_objets_behind_them(demo_db_url, conn, nom, deps, role, territoire):
    scope = identity.Scope(departements=deps) if deps else identity.NATIONAL
    codes = _codes(demo_db_url, deps, territoire)
    donnees = pilotage.restauration(conn, scope, role, territoire)
    p = restauration.page(carte.referentiel(conn, scope), codes, donnees)
    want = attendu.attendu_restauration(demo_db_url, codes)
    egal(p.departements.donnees, want["departements"])
    egal(p.categories.donnees, want["categories"], index=restauration.CATEGORIE)

    # The objets behind each figure: as many as the figure says, and the right ones.
    o = want["objets"]
    for mesure, garde in (("mauvais_ou_peril", o["etat"].isin(["mauvais", "peril"])),
                          ("mauvais", o["etat"] == "mauvais"), ("peril", o["etat"] == "peril"),
                          ("degrade", o["evolution"] == "degrade"), ("ameliore", o["evolution"] == "ameliore")):
        for protection in (None, "classe", "inscrit"):
            g = garde & (o["protection"] == protection) if protection else garde
            liste = restauration.objets_de(donnees.objets, restauration.Selection(mesure, protection))
            assert sorted(liste["ref"]) == sorted(o.loc[g, "ref"]), (mesure, protection)
        for dep in codes:
            liste = restauration.objets_de(donnees.objets, restauration.Selection(mesure, departement=dep))
            assert sorted(liste["ref"]) == sorted(o.loc[garde & (o["dep"] == dep), "ref"]), (mesure, dep)
    for cat in want["categories"].index[:-1]:
        dans = o["categorie"].map(lambda cats: (cat in cats) if cat != restauration.SANS_CATEGORIE else not cats)
        liste = restauration.objets_de(donnees.objets, restauration.Selection(categorie=cat))
        assert sorted(liste["ref"]) == sorted(o.loc[dans & o["etat"].isin(["mauvais", "peril"]), "ref"]), cat
    # Each figure of the table is the length of its list.
    row = p.departements.donnees.iloc[-1]
    assert row[restauration.MAUVAIS_OU_PERIL] == len(restauration.objets_de(donnees.objets, restauration.Selection()))


def test_a_drac_user_gets_nothing_of_another_region(conn):
    """The scope is applied by SQL, whatever territory the caller asks for: a DRAC of
    Hauts-de-France asking for Île-de-France (URL tampering, or a bug of the page) gets empty
    frames, never another région's figures."""
    scope = identity.Scope(departements=HDF)
    for territoire in (Territoire(region="11"), Territoire(departement="78"),
                       Territoire(region="11", departement="78")):
        assert pilotage.objets_par_departement(conn, scope, "drac", territoire, ECHEANCE).empty
        a = pilotage.activite(conn, scope, "drac", territoire)
        assert a.dossiers.empty and a.recensements.empty
        r = pilotage.restauration(conn, scope, "drac", territoire)
        assert r.groupes.empty and r.objets.empty
    own = pilotage.activite(conn, scope, "drac", Territoire())
    assert set(pilotage.objets_par_departement(conn, scope, "drac", Territoire(), ECHEANCE)["code"]) == set(HDF)
    assert set(own.dossiers["code"]) <= set(HDF) and set(own.recensements["code"]) <= set(HDF)
    assert set(pilotage.restauration(conn, scope, "drac", Territoire()).objets["departement_code"]) <= set(HDF)
    assert pilotage.departements_avec_objets(conn, scope, "drac") <= set(HDF)


def test_roles_without_the_right_read_nothing(conn):
    for role in ("deploiement", "commune", "inconnu"):
        with pytest.raises(pilotage.AccesRefuse):
            pilotage.objets_par_departement(conn, identity.NATIONAL, role, Territoire(), ECHEANCE)
        with pytest.raises(pilotage.AccesRefuse):
            pilotage.activite(conn, identity.NATIONAL, role, Territoire())
        with pytest.raises(pilotage.AccesRefuse):
            pilotage.restauration(conn, identity.NATIONAL, role, Territoire())


def test_a_drac_user_sees_urgency_without_securisation(demo_db_url, conn):
    """Urgency for a DRAC is judged without sécurisation (as /urgences does): fewer préoccupants
    than a conservateur sees on the same territory, exactly those of the rule without it."""
    scope = identity.Scope(departements=HDF)
    drac = pilotage.objets_par_departement(conn, scope, "drac", Territoire(), ECHEANCE)
    cons = pilotage.objets_par_departement(conn, scope, "conservateur", Territoire(), ECHEANCE)
    assert drac["preoccupants"].sum() < cons["preoccupants"].sum()
    assert (drac["prioritaires"] == cons["prioritaires"]).all()


# --- the shared definitions on cases written here -----------------------------------------

CAS = """
INSERT INTO region (code, nom) VALUES ('32', 'Hauts-de-France') ON CONFLICT DO NOTHING;
INSERT INTO departement (code, nom, region_code) VALUES ('59', 'Nord', '32') ON CONFLICT DO NOTHING;
INSERT INTO commune (code_insee, nom, departement_code) VALUES ('59001', 'Une', '59'), ('59002', 'Deux', '59'),
    ('59003', 'Trois', '59'), ('59004', 'Quatre', '59') ON CONFLICT DO NOTHING;
INSERT INTO objet (ref, titre, commune_code, departement_code, dans_perimetre, provenance, categorie) VALUES
    ('PMT0000001', 'Pire', '59001', '59', true, 'demo', '{sculpture,peinture}'),
    ('PMT0000002', 'Mieux', '59001', '59', true, 'demo', '{sculpture,sculpture}'),
    ('PMT0000003', 'Stable', '59001', '59', true, 'demo', '{}'),
    ('PMT0000004', 'Supprimé entre les deux', '59001', '59', true, 'demo', '{orfèvrerie}');
INSERT INTO campagne (id, departement_code, nom, statut, date_lancement, date_fin) VALUES
    (9001, '59', 'lancée', 'ongoing', '2026-01-01', '2026-06-01'),
    (9002, '59', 'planifiée', 'planned', '2027-01-01', '2027-06-01');
INSERT INTO campagne_commune (campagne_id, commune_code) VALUES (9001, '59001'), (9002, '59002');
INSERT INTO dossier (id, commune_code, statut, submitted_at, accepted_at, archived_at) VALUES
    (9001, '59001', 'archived', '2020-01-02', '2020-02-01', '2021-01-01'),
    (9002, '59001', 'submitted', '2024-01-02', NULL, NULL),
    (9003, '59003', 'construction', NULL, NULL, NULL);
INSERT INTO recensement (objet_ref, dossier_id, statut, localisation, recensable, etat_sanitaire,
                         analyse_etat_sanitaire, recense_le, deleted_at) VALUES
    ('PMT0000001', 9001, 'completed', 'edifice_initial', true, 'bon', NULL, '2020-01-01', NULL),
    ('PMT0000001', 9002, 'completed', 'edifice_initial', true, 'bon', 'mauvais', '2024-01-01', NULL),
    ('PMT0000002', 9001, 'completed', 'edifice_initial', true, 'peril', NULL, '2020-01-01', NULL),
    ('PMT0000002', 9002, 'completed', 'edifice_initial', true, 'moyen', NULL, '2024-01-01', NULL),
    ('PMT0000003', 9001, 'completed', 'edifice_initial', true, 'moyen', NULL, '2020-01-01', NULL),
    ('PMT0000003', 9002, 'completed', 'absent', false, NULL, NULL, '2024-01-01', NULL),
    ('PMT0000004', 9001, 'completed', 'edifice_initial', true, 'bon', NULL, '2020-01-01', NULL),
    ('PMT0000004', 9002, 'deleted', 'edifice_initial', true, 'peril', NULL, '2022-01-01', '2022-01-02'),
    ('PMT0000004', 9002, 'completed', 'edifice_initial', true, 'mauvais', NULL, '2024-01-01', NULL);
"""


@pytest.fixture(scope="module")
def cas(fresh_database, reference_template):
    url = fresh_database(reference_template)
    with db.engine_for(url).begin() as connection:
        connection.execute(sa.text(CAS))
    with db.engine_for(url).connect() as connection:
        yield connection


def test_evolution_uses_the_override_and_skips_deleted_recensements(cas):
    rows = dict(cas.execute(sa.text("SELECT objet_ref, evolution FROM objet_evolution")).all())
    # bon -> mauvais (the conservateur's override), péril -> moyen, moyen -> disparu (no état),
    # bon -> [deleted péril] -> mauvais: the previous one is the 2020 bon.
    assert rows == {"PMT0000001": "degrade", "PMT0000002": "ameliore", "PMT0000003": None, "PMT0000004": "degrade"}


def test_categories_count_once_each_and_an_objet_without_one_counts_too(cas):
    rows = cas.execute(sa.text("SELECT o.ref, c FROM objet o CROSS JOIN LATERAL categories_comptees(o.categorie) c "
                               "WHERE o.ref LIKE 'PMT%' ORDER BY 1, 2")).all()
    assert rows == [("PMT0000001", "peinture"), ("PMT0000001", "sculpture"), ("PMT0000002", "sculpture"),
                    ("PMT0000003", None), ("PMT0000004", "orfèvrerie")]


def test_contacted_participating_completed(cas):
    rows = {r[0]: r[1:] for r in cas.execute(sa.text(
        "SELECT code_insee, contactee, participante, terminee FROM commune_engagement "
        "WHERE code_insee IN ('59001', '59002', '59003', '59004') ORDER BY 1"))}
    # 59001: invited by a launched campaign, a dossier accepted then archived (still completed);
    # 59002: invited by a planned campaign only (nothing sent yet); 59003: a dossier in construction.
    assert rows == {"59001": (True, True, True), "59002": (False, False, False), "59003": (False, True, False),
                    "59004": (False, False, False)}


def test_the_target_date_counts_the_objets_not_recensed_since_five_years_before_it(cas):
    scope = identity.Scope(departements=("59",))
    for echeance, a_recenser in ((date(2025, 1, 1), 0), (date(2029, 1, 2), 4), (date(2028, 12, 31), 0)):
        got = pilotage.objets_par_departement(cas, scope, "admin", Territoire(), echeance)
        assert int(got["a_recenser"].sum()) == a_recenser, echeance
