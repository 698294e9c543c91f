"""A full-scale synthetic Palissy export in the open-data CSV format, for the import benchmark,
and the same rows in the layout of the full POP export (palissy.md format 4: `|`, a BOM, the
labels in their own case: Reference, COG_Insee...), so that the two can be timed side by side.

What it imitates (palissy.md): `;` separator, a header of open-data labels (the 22 fields the
import reads, with their documented ids, and 42 further descriptive columns named in the
same style: 64 in all), multi-valued fields comma-joined, long free text (description,
historique) with quoted newlines and `;` inside quotes, the vocabularies and proportions of
PROT / DPRO / STAT / DOSS / MANQUANT / DEPL / DENO / SCLE / EDIF / EMPL, and a realistic share of
dirty rows: several INSEE codes, codes that lost their leading zero, former codes of merged
communes, arrondissements of Paris/Lyon/Marseille, WEB set (renumbered) or WEB + DEPL + MOSA
(moved), missing INSEE, REFA as a URL, stray spaces, notices of other bases of Palissy (IM,
10 characters, 4 %; EM, 11 characters, 2 %), duplicate and empty REF.
About 1 KB a row: 300,000 rows make about 300 MB.

Communes come from the database's reference data (real codes, so that resolution works as
on real exports). Deterministic for a seed.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from sqlalchemy import text

from dashboard.importer.sources import OPEN_DATA_IDS
from dashboard.demo import figures, objets, territoire

EXTRA_LABELS = [
    "Appellation", "Auteur_de_l_oeuvre", "Precision_sur_l_auteur", "Atelier_ou_ecole", "Materiaux_et_techniques",
    "Dimensions", "Inscriptions", "Precision_sur_les_inscriptions", "Description", "Historique", "Observations",
    "Representation", "Precision_sur_la_representation", "Date_de_creation", "Justification_de_la_datation",
    "Lieu_d_execution", "Origine_de_l_oeuvre", "Precision_sur_la_protection", "Cadre_de_l_etude",
    "Precision_sur_la_localisation", "Adresse", "Canton", "Lieu_dit", "Coordonnees", "Date_de_mise_a_jour",
    "Date_de_creation_de_la_notice", "Redacteur_de_la_notice", "Copyright_de_la_notice", "Reference_image",
    "Lien_vers_la_notice_memoire", "Parties_constituantes", "Parties_non_etudiees",
    "Precision_sur_l_etat_de_conservation", "Precision_sur_le_statut", "Numero_d_inventaire", "Producteur",
    "Base", "Domaine", "Technique_du_decor", "Photographies", "Lien_vers_pop", "Ancienne_attribution",
]
LABELS = [i.capitalize() for i in OPEN_DATA_IDS.values()] + EXTRA_LABELS
# The full POP export's header: the labels known in it as published (palissy.md), the others
# in varied case (the import matches names whatever their case).
_POP_CASE = {"Reference": "Reference", "Titre_editorial": "Titre_editorial", "Cog_insee": "COG_Insee",
             "Typologie_de_la_protection": "Typologie_de_la_protection",
             "Typologie_du_dossier": "Typologie_du_dossier"}
POP_LABELS = [_POP_CASE.get(label) or (label.upper() if i % 3 == 0 else label if i % 3 == 1 else
                                       "_".join(w.capitalize() for w in label.split("_")))
              for i, label in enumerate(LABELS)]

_MOTS = ("bois sculpté polychrome doré argenté chêne noyer marbre blanc calcaire pierre albâtre "
         "toile huile cuivre argent vermeil étain fonte bronze laiton émail verre peint soie "
         "brodé fils d'or velours cadre mouluré piédestal socle niche drapé manteau couronne "
         "enfant livre palme attribut main droite gauche tenant bénissant debout assis agenouillé "
         "retable autel tabernacle exposition gradins colonnes torses fronton chapiteaux corinthiens "
         "restauré repeint lacunes soulèvements vermoulure fentes usure dorure ").split()
_HIST = ["Donné à la fabrique par", "Provient de l'ancienne abbaye de", "Restauré en", "Acquis par la commune en",
         "Mentionné dans l'inventaire de", "Déposé dans l'église après la Révolution,", "Volé puis retrouvé en",
         "Exposé à Paris en"]
_MATIERES = ["bois : taillé, peint, doré", "calcaire : taillé, peint", "toile : peinture à l'huile",
             "argent : repoussé, ciselé, doré", "cuivre : fondu, doré", "chêne : taillé", "marbre : taillé, poli",
             "bronze : fondu", "soie : brodé, fils métalliques", "verre : peint, grisaille, jaune d'argent"]
_AUTEURS = ["", "", "", "Lebrun Charles", "Jouvenet Jean", "Legendre Jean", "Pigalle Jean-Baptiste",
            "atelier de Troyes", "Rebours François", "Mignard Pierre", "Rossi Antoine"]
_REGIONS = {"84": "Auvergne-Rhône-Alpes", "27": "Bourgogne-Franche-Comté", "53": "Bretagne",
            "24": "Centre-Val de Loire", "94": "Corse", "44": "Grand Est", "32": "Hauts-de-France",
            "11": "Île-de-France", "28": "Normandie", "75": "Nouvelle-Aquitaine", "76": "Occitanie",
            "52": "Pays de la Loire", "93": "Provence-Alpes-Côte d'Azur", "01": "Guadeloupe", "02": "Martinique",
            "03": "Guyane", "04": "La Réunion"}


def _reference(conn):
    communes = conn.execute(text(
        "SELECT c.code_insee, c.nom, c.departement_code, coalesce(c.population, 100), d.region_code "
        "FROM commune c JOIN departement d ON d.code = c.departement_code ORDER BY c.code_insee")).all()
    anciennes = conn.execute(text(
        "SELECT code, nature, commune_code FROM commune_ancienne ORDER BY code, nature")).all()
    return communes, anciennes


def _lorem(rng, n_words: int) -> str:
    words = rng.choice(len(_MOTS), n_words)
    return " ".join(_MOTS[w] for w in words)


def _weighted(rng, pairs, n, index=-1):
    weights = np.array([p[index] for p in pairs], dtype=float)
    return rng.choice(len(pairs), size=n, p=weights / weights.sum())


def generate(conn, path: Path, rows: int = 300_000, seed: int = 1, echo=lambda *_: None,
             pop_path: Path | None = None) -> dict:
    """Write the file (and the same rows in the full POP export's layout at `pop_path`);
    returns what went in (counts of each trap) for checks."""
    rng = np.random.default_rng(seed)
    communes, anciennes = _reference(conn)
    codes = np.array([c[0] for c in communes], dtype=object)
    noms = {c[0]: c[1] for c in communes}
    dep_of = np.array([c[2] for c in communes], dtype=object)
    region_of = {c[0]: c[4] for c in communes}
    population = np.array([max(c[3], 1) for c in communes], dtype=float)
    # Départements by the 2022 counts; communes inside by population^0.35 (many rural ones).
    deps = [d for d in figures.OBJETS_2022 if (dep_of == d).any()]
    dep_weights = np.array([figures.OBJETS_2022[d] for d in deps], dtype=float)
    dep_pick = rng.choice(len(deps), size=rows, p=dep_weights / dep_weights.sum())
    by_dep = {d: np.flatnonzero(dep_of == d) for d in deps}
    commune_idx = np.empty(rows, dtype=np.int64)
    for i, d in enumerate(deps):
        where = np.flatnonzero(dep_pick == i)
        members = by_dep[d]
        w = population[members] ** 0.35
        commune_idx[where] = members[rng.choice(len(members), size=len(where), p=w / w.sum())]
    former = [(a[0], a[2]) for a in anciennes if a[1] in ("COMD", "COMA") and a[0] != a[2]]
    arrondissements = [a[0] for a in anciennes if a[1] == "ARM"] or ["75104", "69381", "13201"]

    deno = _weighted(rng, objets.DENOMINATIONS, rows, index=3)
    scle = _weighted(rng, objets.SIECLES, rows)
    prot = _weighted(rng, objets.PROTECTIONS, rows)
    stat = _weighted(rng, objets.STATUTS, rows)
    doss = _weighted(rng, objets.DOSSIERS, rows)
    manq = _weighted(rng, objets.MANQUANTS, rows)
    empl = _weighted(rng, objets.EMPLACEMENTS, rows)
    egl = _weighted(rng, territoire.EGLISES, rows)
    trap = rng.random(rows)
    noise = rng.random(rows)
    year = rng.integers(1895, 2022, rows)
    long_desc = rng.integers(10, 58, rows)
    long_hist = rng.integers(8, 45, rows)
    counts = {k: 0 for k in ("insee_multiple", "insee_sans_zero", "commune_ancienne", "arrondissement", "web",
                             "deplacement", "insee_manquant", "ref_url", "notice_im", "notice_em", "ref_en_double",
                             "ref_manquante", "traitement_en_cours")}
    header = LABELS
    width = len(header)
    seen_refs: list[str] = []
    pools: dict[str, list] = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    pop_out = pop_path.open("w", encoding="utf-8-sig", newline="") if pop_path else None
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(header)
        writers = [writer]
        if pop_out:
            writers.append(csv.writer(pop_out, delimiter="|", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n"))
            writers[1].writerow(POP_LABELS)
        batch = []
        for i in range(rows):
            code = codes[commune_idx[i]]
            dep = dep_of[commune_idx[i]]
            insee, web, depl, mosa = code, "", "", ""
            t = trap[i]
            if t < 0.010:
                insee = f"{code} ; {codes[(commune_idx[i] + 1) % len(codes)]}"
                counts["insee_multiple"] += 1
            elif t < 0.016 and code[0] == "0":
                insee = code[1:]
                counts["insee_sans_zero"] += 1
            elif t < 0.026 and former:
                old, parent = former[int(noise[i] * len(former))]
                insee, code, dep = old, parent, parent[:3] if parent.startswith("97") else parent[:2]
                counts["commune_ancienne"] += 1
            elif t < 0.028:
                insee = arrondissements[int(noise[i] * len(arrondissements))]
                code = {"75": "75056", "69": "69123", "13": "13055"}.get(insee[:2], code)
                dep = insee[:2]
                counts["arrondissement"] += 1
            elif t < 0.045 and former:
                old, parent = former[int(noise[i] * len(former))]
                insee, web, code = old, parent, parent
                dep = parent[:3] if parent.startswith("97") else parent[:2]
                counts["web"] += 1
            elif t < 0.052:
                other = codes[int(noise[i] * len(codes))]
                web, depl = other, "oeuvre déplacée"
                mosa = f"église Saint-{_MOTS[int(noise[i] * 50) % len(_MOTS)].capitalize()} ; PA{int(noise[i] * 1e8):08d}"
                counts["deplacement"] += 1
            elif t < 0.055:
                insee = ""
                counts["insee_manquant"] += 1
            d_den, d_tico, d_cate, _w, subjects = objets.DENOMINATIONS[deno[i]]
            subject = subjects[int(noise[i] * len(subjects))][0]
            titre = f"{d_tico} : {subject}" if subject else d_tico
            if noise[i] < 0.002:
                titre = objets.TRAITEMENT_EN_COURS
                counts["traitement_en_cours"] += 1
            if noise[i] > 0.97:
                titre = f"  {titre}  "                      # stray spaces
            p_label, story, _w = objets.PROTECTIONS[prot[i]]
            # A decree protects many objets the same day: dates come from a pool per département.
            pool = pools.setdefault(dep, [(int(y), int(m), int(dd)) for y, m, dd in zip(
                rng.integers(1895, 2022, 40), rng.integers(1, 13, 40), rng.integers(1, 29, 40))])
            y, m, dd = pool[int(t * 997) % len(pool)]
            date1 = f"{y}/{m:02d}/{dd:02d}" if noise[i] > 0.15 else f"{y}"
            if story == objets.DECLASSE:
                dpro = f"{min(y + 20, 2021)}/04/09 : déclassé ; {date1} : classé au titre objet"
            elif story == objets.INSCRIT_PUIS_CLASSE:
                dpro = f"{date1} : inscrit au titre objet ; {min(y + 15, 2021)}/06/12 : classé au titre objet"
            elif story == objets.DESINSCRIT:
                dpro = f"{date1} : inscrit au titre objet ; {min(y + 10, 2021)} : désinscrit"
            elif story == objets.INSCRIT:
                dpro = f"{date1} : inscrit au titre objet"
            elif story == objets.AUCUNE:
                dpro = ""
            else:
                dpro = f"{date1} : classé au titre objet"
            m_manq, m_depl, _w = objets.MANQUANTS[manq[i]]
            if m_depl and not depl:
                depl = m_depl
            refa = ""
            if noise[i] < 0.35:
                pa = f"PA{(commune_idx[i] * 7919) % 100_000_000:08d}"
                refa = f"https://www.pop.culture.gouv.fr/notice/merimee/{pa}" if noise[i] < 0.02 else pa
                counts["ref_url"] += int(noise[i] < 0.02)
            prefix = "PM"
            if t > 0.99 or 0.95 < t <= 0.98:    # Inventaire: 4 %
                prefix = "IM"
                counts["notice_im"] += 1
            ref = f"{prefix}{dep[:2]}{i + 1:06d}"
            if 0.93 < t <= 0.95:                # État, 11 characters: 2 %
                ref = f"EM{i + 1:09d}"
                counts["notice_em"] += 1
            if 0.9895 < t <= 0.9900 and seen_refs:
                ref = seen_refs[int(noise[i] * len(seen_refs))]
                counts["ref_en_double"] += 1
            elif 0.9890 < t <= 0.9895:
                ref = ""
                counts["ref_manquante"] += 1
            elif i % 97 == 0:
                seen_refs.append(ref)
            description = _lorem(rng, int(long_desc[i]))
            if noise[i] < 0.2:
                description += "\n" + _lorem(rng, 12) + " ; " + _lorem(rng, 6)     # quoted newline and ';'
            historique = f"{_HIST[int(noise[i] * len(_HIST))]} {year[i] - 30}. " + _lorem(rng, int(long_hist[i]))
            region = _REGIONS.get(region_of.get(code, ""), "")
            e_nom = territoire.EGLISES[egl[i]][0]
            values = {
                "REF": ref, "TICO": titre, "DENO": ",".join(d_den), "CATE": ",".join(d_cate),
                "SCLE": ",".join(objets.SIECLES[scle[i]][0]), "COM": noms.get(code, ""), "INSEE": insee, "WEB": web,
                "DPT": dep, "REG": region, "EDIF": e_nom, "EMPL": objets.EMPLACEMENTS[empl[i]][0] or "",
                "REFA": refa, "PROT": p_label or "", "DPRO": dpro, "STAT": objets.STATUTS[stat[i]][0] or "",
                "MANQUANT": m_manq or "", "DOSS": objets.DOSSIERS[doss[i]][0] or "", "DEPL": depl, "MOSA": mosa,
                "DENQ": str(1985 + int(noise[i] * 30)) if noise[i] < 0.25 else "", "ETAT": "",
            }
            row = [values[c] for c in OPEN_DATA_IDS]
            row += [
                "", _AUTEURS[int(noise[i] * len(_AUTEURS))], "", "", _MATIERES[deno[i] % len(_MATIERES)],
                f"h = {50 + int(noise[i] * 200)} ; la = {20 + int(t * 100)}", "", "", description, historique,
                "" if noise[i] < 0.7 else _lorem(rng, 15), subject or "", "", f"{year[i] - 200}", "daté",
                "", "", "", "liste objets MH", "", "", "", "", f"{44 + noise[i]:.5f}, {2 + t:.5f}",
                "2022/06/23", "2002/01/01", "Thomas Anne", "(c) Monuments historiques", "", "", "", "", "",
                "", "", "Monuments Historiques", "Palissy", "", "", "", f"https://pop.culture.gouv.fr/notice/palissy/{ref}",
                "",
            ]
            batch.append(row)
            if len(batch) >= 10_000:
                for w in writers:
                    w.writerows(batch)
                batch.clear()
                echo(f"  {i + 1} lignes écrites")
        for w in writers:
            w.writerows(batch)
    if pop_out:
        pop_out.close()
    assert len(header) == width and width >= 60
    return {"rows": rows, "columns": width, "bytes": path.stat().st_size, **counts}


if __name__ == "__main__":  # python -m dashboard.bench.palissy_csv OUT [ROWS]
    import sys

    from dashboard import db, settings

    with db.engine_for(settings.database_url()).connect() as connection:
        print(generate(connection, Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 300_000))
