"""A deterministic national demo: objets, édifices, five years of campaigns, dossiers,
recensements and examens, and one demo user per role.

What the demo imitates, and why
- Objets per département: the real 2022 counts of POP Palissy (PM notices, 275,926 in
  all, table below), times `scale`. They are public aggregates, kept here so the project
  never reads ../shared at run time.
- Objets sit in about 15,000 communes nationally (scaled, a handful per département at
  least), picked with a bias towards populated communes (weight ~ population^0.35, so many
  small rural communes too), and spread over them with heavy-tailed (Pareto) weights: the
  largest communes hold a few thousand objets at full scale (real maximum: Nohant-Vic,
  3,461). Each holding commune has 1 to 4 édifices (église Saint-Martin, chapelle..., a
  cathédrale in some large towns), without Mérimée reference.
- Raw Palissy values (PROT with its dirty variants, dated DPRO, DENO, CATE, SCLE, EMPL,
  STAT, MANQUANT, DEPL, DOSS, TICO) follow the vocabularies and proportions of palissy.md;
  the typed columns (protection, owner, scope and its reason) are computed by
  dashboard.domain.palissy, the functions the real importer uses. Protection dates come from a
  pool of decree dates per département (a decree protects many objets the same day), which
  is realistic and keeps the number of distinct (PROT, DPRO) values small.
- REF values use the reserved pattern PMZ + 7 digits (real Palissy never uses Z), so demo
  objets can never collide with imported ones.
- Campaigns: five yearly periods ending at `today`; each year about 30 % of the départements
  with objets run one campaign (finished in the past, ongoing at the end; never two at a
  time in one département) and invite part of their communes. Answering communes (one
  dossier per commune per campaign, every in-scope objet recensed) are drawn until about
  15 % of the yearly objective (objets in scope / 5) is recensed each year, the real pace.
- Dossiers age like real ones: old ones accepted or archived, recent ones submitted (to be
  examined) or in construction with draft recensements; a commune never has two open
  dossiers (older ones are archived). Recensements: about 1 % absent, 2 % non recensable,
  état mostly bon/moyen, a few % mauvais, about 1 % péril. Examens cover every accepted
  dossier and part of the submitted ones, by the demo conservateur of the département or
  else the demo admin, with overrides on about 10 % of what they analyse.
- Everything derives from numpy's PCG64(seed) and `today`: same arguments, same content
  (ORDER BY on every read; ids come from the sequences, so equal in a fresh database).

- Demo users (demo = true), one per role: admin (national), conservateur (62 and 59),
  drac (région 32), deploiement (62), commune (the commune of 62 holding the most objets
  with a dossier to examine). When 62 holds nothing (tiny scales), the département holding
  the most objets stands in for it.
- Départements of the table without communes in the database (975 when the reference data
  lacks it) are skipped and reported in the counts (departements_ignores); Mayotte (976)
  had no PM notice in 2022.

The load runs in the caller's transaction (COPY through psycopg), with per-row audit off
(objets.bulk) and one summary audit row; the load_state marker commits with the data, so
an interrupted load leaves nothing. A national load spends most of its time in per-row
triggers (the audit trigger builds its jsonb before it reads objets.bulk; foreign keys are
checked row by row): a superuser skips them (session_replication_role = replica, as
pg_restore --disable-triggers does), then the foreign keys are checked set-based and
data_version is bumped here.
"""
from __future__ import annotations

import json
import time
from datetime import date, timedelta

import numpy as np
import pandas as pd
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import text
from sqlalchemy.engine import Connection

from dashboard.domain import palissy

# POP Palissy, PM notices per département, 2022 (palissy.md): 275,926 in all.
_OBJETS_2022 = """
01:2773 02:3662 03:1184 04:3416 05:2602 06:4338 07:1411 08:1335 09:5355 10:4943 11:3154 12:1921
13:3235 14:4087 15:1526 16:687 17:2733 18:1375 19:1573 21:6138 22:5347 23:1106 24:2919 25:3119
26:2424 27:3796 28:2010 29:4683 2A:812 2B:1334 30:2280 31:2564 32:1733 33:2994 34:4903 35:3250
36:5414 37:1695 38:2132 39:3470 40:1126 41:3463 42:2387 43:3989 44:1681 45:2541 46:2548 47:1431
48:1301 49:6174 50:1593 51:3755 52:2105 53:1321 54:2171 55:2742 56:6414 57:1236 58:2563 59:9178
60:3970 61:3307 62:8662 63:3060 64:2930 65:1822 66:1937 67:1853 68:2052 69:3447 70:3801 71:2187
72:3493 73:3791 74:1543 75:4870 76:5946 77:5018 78:2295 79:514 80:6001 81:2221 82:1437 83:3157
84:1728 85:1762 86:1721 87:1739 88:1853 89:4920 90:396 91:3371 92:476 93:795 94:525 95:1684
971:122 972:115 973:71 974:163 975:19
"""
OBJETS_2022: dict[str, int] = {d: int(n) for d, n in (x.split(":") for x in _OBJETS_2022.split())}
COMMUNES_AVEC_OBJETS = 15_000     # about one commune in two (domain.md)
ANS = 5                           # the récolement cycle
PART_OBJECTIF = 0.15              # share of the yearly objective reached today
PART_DEPARTEMENTS_EN_CAMPAGNE = 0.30
REF_PREFIX = "PMZ"                # reserved: real Palissy references never use Z


class DemoError(Exception):
    """The demo cannot be loaded (missing reference data, already loaded)."""


# --- vocabularies: (value, weight); weights follow palissy.md's counts -----------------

def _pg_array(values) -> str:
    """A PostgreSQL text[] literal."""
    quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


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
EGLISES = [("église", 32687), ("église Saint-Martin", 10852), ("église Saint-Pierre", 7977),
           ("église Notre-Dame", 6000), ("église Saint-Étienne", 3500), ("église Saint-Germain", 3000),
           ("église Saint-Jean-Baptiste", 3000), ("église Saint-Nicolas", 2500), ("église de l'Assomption", 2500),
           ("église Saint-Rémi", 2000), ("église Saint-Maurice", 2000), ("église Saint-Denis", 1500),
           ("église Saint-Laurent", 1500), ("église Sainte-Madeleine", 1200)]
CATHEDRALES = ["cathédrale Notre-Dame", "cathédrale Saint-Étienne", "cathédrale Saint-Pierre",
               "collégiale Saint-Martin"]
AUTRES_EDIFICES = ["chapelle Notre-Dame", "chapelle Saint-Roch", "chapelle Sainte-Anne", "chapelle Saint-Sébastien",
                   "chapelle des Pénitents", "chapelle du cimetière", "hôtel de ville", "chapelle de l'hôpital",
                   "chapelle Saint-Joseph", "presbytère"]
