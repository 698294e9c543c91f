"""The figures of /couverture and /restauration computed here, independently of the app's
views, functions and builders: plain SQL on the tables (recensement, dossier, objet,
campagne_commune...) and pandas, with issue 13's definitions restated.

Each `attendu_*` returns frames indexed by département code (or catégorie), the last row
"Total" (index ""), with the app's column names (the constants of
dashboard.app.pilotage.couverture / restauration) and plain numbers: shares as fractions.
"""
from __future__ import annotations

import math
from datetime import date

import pandas as pd
import sqlalchemy as sa

from dashboard.app.pilotage import couverture as c, restauration as r

ETATS = ["bon", "moyen", "mauvais", "peril"]   # best to worst
STATUTS = ["construction", "submitted", "accepted", "archived"]

# Effective recensements (completed, in a transmitted dossier), overrides applied.
_EFF = """
    SELECT r.id, r.objet_ref, r.recense_le, r.localisation,
           r.analyse_le IS NOT NULL AS analyse,
           (r.analyse_etat_sanitaire IS NOT NULL OR r.analyse_securisation IS NOT NULL) AS corrige,
           d.accepted_at IS NOT NULL AS accepte,
           CASE WHEN r.recensable AND r.localisation <> 'absent'
                THEN coalesce(r.analyse_etat_sanitaire, r.etat_sanitaire)::text END AS etat,
           CASE WHEN r.recensable AND r.localisation <> 'absent'
                THEN coalesce(r.analyse_securisation, r.securisation)::text END AS secu
    FROM recensement r JOIN dossier d ON d.id = r.dossier_id
    WHERE r.statut = 'completed' AND d.submitted_at IS NOT NULL
"""
_OBJETS = f"""
WITH eff AS ({_EFF}),
cur AS (SELECT DISTINCT ON (objet_ref) * FROM eff ORDER BY objet_ref, recense_le DESC, id DESC)
SELECT o.ref, o.departement_code AS dep, o.commune_code, o.protection::text AS protection, o.categorie,
       cur.id AS cur_id, cur.recense_le, cur.localisation::text AS localisation, cur.etat, cur.secu,
       coalesce(cur.analyse, false) AS analyse,
       coalesce(cur.recense_le >= now() - interval '5 years', false) AS r5,
       coalesce(cur.recense_le >= now() - interval '12 months', false) AS r12,
       coalesce(cur.recense_le >= CAST(:echeance AS date) - interval '5 years', false) AS r_echeance
FROM objet o LEFT JOIN cur ON cur.objet_ref = o.ref
WHERE o.dans_perimetre AND o.retire_le IS NULL AND o.departement_code = ANY (CAST(:deps AS text[]))
"""
_EFFECTIFS = f"""
WITH eff AS ({_EFF})
SELECT eff.*, date_trunc('month', eff.recense_le)::date AS mois FROM eff
JOIN objet o ON o.ref = eff.objet_ref
WHERE o.dans_perimetre AND o.retire_le IS NULL AND o.departement_code = ANY (CAST(:deps AS text[]))
"""
_COMMUNES = """
SELECT cm.code_insee, cm.departement_code AS dep,
       EXISTS (SELECT 1 FROM campagne_commune cc JOIN campagne ca ON ca.id = cc.campagne_id
               WHERE cc.commune_code = cm.code_insee AND ca.statut IN ('ongoing', 'finished'))
           OR EXISTS (SELECT 1 FROM contact_commune k WHERE k.commune_code = cm.code_insee) AS contactee,
       EXISTS (SELECT 1 FROM dossier d WHERE d.commune_code = cm.code_insee) AS participante,
       EXISTS (SELECT 1 FROM dossier d WHERE d.commune_code = cm.code_insee AND d.accepted_at IS NOT NULL) AS terminee
FROM commune cm
WHERE cm.code_insee IN (SELECT o.commune_code FROM objet o WHERE o.dans_perimetre AND o.retire_le IS NULL
                        AND o.departement_code = ANY (CAST(:deps AS text[])))
"""
_DOSSIERS = """
SELECT cm.departement_code AS dep, d.statut::text AS statut
FROM dossier d JOIN commune cm ON cm.code_insee = d.commune_code
WHERE cm.departement_code = ANY (CAST(:deps AS text[]))
"""


