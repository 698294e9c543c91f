"""Recensements and their examens: one answer per in-scope objet of each answering commune
(drafts in open dossiers), with the real shares of absent, non recensable and each état;
the conservateur's analyses, overrides and advice sheets."""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.demo.arrays import office_seconds, pg_array, ranges, timestamps

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
NOTES_EXAMEN = ["Prévoir une intervention de conservation préventive.", "État conforme aux photos.",
                "Déplacer l'objet à l'abri de l'humidité.", "À faire examiner par un restaurateur.",
                "Mettre l'objet hors de portée du public."]
RAISONS_SUPPRESSION = ["objet en double", "erreur de saisie", "objet d'une autre commune"]
FICHES = ["depot_plainte", "securisation", "restauration", "entretien_edifices", "entretien_objets"]


def draw_recensements(rng, dossiers: pd.DataFrame, in_scope_start: np.ndarray, in_scope_count: np.ndarray,
                      in_scope_objets: np.ndarray, objets: dict, communes_dep: np.ndarray, dep_starts: np.ndarray,
                      dep_sizes: np.ndarray) -> dict:
    """One recensement per in-scope objet of each answering commune (drafts in open dossiers)."""
    holder = dossiers["holder"].to_numpy()
    sizes = in_scope_count[holder]
    dossier_of, idx = ranges(in_scope_start[holder], sizes)
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
    seconds = office_seconds(rng, n)

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



def draw_examens(rng, dossiers: pd.DataFrame, rec: dict, analyst_of_dossier: np.ndarray, cap: int) -> None:
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
    rec["analyse_seconds"] = office_seconds(rng, n)
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
    literals = np.array([pg_array([f for b, f in enumerate(FICHES) if mask >> b & 1]) for mask in range(32)],
                        dtype=object)
    rec["analyse_fiches"] = np.where(analysed, literals[flags], "{}")



def recensement_rows(rec: dict, ids: np.ndarray, objet_refs: np.ndarray, dossier_ids: np.ndarray) -> dict:
    """The columns of demo_copie_recensement."""
    day, sec = rec["day"], rec["seconds"]
    analysed = rec["analyse_day"] >= 0
    return {
        "id": ids.tolist(), "objet_ref": objet_refs[rec["objet"]],
        "dossier_id": dossier_ids[rec["dossier"]].tolist(), "statut": rec["statut"],
        "localisation": rec["localisation"], "edifice_nom": rec["edifice_nom"],
        "autre_commune_code": rec["autre_commune_code"], "recensable": rec["recensable"],
        "etat_sanitaire": rec["etat"], "securisation": rec["secu"],
        "notes": rec["notes"], "nb_photos": rec["photos"].tolist(),
        "confirmation_sans_photo": ((rec["statut"] != "draft") & (rec["photos"] == 0)).tolist(),
        "recense_le": timestamps(day, sec, rec["recensed"]),
        "created_at": timestamps(day, sec - 600), "updated_at": timestamps(day, sec),
        "deleted_at": timestamps(day + 1, sec, rec["deleted"]),
        "deleted_reason": rec["deleted_reason"],
        "analyse_etat_sanitaire": rec["analyse_etat"], "analyse_securisation": rec["analyse_secu"],
        "analyse_notes": rec["analyse_notes"], "analyse_fiches": rec["analyse_fiches"],
        "analyse_le": timestamps(rec["analyse_day"], rec["analyse_seconds"], analysed),
        "analyse_par": np.where(analysed, rec["analyse_par"], None)}
