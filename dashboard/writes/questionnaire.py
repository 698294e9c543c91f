"""The commune's questionnaire (issue 15): start a dossier, save one step of one objet's
recensement, add or remove a photo, submit the dossier.

The rules of the answers are dashboard.domain.questionnaire; the SQL (queries/questionnaire.sql)
checks in each WHERE clause the scope, the author's role, the dossier's state (a submitted
dossier is read-only) and the recensement's version: a write that matches no row changed
nothing, and a read says why (Conflit, Refus). Every table written bumps data_version
(triggers), so a submitted dossier shows at once on /urgences, the map and the fiches.

A photo is processed outside any transaction (dashboard.domain.photos: checked by content,
EXIF orientation applied, every metadata dropped), its two copies written to the storage,
then its row inserted in one transaction; when the row cannot be written, the copies are
removed (what a crash leaves behind, the daily purge of copies without a row removes).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from dashboard.db import sql
from dashboard.domain import formats, photos, questionnaire, rights
from dashboard.domain.identity import User
from dashboard.domain.questionnaire import Reponses, ReponseRefusee
from dashboard.domain.rights import Capacite
from dashboard.stockage import photos as copies
from dashboard.stockage.base import Stockage, StockageIndisponible

_log = logging.getLogger(__name__)
NOTES_DOSSIER_MAX = 5_000
RECENSEUR_MAX = 200


class QuestionnaireError(Exception):
    """A write that was refused; the message is French and meant for the person."""


class Conflit(QuestionnaireError):
    """Saved meanwhile (another tab, another person): nothing was overwritten."""


class Refus(QuestionnaireError):
    """Out of scope, wrong role, or a dossier that cannot be changed any more."""


class Indisponible(QuestionnaireError):
    """The database or the storage could not take the write: nothing was saved."""


INDISPONIBLE = ("Rien n'a été enregistré : la base de données ne répond pas (la connexion est peut-être coupée). "
                "Réessayez dans un instant : ce qui était déjà enregistré est conservé.")
LECTURE_SEULE = ("Ce dossier a été transmis au conservateur : il ne peut plus être modifié, sauf si le conservateur "
                 "vous le renvoie.")


def roles() -> list[str]:
    """The SQL parameter :roles: the roles the rights table lets answer the questionnaire."""
    return sorted(rights.roles_avec(Capacite.REPONDRE_QUESTIONNAIRE))


def peut_repondre(user: User) -> bool:
    return user.peut(Capacite.REPONDRE_QUESTIONNAIRE)


def _check_role(user: User) -> None:
    if not peut_repondre(user):
        raise Refus("Seule la commune répond à son questionnaire ; vous pouvez le consulter sans le modifier.")


def _en_tant_que(conn: Connection, user: User) -> None:
    sql.fetch_scalar(conn, "en_tant_que", user_id=str(user.id))


def _params(user: User) -> dict:
    return {"user_id": user.id, "roles": roles(), **user.scope.params()}


# --- the dossier -----------------------------------------------------------------------------

def commencer(conn: Connection, user: User, commune_code: str, campagne_id: int | None = None) -> int:
    """Start the commune's dossier (the campaign it is invited to, if any); its id. When a
    dossier in construction or awaiting examen exists, that one is returned."""
    _check_role(user)
    _en_tant_que(conn, user)
    if sql.fetch_scalar(conn, "questionnaire_verrou_commune", commune_code=commune_code,
                        **user.scope.params()) is None:
        raise Refus("Commune introuvable, ou hors de votre périmètre.")
    row = sql.execute(conn, "questionnaire_commencer", commune_code=commune_code, campagne_id=campagne_id,
                      **_params(user)).first()
    if row is not None:
        return row[0]
    actuel = sql.fetch_one(conn, "questionnaire_dossier", commune_code=commune_code, **user.scope.params())
    if actuel is not None and actuel["statut"] in ("construction", "submitted"):
        return actuel["id"]
    raise Refus("Le dossier n'a pas pu être commencé : campagne inconnue pour votre commune.")


def soumettre(conn: Connection, user: User, dossier_id: int, version: int, notes: str | None = None,
              recenseur: str | None = None) -> int:
    """Submit the dossier (then read-only); its new version. Refused while an objet has no
    completed recensement."""
    _check_role(user)
    notes = _texte(notes, NOTES_DOSSIER_MAX, "Commentaire")
    recenseur = _texte(recenseur, RECENSEUR_MAX, "Nom")
    _en_tant_que(conn, user)
    row = sql.execute(conn, "questionnaire_soumettre", id=dossier_id, version=version, notes=notes,
                      recenseur=recenseur, **_params(user)).first()
    if row is not None:
        return row[0]
    now = sql.fetch_one(conn, "questionnaire_version_dossier", id=dossier_id)
    if now is None or sql.fetch_one(conn, "questionnaire_dossier", commune_code=now["commune_code"],
                                    **user.scope.params()) is None:
        raise Refus("Dossier introuvable, ou hors de votre périmètre.")
    if now["statut"] != "construction":
        raise Refus("Ce dossier a déjà été transmis.")
    if now["version"] != version:
        raise Conflit("Ce dossier a été modifié depuis que vous l'avez ouvert (un autre onglet ?) : rien n'a été "
                      "transmis. Rechargez la page, vérifiez, puis transmettez.")
    av = sql.fetch_one(conn, "questionnaire_avancement", id=dossier_id)
    reste = int(av["objets"]) - int(av["completes"])
    verbe = formats.accord(reste, "n'a", "n'ont")
    raise Refus(f"Le dossier ne peut pas encore être transmis : {formats.pluriel(reste, 'objet')} sur "
                f"{formats.fmt_int(int(av['objets']))} {verbe} pas de recensement complet.")


def _texte(valeur: str | None, maximum: int, quoi: str) -> str | None:
    try:
        return questionnaire.texte(valeur, maximum, quoi)
    except ReponseRefusee as exc:
        raise QuestionnaireError(str(exc)) from None


# --- one step of one objet -------------------------------------------------------------------------

@dataclass(frozen=True)
class Enregistre:
    recensement_id: int
    version: int
    reponses: Reponses


def enregistrer_etape(conn: Connection, user: User, dossier_id: int, objet_ref: str, recensement_id: int | None,
                      version: int, etape: str, valeurs: dict) -> Enregistre:
    """Save one step (dashboard.domain.questionnaire.appliquer): the first step of an objet
    creates its recensement (recensement_id None, version 0); later ones update it if it is
    still at `version`. Returns the recensement's id, new version and answers."""
    _check_role(user)
    if recensement_id is None:
        actuel, commune_code = Reponses(), _commune_du_dossier(conn, user, dossier_id)
    else:
        ligne = sql.fetch_one(conn, "questionnaire_recensement", id=recensement_id, **user.scope.params())
        if ligne is None or ligne["objet_ref"] != objet_ref or ligne["dossier_id"] != dossier_id:
            raise Refus("Recensement introuvable, ou hors de votre périmètre.")
        if ligne["dossier_statut"] != "construction":
            raise Refus(LECTURE_SEULE)
        if ligne["version"] != version:
            raise Conflit("Cet objet a été modifié depuis que vous l'avez ouvert (un autre onglet, une autre "
                          "personne ?) : votre réponse n'a pas été enregistrée. Rechargez la page pour voir la "
                          "version enregistrée.")
        actuel, commune_code = Reponses.de_ligne(ligne), ligne["commune_code"]
    try:
        nouvelles = questionnaire.appliquer(actuel, etape, valeurs, commune_code)
    except ReponseRefusee as exc:
        raise QuestionnaireError(str(exc)) from None
    if nouvelles.autre_commune_code and sql.fetch_one(conn, "questionnaire_commune_existe",
                                                      code=nouvelles.autre_commune_code) is None:
        raise QuestionnaireError(f"Aucune commune n'a le code {nouvelles.autre_commune_code} : choisissez la commune "
                                 "dans la liste des communes trouvées. Rien n'a été enregistré.")
    _en_tant_que(conn, user)
    valeurs_sql = {**questionnaire.colonnes(nouvelles), **_params(user)}
    if recensement_id is None:
        row = sql.execute(conn, "questionnaire_recensement_creer", dossier_id=dossier_id, objet_ref=objet_ref,
                          **valeurs_sql).first()
        if row is None:
            raise Conflit("Cet objet a déjà été commencé (dans un autre onglet ?) : rechargez la page pour reprendre "
                          "où il en est. Votre réponse n'a pas été enregistrée.")
        return Enregistre(row[0], row[1], nouvelles)
    row = sql.execute(conn, "questionnaire_recensement_enregistrer", id=recensement_id, version=version,
                      **valeurs_sql).first()
    if row is None:
        raise Conflit("Cet objet a été modifié pendant l'enregistrement : rechargez la page.")
    nouvelle_version = row[0]
    if nouvelles.recensable is False and actuel.nb_photos:
        cles = sql.execute(conn, "questionnaire_photos_retirer_toutes", recensement_id=recensement_id).all()
        nouvelle_version = sql.execute(conn, "questionnaire_photos_compter", recensement_id=recensement_id).first()[0]
        _supprimer_apres(conn, [copies.ClesPhoto(c.cle_grande, c.cle_vignette) for c in cles])
    return Enregistre(recensement_id, nouvelle_version, nouvelles)


