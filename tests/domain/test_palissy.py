"""Every cleaning rule of dashboard.domain.palissy, with the traps palissy.md lists."""
from __future__ import annotations

from datetime import date

import pytest

from dashboard.domain import palissy
from dashboard.domain.palissy import (
    declasse_from,
    departement_from_insee,
    insee_principal,
    parse_dpro,
    proprietaire_from,
    protection_from,
    protection_kind,
    raison_hors_perimetre,
)


# --- PROT alone ---------------------------------------------------------------------------

@pytest.mark.parametrize("prot, expected", [
    ("classé au titre objet", "classe"),
    ("inscrit au titre objet", "inscrit"),
    ("Classé au titre objet", "classe"),                     # case
    ("CLASSÉ AU TITRE OBJET", "classe"),
    ("classé  au titre objet", "classe"),                    # double space
    ("  inscrit   au titre objet ", "inscrit"),
    ("inscrit au titre obejt", "inscrit"),                   # typo
    ("inscrite au titre objet", "inscrit"),
    ("inscr", "inscrit"),                                    # truncation
    ("classé au titre objet partiellement", "classe"),
    ("inscrit au titre objet (?)", "inscrit"),
    ("classé MH", "classe"),
    ("classé au titre immeuble", "classe"),
    ("classé comme un ensemble historique mobilier", "classe"),
    ("classe au titre objet", "classe"),                     # accents lost
    ("déclassé au titre objet", "non_protege"),
    ("déclassé", "non_protege"),
    ("désinscrit", "non_protege"),
    ("non protégé", "non_protege"),
    ("sans protection", "non_protege"),
])
def test_prot_variants(prot, expected):
    assert protection_from(prot, None) == (expected, None)


@pytest.mark.parametrize("prot", [None, "", "   ", "(?)", "à vérifier"])
def test_prot_unknown_is_none(prot):
    assert protection_from(prot, None) == (None, None)


@pytest.mark.parametrize("prot", [
    "classé au titre objet ; inscrit au titre objet",
    "inscrit au titre objet ; classé au titre objet",
    "inscrit au titre objet ; classé MH",
    "inscr ; classé  au titre objet",
])
def test_classe_beats_inscrit_in_combinations(prot):
    assert protection_from(prot, None)[0] == "classe"


def test_json_lists_are_joined():
    assert protection_from(["inscrit au titre objet", "classé au titre objet"], None)[0] == "classe"
    assert protection_from(None, ["1911/09/30 : classé au titre objet", "1937/04/09 : déclassé"]) == (
        "non_protege", date(1937, 4, 9))


def test_declasse_is_not_classe():
    # "déclassé" contains "classé": removals must be recognised first.
    assert protection_kind("déclassé") == "non_protege"
    assert protection_kind("Déclassé au titre objet") == "non_protege"
    assert protection_kind("désinscrite") == "non_protege"


# --- DPRO ---------------------------------------------------------------------------------

def test_dpro_date_of_single_entry():
    assert protection_from("classé au titre objet", "1911/09/30 : classé au titre objet") == (
        "classe", date(1911, 9, 30))


def test_dpro_year_only_entry():
    assert protection_from("inscrit au titre objet", "1975 : inscrit au titre objet") == ("inscrit", date(1975, 1, 1))


def test_latest_entry_decides_whatever_the_order():
    # palissy.md's own example: no longer protected, though listed first.
    dpro = "1937/04/09 : déclassé ; 1911/09/30 : classé au titre objet"
    assert protection_from(None, dpro) == ("non_protege", date(1937, 4, 9))
    reversed_ = "1911/09/30 : classé au titre objet ; 1937/04/09 : déclassé"
    assert protection_from(None, reversed_) == ("non_protege", date(1937, 4, 9))


def test_latest_dpro_declassement_beats_a_stale_prot():
    dpro = "1911/09/30 : classé au titre objet ; 1937/04/09 : déclassé"
    assert protection_from("classé au titre objet", dpro)[0] == "non_protege"


