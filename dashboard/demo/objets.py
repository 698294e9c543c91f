"""The demo's objets with their raw Palissy values (PROT, DPRO, DENO, CATE, SCLE, EMPL, STAT,
MANQUANT, DEPL, DOSS, TICO) and the typed columns the importer's rules derive from them.

The vocabularies are (value, weight) lists whose weights follow palissy.md's counts; the
import benchmark's synthetic export (dashboard/importer/generate.py) draws from them too.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.domain import palissy
from dashboard.demo.arrays import group_starts, pg_array, pick, values_of

REF_PREFIX = "PMZ"                # reserved: real Palissy references never use Z

# (DENO, TICO prefix, CATE, weight, subjects (None: the title is the prefix alone))
_STATUE = [("Vierge à l'Enfant", 15), ("saint Roch", 5), ("saint Sébastien", 5), ("sainte Barbe", 4),
           ("saint Jean-Baptiste", 4), ("saint Nicolas", 4), ("Christ en croix", 5), ("sainte Anne", 3),
           ("saint Éloi", 2), ("saint Antoine ermite", 3), ("Vierge de Pitié", 4), ("saint évêque", 4),
           ("saint Michel terrassant le dragon", 2), ("sainte Catherine d'Alexandrie", 3), ("saint Pierre", 3),
           ("saint Jacques le Majeur", 3), ("saint Martin", 3), ("Vierge", 4), ("ange adorateur", 3)]
_TABLEAU = [("Crucifixion", 4), ("Assomption", 4), ("Adoration des bergers", 3), ("Descente de croix", 3),
            ("Annonciation", 3), ("Vierge du Rosaire", 3), ("Sainte Famille", 3), ("Donation du Rosaire", 2),
            ("Martyre de saint Étienne", 1), ("Christ en croix", 4), ("saint Roch", 2), ("Adoration des mages", 2),
            ("Baptême du Christ", 2), ("Charité de saint Martin", 2), ("Éducation de la Vierge", 2), ("ex-voto", 2)]
_GROUPE = [("Vierge de Pitié", 4), ("Éducation de la Vierge", 3), ("Charité de saint Martin", 2),
           ("Sainte Anne trinitaire", 2), ("Mise au tombeau", 2), ("Calvaire", 2)]
_SEUL = [(None, 1)]
DENOMINATIONS = [
    (("statue",), "statue", ("sculpture",), 48929, _STATUE),
    (("tableau",), "tableau", ("peinture",), 29027, _TABLEAU),
    (("cloche",), "cloche", ("fonderie",), 6898, _SEUL),
    (("tableau", "cadre"), "tableau et son cadre", ("peinture", "menuiserie"), 6520, _TABLEAU),
    (("groupe sculpté",), "groupe sculpté", ("sculpture",), 6432, _GROUPE),
    (("calice",), "calice", ("orfèvrerie",), 5000, _SEUL),
    (("calice", "patène"), "calice et patène", ("orfèvrerie",), 3500, _SEUL),
    (("ciboire",), "ciboire", ("orfèvrerie",), 2500, _SEUL),
    (("ostensoir",), "ostensoir", ("orfèvrerie",), 2000, _SEUL),
    (("croix de procession",), "croix de procession", ("orfèvrerie",), 3000, _SEUL),
    (("reliquaire",), "reliquaire", ("orfèvrerie",), 2000, _SEUL),
    (("buste-reliquaire",), "buste-reliquaire", ("orfèvrerie", "sculpture"), 800, [("saint évêque", 1), (None, 2)]),
    (("chaire à prêcher",), "chaire à prêcher", ("menuiserie", "sculpture"), 2500, _SEUL),
    (("retable",), "retable", ("menuiserie", "sculpture"), 4000, [(None, 3), ("Assomption", 1), ("Crucifixion", 1)]),
    (("autel",), "autel", ("menuiserie", "sculpture"), 3000, _SEUL),
    (("autel", "retable", "tabernacle"), "ensemble du maître-autel", ("menuiserie", "sculpture"), 2000, _SEUL),
    (("tabernacle",), "tabernacle", ("menuiserie", "sculpture"), 2000, _SEUL),
    (("stalle",), "stalles", ("menuiserie",), 1500, _SEUL),
    (("confessionnal",), "confessionnal", ("menuiserie",), 1500, _SEUL),
    (("banc d'oeuvre",), "banc d'oeuvre", ("menuiserie",), 1200, _SEUL),
    (("lutrin",), "lutrin", ("menuiserie", "sculpture"), 1000, _SEUL),
    (("fonts baptismaux",), "fonts baptismaux", ("sculpture",), 2500, _SEUL),
    (("bénitier",), "bénitier", ("sculpture",), 1500, _SEUL),
    (("dalle funéraire",), "dalle funéraire", ("sculpture",), 4000, _SEUL),
    (("bas-relief",), "bas-relief", ("sculpture",), 2000, _GROUPE),
    (("croix de cimetière",), "croix de cimetière", ("sculpture",), 1500, _SEUL),
    (("chasuble",), "chasuble", ("broderie",), 3000, _SEUL),
    (("chape",), "chape", ("broderie",), 1200, _SEUL),
    (("bannière de procession",), "bannière de procession", ("broderie", "peinture"), 1000, _SEUL),
    (("verrière",), "verrière", ("vitrail",), 1500, [(None, 2), ("Crucifixion", 1)]),
    (("orgue de tribune",), "orgue de tribune", ("facture instrumentale",), 1000, _SEUL),
    (("tapisserie",), "tapisserie", ("tapisserie",), 500, _SEUL),
]
TRAITEMENT_EN_COURS = "Traitement en cours"

SIECLES = [(("18e siècle",), 44931), (("17e siècle",), 31158), (("19e siècle",), 29659), (("16e siècle",), 18718),
           (("15e siècle",), 9000), (("14e siècle",), 4000), (("13e siècle",), 3000), (("12e siècle",), 1500),
           (("1er quart 17e siècle",), 4000), (("2e moitié 18e siècle",), 6000), (("1ère moitié 19e siècle",), 4000),
           (("4e quart 15e siècle",), 2000), (("limite 15e siècle 16e siècle",), 3000),
           (("17e siècle", "18e siècle"), 2500), (("20e siècle",), 2500), (("3e quart 18e siècle",), 3000),
           (("milieu 17e siècle",), 2000)]

# DPRO stories: which dated entries an objet has. PROT values come with their story.
INSCRIT, CLASSE, INSCRIT_PUIS_CLASSE, IMMEUBLE, ENSEMBLE, DECLASSE, DESINSCRIT, RECLASSE_INSCRIT, AUCUNE = range(9)
PROTECTIONS = [
    ("inscrit au titre objet", INSCRIT, 140000),
    ("classé au titre objet", CLASSE, 100000),
    ("classé au titre objet", INSCRIT_PUIS_CLASSE, 14000),
    ("classé au titre objet ; inscrit au titre objet", INSCRIT_PUIS_CLASSE, 900),
    ("inscrit au titre objet ; classé au titre objet", INSCRIT_PUIS_CLASSE, 300),
    ("classé au titre immeuble", IMMEUBLE, 4289),
    ("classé comme un ensemble historique mobilier", ENSEMBLE, 260),
    ("déclassé", DECLASSE, 655),
    ("classé au titre objet", DECLASSE, 300),          # PROT not updated: the latest DPRO entry decides
    ("déclassé au titre objet", DECLASSE, 100),
    ("désinscrit", DESINSCRIT, 60),
    ("inscrit au titre objet", RECLASSE_INSCRIT, 150),  # déclassé and inscrit the same day
    ("Classé au titre objet", CLASSE, 400),
    ("classé  au titre objet", CLASSE, 250),
    ("inscrit au titre obejt", INSCRIT, 150),
    ("inscrite au titre objet", INSCRIT, 120),
    ("Inscrit au titre objet", INSCRIT, 200),
    ("inscr", INSCRIT, 60),
    ("classé au titre objet partiellement", CLASSE, 80),
    ("inscrit au titre objet (?)", INSCRIT, 60),
    ("classé MH", CLASSE, 50),
    (None, CLASSE, 300),                                 # PROT empty, DPRO filled
    (None, INSCRIT, 300),
    ("non protégé", AUCUNE, 40),
    ("sans protection", AUCUNE, 25),
]
STATUTS = [("propriété de la commune", 195477), ("propriété de l'Etat", 19007),
           ("propriété de la commune (?)", 12314), ("propriété privée", 11912), ("propriété publique", 10696),
           ("propriété d'une association", 4000), ("propriété du département", 2500),
           ("propriété d'un établissement public", 3000), ("propriété de la commune ; propriété privée", 1500),
           ("Propriété de la commune", 1500), ("propriété de l'Etat (?)", 800),
           ("propriété d'une personne privée", 2500), (None, 3000),
           ("propriété d'un établissement de santé", 1200), ("propriété de la région", 300),
           ("propriété d'une société privée", 500)]
DOSSIERS = [("dossier individuel", 254191), ("sous-dossier", 16511), ("dossier avec sous-dossier", 3832),
            ("sous-dossier avec sous-dossier", 317), ("individuel", 146), ("dossier indiviuel", 30),
            ("Dossier individuel", 100), ("dossier avec sous-dossiers", 200), (None, 300)]
# (MANQUANT, DEPL, weight per 100,000 objets)
MANQUANTS = [(None, None, 98230), ("volé", "oeuvre volée", 680), ("volé", "oeuvre volée partiellement", 150),
             ("volé", None, 140), ("manquant", "oeuvre disparue", 520), ("manquant", None, 130),
             (None, "oeuvre disparue", 50), (None, "oeuvre volée", 40), (None, "oeuvre retrouvée", 100)]
EMPLACEMENTS = [(None, 7400), ("sacristie", 700), ("choeur", 480), ("nef", 180), ("trésor", 110),
                ("chapelle latérale nord", 60), ("bas-côté sud", 50), ("transept", 40), ("tribune", 40)]


def _dpro_strings(rng, story: np.ndarray, dep_of_objet: np.ndarray, n_dep: int, n_obj_dep: np.ndarray) -> np.ndarray:
    """Dated DPRO from a pool of decree dates per département (sorted, so index order is time order)."""
    pool_size = np.maximum(4, np.ceil(n_obj_dep / 30).astype(np.int64))
    pool_start = group_starts(pool_size)
    total = int(pool_size.sum())
    old = rng.random(total) < 0.4
    year = np.where(old, rng.integers(1895, 1940, total), rng.integers(1940, 2022, total))
    day = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64) + rng.integers(0, 365, total)
    # Sort each département's pool by date.
    pool_dep = np.repeat(np.arange(n_dep), pool_size)
    order = np.lexsort((day, pool_dep))
    day = day[order]
    full = np.char.replace(np.datetime_as_string(day.astype("datetime64[D]")), "-", "/").astype(object)
    bare = np.char.replace(np.datetime_as_string(day.astype("datetime64[D]"), unit="Y"), "-", "/").astype(object)

    n = len(story)
    size = pool_size[dep_of_objet]
    i1 = pool_start[dep_of_objet] + (rng.random(n) * size).astype(np.int64)
    i2 = pool_start[dep_of_objet] + (rng.random(n) * size).astype(np.int64)
    a, b = np.minimum(i1, i2), np.maximum(i1, i2)
    year_only = rng.random(n) < 0.15
    d1 = np.where(year_only, bare[a], full[a])
    d2 = np.where(year_only, bare[b], full[b])
    swap = rng.random(n) < 0.3                                   # "any order"
    single = {INSCRIT: "inscrit au titre objet", CLASSE: "classé au titre objet",
              IMMEUBLE: "classé au titre immeuble", ENSEMBLE: "classé comme un ensemble historique mobilier"}
    double = {INSCRIT_PUIS_CLASSE: ("inscrit au titre objet", "classé au titre objet"),
              DECLASSE: ("classé au titre objet", "déclassé"), DESINSCRIT: ("inscrit au titre objet", "désinscrit")}
    out = np.full(n, None, dtype=object)
    for kind, label in single.items():
        m = story == kind
        out[m] = d1[m] + f" : {label}"
    for kind, (first, second) in double.items():
        m = story == kind
        a_, b_ = d1[m] + f" : {first}", d2[m] + f" : {second}"
        out[m] = np.where(swap[m], b_ + " ; " + a_, a_ + " ; " + b_)
    m = story == RECLASSE_INSCRIT
    out[m] = d1[m] + " : classé au titre objet ; " + d2[m] + " : déclassé ; " + d2[m] + " : inscrit au titre objet"
    return out


def _apply_unique(func, *columns) -> list:
    """Call func once per distinct combination of column values (the rules are pure)."""
    parts = [np.where(pd.isna(c), "\x00", c).astype(object) for c in columns]
    key = parts[0]
    for part in parts[1:]:
        key = key + "\x1f" + part
    codes, uniques = pd.factorize(key)
    results = [func(*[None if v == "\x00" else v for v in str(combo).split("\x1f")]) for combo in uniques]
    return [results[c] for c in codes]


def draw_objets(rng, communes: pd.DataFrame, plan: dict, edifices: dict) -> dict:
    """Every objet of every holding commune, in holder order: raw values, typed columns, and
    where it sits (holder, commune, département and édifice rows)."""
    holders, count = plan["holders"], plan["count"]
    n = int(count.sum())
    h_of = np.repeat(np.arange(len(holders)), count)             # holder index of each objet
    c_of = holders[h_of]                                          # commune row of each objet
    codes = communes["code"].to_numpy(dtype=object)
    deps = plan["deps"].astype(object)

    # Building: mostly the main church.
    local = np.where(rng.random(n) < 0.7, 0, (rng.random(n) * edifices["n_e"][h_of]).astype(np.int64))
    edifice_row = edifices["start"][h_of] + local

    d = pick(rng, [(x, x[3]) for x in DENOMINATIONS], n)
    titles, title_start = [], []
    for deno in DENOMINATIONS:
        title_start.append(len(titles))
        for subject, weight in deno[4]:
            titles.append(deno[1] if subject is None else f"{deno[1]} : {subject}")
    titles = np.array(titles, dtype=object)
    titre_idx = np.zeros(n, dtype=np.int64)
    for i, deno in enumerate(DENOMINATIONS):
        mask = d == i
        titre_idx[mask] = title_start[i] + pick(rng, deno[4], int(mask.sum()))
    titre = titles[titre_idx]
    titre[rng.random(n) < 0.001] = TRAITEMENT_EN_COURS
    denomination = np.array([pg_array(x[0]) for x in DENOMINATIONS], dtype=object)[d]
    categorie = np.array([pg_array(x[2]) for x in DENOMINATIONS], dtype=object)[d]
    siecle = np.array([pg_array(x[0]) for x in SIECLES], dtype=object)[pick(rng, SIECLES, n)]

    p = pick(rng, PROTECTIONS, n)
    prot = values_of(PROTECTIONS)[p]
    story = np.array([x[1] for x in PROTECTIONS])[p]
    dep_of_objet = plan["dep_idx"][c_of]
    dpro = _dpro_strings(rng, story, dep_of_objet, len(deps), plan["n_obj"])

    stat = values_of(STATUTS)[pick(rng, STATUTS, n)]
    m = pick(rng, MANQUANTS, n)
    manquant = values_of(MANQUANTS)[m]
    deplacement = np.array([x[1] for x in MANQUANTS], dtype=object)[m]
    doss = values_of(DOSSIERS)[pick(rng, DOSSIERS, n)]
    emplacement = values_of(EMPLACEMENTS)[pick(rng, EMPLACEMENTS, n)]
    cloche = np.flatnonzero(d == 2)
    emplacement[cloche] = np.where(rng.random(len(cloche)) < 0.6, "clocher", None)
    denq = np.where(rng.random(n) < 0.25, rng.integers(1985, 2016, n).astype(str).astype(object), None)
    etat_pop = np.array([None, "bon état", "état moyen", "mauvais état"], dtype=object)[
        rng.choice(4, size=n, p=[0.95, 0.025, 0.015, 0.01])]

    # Typed columns: the importer's rules, once per distinct raw value.
    prot_date = _apply_unique(palissy.protection_from, prot, dpro)
    protection = np.array([x[0] for x in prot_date], dtype=object)
    protection_date = np.array([x[1].isoformat() if x[1] else None for x in prot_date], dtype=object)
    proprietaire = np.array(_apply_unique(palissy.proprietaire_from, stat), dtype=object)
    insee = codes[c_of]
    raison = np.array(_apply_unique(
        lambda dos, man, tic, pro, nonp: palissy.raison_hors_perimetre("x", dos, man, tic, pro, nonp == "1"),
        doss, manquant, titre, proprietaire, np.where(protection == "non_protege", "1", "0")), dtype=object)

    return {
        "n": n, "h_of": h_of, "c_of": c_of, "edifice_row": edifice_row, "dep_of": dep_of_objet,
        "ref": np.char.add(REF_PREFIX, np.char.zfill(np.arange(1, n + 1).astype(str), 7)).astype(object),
        "titre": titre, "denomination": denomination, "categorie": categorie, "siecle": siecle,
        "protection": protection, "protection_brute": prot, "dpro": dpro, "protection_date": protection_date,
        "statut_proprietaire": stat, "proprietaire": proprietaire, "insee_brut": insee, "commune_code": insee,
        "departement_code": deps[dep_of_objet], "edifice_nom": edifices["nom"][edifice_row],
        "emplacement": emplacement, "manquant": manquant, "deplacement": deplacement, "dossier_type": doss,
        "denq": denq, "etat_pop": etat_pop, "dans_perimetre": np.array([r is None for r in raison]),
        "hors_perimetre_raison": raison,
    }



def objet_rows(objets: dict, edifice_ids: np.ndarray, chargement_id: int) -> dict:
    """The columns of demo_copie_objet."""
    n = objets["n"]
    return {
        **{k: objets[k] for k in ("ref", "titre", "denomination", "categorie", "siecle", "protection",
                                  "protection_brute", "dpro", "protection_date", "statut_proprietaire",
                                  "proprietaire", "insee_brut", "commune_code", "departement_code")},
        "commune_resolution": ["demo"] * n,
        "edifice_id": edifice_ids[objets["edifice_row"]].tolist(),
        **{k: objets[k] for k in ("edifice_nom", "emplacement", "manquant", "deplacement", "dossier_type", "denq",
                                  "etat_pop")},
        "dans_perimetre": objets["dans_perimetre"].tolist(), "hors_perimetre_raison": objets["hors_perimetre_raison"],
        "provenance": ["demo"] * n, "chargement_id": [chargement_id] * n}