def _frame(conn, statement: str, **params) -> pd.DataFrame:
    result = conn.execute(sa.text(statement), params)
    return pd.DataFrame(result.mappings().all(), columns=list(result.keys()))


def departements(url: str, scope: list[str] | None, region: str | None = None,
                 departement: str | None = None) -> list[str]:
    """The départements of a view: those of the territory, in the scope (None: everywhere),
    holding counted objets."""
    with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as conn:
        return list(conn.execute(sa.text("""
            SELECT DISTINCT d.code FROM departement d JOIN objet o ON o.departement_code = d.code
            WHERE o.dans_perimetre AND o.retire_le IS NULL
              AND (CAST(:scope AS text[]) IS NULL OR d.code = ANY (CAST(:scope AS text[])))
              AND (CAST(:region AS text) IS NULL OR d.region_code = CAST(:region AS text))
              AND (CAST(:dep AS text) IS NULL OR d.code = CAST(:dep AS text))
            ORDER BY 1"""), {"scope": scope, "region": region, "dep": departement}).scalars())


def donnees(url: str, deps: list[str], echeance: date) -> dict[str, pd.DataFrame]:
    with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as conn:
        return {"objets": _frame(conn, _OBJETS, deps=deps, echeance=echeance),
                "effectifs": _frame(conn, _EFFECTIFS, deps=deps),
                "communes": _frame(conn, _COMMUNES, deps=deps),
                "dossiers": _frame(conn, _DOSSIERS, deps=deps)}


def _par_dep(frame: pd.DataFrame, deps: list[str], colonnes: dict) -> pd.DataFrame:
    """Sums by département (every département of `deps`, zeros included), then the total."""
    out = pd.DataFrame({nom: frame.groupby("dep")[col].sum() if len(frame) else pd.Series(dtype=float)
                        for nom, col in colonnes.items()}).reindex(deps).fillna(0)
    out.loc[""] = out.sum()
    return out


def _ratio(a, b):
    return a / b if b else math.nan


def niveau(row, voit_securisation: bool):
    if row["localisation"] == "absent" or row["etat"] == "peril":
        return "prioritaire"
    if row["etat"] == "mauvais" or (voit_securisation and row["secu"] == "en_danger"):
        return "preoccupant"
    return None


