"""The recensement questionnaire of a commune (domain.md, "Recensement questionnaire"),
step by step: which steps apply to the answers given so far, what each step takes and
refuses, where the questionnaire resumes, and when a recensement is complete. Pure: the
writes (dashboard/writes/questionnaire.py) apply these rules before their SQL, the page
(pages/recensement.py) shows them.

Each step is saved when it is done (one UPDATE): closing the browser loses at most the step
in progress. The answers of a recensement are the columns of the table `recensement`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from dashboard.domain.vocabulary import ETAPE_QUESTIONNAIRE, ETAT_SANITAIRE, LOCALISATION, SECURISATION

NOTES_MAX = 5_000           # characters; a note is plain text, shown as text
EDIFICE_MAX = 300
PHOTOS_MAX = 6              # per recensement: a phone's upload over a poor network
CODE_INSEE = re.compile(r"(\d{2}|2[AB])\d{3}")

ETAPES = ETAPE_QUESTIONNAIRE.codes  # localisation, recensable, etat, securisation, photos, notes, validation


class ReponseRefusee(ValueError):
    """An answer the questionnaire cannot take; str() is the French message."""


@dataclass(frozen=True)
class Reponses:
    """What a recensement holds so far (None: not answered)."""
    localisation: str | None = None
    edifice_nom: str | None = None
    autre_commune_code: str | None = None
    recensable: bool | None = None
    etat_sanitaire: str | None = None
    securisation: str | None = None
    confirmation_sans_photo: bool = False
    notes: str | None = None
    nb_photos: int = 0
    etape: str | None = None            # the furthest step saved
    complet: bool = False               # the last step was validated (statut 'completed')

    @classmethod
    def de_ligne(cls, ligne: dict | None) -> "Reponses":
        """From a row of the table recensement (or nothing yet)."""
        if not ligne:
            return cls()
        t = lambda champ: _texte_ou_rien(ligne.get(champ))  # noqa: E731
        return cls(localisation=t("localisation"), edifice_nom=t("edifice_nom"),
                   autre_commune_code=t("autre_commune_code"), recensable=_bool(ligne.get("recensable")),
                   etat_sanitaire=t("etat_sanitaire"), securisation=t("securisation"),
                   confirmation_sans_photo=bool(_bool(ligne.get("confirmation_sans_photo"))), notes=t("notes"),
                   nb_photos=_entier(ligne.get("nb_photos")),
                   etape=t("etape"), complet=ligne.get("statut") == "completed")


def _entier(v) -> int:
    return 0 if v is None or v != v else int(v)


def _texte_ou_rien(v) -> str | None:
    """None for SQL NULL, also when a data frame made it NaN."""
    return None if v is None or (isinstance(v, float) and v != v) else str(v)


def _bool(v) -> bool | None:
    return None if v is None or (isinstance(v, float) and v != v) else bool(v)


def absent(r: Reponses) -> bool:
    return r.localisation == "absent"


def etapes(r: Reponses) -> list[str]:
    """The steps that apply to these answers: an objet introuvable is not recensable (no
    recensable step); a non recensable objet has no état, sécurisation nor photos."""
    out = ["localisation"]
    if not absent(r):
        out.append("recensable")
    if r.recensable is not False and not absent(r):
        out += ["etat", "securisation", "photos"]
    return out + ["notes", "validation"]


def etape_faite(r: Reponses, etape: str) -> bool:
    if etape == "localisation":
        return r.localisation is not None
    if etape == "recensable":
        return r.recensable is not None
    if etape == "etat":
        return r.etat_sanitaire is not None
    if etape == "securisation":
        return r.securisation is not None
    if etape == "photos":
        return r.nb_photos > 0 or r.confirmation_sans_photo
    if etape == "notes":
        return r.etape is not None and ETAPES.index(r.etape) >= ETAPES.index("notes")
    return r.complet


def etape_suivante(r: Reponses) -> str:
    """Where the questionnaire resumes: the first step that applies and is not done."""
    return next((e for e in etapes(r) if not etape_faite(r, e)), "validation")


def manques(r: Reponses) -> list[str]:
    """What is still missing before the recensement can be validated (French, one per step)."""
    return [f"Étape « {ETAPE_QUESTIONNAIRE.libelle(e)} » à compléter." for e in etapes(r)
            if e not in ("notes", "validation") and not etape_faite(r, e)]


def texte(valeur, maximum: int, quoi: str) -> str | None:
    if valeur is None:
        return None
    texte = str(valeur).replace("\x00", "").strip()
    if len(texte) > maximum:
        raise ReponseRefusee(f"{quoi} trop long ({len(texte)} caractères ; au plus {maximum}).")
    return texte or None


def appliquer(r: Reponses, etape: str, valeurs: dict, commune_code: str | None = None) -> Reponses:
    """The answers after this step is saved with `valeurs`, or ReponseRefusee. Later answers
    that no longer apply are cleared (introuvable: not recensable; not recensable: no état,
    sécurisation nor photo confirmation). `commune_code`: the dossier's commune (a move to
    another commune cannot name it)."""
    if etape not in etapes(r):
        raise ReponseRefusee("Cette étape ne s'applique pas à cet objet.")
    if etape == "localisation":
        r = _localisation(r, valeurs, commune_code)
    elif etape == "recensable":
        if valeurs.get("recensable") not in (True, False):
            raise ReponseRefusee("Indiquez si l'objet peut être recensé (oui ou non).")
        if valeurs["recensable"] is False and not valeurs.get("confirme"):
            raise ReponseRefusee("Confirmez que l'objet ne peut pas être recensé (case à cocher).")
        r = replace(r, recensable=valeurs["recensable"])
    elif etape == "etat":
        if valeurs.get("etat_sanitaire") not in ETAT_SANITAIRE:
            raise ReponseRefusee("Choisissez l'état de l'objet : bon, moyen, mauvais ou péril.")
        r = replace(r, etat_sanitaire=valeurs["etat_sanitaire"])
    elif etape == "securisation":
        if valeurs.get("securisation") not in SECURISATION:
            raise ReponseRefusee("Indiquez si l'objet est en sécurité ou facile à voler.")
        r = replace(r, securisation=valeurs["securisation"])
    elif etape == "photos":
        sans = bool(valeurs.get("confirmation_sans_photo"))
        if r.nb_photos == 0 and not sans:
            raise ReponseRefusee("Ajoutez au moins une photo, ou confirmez que vous n'en donnez pas (case à cocher).")
        r = replace(r, confirmation_sans_photo=sans and r.nb_photos == 0)
    elif etape == "notes":
        r = replace(r, notes=texte(valeurs.get("notes"), NOTES_MAX, "Commentaire"))
    elif etape == "validation":
        manque = manques(r)
        if manque:
            raise ReponseRefusee("Ce recensement n'est pas complet : " + " ".join(manque))
    r = _nettoyer(r)
    plus_loin = r.etape is None or ETAPES.index(etape) >= ETAPES.index(r.etape)
    r = replace(r, etape=etape if plus_loin else r.etape)
    complet = etape == "validation" or (r.complet and not manques(r))
    return replace(r, complet=complet)


def _localisation(r: Reponses, valeurs: dict, commune_code: str | None) -> Reponses:
    loc = valeurs.get("localisation")
    if loc not in LOCALISATION:
        raise ReponseRefusee("Indiquez où se trouve l'objet.")
    edifice = autre = None
    if loc == "autre_edifice":
        edifice = texte(valeurs.get("edifice_nom"), EDIFICE_MAX, "Nom de l'édifice")
        if not edifice:
            raise ReponseRefusee("Indiquez le nom de l'édifice où se trouve maintenant l'objet.")
    if loc == "deplacement_autre_commune":
        autre = str(valeurs.get("autre_commune_code") or "").strip().upper()
        if not CODE_INSEE.fullmatch(autre):
            raise ReponseRefusee("Choisissez la commune où se trouve l'objet dans la liste des communes trouvées.")
        if commune_code and autre == commune_code:
            raise ReponseRefusee("Cette commune est la vôtre : choisissez « Dans un autre édifice de la commune ».")
    if loc == "absent" and not valeurs.get("confirme"):
        raise ReponseRefusee("Confirmez que l'objet est introuvable (case à cocher) : c'est un signalement "
                             "que le conservateur traitera en priorité.")
    return replace(r, localisation=loc, edifice_nom=edifice, autre_commune_code=autre)


def _nettoyer(r: Reponses) -> Reponses:
    """domain.md: recensable is forced to no when absent; when no, état, sécurisation and
    photos are left empty."""
    if absent(r):
        r = replace(r, recensable=False)
    if r.recensable is False:
        r = replace(r, etat_sanitaire=None, securisation=None, confirmation_sans_photo=False)
    return r


def colonnes(r: Reponses) -> dict:
    """The columns an UPDATE of recensement takes (queries/questionnaire.sql)."""
    return {"localisation": r.localisation, "edifice_nom": r.edifice_nom, "autre_commune_code": r.autre_commune_code,
            "recensable": r.recensable, "etat_sanitaire": r.etat_sanitaire, "securisation": r.securisation,
            "confirmation_sans_photo": r.confirmation_sans_photo, "notes": r.notes, "etape": r.etape,
            "complet": r.complet}