def _commune_du_dossier(conn: Connection, user: User, dossier_id: int) -> str:
    now = sql.fetch_one(conn, "questionnaire_version_dossier", id=dossier_id)
    if now is None or sql.fetch_one(conn, "questionnaire_dossier", commune_code=now["commune_code"],
                                    **user.scope.params()) is None:
        raise Refus("Dossier introuvable, ou hors de votre périmètre.")
    if now["statut"] != "construction":
        raise Refus(LECTURE_SEULE)
    return now["commune_code"]


_A_SUPPRIMER = "questionnaire_copies_a_supprimer"


def _supprimer_apres(conn: Connection, cles: list[copies.ClesPhoto]) -> None:
    """The copies of photos removed in this transaction: removed from the storage once it
    is committed (rolled back: they stay, their rows still name them)."""
    conn.info.setdefault(_A_SUPPRIMER, []).extend(cles)


def copies_a_supprimer(conn: Connection) -> list[copies.ClesPhoto]:
    return conn.info.pop(_A_SUPPRIMER, [])


# --- photos --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PhotoAjoutee:
    photo_id: int
    version: int           # the recensement's new version
    nb_photos: int


def ajouter_photo(user: User, recensement_id: int, contenu: bytes, *, stockage: Stockage | None = None,
                  url: str | None = None) -> PhotoAjoutee:
    """Check and keep a photo for a recensement: processed here (no transaction open), both
    copies written, then the row in one transaction; the copies are removed when the row is
    not written. photos.PhotoRefusee (French message) when the file is not a usable photo."""
    from dashboard import db, stockage as stockages

    _check_role(user)
    traitee = photos.traiter(contenu)                        # PhotoRefusee: nothing written anywhere
    stockage = stockage or stockages.ouvrir()
    try:
        cles = copies.enregistrer(stockage, traitee)
    except StockageIndisponible as exc:
        raise Indisponible(f"La photo n'a pas été enregistrée : {exc}") from None
    ok = False
    try:
        with db.connect(url, app=True) as conn:
            _en_tant_que(conn, user)
            row = sql.execute(conn, "questionnaire_photo_ajouter", recensement_id=recensement_id,
                              cle_grande=cles.grande, cle_vignette=cles.vignette,
                              largeur=traitee.grande.largeur, hauteur=traitee.grande.hauteur,
                              vignette_largeur=traitee.vignette.largeur, vignette_hauteur=traitee.vignette.hauteur,
                              format_origine=traitee.format_origine, octets_origine=traitee.octets_origine,
                              empreinte=traitee.empreinte, photos_max=questionnaire.PHOTOS_MAX,
                              **_params(user)).first()
            if row is None:
                raise _photo_refusee(conn, user, recensement_id, traitee.empreinte)
            compte = sql.execute(conn, "questionnaire_photos_compter", recensement_id=recensement_id).first()
        ok = True
        return PhotoAjoutee(row[0], compte[0], compte[1])
    except (db.DatabaseError, SQLAlchemyError) as exc:
        _log.error("Photo refusée par la base : %s", exc, exc_info=exc)
        raise Indisponible(INDISPONIBLE) from None
    finally:
        if not ok:
            _supprimer_copies(stockage, [cles])