def test_desinscription_latest():
    assert protection_from("inscrit au titre objet",
                           "1980/02/01 : désinscrit ; 1960/05/05 : inscrit au titre objet")[0] == "non_protege"


def test_reprotected_after_declassement():
    dpro = "1911/09/30 : classé au titre objet ; 1937/04/09 : déclassé ; 1950/01/12 : inscrit au titre objet"
    assert protection_from("classé au titre objet", dpro) == ("inscrit", date(1950, 1, 12))


def test_declasse_and_inscrit_the_same_day_is_inscrit():
    dpro = "2005/03/01 : déclassé ; 1908 : classé au titre objet ; 2005/03/01 : inscrit au titre objet"
    assert protection_from("inscrit au titre objet", dpro) == ("inscrit", date(2005, 3, 1))


def test_inscrit_then_classe_is_classe():
    dpro = "1990/05/05 : classé au titre objet ; 1975/01/02 : inscrit au titre objet"
    assert protection_from("classé au titre objet ; inscrit au titre objet", dpro) == ("classe", date(1990, 5, 5))


def test_classe_in_prot_beats_later_inscription_without_removal():
    # A partial inscription after a classement does not weaken the classement.
    assert protection_from("classé au titre objet", "1908 : classé au titre objet ; 1990 : inscrit au titre objet")[
        0] == "classe"


def test_prot_empty_dpro_filled():
    assert protection_from("", "1911/09/30 : classé au titre objet") == ("classe", date(1911, 9, 30))
    assert protection_from(None, "1911 : inscrit au titre objet") == ("inscrit", date(1911, 1, 1))


def test_prot_removal_wins_over_dpro_that_only_dates_the_protection():
    assert protection_from("déclassé", "1911/09/30 : classé au titre objet") == ("non_protege", date(1911, 9, 30))


def test_dpro_date_returned_even_when_type_unknown():
    assert protection_from("inscrit au titre objet", "1950/06/01 : arrêté") == ("inscrit", date(1950, 6, 1))


def test_year_only_sorts_before_full_dates_of_that_year():
    entries = parse_dpro("1937/04/09 : déclassé ; 1937 : classé au titre objet")
    assert [e.kind for e in entries] == ["classe", "non_protege"]
    assert protection_from(None, "1937/04/09 : déclassé ; 1937 : classé au titre objet")[0] == "non_protege"


@pytest.mark.parametrize("dpro, expected", [
    ("1911/02/30 : classé au titre objet", date(1911, 2, 1)),     # impossible day
    ("1911/00/00 : classé au titre objet", date(1911, 1, 1)),     # unknown month and day
    ("1911-09-30 : classé au titre objet", date(1911, 9, 30)),    # other separator
    ("1911/09/30 classé au titre objet", date(1911, 9, 30)),      # colon forgotten
])
def test_dpro_odd_dates(dpro, expected):
    assert protection_from(None, dpro) == ("classe", expected)


@pytest.mark.parametrize("dpro", ["", None, "classé au titre objet", "19110930 : classé", "0000 : classé"])
def test_dpro_without_readable_date(dpro):
    assert parse_dpro(dpro) == []
    assert protection_from(None, dpro) == (None, None)


def test_dpro_comma_joined_by_the_open_data_csv():
    assert protection_from(None, "1911/09/30 : classé au titre objet, 1937/04/09 : déclassé") == (
        "non_protege", date(1937, 4, 9))


def test_declasse_from():
    assert declasse_from("1937/04/09 : déclassé ; 1911/09/30 : classé au titre objet")
    assert declasse_from("1960 : inscrit au titre objet ; 1980 : désinscrit")
    assert not declasse_from("1911/09/30 : déclassé ; 1937/04/09 : classé au titre objet")
    assert not declasse_from("1911/09/30 : classé au titre objet")
    assert not declasse_from(None)


# --- STAT ---------------------------------------------------------------------------------

