"""The charts of a /carte view, as SVG: the objets by état sanitaire (with the disparus and
those without a known état, so the bars add up to the objets counted) and the recensements
per month.

SVG written here rather than Plotly: measured in chromium, the two Plotly charts of this
page cost the browser 1.5 s of script (the Plotly bundle, 4 MB, then each figure) before
the map could be drawn, on a page whose goal is to be usable in 3 s. These are a few
kilobytes of markup, drawn at once, in French by construction: numbers with a narrow
no-break space between thousands, months by their French names. Each bar carries its
words and its figure (a colour never speaks alone) and a <title> (the tooltip a pointer
shows); each chart is an image with a label that says what it shows, in words.

Pure: no Streamlit; the page hands the SVG to st.markdown (st.html's sanitizer drops SVG).
Every text in it is escaped here.
"""
from __future__ import annotations

import html
import math
from datetime import date

import pandas as pd

from dashboard.app.carte.classes import DISPARUS, ETAT_ORDRE, GRIS, RECENSEMENTS
from dashboard.domain.vocabulary import ETAT_SANITAIRE

NON_RECENSES = "Non recensés ou état inconnu"
MOIS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
MOIS_LONGS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre")
TEXTE, AXE = "#161616", "#3a3a3a"     # 15.9:1 and 11:1 on white
POLICE = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'


def nombre(n: float) -> str:
    """An integer the French way: 12 345 (narrow no-break space)."""
    return f"{int(round(n)):,}".replace(",", "\u202f")


def mois_libelle(jour: date, long: bool = False) -> str:
    return f"{(MOIS_LONGS if long else MOIS)[jour.month - 1]} {jour.year}"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def barres_etats(t: dict[str, int]) -> tuple[list[str], list[int], list[str]]:
    """(labels, counts, colours) of the état chart; the counts add up to t["objets"]."""
    inconnus = max(t["objets"] - t["avec_etat"] - t["disparus"], 0)
    libelles = [*(ETAT_SANITAIRE.libelle(e) for e in ETAT_ORDRE), "Disparus", NON_RECENSES]
    valeurs = [*(t[e] for e in ETAT_ORDRE), t["disparus"], inconnus]
    couleurs = [*(ETAT_SANITAIRE.couleur(e) for e in ETAT_ORDRE), DISPARUS, GRIS]
    return libelles, valeurs, couleurs


def _figure(titre: str, resume: str, svg: str) -> str:
    """The chart with its visible title; the image's label says what it shows, in words."""
    image = svg.replace("<svg ", f'<svg role="img" aria-label="{_e(resume)}" ', 1)
    return (f'<figure class="carte-graphique" style="margin:0">'
            f'<figcaption style="font-weight:600;color:{TEXTE};margin-bottom:.25rem">{_e(titre)}</figcaption>'
            f'{image}</figure>')


def graphique_etats(t: dict[str, int]) -> str:
    """Horizontal bars, one per état (then disparus, unknown), each with its words and count."""
    libelles, valeurs, couleurs = barres_etats(t)
    # The labels' column from the longest one, at 0.6 em a character: wider than measured in
    # chromium here (0.54 em for "Non recensés ou état inconnu"), whose end a fixed 196 cut off.
    largeur, droite, pas, epaisseur = 460, 56, 30, 20
    gauche = 12 + math.ceil(max(map(len, libelles)) * 0.6 * 13)
    hauteur = pas * len(valeurs) + 8
    maxi = max(valeurs) or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {largeur} {hauteur}" width="100%" '
           f'style="max-width:{largeur}px" {POLICE} font-size="13">']
    for i, (libelle, valeur, couleur) in enumerate(zip(libelles, valeurs, couleurs)):
        y = 4 + i * pas
        longueur = (largeur - gauche - droite) * valeur / maxi
        out.append(f'<g><title>{_e(libelle)} : {nombre(valeur)} objets</title>'
                   f'<text x="{gauche - 8}" y="{y + epaisseur / 2 + 4.5:.1f}" text-anchor="end" fill="{TEXTE}">'
                   f'{_e(libelle)}</text>'
                   f'<rect x="{gauche}" y="{y}" width="{max(longueur, 0.0):.1f}" height="{epaisseur}" '
                   f'fill="{couleur}" stroke="{AXE}" stroke-width="0.5"/>'
                   f'<text x="{gauche + longueur + 6:.1f}" y="{y + epaisseur / 2 + 4.5:.1f}" fill="{TEXTE}">'
                   f'{nombre(valeur)}</text></g>')
    out.append(f'<line x1="{gauche}" y1="0" x2="{gauche}" y2="{hauteur}" stroke="{AXE}" stroke-width="1"/></svg>')
    resume = "Objets par état sanitaire actuel : " + " ; ".join(
        f"{libelle} {nombre(valeur)}" for libelle, valeur in zip(libelles, valeurs)) + "."
    return _figure("État sanitaire actuel des objets", resume, "".join(out))