def attendu_couverture(url: str, deps: list[str], voit_securisation: bool, echeance: date,
                       aujourd_hui: date) -> dict[str, pd.DataFrame]:
    d = donnees(url, deps, echeance)
    o = d["objets"].copy()
    o["un"] = 1
    o["niveau"] = [niveau(row, voit_securisation) for _, row in o.iterrows()] if len(o) else []
    for n in ("prioritaire", "preoccupant"):
        o[n] = (o["niveau"] == n).astype(int)
        o[f"{n}_traite"] = ((o["niveau"] == n) & o["analyse"]).astype(int)
    o["a_recenser"] = (~o["r_echeance"].astype(bool)).astype(int)
    base = _par_dep(o, deps, {"objets": "un", "r5": "r5", "r12": "r12", "a_recenser": "a_recenser",
                              "prio": "prioritaire", "prio_t": "prioritaire_traite",
                              "preo": "preoccupant", "preo_t": "preoccupant_traite"})
    mois_restants = (echeance - aujourd_hui).days / (365.25 / 12)
    debut = date(aujourd_hui.year, 1, 1)
    objets = pd.DataFrame(index=base.index)
    objets[c.OBJETS] = base["objets"]
    objets[c.RECENSES_5_ANS] = base["r5"]
    objets[c.COUVERTURE] = [_ratio(a, b) for a, b in zip(base["r5"], base["objets"])]
    objets[c.RECENSES_12_MOIS] = base["r12"]
    objets[c.REQUIS_PAR_AN] = base["objets"] / 5
    objets[c.DUREE_CYCLE] = [("aucun objet" if n == 0 else "jamais au rythme actuel" if p == 0
                              else f"{n / p:.1f} ans".replace(".", ",")) for n, p in zip(base["objets"], base["r12"])]
    objets[c.FIN_CYCLE] = [("aucun objet" if n == 0 else "jamais au rythme actuel" if p == 0
                            else str(math.floor(aujourd_hui.year + (aujourd_hui - debut).days / 365.25 + n / p)))
                           for n, p in zip(base["objets"], base["r12"])]
    objets[c.COUVERTURE_5_ANS] = [min(1.0, 5 * p / n) if n else math.nan for n, p in zip(base["objets"], base["r12"])]

    urgences = pd.DataFrame(index=base.index)
    for cols, n, t in ((c.PRIORITAIRES, "prio", "prio_t"), (c.PREOCCUPANTS, "preo", "preo_t")):
        urgences[cols[0]], urgences[cols[1]] = base[n], base[t]
        urgences[cols[2]] = base[n] - base[t]
        urgences[cols[3]] = [_ratio(a, b) for a, b in zip(base[t], base[n])]

    echeances = pd.DataFrame(index=base.index)
    echeances[c.OBJETS] = base["objets"]
    echeances[c.A_RECENSER] = base["a_recenser"]
    echeances[c.MOIS_RESTANTS] = mois_restants
    echeances[c.REQUIS_PAR_MOIS] = base["a_recenser"] / mois_restants
    echeances[c.ACTUEL_PAR_MOIS] = base["r12"] / 12
    echeances[c.RAPPORT] = [_ratio(a, b) for a, b in zip(echeances[c.ACTUEL_PAR_MOIS], echeances[c.REQUIS_PAR_MOIS])]
    echeances[c.ATTEINT] = ["Oui" if a >= b else "Non"
                            for a, b in zip(echeances[c.ACTUEL_PAR_MOIS], echeances[c.REQUIS_PAR_MOIS])]

    cm = d["communes"].copy()
    cm["un"] = 1
    for col in ("contactee", "participante", "terminee"):
        cm[col] = cm[col].astype(int)
    cb = _par_dep(cm, deps, {"n": "un", "k": "contactee", "p": "participante", "t": "terminee"})
    communes = pd.DataFrame(index=cb.index)
    communes[c.COMMUNES] = cb["n"]
    for nom, part, col in ((c.CONTACTEES, c.PART_CONTACTEES, "k"), (c.PARTICIPANTES, c.PART_PARTICIPANTES, "p"),
                           (c.TERMINEES, c.PART_TERMINEES, "t")):
        communes[nom] = cb[col]
        communes[part] = [_ratio(a, b) for a, b in zip(cb[col], cb["n"])]

    ds = d["dossiers"].copy()
    for s in STATUTS:
        ds[s] = (ds["statut"] == s).astype(int) if len(ds) else []
    dossiers = _par_dep(ds, deps, {s: s for s in STATUTS})
    dossiers["total"] = dossiers[STATUTS].sum(axis=1)

    e = d["effectifs"].copy()
    e = e.merge(d["objets"][["ref", "dep"]], left_on="objet_ref", right_on="ref")
    e["acc"] = e["accepte"].astype(int)
    e["acc_sans"] = (e["accepte"] & ~e["corrige"]).astype(int)
    fb = _par_dep(e, deps, {"acc": "acc", "sans": "acc_sans"})
    fiabilite = pd.DataFrame(index=fb.index)
    fiabilite[c.ACCEPTES], fiabilite[c.SANS_CORRECTION] = fb["acc"], fb["sans"]
    fiabilite[c.FIABILITE] = [_ratio(a, b) for a, b in zip(fb["sans"], fb["acc"])]

    mois = d["effectifs"].groupby("mois").size() if len(d["effectifs"]) else pd.Series(dtype=int)
    total = base.loc[""]
    return {"objets": objets, "urgences": urgences, "echeance": echeances, "communes": communes,
            "dossiers": dossiers, "fiabilite": fiabilite, "mois": mois,
            "requis_par_mois": total["objets"] / 60, "requis_echeance": total["a_recenser"] / mois_restants}