def _photo_refusee(conn: Connection, user: User, recensement_id: int, empreinte: str) -> QuestionnaireError:
    ligne = sql.fetch_one(conn, "questionnaire_recensement", id=recensement_id, **user.scope.params())
    if ligne is None:
        return Refus("Recensement introuvable, ou hors de votre périmètre.")
    if ligne["dossier_statut"] != "construction":
        return Refus(LECTURE_SEULE)
    if ligne["localisation"] == "absent" or ligne["recensable"] is False:
        return Refus("Pas de photo pour un objet introuvable ou qui ne peut pas être recensé.")
    deja = sql.fetch_df(conn, "questionnaire_photos", ids=[recensement_id], **user.scope.params())
    if len(deja) >= questionnaire.PHOTOS_MAX:
        return Refus(f"Au plus {questionnaire.PHOTOS_MAX} photos par objet : retirez-en une avant d'en ajouter.")
    return Refus("Cette photo est déjà enregistrée pour cet objet.")


def supprimer_photo(user: User, photo_id: int, *, stockage: Stockage | None = None, url: str | None = None) -> int:
    """Remove a photo (its row marked, then its copies removed); the recensement's new version."""
    from dashboard import db, stockage as stockages

    _check_role(user)
    try:
        with db.connect(url, app=True) as conn:
            _en_tant_que(conn, user)
            row = sql.execute(conn, "questionnaire_photo_supprimer", photo_id=photo_id, **_params(user)).first()
            if row is None:
                raise Refus("Photo introuvable, déjà retirée, ou dossier déjà transmis.")
            version = sql.execute(conn, "questionnaire_photos_compter", recensement_id=row.recensement_id).first()[0]
    except (db.DatabaseError, SQLAlchemyError) as exc:
        _log.error("Retrait de photo refusé par la base : %s", exc, exc_info=exc)
        raise Indisponible(INDISPONIBLE) from None
    _supprimer_copies(stockage or stockages.ouvrir(), [copies.ClesPhoto(row.cle_grande, row.cle_vignette)])
    return version


def _supprimer_copies(stockage: Stockage, cles: list[copies.ClesPhoto]) -> None:
    for c in cles:
        try:
            copies.supprimer(stockage, c)
        except StockageIndisponible as exc:       # the purge will find them (no live row)
            _log.warning("Copies de photo non supprimées (%s) : %s", c.grande, exc)


def ecrire(func, user: User, *args, url: str | None = None, stockage: Stockage | None = None, **kwargs):
    """Run one write (`func(conn, user, ...)`) in its own transaction, committed on success;
    then remove the copies of the photos it removed. Database trouble becomes Indisponible."""
    from dashboard import db, stockage as stockages

    try:
        with db.connect(url, app=True) as conn:
            resultat = func(conn, user, *args, **kwargs)
            a_supprimer = copies_a_supprimer(conn)
    except (db.DatabaseError, SQLAlchemyError) as exc:
        _log.error("Enregistrement %s refusé par la base : %s", getattr(func, "__name__", func), exc, exc_info=exc)
        raise Indisponible(INDISPONIBLE) from None
    if a_supprimer:
        _supprimer_copies(stockage or stockages.ouvrir(), a_supprimer)
    return resultat
