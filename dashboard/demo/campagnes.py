"""Campaigns and dossiers: five yearly periods of départemental campaigns, the communes each
invites, the ones that answer (a dossier each, drawn until the real pace is reached), and
the dossiers' statuses and dates as they age."""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard.demo.arrays import dates, day_number, timestamps
from dashboard.demo.figures import ANS, PART_DEPARTEMENTS_EN_CAMPAGNE, PART_OBJECTIF

NOTES_COMMUNE = ["Recensement fait avec l'aide de l'association paroissiale.",
                 "Certains objets sont difficiles d'accès.",
                 "L'église est fermée en semaine ; clé disponible en mairie.",
                 "Nous souhaitons un conseil pour l'entretien.",
                 "Merci pour cette démarche."]
NOTES_CONSERVATEUR = ["Merci pour ce recensement complet.", "Une visite sera organisée pour les objets fragiles.",
                      "Prévoir un constat d'état par un restaurateur.", "Photos très utiles, merci.",
                      "Penser à sécuriser les objets de petite taille."]
PRENOMS = ["Marie", "Jean", "Pierre", "Anne", "Michel", "Catherine", "Philippe", "Isabelle", "Alain", "Sylvie",
           "Bernard", "Nathalie", "Christophe", "Sandrine", "Patrick", "Martine", "Éric", "Valérie", "Laurent",
           "Christine"]
NOMS = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier"]
FONCTIONS = ["secrétaire de mairie", "adjoint au maire", "maire", "bénévole"]


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:          # 29 February
        return today.replace(year=today.year - years, day=28)


def draw_campagnes(rng, today: date, deps: np.ndarray, dep_names: dict, n_in_scope_dep: np.ndarray,
                   demo_deps: list[str]) -> pd.DataFrame:
    """One campaign per chosen département per yearly period; none overlap in a département."""
    eligible = np.flatnonzero(n_in_scope_dep > 0)
    today_day = day_number(today)
    rows = []
    for k in range(ANS):
        start = day_number(_years_before(today, ANS - k))
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


def draw_invitations(rng, campagnes: pd.DataFrame, plan: dict, n_in_scope_holder: np.ndarray,
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


def draw_dossiers(rng, today: date, campagnes: pd.DataFrame, answers: pd.DataFrame, demo_campagne: int | None
                  ) -> pd.DataFrame:
    """Dates and status of each dossier; the recensement days are drawn with the recensements."""
    cap = day_number(today) - 1
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



def date_dossiers(rng, dossiers: pd.DataFrame, recensements: dict, cap: int) -> None:
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



def _fullnames(rng, n: int) -> np.ndarray:
    combos = np.array([f"{p} {m} ({f})" for p in PRENOMS for m in NOMS for f in FONCTIONS], dtype=object)
    return combos[rng.integers(0, len(combos), n)]



def campagne_rows(campagnes: pd.DataFrame, ids: np.ndarray, deps: np.ndarray) -> dict:
    """The columns of demo_copie_campagne."""
    rel = campagnes["launch"].to_numpy()
    return {
        "id": ids.tolist(), "departement_code": deps[campagnes["dep"].to_numpy()].astype(object),
        "nom": campagnes["nom"].to_numpy(dtype=object), "statut": campagnes["statut"].to_numpy(dtype=object),
        "date_lancement": dates(rel), "date_relance_1": dates(rel + 15), "date_relance_2": dates(rel + 30),
        "date_relance_3": np.where(campagnes["no_third"].to_numpy(), None, dates(rel + 45)),
        "date_fin": dates(campagnes["end"].to_numpy()), "provenance": ["demo"] * len(campagnes)}


def campagne_commune_rows(campagnes: pd.DataFrame, invited: pd.DataFrame, campagne_ids: np.ndarray,
                          holder_codes: np.ndarray) -> dict:
    """The columns of demo_copie_campagne_commune: invited on the day of the launch."""
    rel = campagnes["launch"].to_numpy()
    inv = invited.sort_values(["campagne", "holder"], kind="stable")
    return {
        "campagne_id": campagne_ids[inv["campagne"].to_numpy()].tolist(),
        "commune_code": holder_codes[inv["holder"].to_numpy()],
        "invitee_le": dates(rel[inv["campagne"].to_numpy()])}


def dossier_rows(rng, dossiers: pd.DataFrame, rec: dict, analyst: np.ndarray, ids: np.ndarray,
                 campagne_ids: np.ndarray, holder_codes: np.ndarray) -> dict:
    """The columns of demo_copie_dossier; the notes, visit wishes and recenseurs are drawn here
    (after the recensements and examens: the draws keep that order)."""
    nd = len(dossiers)
    dsec = dossiers["created_s"].to_numpy()
    has_analysis = np.zeros(nd, dtype=bool)
    has_analysis[rec["dossier"][rec["analyse_day"] >= 0]] = True
    urgent_d = np.zeros(nd, dtype=bool)
    urgent_d[rec["dossier"][(rec["localisation"] == "absent") | (rec["etat"] == "peril")]] = True
    u = rng.random(nd)
    visite = np.where(urgent_d & (u < 0.5), "prioritaire", np.where(u > 0.88, "souhaitable", "aucune")).astype(object)
    accepted = dossiers["statut"].to_numpy() == "accepted"
    notes_cons = np.where(accepted & (rng.random(nd) < 0.4),
                          np.array(NOTES_CONSERVATEUR, dtype=object)[rng.integers(0, len(NOTES_CONSERVATEUR), nd)],
                          None)
    return {
        "id": ids.tolist(), "commune_code": holder_codes[dossiers["holder"].to_numpy()],
        "campagne_id": campagne_ids[dossiers["campagne"].to_numpy()].tolist(),
        "statut": dossiers["statut"].to_numpy(dtype=object),
        "created_at": timestamps(dossiers["created"], dsec),
        "submitted_at": timestamps(dossiers["submitted"], dsec + 12 * 3600, dossiers["submitted"].to_numpy() >= 0),
        "accepted_at": timestamps(dossiers["accepted"], dsec + 12 * 3600, dossiers["accepted"].to_numpy() >= 0),
        "archived_at": timestamps(dossiers["archived"], dsec, dossiers["archived"].to_numpy() >= 0),
        "notes_commune": np.where(rng.random(nd) < 0.3, np.array(NOTES_COMMUNE, dtype=object)[
            rng.integers(0, len(NOTES_COMMUNE), nd)], None),
        "notes_conservateur": notes_cons,
        "recenseur": _fullnames(rng, nd), "visite": visite,
        "conservateur_id": np.where(has_analysis | accepted, analyst, None),
        "provenance": ["demo"] * nd}