def _evolution(effectifs: pd.DataFrame, objets: pd.DataFrame) -> pd.Series:
    """Per objet with a current recensement: 'degrade', 'ameliore' or None, from its previous
    recensement (the one just before its current one, in (date, id) order)."""
    out = {}
    cur = dict(zip(objets["ref"], objets["cur_id"]))
    for ref, rows in effectifs.sort_values(["recense_le", "id"]).groupby("objet_ref"):
        ids = list(rows["id"])
        if ref not in cur or cur[ref] not in ids or ids.index(cur[ref]) == 0:
            continue
        i = ids.index(cur[ref])
        avant, apres = rows["etat"].iloc[i - 1], rows["etat"].iloc[i]
        if pd.isna(avant) or pd.isna(apres) or avant == apres:
            continue
        out[ref] = "degrade" if ETATS.index(apres) > ETATS.index(avant) else "ameliore"
    return pd.Series(out, dtype=object)


def objets_restauration(url: str, deps: list[str]) -> pd.DataFrame:
    """Every counted objet of `deps`: département, protection, catégories, current état,
    évolution."""
    d = donnees(url, deps, date.today())
    o = d["objets"].copy()
    o["evolution"] = o["ref"].map(_evolution(d["effectifs"], o))
    return o


def _figures(o: pd.DataFrame) -> dict:
    connu = o["etat"].notna()
    out = {r.AVEC_ETAT: connu.sum(), r.MAUVAIS: (o["etat"] == "mauvais").sum(), r.PERIL: (o["etat"] == "peril").sum()}
    out[r.MAUVAIS_OU_PERIL] = out[r.MAUVAIS] + out[r.PERIL]
    out[r.PART] = _ratio(out[r.MAUVAIS_OU_PERIL], out[r.AVEC_ETAT])
    for p in ("classe", "inscrit"):
        sub = o[o["protection"] == p]
        k, n, part = r.colonnes_protection(p)
        out[k] = sub["etat"].notna().sum()
        out[n] = sub["etat"].isin(["mauvais", "peril"]).sum()
        out[part] = _ratio(out[n], out[k])
    out[r.DEGRADES] = (o["evolution"] == "degrade").sum()
    out[r.AMELIORES] = (o["evolution"] == "ameliore").sum()
    return out


def attendu_restauration(url: str, deps: list[str]) -> dict[str, pd.DataFrame]:
    o = objets_restauration(url, deps)
    par_dep = pd.DataFrame({dep: _figures(o[o["dep"] == dep]) for dep in deps}).T
    par_dep.loc[""] = pd.Series(_figures(o))
    rows = {}   # the catégories of the objets with a current recensement (the others have no figure)
    for _, objet in o[o["cur_id"].notna()].iterrows():
        for cat in sorted(set(objet["categorie"])) or [None]:
            rows.setdefault(cat, []).append(objet)
    ordre = [*sorted(k for k in rows if k is not None), *([None] if None in rows else [])]  # as a French list
    par_cat = pd.DataFrame({cat if cat is not None else r.SANS_CATEGORIE: _figures(pd.DataFrame(rows[cat]))
                            for cat in ordre}).T
    par_cat.loc[r.TOTAL] = pd.Series(_figures(o))
    return {"departements": par_dep, "categories": par_cat, "objets": o}