LIEUX_AUTRE_EDIFICE = ["mairie", "presbytère", "salle paroissiale", "chapelle Saint-Roch", "musée municipal",
                       "dépôt communal"]
ETATS = ["bon", "moyen", "mauvais", "peril"]
PARTS_ETATS = [0.56, 0.355, 0.075, 0.01]
NOTES_RECENSEMENT = ["Traces d'humidité sur le socle.", "Objet rangé dans une armoire fermée à clé.",
                     "Dorure écaillée par endroits.", "Vitrine fermée à clé.", "Attaque d'insectes xylophages visible.",
                     "Difficile d'accès, photographié depuis la tribune.", "Nettoyé récemment par des bénévoles."]
NOTES_ABSENT = ["Introuvable lors de la visite.", "Plus vu depuis les travaux de l'église.",
                "Aucun paroissien ne se souvient de cet objet."]
NOTES_DEPLACEMENT = ["En restauration chez un restaurateur agréé.", "Prêté pour une exposition.",
                     "Déposé en mairie pendant les travaux."]
NOTES_COMMUNE = ["Recensement fait avec l'aide de l'association paroissiale.",
                 "Certains objets sont difficiles d'accès.",
                 "L'église est fermée en semaine ; clé disponible en mairie.",
                 "Nous souhaitons un conseil pour l'entretien.",
                 "Merci pour cette démarche."]
NOTES_CONSERVATEUR = ["Merci pour ce recensement complet.", "Une visite sera organisée pour les objets fragiles.",
                      "Prévoir un constat d'état par un restaurateur.", "Photos très utiles, merci.",
                      "Penser à sécuriser les objets de petite taille."]
NOTES_EXAMEN = ["Prévoir une intervention de conservation préventive.", "État conforme aux photos.",
                "Déplacer l'objet à l'abri de l'humidité.", "À faire examiner par un restaurateur.",
                "Mettre l'objet hors de portée du public."]
RAISONS_SUPPRESSION = ["objet en double", "erreur de saisie", "objet d'une autre commune"]
PRENOMS = ["Marie", "Jean", "Pierre", "Anne", "Michel", "Catherine", "Philippe", "Isabelle", "Alain", "Sylvie",
           "Bernard", "Nathalie", "Christophe", "Sandrine", "Patrick", "Martine", "Éric", "Valérie", "Laurent",
           "Christine"]
NOMS = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier"]
FONCTIONS = ["secrétaire de mairie", "adjoint au maire", "maire", "bénévole"]
FICHES = ["depot_plainte", "securisation", "restauration", "entretien_edifices", "entretien_objets"]

# The demo users; the commune user's commune is chosen after the dossiers exist.
USERS = [
    ("admin", "admin.demo@example.org", "Alix Administratrice (démo)"),
    ("conservateur", "conservatrice.demo@example.org", "Camille Conservatrice (démo)"),
    ("drac", "drac.demo@example.org", "Dominique Drac (démo)"),
    ("deploiement", "deploiement.demo@example.org", "Sacha Déploiement (démo)"),
    ("commune", "mairie.demo@example.org", "Claude Mairie (démo)"),
]
DEPARTEMENTS_DEMO = ("62", "59")  # Pas-de-Calais, Nord (région 32, Hauts-de-France)


def _weights(pairs) -> np.ndarray:
    w = np.array([p[-1] for p in pairs], dtype=float)
    return w / w.sum()


def _pick(rng, pairs, n: int) -> np.ndarray:
    return rng.choice(len(pairs), size=n, p=_weights(pairs))


def _values(pairs) -> np.ndarray:
    return np.array([p[0] for p in pairs], dtype=object)


def _round(x) -> np.ndarray:
    return np.floor(np.asarray(x, dtype=float) + 0.5).astype(np.int64)


def _group_starts(sizes: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)