def _graduation(maxi: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about four lines up to `maxi`."""
    brut = max(maxi, 1) / 4
    puissance = 10 ** math.floor(math.log10(brut))
    return next(k * puissance for k in (1, 2, 5, 10) if k * puissance >= brut)


def _mois_entre(debut: date, fin: date) -> list[date]:
    out, y, m = [], debut.year, debut.month
    while (y, m) <= (fin.year, fin.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def graphique_recensements(mois: pd.DataFrame) -> str:
    """Vertical bars, one per month from the first to the last month with a recensement
    (months without one drawn empty), French month names under the axis."""
    titre = "Recensements par mois"
    if mois.empty:
        return (f'<figure class="carte-graphique" style="margin:0"><figcaption style="font-weight:600;color:{TEXTE}">'
                f'{titre}</figcaption><p style="color:{AXE}">Aucun recensement pour cette sélection.</p></figure>')
    compte = {pd.Timestamp(m).date().replace(day=1): int(n) for m, n in zip(mois["mois"], mois["recensements"])}
    jours = _mois_entre(min(compte), max(compte))
    valeurs = [compte.get(j, 0) for j in jours]
    largeur, hauteur, gauche, droite, haut, bas = 480, 220, 48, 10, 10, 34
    zone_l, zone_h = largeur - gauche - droite, hauteur - haut - bas
    pas_y = _graduation(max(valeurs))
    plafond = pas_y * math.ceil(max(max(valeurs), 1) / pas_y)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {largeur} {hauteur}" width="100%" '
           f'style="max-width:{largeur}px" {POLICE} font-size="13">']
    graduation = 0.0
    while graduation <= plafond + 1e-9:
        y = haut + zone_h * (1 - graduation / plafond)
        out.append(f'<line x1="{gauche}" y1="{y:.1f}" x2="{largeur - droite}" y2="{y:.1f}" stroke="#dddddd"/>'
                   f'<text x="{gauche - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{AXE}">{nombre(graduation)}</text>')
        graduation += pas_y
    largeur_barre = zone_l / len(jours)
    # A label every year (January) over long spans, every quarter over short ones.
    tous = 1 if len(jours) <= 8 else 3 if len(jours) <= 24 else 12
    for i, (jour, valeur) in enumerate(zip(jours, valeurs)):
        x = gauche + i * largeur_barre
        h = zone_h * valeur / plafond
        out.append(f'<rect x="{x + largeur_barre * 0.1:.1f}" y="{haut + zone_h - h:.1f}" '
                   f'width="{max(largeur_barre * 0.8, 0.5):.1f}" height="{h:.1f}" fill="{RECENSEMENTS}">'
                   f'<title>{mois_libelle(jour, long=True)} : {nombre(valeur)} recensement'
                   f'{"s" if valeur > 1 else ""}</title></rect>')
        if (jour.month - 1) % tous == 0:
            out.append(f'<line x1="{x:.1f}" y1="{haut + zone_h}" x2="{x:.1f}" y2="{haut + zone_h + 4}" stroke="{AXE}"/>'
                       f'<text x="{x:.1f}" y="{haut + zone_h + 17}" fill="{AXE}">'
                       f'{_e(str(jour.year) if tous == 12 else mois_libelle(jour))}</text>')
    out.append(f'<line x1="{gauche}" y1="{haut + zone_h}" x2="{largeur - droite}" y2="{haut + zone_h}" '
               f'stroke="{AXE}"/></svg>')
    pic = max(range(len(valeurs)), key=valeurs.__getitem__)
    resume = (f"{titre}, de {mois_libelle(jours[0], long=True)} à {mois_libelle(jours[-1], long=True)} : "
              f"{nombre(sum(valeurs))} au total ; le plus : {nombre(valeurs[pic])} en "
              f"{mois_libelle(jours[pic], long=True)}.")
    return _figure(titre, resume, "".join(out))