@pytest.mark.parametrize("stat, expected", [
    ("propriété de la commune", "commune"),
    ("propriété de la commune (?)", "commune"),
    ("Propriété de la commune", "commune"),
    ("propriété communale", "commune"),
    ("propriété de l'Etat", "etat"),
    ("propriété de l'État", "etat"),
    ("propriété de l’Etat (?)", "etat"),
    ("propriété publique", "public"),
    ("propriété du département", "public"),
    ("propriété de la région", "public"),
    ("propriété d'un établissement public", "public"),
    ("propriété privée", "prive"),
    ("propriété d'une personne privée", "prive"),
    ("propriété d'une association", "prive"),
    ("propriété d'un établissement privé", "prive"),
    ("statut inconnu", "inconnu"),
    ("propriété d'une fabrique", "autre"),
    (None, "inconnu"),
    ("", "inconnu"),
    (" ; ", "inconnu"),
])
def test_proprietaire(stat, expected):
    assert proprietaire_from(stat) == expected


@pytest.mark.parametrize("stat, expected", [
    ("propriété de la commune ; propriété privée", "commune"),
    ("propriété privée ; propriété de la commune", "prive"),
    ("propriété d'une fabrique ; propriété de l'Etat", "etat"),    # first *recognised*
    ("propriété privée, propriété de la commune", "prive"),        # open-data CSV joins with commas
    (["propriété de l'Etat", "propriété de la commune"], "etat"),  # JSON lists
])
def test_proprietaire_several_values(stat, expected):
    assert proprietaire_from(stat) == expected


# --- scope ----------------------------------------------------------------------------------

IN_SCOPE = dict(insee="01004", doss="dossier individuel", manquant=None, tico="statue : Vierge à l'Enfant",
                proprietaire="commune", protection_latest_declasse=False)


def scope(**changes):
    return raison_hors_perimetre(**{**IN_SCOPE, **changes})


def test_in_scope():
    assert scope() is None


@pytest.mark.parametrize("doss", ["dossier individuel", "individuel", "dossier avec sous-dossier",
                                  "dossier avec sous-dossiers", "dossier indiviuel", "Dossier  Individuel ",
                                  "", None])
def test_individual_dossiers_in_scope(doss):
    assert scope(doss=doss) is None


@pytest.mark.parametrize("doss", ["sous-dossier", "sous-dossier avec sous-dossier", "Sous-dossier", "autre"])
def test_sous_dossiers_out(doss):
    assert scope(doss=doss) == "sous_dossier"


@pytest.mark.parametrize("insee", [None, "", "  "])
def test_insee_missing(insee):
    assert scope(insee=insee) == "insee_manquant"


@pytest.mark.parametrize("manquant", ["volé", "manquant", "Volé", "vole", "volé ; manquant"])
def test_vole_ou_manquant(manquant):
    assert scope(manquant=manquant) == "vole_ou_manquant"


def test_traitement_en_cours():
    assert scope(tico="Traitement en cours") == "traitement_en_cours"
    assert scope(tico=" traitement  en cours ") == "traitement_en_cours"
    assert scope(tico="statue : Traitement en cours de restauration") is None


def test_propriete_etat():
    assert scope(proprietaire="etat") == "propriete_etat"
    assert scope(proprietaire="public") is None
    # A raw STAT is accepted too: out as soon as one owner is the State, as the service does.
    assert scope(proprietaire="propriété de la commune ; propriété de l'Etat") == "propriete_etat"
    assert scope(proprietaire="propriété de la commune") is None


def test_declasse():
    assert scope(protection_latest_declasse=True) == "declasse"


def test_rules_apply_in_order():
    everything_wrong = dict(insee=None, doss="sous-dossier", manquant="volé", tico="Traitement en cours",
                            proprietaire="etat", protection_latest_declasse=True)
    expected = list(palissy.RAISONS_HORS_PERIMETRE)
    fields = ["insee", "doss", "manquant", "tico", "proprietaire", "protection_latest_declasse"]
    for i, reason in enumerate(expected):
        args = {**IN_SCOPE, **{f: everything_wrong[f] for f in fields[i:]}}
        assert raison_hors_perimetre(**args) == reason