def _ranges(starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups (start, size): (group index of each element, element index)."""
    group = np.repeat(np.arange(len(sizes)), sizes)
    offset = np.arange(int(sizes.sum())) - np.repeat(_group_starts(sizes), sizes)
    return group, np.repeat(starts, sizes) + offset


# --- timestamps: days since epoch (int) + seconds ---------------------------------------

def _days(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def _timestamps(days: np.ndarray, seconds: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """'YYYY-MM-DD HH:MM:SS+00' strings (None where mask is False)."""
    stamps = (np.asarray(days, dtype="int64") * 86400 + np.asarray(seconds, dtype="int64")).astype("datetime64[s]")
    out = np.char.add(np.char.replace(np.datetime_as_string(stamps, unit="s"), "T", " "), "+00").astype(object)
    if mask is not None:
        out[~np.asarray(mask, dtype=bool)] = None
    return out


def _dates(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(np.asarray(days, dtype="int64").astype("datetime64[D]")).astype(object)


def _office_seconds(rng, n: int) -> np.ndarray:
    return rng.integers(8 * 3600, 19 * 3600, size=n)


# --- reading what the demo stands on ----------------------------------------------------

def _read_reference(conn: Connection) -> tuple[pd.DataFrame, pd.DataFrame]:
    communes = pd.DataFrame(conn.execute(text(
        "SELECT c.code_insee AS code, c.nom, coalesce(c.population, 0) AS population, c.departement_code AS dep "
        "FROM commune c ORDER BY c.code_insee")).all(), columns=["code", "nom", "population", "dep"])
    departements = pd.DataFrame(conn.execute(text(
        "SELECT code, nom, region_code FROM departement ORDER BY code")).all(), columns=["code", "nom", "region"])
    if communes.empty:
        raise DemoError("aucune commune en base : chargez d'abord les données de référence "
                        "(région, département, commune)")
    return communes, departements


def _reserve_ids(conn: Connection, table: str, n: int) -> np.ndarray:
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    rows = conn.execute(text(
        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, :n) ORDER BY 1"), {"n": n})
    return np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)


def _nulls(values: np.ndarray) -> np.ndarray:
    missing = pd.isna(values)
    if missing.any():
        values = values.copy()
        values[missing] = None
    return values


def _copy(conn: Connection, table: str, columns: dict) -> int:
    """COPY rows given as column arrays (None for NULL) through psycopg 3."""
    names = list(columns)
    arrays = [v if isinstance(v, list) else _nulls(np.asarray(v, dtype=object)).tolist() for v in columns.values()]
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN",
                                       writer=QueuedLibpqWriter(cur)) as copy:
        for row in zip(*arrays):
            copy.write_row(row)
    return len(arrays[0]) if arrays else 0


# --- the generation ---------------------------------------------------------------------

def _plan_objets(rng, communes: pd.DataFrame, scale: float) -> dict:
    """How many objets per département and per holding commune."""
    dep_of = communes["dep"].to_numpy()
    deps, dep_idx, ncom = np.unique(dep_of, return_inverse=True, return_counts=True)
    total_2022 = sum(OBJETS_2022.values())
    skipped = sorted(d for d in OBJETS_2022 if d not in set(deps))
    real = np.array([OBJETS_2022.get(d, 0) for d in deps], dtype=float)
    n_obj = _round(real * scale)
    if scale > 0:
        n_obj = np.where(real > 0, np.maximum(n_obj, 1), 0)
    lo = np.minimum.reduce([np.full_like(ncom, 5), ncom, n_obj])
    hi = np.minimum.reduce([ncom, n_obj, np.maximum(lo, np.ceil(0.85 * ncom).astype(np.int64))])
    # Holders in proportion to objets, capped by the communes there; a few passes make up
    # for the caps so that the national total stays near COMMUNES_AVEC_OBJETS * scale.
    target = COMMUNES_AVEC_OBJETS * scale
    factor = 1.0
    for _ in range(5):
        holders_per_dep = np.clip(_round(target * factor * real / total_2022), lo, hi)
        if holders_per_dep.sum() == 0:
            break
        factor *= target / holders_per_dep.sum()
    holders_per_dep = np.clip(_round(target * factor * real / total_2022), lo, hi)

    # Weighted draw without replacement (Gumbel top-k): bigger communes more often.
    population = communes["population"].to_numpy(dtype=float)
    key = 0.35 * np.log(population + 100.0) + rng.gumbel(size=len(communes))
    order = np.lexsort((-key, dep_idx))
    rank = np.empty(len(communes), dtype=np.int64)
    rank[order] = np.arange(len(communes)) - _group_starts(ncom)[dep_idx[order]]
    holder = rank < holders_per_dep[dep_idx]
    holders = np.flatnonzero(holder)                       # commune rows, in code order

    # Heavy-tailed spread of each département's objets over its holders (at least one each).
    weight = (rng.pareto(1.1, size=len(holders)) + 1.0) * (population[holders] + 100.0) ** 0.15
    count = np.ones(len(holders), dtype=np.int64)
    h_dep = dep_idx[holders]
    for d in np.flatnonzero(holders_per_dep):
        members = np.flatnonzero(h_dep == d)
        extra = int(n_obj[d]) - len(members)
        if extra > 0:
            count[members] += rng.multinomial(extra, weight[members] / weight[members].sum())
    return {"deps": deps, "dep_idx": dep_idx, "holders": holders, "count": count, "skipped": skipped,
            "n_obj": n_obj}


def _edifices(rng, communes: pd.DataFrame, holders: np.ndarray, count: np.ndarray) -> dict:
    n_e = np.clip(1 + rng.poisson(0.3 * np.log1p(count)), 1, 4)
    n_e = np.minimum(n_e, count)
    owner, _ = _ranges(np.zeros(len(n_e), dtype=np.int64), n_e)
    rank = np.arange(int(n_e.sum())) - np.repeat(_group_starts(n_e), n_e)
    population = communes["population"].to_numpy()[holders]
    first = _values(EGLISES)[_pick(rng, EGLISES, len(holders))]
    cathedrale = (population >= 40000) & (rng.random(len(holders)) < 0.5)
    first[cathedrale] = np.array(CATHEDRALES, dtype=object)[rng.integers(0, len(CATHEDRALES), cathedrale.sum())]
    offset = rng.integers(0, len(AUTRES_EDIFICES), len(holders))
    others = np.array(AUTRES_EDIFICES, dtype=object)[(offset[owner] + rank - 1) % len(AUTRES_EDIFICES)]
    nom = np.where(rank == 0, first[owner], others)
    return {"owner": owner, "nom": nom, "n_e": n_e, "start": _group_starts(n_e)}


def _dpro_strings(rng, story: np.ndarray, dep_of_objet: np.ndarray, n_dep: int, n_obj_dep: np.ndarray) -> np.ndarray:
    """Dated DPRO from a pool of decree dates per département (sorted, so index order is time order)."""
    pool_size = np.maximum(4, np.ceil(n_obj_dep / 30).astype(np.int64))
    pool_start = _group_starts(pool_size)
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


def _objets(rng, communes: pd.DataFrame, plan: dict, edifices: dict) -> dict:
    holders, count = plan["holders"], plan["count"]
    n = int(count.sum())
    h_of = np.repeat(np.arange(len(holders)), count)             # holder index of each objet
    c_of = holders[h_of]                                          # commune row of each objet
    codes = communes["code"].to_numpy(dtype=object)
    deps = plan["deps"].astype(object)

    # Building: mostly the main church.
    local = np.where(rng.random(n) < 0.7, 0, (rng.random(n) * edifices["n_e"][h_of]).astype(np.int64))
    edifice_row = edifices["start"][h_of] + local

    d = _pick(rng, [(x, x[3]) for x in DENOMINATIONS], n)
    titles, title_start = [], []
    for deno in DENOMINATIONS:
        title_start.append(len(titles))
        for subject, weight in deno[4]:
            titles.append(deno[1] if subject is None else f"{deno[1]} : {subject}")
    titles = np.array(titles, dtype=object)
    titre_idx = np.zeros(n, dtype=np.int64)
    for i, deno in enumerate(DENOMINATIONS):
        mask = d == i
        titre_idx[mask] = title_start[i] + _pick(rng, deno[4], int(mask.sum()))
    titre = titles[titre_idx]
    titre[rng.random(n) < 0.001] = TRAITEMENT_EN_COURS
    denomination = np.array([_pg_array(x[0]) for x in DENOMINATIONS], dtype=object)[d]
    categorie = np.array([_pg_array(x[2]) for x in DENOMINATIONS], dtype=object)[d]
    siecle = np.array([_pg_array(x[0]) for x in SIECLES], dtype=object)[_pick(rng, SIECLES, n)]

    p = _pick(rng, PROTECTIONS, n)
    prot = _values(PROTECTIONS)[p]
    story = np.array([x[1] for x in PROTECTIONS])[p]
    dep_of_objet = plan["dep_idx"][c_of]
    dpro = _dpro_strings(rng, story, dep_of_objet, len(deps), plan["n_obj"])

    stat = _values(STATUTS)[_pick(rng, STATUTS, n)]
    m = _pick(rng, MANQUANTS, n)
    manquant = _values(MANQUANTS)[m]
    deplacement = np.array([x[1] for x in MANQUANTS], dtype=object)[m]
    doss = _values(DOSSIERS)[_pick(rng, DOSSIERS, n)]
    emplacement = _values(EMPLACEMENTS)[_pick(rng, EMPLACEMENTS, n)]
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


def _demo_departements(deps: np.ndarray, n_in_scope_dep: np.ndarray) -> list[str]:
    """62 and 59 when they hold objets; else the département holding the most (code order on ties)."""
    holding = {d for d, k in zip(deps, n_in_scope_dep) if k > 0}
    chosen = [d for d in DEPARTEMENTS_DEMO if d in holding]
    if DEPARTEMENTS_DEMO[0] not in holding:
        ranked = sorted(holding, key=lambda d: (-int(n_in_scope_dep[list(deps).index(d)]), d))
        chosen = ranked[:1]
    return chosen


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:          # 29 February
        return today.replace(year=today.year - years, day=28)


def _campagnes(rng, today: date, deps: np.ndarray, dep_names: dict, n_in_scope_dep: np.ndarray,
               demo_deps: list[str]) -> pd.DataFrame:
    """One campaign per chosen département per yearly period; none overlap in a département."""
    eligible = np.flatnonzero(n_in_scope_dep > 0)
    today_day = _days(today)
    rows = []
    for k in range(ANS):
        start = _days(_years_before(today, ANS - k))
        chosen = eligible[rng.random(len(eligible)) < PART_DEPARTEMENTS_EN_CAMPAGNE]
        forced = {ANS - 1: demo_deps[:1], ANS - 4: demo_deps[:1], ANS - 2: demo_deps[1:2] or demo_deps[:1]}
        for code in forced.get(k, []):
            chosen = np.union1d(chosen, np.flatnonzero(deps == code))
        if k < ANS - 1:
            launch = start + rng.integers(0, 200, len(chosen))
        else:
            launch = start + rng.integers(0, max(1, today_day - start - 45), len(chosen))
            for code in demo_deps[:1]:
                launch[deps[chosen] == code] = today_day - rng.integers(30, 61)
        duration = rng.integers(90, 151, len(chosen))
        no_third = rng.random(len(chosen)) < 0.4
        for i, dep in enumerate(chosen):
            rows.append((k, int(dep), int(launch[i]), int(launch[i] + duration[i]), bool(no_third[i])))
    frame = pd.DataFrame(rows, columns=["period", "dep", "launch", "end", "no_third"])
    frame["statut"] = np.where(frame["end"] < today_day, "finished", "ongoing")
    frame["nom"] = [f"Recensement {dep_names[deps[d]]} {(date(1970, 1, 1) + timedelta(days=int(l))).year}"
                    for d, l in zip(frame["dep"], frame["launch"])]
    return frame.sort_values(["launch", "dep"], kind="stable").reset_index(drop=True)


def _invitations_et_reponses(rng, campagnes: pd.DataFrame, plan: dict, n_in_scope_holder: np.ndarray,
                             demo_deps: list[str], deps: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Invited communes of each campaign, and the ones that answer (a dossier each)."""
    h_dep = plan["dep_idx"][plan["holders"]]
    by_dep = {d: np.flatnonzero((h_dep == d) & (n_in_scope_holder > 0)) for d in np.unique(campagnes["dep"])}
    invited = []
    for ci, camp in campagnes.iterrows():
        members = by_dep[camp["dep"]]
        share = rng.uniform(0.35, 0.8)
        keep = members[rng.random(len(members)) < share]
        if len(keep) == 0:
            keep = members[:1]
        invited.append(pd.DataFrame({"campagne": ci, "holder": keep, "period": camp["period"]}))
    invited = pd.concat(invited, ignore_index=True)

    total_in_scope = int(n_in_scope_holder.sum())
    answered_period = np.full(len(n_in_scope_holder), -99)
    answers = []
    for k in range(ANS):
        cand = invited[(invited["period"] == k)]
        cand = cand[answered_period[cand["holder"].to_numpy()] < k - 2]
        sizes = n_in_scope_holder[cand["holder"].to_numpy()]
        # Small communes answer more readily; draw in that random order until the target.
        key = rng.gumbel(size=len(cand)) - 0.3 * np.log(sizes)
        order = np.argsort(-key, kind="stable")
        # Open dossiers of the last period, deleted and repeated recensements do not count.
        target = 1.07 * PART_OBJECTIF * total_in_scope / ANS / (0.75 if k == ANS - 1 else 1.0)
        cum = np.cumsum(sizes[order])
        take = order[(cum - sizes[order]) < target]
        chosen = cand.iloc[np.sort(take)].copy()
        demo_camp = campagnes.index[(campagnes["period"] == k)
                                    & np.isin(deps[campagnes["dep"].to_numpy()], demo_deps[:1])]
        if k == ANS - 1 and len(demo_camp):
            demo_rows = cand[cand["campagne"] == demo_camp[0]]
            if len(demo_rows) and not (chosen["campagne"] == demo_camp[0]).any():
                best = demo_rows.iloc[[int(np.argmax(key[(cand["campagne"] == demo_camp[0]).to_numpy()]))]]
                chosen = pd.concat([chosen, best])
        answered_period[chosen["holder"].to_numpy()] = k
        answers.append(chosen)
    answers = pd.concat(answers, ignore_index=True).sort_values(["campagne", "holder"], kind="stable")
    return invited, answers.reset_index(drop=True)


def _dossiers(rng, today: date, campagnes: pd.DataFrame, answers: pd.DataFrame, demo_campagne: int | None
              ) -> pd.DataFrame:
    """Dates and status of each dossier; the recensement days are drawn with the recensements."""
    cap = _days(today) - 1
    n = len(answers)
    camp = campagnes.loc[answers["campagne"]].reset_index(drop=True)
    launch = camp["launch"].to_numpy()
    window = np.minimum(camp["end"].to_numpy(), cap)
    created = launch + 1 + (rng.random(n) * np.maximum(1, (window - launch) // 2)).astype(np.int64)
    created = np.minimum(created, window)
    visit = np.minimum(created + rng.integers(0, 8, n), window)
    period = answers["period"].to_numpy()
    u = rng.random(n)
    statut = np.where(period <= ANS - 3, np.where(u < 0.85, "accepted", np.where(u < 0.97, "archived", "abandoned")),
                      np.where(period == ANS - 2,
                               np.select([u < 0.65, u < 0.90, u < 0.97], ["accepted", "submitted", "archived"],
                                         "abandoned"),
                               np.select([u < 0.2, u < 0.7], ["accepted", "submitted"], "construction")))
    if demo_campagne is not None:
        statut[(answers["campagne"].to_numpy() == demo_campagne) & (np.arange(n) == np.argmax(
            answers["campagne"].to_numpy() == demo_campagne))] = "submitted"
    return pd.DataFrame({"campagne": answers["campagne"].to_numpy(), "holder": answers["holder"].to_numpy(),
                         "period": period, "created": created, "visit": visit, "window": window, "statut": statut,
                         "created_s": rng.integers(7 * 3600, 8 * 3600, n)})


def _recensements(rng, dossiers: pd.DataFrame, in_scope_start: np.ndarray, in_scope_count: np.ndarray,
                  in_scope_objets: np.ndarray, objets: dict, communes_dep: np.ndarray, dep_starts: np.ndarray,
                  dep_sizes: np.ndarray) -> dict:
    """One recensement per in-scope objet of each answering commune (drafts in open dossiers)."""
    holder = dossiers["holder"].to_numpy()
    sizes = in_scope_count[holder]
    dossier_of, idx = _ranges(in_scope_start[holder], sizes)
    objet = in_scope_objets[idx]
    n = len(objet)
    open_ = np.isin(dossiers["statut"].to_numpy(), ["construction", "abandoned"])[dossier_of]
    # Open dossiers hold only part of their objets: some completed, some drafts.
    share = rng.uniform(0.3, 0.9, len(dossiers))[dossier_of]
    keep = ~open_ | (rng.random(n) < share)
    dossier_of, objet, open_ = dossier_of[keep], objet[keep], open_[keep]
    n = len(objet)
    draft = open_ & (rng.random(n) < 0.3)

    visit = dossiers["visit"].to_numpy()[dossier_of]
    window = dossiers["window"].to_numpy()[dossier_of]
    day = visit + (rng.random(n) * (np.minimum(14, window - visit) + 1)).astype(np.int64)
    day = np.minimum(day, window)
    seconds = _office_seconds(rng, n)

    loc = rng.choice(5, size=n, p=[0.925, 0.04, 0.02, 0.004, 0.011])
    localisation = np.array(["edifice_initial", "autre_edifice", "deplacement_temporaire",
                             "deplacement_autre_commune", "absent"], dtype=object)[loc]
    recensable = np.where(loc == 4, False, rng.random(n) >= 0.02).astype(object)
    etat = np.array(ETATS, dtype=object)[rng.choice(4, size=n, p=PARTS_ETATS)]
    secu = np.where(rng.random(n) < 0.85, "en_securite", "en_danger").astype(object)
    etat[recensable == False] = None  # noqa: E712  (object array)
    secu[recensable == False] = None  # noqa: E712
    # Drafts are half filled.
    blank_loc = draft & (rng.random(n) < 0.2)
    localisation[blank_loc] = None
    recensable[blank_loc] = None
    etat[blank_loc | (draft & (rng.random(n) < 0.3))] = None
    secu[blank_loc | (draft & (rng.random(n) < 0.3))] = None

    edifice_nom = np.full(n, None, dtype=object)
    autre = localisation == "autre_edifice"
    edifice_nom[autre] = np.array(LIEUX_AUTRE_EDIFICE, dtype=object)[rng.integers(0, len(LIEUX_AUTRE_EDIFICE),
                                                                                    autre.sum())]
    # Moved to another commune of the département (the next commune in code order when alone).
    autre_commune = np.full(n, None, dtype=object)
    moved = np.flatnonzero(localisation == "deplacement_autre_commune")
    own = objets["c_of"][objet[moved]]
    dep = communes_dep[own]
    members = np.argsort(communes_dep, kind="stable")
    pos = (rng.random(len(moved)) * dep_sizes[dep]).astype(np.int64)
    other = members[dep_starts[dep] + pos]
    retry = members[dep_starts[dep] + (pos + 1) % dep_sizes[dep]]
    other = np.where(other == own, np.where(dep_sizes[dep] > 1, retry, (own + 1) % len(communes_dep)), other)
    autre_commune[moved] = objets["codes"][other]

    notes = np.full(n, None, dtype=object)
    pick = rng.random(n)
    general = pick < 0.10
    notes[general] = np.array(NOTES_RECENSEMENT, dtype=object)[rng.integers(0, len(NOTES_RECENSEMENT), general.sum())]
    absent = localisation == "absent"
    notes[absent & (pick < 0.8)] = np.array(NOTES_ABSENT, dtype=object)[
        rng.integers(0, len(NOTES_ABSENT), (absent & (pick < 0.8)).sum())]
    temp = localisation == "deplacement_temporaire"
    notes[temp & (pick < 0.7)] = np.array(NOTES_DEPLACEMENT, dtype=object)[
        rng.integers(0, len(NOTES_DEPLACEMENT), (temp & (pick < 0.7)).sum())]
    photos = np.where(recensable == True, np.where(rng.random(n) < 0.08, 0, rng.integers(1, 5, n)), 0)  # noqa: E712

    statut = np.where(draft, "draft", "completed").astype(object)
    deleted = ~draft & (rng.random(n) < 0.004)
    statut[deleted] = "deleted"
    recensed = ~draft | (rng.random(n) < 0.5)
    return dict({
        "dossier": dossier_of, "objet": objet, "statut": statut, "localisation": localisation,
        "edifice_nom": edifice_nom, "autre_commune_code": autre_commune, "recensable": recensable,
        "etat": etat, "secu": secu, "notes": notes, "photos": photos, "day": day, "seconds": seconds,
        "recensed": recensed, "deleted": deleted,
        "deleted_reason": np.where(deleted, np.array(RAISONS_SUPPRESSION, dtype=object)[
            rng.integers(0, len(RAISONS_SUPPRESSION), n)], None),
    })


def _dossier_dates(rng, dossiers: pd.DataFrame, recensements: dict, cap: int) -> None:
    """Submission, acceptance and archiving dates; a commune keeps one open dossier at most."""
    n = len(dossiers)
    last = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last, recensements["dossier"], recensements["day"])
    last = np.where(last < 0, dossiers["visit"].to_numpy(), last)
    submitted = np.minimum(last + rng.integers(0, 8, n), cap)
    accepted = submitted + rng.integers(7, 151, n)
    archived = submitted + rng.integers(120, 366, n)
    created = dossiers["created"].to_numpy()
    statut = dossiers["statut"].to_numpy().copy()
    statut = np.where((statut == "accepted") & (accepted > cap), "submitted", statut)
    statut = np.where((statut == "archived") & (archived > cap), "submitted", statut)
    abandoned_at = created + 365
    statut = np.where((statut == "abandoned") & (abandoned_at > cap), "construction", statut)
    has_submission = np.isin(statut, ["accepted", "submitted", "archived"])
    archived_at = np.where(statut == "archived", archived, np.where(statut == "abandoned", abandoned_at, -1))
    statut = np.where(statut == "abandoned", "archived", statut)

    # One open dossier per commune: older open ones are archived when the next one starts.
    order = np.lexsort((created, dossiers["holder"].to_numpy()))
    holder_sorted = dossiers["holder"].to_numpy()[order]
    next_same = np.zeros(n, dtype=bool)
    next_same[order[:-1]] = holder_sorted[:-1] == holder_sorted[1:]
    next_created = np.full(n, -1, dtype=np.int64)
    next_created[order[:-1]] = created[order[1:]]
    superseded = next_same & np.isin(statut, ["construction", "submitted"])
    archived_at = np.where(superseded, next_created, archived_at)
    statut = np.where(superseded, "archived", statut)

    dossiers["statut"] = statut
    dossiers["submitted"] = np.where(has_submission, submitted, -1)
    dossiers["accepted"] = np.where(statut == "accepted", accepted, -1)
    dossiers["archived"] = archived_at


def _examens(rng, dossiers: pd.DataFrame, rec: dict, analyst_of_dossier: np.ndarray, cap: int) -> None:
    """Analyses: every recensement of accepted dossiers, part of those of submitted ones."""
    n = len(rec["objet"])
    d = rec["dossier"]
    statut_d = dossiers["statut"].to_numpy()[d]
    completed = rec["statut"] == "completed"
    urgent = (rec["localisation"] == "absent") | np.isin(rec["etat"], ["peril", "mauvais"])
    in_review = rng.random(len(dossiers)) < 0.35
    analysed = completed & ((statut_d == "accepted") | ((statut_d == "submitted") & in_review[d] & (
        rng.random(n) < np.where(urgent, 0.9, 0.4))))
    submitted = dossiers["submitted"].to_numpy()[d]
    until = np.where(statut_d == "accepted", dossiers["accepted"].to_numpy()[d], cap)
    # The day after submission at the earliest (submissions are stamped in the evening).
    analysed &= submitted + 1 <= until
    day = submitted + 1 + (rng.random(n) * (np.maximum(until - submitted - 1, 0) + 1)).astype(np.int64)
    rec["analyse_day"] = np.where(analysed, np.minimum(day, until), -1)
    rec["analyse_seconds"] = _office_seconds(rng, n)
    rec["analyse_par"] = np.where(analysed, analyst_of_dossier[d], -1)

    # Overrides on ~10 % of what is analysed, always different from the commune's answer.
    etat = rec["etat"]
    secu = rec["secu"]
    override = analysed & (etat != None) & (rng.random(n) < 0.10)  # noqa: E711
    u = rng.random(n)
    do_etat = override & (u < 0.65)
    do_secu = override & ((u >= 0.65) | (rng.random(n) < 0.2)) & (secu != None)  # noqa: E711
    do_etat |= override & ~do_secu
    step = np.where(rng.random(n) < 0.5, -1, 1)
    level = pd.Series(etat, dtype=object).map({e: i for i, e in enumerate(ETATS)}).fillna(0).to_numpy(dtype=np.int64)
    new_level = np.clip(level + step, 0, 3)
    new_level = np.where(new_level == level, level - step, new_level)
    a_etat = np.full(n, None, dtype=object)
    a_etat[do_etat] = np.array(ETATS, dtype=object)[new_level[do_etat]]
    a_secu = np.full(n, None, dtype=object)
    a_secu[do_secu] = np.where(secu[do_secu] == "en_securite", "en_danger", "en_securite")
    rec["analyse_etat"] = a_etat
    rec["analyse_secu"] = a_secu
    notes = np.full(n, None, dtype=object)
    with_note = analysed & ((override & (rng.random(n) < 0.6)) | (rng.random(n) < 0.15))
    notes[with_note] = np.array(NOTES_EXAMEN, dtype=object)[rng.integers(0, len(NOTES_EXAMEN), with_note.sum())]
    rec["analyse_notes"] = notes

    eff_etat = np.where(a_etat != None, a_etat, etat)  # noqa: E711
    eff_secu = np.where(a_secu != None, a_secu, secu)  # noqa: E711
    flags = np.zeros(n, dtype=np.int64)
    flags |= ((rec["localisation"] == "absent") & (rng.random(n) < 0.9)) * 1
    flags |= ((eff_secu == "en_danger") & (rng.random(n) < 0.5)) * 2
    flags |= (np.isin(eff_etat, ["mauvais", "peril"]) & (rng.random(n) < 0.6)) * 4
    flags |= (rng.random(n) < 0.03) * 8
    flags |= (rng.random(n) < 0.05) * 16
    literals = np.array([_pg_array([f for b, f in enumerate(FICHES) if mask >> b & 1]) for mask in range(32)],
                        dtype=object)
    rec["analyse_fiches"] = np.where(analysed, literals[flags], "{}")


def _fullnames(rng, n: int) -> np.ndarray:
    combos = np.array([f"{p} {m} ({f})" for p in PRENOMS for m in NOMS for f in FONCTIONS], dtype=object)
    return combos[rng.integers(0, len(combos), n)]


def load_demo(conn: Connection, scale: float = 1.0, seed: int = 1, today: date | None = None, *,
              skip_row_triggers: bool | None = None) -> dict:
    """Generate the national demo and insert it in the caller's open transaction; returns the counts.

    `conn` is a SQLAlchemy Connection inside engine.begin(); nothing is committed here.
    Requires the reference data (région, département, commune). Same seed and today, same content.

    skip_row_triggers: None (default) skips the per-row triggers when the role is a superuser,
    as pg_restore --disable-triggers does: the audit trigger builds its jsonb before it looks
    at objets.bulk, and the foreign-key checks run row by row; together they triple the time
    of a national load. The foreign keys are then checked here, set-based, before returning,
    and data_version is bumped. False keeps every trigger (objets.bulk still skips the audit rows).
    """
    started = time.perf_counter()
    today = today or date.today()
    if not scale > 0:
        raise DemoError("l'échelle de la démo doit être positive (1 = national)")
    rng = np.random.Generator(np.random.PCG64(seed))
    conn.execute(text("SET LOCAL objets.bulk = 'on'"))
    if conn.execute(text("SELECT 1 FROM load_state WHERE name = 'demo'")).first():
        raise DemoError("la démo est déjà chargée dans cette base")
    superuser = conn.execute(text("SELECT current_setting('is_superuser') = 'on'")).scalar()
    if skip_row_triggers and not superuser:
        raise DemoError("skip_row_triggers demande un rôle superutilisateur")
    skip_row_triggers = superuser if skip_row_triggers is None else skip_row_triggers
    communes, departements = _read_reference(conn)
    dep_names = dict(zip(departements["code"], departements["nom"]))
    dep_region = dict(zip(departements["code"], departements["region"]))
    chargement_id = conn.execute(text(
        "INSERT INTO chargement (nature, source) VALUES ('demo', :source) RETURNING id"),
        {"source": f"dashboard.loaders.demo scale={scale} seed={seed} today={today.isoformat()}"}).scalar_one()

    # Objets and édifices.
    plan = _plan_objets(rng, communes, scale)
    deps = plan["deps"]
    edifices = _edifices(rng, communes, plan["holders"], plan["count"])
    objets = _objets(rng, communes, plan, edifices)
    objets["codes"] = communes["code"].to_numpy(dtype=object)
    in_scope = objets["dans_perimetre"]
    n_in_scope_holder = np.bincount(objets["h_of"][in_scope], minlength=len(plan["holders"]))
    in_scope_objets = np.flatnonzero(in_scope)            # sorted by holder (objets are)
    in_scope_start = _group_starts(n_in_scope_holder)
    n_in_scope_dep = np.bincount(objets["dep_of"][in_scope], minlength=len(deps))
    demo_deps = _demo_departements(deps, n_in_scope_dep)

    if skip_row_triggers:
        conn.execute(text("SET LOCAL session_replication_role = replica"))

    # Users first: examens need their ids.
    user_ids = {}
    for role, email, nom in USERS:
        user_ids[role] = conn.execute(text(
            "INSERT INTO app_user (email, nom, role, demo) VALUES (:e, :n, CAST(:r AS role), true) RETURNING id"),
            {"e": email, "n": nom, "r": role}).scalar_one()

    # Campaigns, invitations, dossiers, recensements, examens.
    cap = _days(today) - 1
    campagnes = _campagnes(rng, today, deps, dep_names, n_in_scope_dep, demo_deps)
    invited, answers = _invitations_et_reponses(rng, campagnes, plan, n_in_scope_holder, demo_deps, deps)
    demo_camp = campagnes.index[(campagnes["period"] == ANS - 1)
                                & np.isin(deps[campagnes["dep"].to_numpy()], demo_deps[:1])]
    dossiers = _dossiers(rng, today, campagnes, answers, int(demo_camp[0]) if len(demo_camp) else None)
    dep_sizes = np.bincount(plan["dep_idx"], minlength=len(deps))
    rec = _recensements(rng, dossiers, in_scope_start, n_in_scope_holder, in_scope_objets, objets,
                        plan["dep_idx"], _group_starts(dep_sizes), dep_sizes)
    _dossier_dates(rng, dossiers, rec, cap)
    conservateur_deps = set(demo_deps)
    dossier_dep = deps[campagnes["dep"].to_numpy()[dossiers["campagne"].to_numpy()]]
    analyst = np.where(np.isin(dossier_dep, list(conservateur_deps)), user_ids["conservateur"], user_ids["admin"])
    _examens(rng, dossiers, rec, analyst, cap)

    # Ids from the sequences (in order: equal in a fresh database).
    edifice_ids = _reserve_ids(conn, "edifice", len(edifices["nom"]))
    campagne_ids = _reserve_ids(conn, "campagne", len(campagnes))
    dossier_ids = _reserve_ids(conn, "dossier", len(dossiers))
    rec_ids = _reserve_ids(conn, "recensement", len(rec["objet"]))

    codes = objets["codes"]
    holders = plan["holders"]
    _copy(conn, "edifice", {
        "id": edifice_ids.tolist(), "nom": edifices["nom"], "commune_code": codes[holders[edifices["owner"]]],
        "provenance": ["demo"] * len(edifice_ids), "chargement_id": [chargement_id] * len(edifice_ids)})
    n = objets["n"]
    _copy(conn, "objet", {
        **{k: objets[k] for k in ("ref", "titre", "denomination", "categorie", "siecle", "protection",
                                  "protection_brute", "dpro", "protection_date", "statut_proprietaire",
                                  "proprietaire", "insee_brut", "commune_code", "departement_code")},
        "commune_resolution": ["demo"] * n,
        "edifice_id": edifice_ids[objets["edifice_row"]].tolist(),
        **{k: objets[k] for k in ("edifice_nom", "emplacement", "manquant", "deplacement", "dossier_type", "denq",
                                  "etat_pop")},
        "dans_perimetre": objets["dans_perimetre"].tolist(), "hors_perimetre_raison": objets["hors_perimetre_raison"],
        "provenance": ["demo"] * n, "chargement_id": [chargement_id] * n})

    rel = campagnes["launch"].to_numpy()
    _copy(conn, "campagne", {
        "id": campagne_ids.tolist(), "departement_code": deps[campagnes["dep"].to_numpy()].astype(object),
        "nom": campagnes["nom"].to_numpy(dtype=object), "statut": campagnes["statut"].to_numpy(dtype=object),
        "date_lancement": _dates(rel), "date_relance_1": _dates(rel + 15), "date_relance_2": _dates(rel + 30),
        "date_relance_3": np.where(campagnes["no_third"].to_numpy(), None, _dates(rel + 45)),
        "date_fin": _dates(campagnes["end"].to_numpy()), "provenance": ["demo"] * len(campagnes)})
    inv = invited.sort_values(["campagne", "holder"], kind="stable")
    _copy(conn, "campagne_commune", {
        "campagne_id": campagne_ids[inv["campagne"].to_numpy()].tolist(),
        "commune_code": codes[holders[inv["holder"].to_numpy()]],
        "invitee_le": _dates(rel[inv["campagne"].to_numpy()])})

    nd = len(dossiers)
    dsec = dossiers["created_s"].to_numpy()
    has_analysis = np.zeros(nd, dtype=bool)
    has_analysis[rec["dossier"][rec["analyse_day"] >= 0]] = True
    urgent_d = np.zeros(nd, dtype=bool)
    urgent_d[rec["dossier"][(rec["localisation"] == "absent")
                                       | (rec["etat"] == "peril")]] = True
    u = rng.random(nd)
    visite = np.where(urgent_d & (u < 0.5), "prioritaire", np.where(u > 0.88, "souhaitable", "aucune")).astype(object)
    accepted = dossiers["statut"].to_numpy() == "accepted"
    notes_cons = np.where(accepted & (rng.random(nd) < 0.4),
                          np.array(NOTES_CONSERVATEUR, dtype=object)[rng.integers(0, len(NOTES_CONSERVATEUR), nd)],
                          None)
    _copy(conn, "dossier", {
        "id": dossier_ids.tolist(), "commune_code": codes[holders[dossiers["holder"].to_numpy()]],
        "campagne_id": campagne_ids[dossiers["campagne"].to_numpy()].tolist(),
        "statut": dossiers["statut"].to_numpy(dtype=object),
        "created_at": _timestamps(dossiers["created"], dsec),
        "submitted_at": _timestamps(dossiers["submitted"], dsec + 12 * 3600, dossiers["submitted"].to_numpy() >= 0),
        "accepted_at": _timestamps(dossiers["accepted"], dsec + 12 * 3600, dossiers["accepted"].to_numpy() >= 0),
        "archived_at": _timestamps(dossiers["archived"], dsec, dossiers["archived"].to_numpy() >= 0),
        "notes_commune": np.where(rng.random(nd) < 0.3, np.array(NOTES_COMMUNE, dtype=object)[
            rng.integers(0, len(NOTES_COMMUNE), nd)], None),
        "notes_conservateur": notes_cons,
        "recenseur": _fullnames(rng, nd), "visite": visite,
        "conservateur_id": np.where(has_analysis | accepted, analyst, None),
        "provenance": ["demo"] * nd})

    nr = len(rec["objet"])
    day, sec = rec["day"], rec["seconds"]
    recensed = rec["recensed"]
    analysed = rec["analyse_day"] >= 0
    _copy(conn, "recensement", {
        "id": rec_ids.tolist(), "objet_ref": objets["ref"][rec["objet"]],
        "dossier_id": dossier_ids[rec["dossier"]].tolist(), "statut": rec["statut"],
        "localisation": rec["localisation"], "edifice_nom": rec["edifice_nom"],
        "autre_commune_code": rec["autre_commune_code"], "recensable": rec["recensable"],
        "etat_sanitaire": rec["etat"], "securisation": rec["secu"],
        "notes": rec["notes"], "nb_photos": rec["photos"].tolist(),
        "confirmation_sans_photo": ((rec["statut"] != "draft") & (rec["photos"] == 0)).tolist(),
        "recense_le": _timestamps(day, sec, recensed),
        "created_at": _timestamps(day, sec - 600), "updated_at": _timestamps(day, sec),
        "deleted_at": _timestamps(day + 1, sec, rec["deleted"]),
        "deleted_reason": rec["deleted_reason"],
        "analyse_etat_sanitaire": rec["analyse_etat"], "analyse_securisation": rec["analyse_secu"],
        "analyse_notes": rec["analyse_notes"], "analyse_fiches": rec["analyse_fiches"],
        "analyse_le": _timestamps(rec["analyse_day"], rec["analyse_seconds"], analysed),
        "analyse_par": np.where(analysed, rec["analyse_par"], None)})

    # Scopes; the commune user gets the biggest commune of the demo département with a dossier to examine.
    commune_code = _commune_demo(dossiers, objets, plan, codes, deps, demo_deps)
    region = dep_region.get(demo_deps[0]) if demo_deps else None
    scopes = [(user_ids["admin"], "national", "")]
    scopes += [(user_ids["conservateur"], "departement", d) for d in demo_deps]
    if region:
        scopes.append((user_ids["drac"], "region", region))
    scopes += [(user_ids["deploiement"], "departement", d) for d in demo_deps[:1]]
    if commune_code:
        scopes.append((user_ids["commune"], "commune", commune_code))
        nom = communes.loc[communes["code"] == commune_code, "nom"].iloc[0]
        conn.execute(text("UPDATE app_user SET nom = :n WHERE id = :i"),
                     {"n": f"Claude Mairie de {nom} (démo)", "i": user_ids["commune"]})
    _copy(conn, "user_scope", {"user_id": [s[0] for s in scopes], "niveau": [s[1] for s in scopes],
                               "code": [s[2] for s in scopes]})

    if skip_row_triggers:
        conn.execute(text("SET LOCAL session_replication_role = origin"))
        _check_foreign_keys(conn)
        conn.execute(text("UPDATE data_version SET version = version + 1, changed_at = now()"))
    # Statement triggers kept it current as rows came in, unless they were skipped: one
    # recomputation over everything settles both cases.
    conn.execute(text("SELECT maj_recensement_courant(NULL)"))

    counts = {
        "objets": int(n), "objets_dans_perimetre": int(in_scope.sum()),
        "communes_avec_objets": int(len(holders)), "edifices": int(len(edifice_ids)),
        "campagnes": int(len(campagnes)), "dossiers": int(nd), "recensements": int(nr), "users": len(USERS),
        "departements_demo": demo_deps, "commune_demo": commune_code,
        "departements_ignores": plan["skipped"], "scale": scale, "seed": seed, "today": today.isoformat(),
    }
    counts["seconds"] = round(time.perf_counter() - started, 2)
    detail = json.dumps(counts)
    conn.execute(text("UPDATE chargement SET fin = clock_timestamp(), rapport = CAST(:r AS jsonb) WHERE id = :i"),
                 {"r": detail, "i": chargement_id})
    conn.execute(text("INSERT INTO audit (table_name, action, after) VALUES ('objet', 'load demo', CAST(:r AS jsonb))"),
                 {"r": detail})
    conn.execute(text("INSERT INTO load_state (name, detail) VALUES ('demo', CAST(:r AS jsonb))"), {"r": detail})
    return counts


# Every foreign key of the rows the demo writes, checked set-based when row triggers were skipped.
_FOREIGN_KEYS = [
    ("edifice", "commune_code", "commune", "code_insee"), ("edifice", "chargement_id", "chargement", "id"),
    ("objet", "commune_code", "commune", "code_insee"), ("objet", "departement_code", "departement", "code"),
    ("objet", "edifice_id", "edifice", "id"), ("objet", "chargement_id", "chargement", "id"),
    ("campagne", "departement_code", "departement", "code"),
    ("campagne_commune", "campagne_id", "campagne", "id"),
    ("campagne_commune", "commune_code", "commune", "code_insee"),
    ("dossier", "commune_code", "commune", "code_insee"), ("dossier", "campagne_id", "campagne", "id"),
    ("dossier", "conservateur_id", "app_user", "id"),
    ("recensement", "objet_ref", "objet", "ref"), ("recensement", "dossier_id", "dossier", "id"),
    ("recensement", "analyse_par", "app_user", "id"), ("user_scope", "user_id", "app_user", "id"),
]


def _check_foreign_keys(conn: Connection) -> None:
    broken = []
    for table, column, target, key in _FOREIGN_KEYS:
        bad = conn.execute(text(
            f"SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {target} r WHERE r.{key} = t.{column})")).scalar()
        if bad:
            broken.append(f"{table}.{column} ({bad})")
    if broken:
        raise DemoError("références cassées dans la démo : " + ", ".join(broken))


def _commune_demo(dossiers: pd.DataFrame, objets: dict, plan: dict, codes: np.ndarray, deps: np.ndarray,
                  demo_deps: list[str]) -> str | None:
    """The commune of the demo département holding the most objets with a submitted dossier
    (any département if none there); code order breaks ties."""
    submitted = dossiers[dossiers["statut"] == "submitted"]
    if submitted.empty:
        return None
    holders = np.unique(submitted["holder"].to_numpy())
    frame = pd.DataFrame({"code": codes[plan["holders"][holders]], "count": plan["count"][holders],
                          "dep": deps[plan["dep_idx"][plan["holders"][holders]]]})
    local = frame[frame["dep"].isin(demo_deps[:1])]
    frame = local if not local.empty else frame
    return str(frame.sort_values(["count", "code"], ascending=[False, True]).iloc[0]["code"])