# --- commune codes --------------------------------------------------------------------------

@pytest.mark.parametrize("code, expected", [
    ("01004", "01"), ("62041", "62"), ("2A004", "2A"), ("2b033", "2B"), ("97411", "974"), ("97502", "975"),
    ("97105", "971"), ("75056", "75"), ("1004", "01"), ("94004 ; 94075", "94"), (" 59350 ", "59"),
    (None, None), ("", None), ("ABCDE", None), ("123", None), (["13055", "13201"], "13"),
])
def test_departement_from_insee(code, expected):
    assert departement_from_insee(code) == expected


def test_insee_principal_flags_several_codes():
    assert insee_principal("94004 ; 94075") == ("94004", True)
    assert insee_principal("94004") == ("94004", False)
    assert insee_principal("4004") == ("04004", False)
    assert insee_principal(None) == (None, False)


# --- rules added for the importer (dashboard/importer) ------------------------------------

COMMUNES = {"01004": "01", "01053": "01", "01138": "01", "75056": "75", "69123": "69", "13055": "13",
            "2A004": "2A", "97411": "974"}
ANCIENNES = {"01039": "01138", "75104": "75056", "13201": "13055"}


@pytest.mark.parametrize("value, expected", [
    (None, None), ("", None), ("   ", None), ("  église   Saint-Martin ", "église Saint-Martin"),
    ("a\r\nb\tc\u00a0d\u202fe", "a b c d e"), (["a", " b "], "a ; b"),
])
def test_clean_text_whitespace(value, expected):
    assert palissy.clean_text(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("tableau,cadre", ["tableau", "cadre"]), ("tableau;cadre", ["tableau", "cadre"]),
    (["tableau", " cadre ", "tableau"], ["tableau", "cadre"]), (None, []), ("", []),
    ("17e siècle ; 18e siècle", ["17e siècle", "18e siècle"]),
])
def test_split_multi(value, expected):
    assert palissy.split_multi(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("PA00113792", "PA00113792"), ("https://www.popalissy.culture.gouv.fr/notice/merimee/PA00113792", "PA00113792"),
    ("pa00113792 ; PA00000001", "PA00113792"), ("PA2A000012", "PA2A000012"), ("", None), (None, None),
    ("notice 12", None),
])
def test_ref_merimee_from_urls_and_lists(value, expected):
    assert palissy.ref_merimee_from(value) == expected


def test_mosa_gives_building_and_merimee_id():
    assert palissy.mosa_from("église Saint-Martin ; PA00934057") == ("église Saint-Martin", "PA00934057")
    assert palissy.mosa_from("chapelle du château") == ("chapelle du château", None)
    assert palissy.mosa_from(None) == (None, None)


@pytest.mark.parametrize("value, expected", [
    ("PM01000001", ("PM01000001", None)), (" pm01000001 ", ("PM01000001", None)), ("PM2A000012", ("PM2A000012", None)),
    ("", (None, "ref_manquante")), (None, (None, "ref_manquante")), ("PM-01", (None, "ref_invalide")),
    # Notices of the other bases of Palissy, whatever their length: cleaned, for the caller to exclude.
    ("IM01000017", ("IM01000017", None)), ("EM000000010", ("EM000000010", None)), (" em000000010", ("EM000000010", None)),
    # A PM notice must have eight characters after PM.
    ("PM010000011", (None, "ref_invalide")), ("PM0100001", (None, "ref_invalide")), ("E1000000010", (None, "ref_invalide")),
    ("EM01", (None, "ref_invalide")),
])
def test_ref_from(value, expected):
    assert palissy.ref_from(value) == expected


def test_only_pm_notices_are_objets_mh():
    assert palissy.notice_pm("PM01000001") and not palissy.notice_pm("IM01000001")
    assert not palissy.notice_pm("EM000000010")


def test_insee_codes_and_principal():
    assert palissy.insee_codes("94004 ; 94075") == ["94004", "94075"]
    assert palissy.insee_codes("1004") == ["01004"]
    assert palissy.insee_codes("2a004") == ["2A004"]
    assert palissy.insee_principal("94004 ; 94075") == ("94004", True)
    assert palissy.insee_principal("1004") == ("01004", False)


@pytest.mark.parametrize("code, commune", [("75104", "75056"), ("75120", "75056"), ("69381", "69123"),
                                           ("13216", "13055"), ("75056", None), ("13217", None)])
def test_arrondissements(code, commune):
    assert palissy.arrondissement_commune(code) == commune


@pytest.mark.parametrize("insee, web, depl, code, methode, flags", [
    ("01004", None, None, "01004", "insee", ()),                               # WEB empty -> INSEE
    ("01039", "01138", None, "01138", "web", ()),                             # merged/renumbered -> WEB
    ("01004", "01053", "oeuvre déplacée", "01053", "deplacement", ("deplace",)),  # moved -> WEB
    ("01039", None, None, "01138", "insee", ("commune_ancienne",)),            # former code, no WEB
    ("75104", None, None, "75056", "insee", ("arrondissement",)),
    ("75108", None, None, "75056", "insee", ("arrondissement",)),              # not in the reference: pattern
    ("1004", None, None, "01004", "insee", ("insee_sans_zero",)),
    ("01053 ; 01004", None, None, "01053", "insee", ("insee_multiple",)),
    ("01004", "99999", None, "01004", "insee", ("web_invalide",)),
    (None, None, None, None, "non_resolue", ("commune_non_resolue",)),
    ("xx", None, None, None, "non_resolue", ("insee_invalide", "commune_non_resolue")),
    ("99999", None, None, None, "non_resolue", ("commune_non_resolue",)),
    ("2a004", None, None, "2A004", "insee", ()),
])
def test_resolve_commune(insee, web, depl, code, methode, flags):
    found = palissy.resolve_commune(insee, web, depl, COMMUNES, ANCIENNES)
    assert (found.code, found.methode, found.anomalies) == (code, methode, flags)
    assert found.departement == (COMMUNES[code] if code else None)


def test_departement_from_insee_and_fallback():
    assert palissy.departement_from_insee("97411") == "974"
    assert palissy.departement_from_insee("2A004") == "2A"
    assert palissy.departement_from_insee("1004") == "01"
    assert palissy.departement_code("1") == "01" and palissy.departement_code("2b") == "2B" and palissy.departement_code("99") is None
    assert palissy.departement_fallback(None, "01", {"01"}) == "01"
    assert palissy.departement_fallback("74999", "01", {"01", "74"}) == "74"
    assert palissy.departement_fallback(None, None, {"01"}) is None


def test_scope_rules_in_order_first_failure_wins():
    ok = dict(insee="01004", doss="dossier individuel", manquant=None, tico="statue", proprietaire="commune",
              protection_latest_declasse=False)
    assert palissy.raison_hors_perimetre(**ok) is None
    assert palissy.raison_hors_perimetre(**{**ok, "insee": None}) == "insee_manquant"
    assert palissy.raison_hors_perimetre(**{**ok, "doss": "sous-dossier"}) == "sous_dossier"
    for doss in ("dossier individuel", "individuel", "dossier indiviuel", "dossier avec sous-dossier",
                 "Dossier individuel", None):
        assert palissy.raison_hors_perimetre(**{**ok, "doss": doss}) is None, doss
    assert palissy.raison_hors_perimetre(**{**ok, "manquant": "volé"}) == "vole_ou_manquant"
    assert palissy.raison_hors_perimetre(**{**ok, "tico": "Traitement en cours"}) == "traitement_en_cours"
    assert palissy.raison_hors_perimetre(**{**ok, "proprietaire": "propriété de la commune ; propriété de l'Etat"}) \
        == "propriete_etat"
    assert palissy.raison_hors_perimetre(**{**ok, "protection_latest_declasse": True}) == "declasse"
    # Several failures: the first rule wins.
    assert palissy.raison_hors_perimetre(**{**ok, "doss": "sous-dossier", "proprietaire": "etat"}) == "sous_dossier"
