"""Signing in and out: password sign-ins, one-time links for communes, OIDC sessions, the
check every script run makes, sign-out, throttling and the purge (queries/connexion.sql).

Each function runs in the caller's transaction. A session is a session_connexion row; the
cookie of a password or link sign-in carries a random token whose SHA-256 is the row's id,
an OIDC session (st.login) is found by the ID token's (iss, sub, iat). Every refusal is a
ConnexionRefusee whose message is French and says what to do; a failed password gives the
same answer whether the account exists or not.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain import connexion as regles
from dashboard.domain import mots_de_passe
from dashboard.domain.connexion import IdentiteOidc
from dashboard.domain.vocabulary import ROLE_COMMUNE
from dashboard.writes import courriels

MAUVAIS_IDENTIFIANTS = "Adresse électronique ou mot de passe incorrect."
LIEN_INVALIDE = ("Ce lien de connexion n'est plus valable : il a déjà servi ou a expiré (48 heures). "
                 "Demandez-en un nouveau depuis la page de connexion.")


class ConnexionRefusee(Exception):
    """A sign-in that did not happen; the message is French and meant for the person."""


class CompteIntrouvable(ConnexionRefusee):
    """An OIDC identity that matches no account."""


class Attendre(ConnexionRefusee):
    """Too many attempts: retry after `jusqu_a`."""

    def __init__(self, jusqu_a: datetime):
        super().__init__(regles.message_attente(jusqu_a))
        self.jusqu_a = jusqu_a


@dataclass(frozen=True)
class Ouverte:
    """A session just opened: its id, and the token its cookie carries (None for OIDC)."""
    session_id: bytes
    user_id: int
    jeton: str | None


@dataclass(frozen=True)
class Etat:
    """What the check of a session found: its user while valid, else why it ended."""
    user_id: int | None
    methode: str | None
    fin: str | None  # 'deconnexion', 'inactivite', 'duree', 'compte'; None while valid

    @property
    def valide(self) -> bool:
        return self.user_id is not None and self.fin is None


# --- throttling -------------------------------------------------------------------------------

def _bloque(conn: Connection, cles: list[str], maximum: int, echecs_seulement: bool) -> None:
    """Raise Attendre when one of the keys has used up its attempts; holds their locks until
    the transaction ends, so that the attempt is counted before the next one is judged."""
    for cle in sorted(cles):  # always the same order: two requests never wait on each other
        sql.execute(conn, "tentatives_verrouiller", cle=cle)
    jusqu_a = [sql.fetch_scalar(conn, "tentatives_bloque_jusqu_a", cle=cle, fenetre=regles.FENETRE, max=maximum,
                                echecs_seulement=echecs_seulement) for cle in cles]
    if any(jusqu_a):
        raise Attendre(max(j for j in jusqu_a if j))


def _noter(conn: Connection, cles: list[str], reussie: bool) -> None:
    for cle in cles:
        sql.execute(conn, "tentative_noter", cle=cle, reussie=reussie)


def _ouvrir(conn: Connection, user_id: int, methode: str) -> Ouverte:
    jeton = regles.nouveau_jeton()
    session_id = regles.empreinte(jeton)
    sql.execute(conn, "session_ouvrir", id=session_id, user_id=user_id, methode=methode, issuer=None, sub=None, iat=None)
    return Ouverte(session_id, user_id, jeton)


# --- password ---------------------------------------------------------------------------------

def connexion_mot_de_passe(conn: Connection, email: str, mot_de_passe: str, adresse: str,
                           contact_admin: str) -> Ouverte:
    """Open a session for a local account, or refuse (wrong pair, throttled, disabled).
    The failure is recorded even though the caller does not commit a refusal: the caller
    must commit (see dashboard.app.connexion.routes), which is why this raises only after
    writing."""
    email = regles.normaliser_email(email)
    compte_cle, adresse_cle = regles.cle_compte(email), regles.cle_adresse(adresse)
    _bloque(conn, [compte_cle, adresse_cle], regles.ECHECS_MAX, echecs_seulement=True)
    compte = sql.fetch_one(conn, "compte_par_email", email=email) if regles.email_valide(email) else None
    ok, nouveau = mots_de_passe.verifier(compte["mot_de_passe"] if compte else None, mot_de_passe)
    if not ok:
        _noter(conn, [compte_cle, adresse_cle], reussie=False)
        raise ConnexionRefusee(MAUVAIS_IDENTIFIANTS)
    # The address key keeps counting failures: a success of one account clears no other's.
    _noter(conn, [compte_cle], reussie=True)
    if not compte["actif"]:
        raise ConnexionRefusee(f"Ce compte est désactivé. Pour le rouvrir, adressez-vous à {contact_admin}.")
    if nouveau:
        sql.execute(conn, "compte_rehacher", id=compte["id"], hache=nouveau)
    return _ouvrir(conn, compte["id"], "mot_de_passe")


# --- one-time links for communes --------------------------------------------------------------

def demander_lien(conn: Connection, code: str, adresse: str, url_publique: str) -> str:
    """Queue a sign-in link to the commune's address; returns that address masked. Refused
    (with what to do) when the commune has no address, or after too many requests."""
    cles = [regles.cle_commune(code), regles.cle_lien_adresse(adresse)]
    _bloque(conn, cles, regles.DEMANDES_LIEN_MAX, echecs_seulement=False)
    commune = sql.fetch_one(conn, "commune_adresse_connexion", code=code)
    if commune is None:
        raise ConnexionRefusee("Commune inconnue : choisissez-la dans la liste.")
    if not courriels.adresse_valide(commune["email"]):
        _noter(conn, cles, reussie=False)
        raise ConnexionRefusee(
            f"Aucune adresse électronique n'est connue pour la commune de {commune['nom']}. Demandez au "
            "conservateur des antiquités et objets d'art de votre département d'en enregistrer une.")
    jeton = regles.nouveau_jeton()
    heures = int(regles.LIEN_VALIDITE / timedelta(hours=1))
    corps = (f"Bonjour,\n\nUne connexion au tableau de bord Collectif Objets a été demandée pour la commune de "
             f"{commune['nom']} ({commune['code_insee']}).\n\n"
             f"Pour vous connecter, ouvrez ce lien puis cliquez sur « Se connecter ». Il est valable {heures} heures "
             f"et ne sert qu'une fois :\n\n{url_du_lien(url_publique, jeton)}\n\n"
             "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : sans ce lien, personne ne peut "
             "se connecter au nom de votre commune.\n\n— Collectif Objets, ministère de la Culture\n")
    courriel_id = courriels.mettre_en_file(conn, destinataire=commune["email"], corps=corps,
                                           sujet="Votre lien de connexion à Collectif Objets",
                                           motif="lien_connexion", commune_code=commune["code_insee"])
    enregistrer_lien(conn, jeton, commune["code_insee"], commune["email"], courriel_id)
    _noter(conn, cles, reussie=True)
    return regles.masquer(commune["email"])


def url_du_lien(url_publique: str, jeton: str) -> str:
    """The address a commune's sign-in link opens (the route /lien of the app)."""
    return f"{url_publique.rstrip('/')}/lien?t={jeton}"


def enregistrer_lien(conn: Connection, jeton: str, code: str, destinataire: str, courriel_id: int | None) -> None:
    """Record a one-time link (its token's SHA-256, never the token), valid LIEN_VALIDITE, for
    the message that carries it: a sign-in request, or a campaign's invitation or reminder
    (dashboard.ops.campagnes)."""
    sql.execute(conn, "lien_creer", id=regles.empreinte(jeton), commune_code=code, destinataire=destinataire,
                courriel_id=courriel_id, validite=regles.LIEN_VALIDITE)


def etat_lien(conn: Connection, jeton: str) -> dict | None:
    """The commune a link is for and whether it can still be used (GET /lien consumes nothing)."""
    return sql.fetch_one(conn, "lien_etat", id=regles.empreinte(jeton or ""))


def consommer_lien(conn: Connection, jeton: str, contact_admin: str) -> Ouverte:
    """Use a link (once, within its validity): the commune's account, created at its first
    sign-in, gets a session."""
    lien_id = regles.empreinte(jeton or "")
    code = sql.fetch_scalar(conn, "lien_consommer", id=lien_id)
    if code is None:
        raise ConnexionRefusee(LIEN_INVALIDE)
    compte = sql.fetch_one(conn, "compte_commune", code=code, role=ROLE_COMMUNE)
    if compte is None:
        compte = {"id": _creer_compte_commune(conn, code), "actif": True}
    if not compte["actif"]:
        raise ConnexionRefusee(f"Le compte de cette commune est désactivé. Adressez-vous à {contact_admin}.")
    sql.execute(conn, "lien_noter_compte", id=lien_id, user_id=compte["id"])
    return _ouvrir(conn, compte["id"], "lien")


def _creer_compte_commune(conn: Connection, code: str) -> int:
    commune = sql.fetch_one(conn, "commune_adresse_connexion", code=code)
    # The account is the commune's, whoever reads the mairie's mail: its e-mail is a name in
    # the reserved .invalid domain (RFC 2606), never written to; links go to the commune's address.
    user_id = sql.fetch_scalar(conn, "compte_commune_creer", email=f"commune-{code}@communes.invalid",
                               nom=f"Mairie de {commune['nom']}", role=ROLE_COMMUNE)
    if user_id is None:  # created meanwhile by a concurrent sign-in, or its address is taken
        existant = sql.fetch_one(conn, "compte_commune", code=code, role=ROLE_COMMUNE)
        if existant is None:
            raise ConnexionRefusee("Le compte de cette commune n'a pas pu être créé : réessayez.")
        return existant["id"]
    sql.execute(conn, "perimetre_ajouter", user_id=user_id, niveau="commune", code=code)
    return user_id


# --- OIDC (st.login) --------------------------------------------------------------------------

def session_oidc(conn: Connection, identite: IdentiteOidc, contact_admin: str,
                 maintenant: datetime | None = None) -> bytes:
    """The session bound to this ID token, opened at its first script run: the account is
    the one linked to (iss, sub), else the one whose e-mail the token gives (then linked).
    An agent without an account is refused, never given a default role."""
    existante = sql.fetch_scalar(conn, "session_oidc_id", issuer=identite.issuer, sub=identite.sub,
                                 iat=identite.emis_le)
    if existante is not None:
        return existante
    maintenant = maintenant or datetime.now(timezone.utc)
    if identite.emis_le < maintenant - regles.OIDC_FRAICHEUR:
        raise ConnexionRefusee("Votre connexion a expiré : connectez-vous de nouveau.")
    compte = sql.fetch_one(conn, "compte_par_oidc", issuer=identite.issuer, sub=identite.sub)
    if compte is None and identite.email:
        compte = sql.fetch_one(conn, "compte_lier_oidc", issuer=identite.issuer, sub=identite.sub,
                               email=identite.email)
    if compte is None:
        qui = f" ({identite.email})" if identite.email else ""
        raise CompteIntrouvable(f"Aucun compte de Collectif Objets ne correspond à votre identité{qui}. "
                               f"Pour en obtenir un, adressez-vous à {contact_admin}.")
    if not compte["actif"]:
        raise ConnexionRefusee(f"Votre compte est désactivé. Pour le rouvrir, adressez-vous à {contact_admin}.")
    session_id = regles.empreinte(regles.nouveau_jeton())
    sql.execute(conn, "session_ouvrir", id=session_id, user_id=compte["id"], methode="oidc",
                issuer=identite.issuer, sub=identite.sub, iat=identite.emis_le)
    # Two tabs opened at once: the first row wins, both use it.
    return sql.fetch_scalar(conn, "session_oidc_id", issuer=identite.issuer, sub=identite.sub, iat=identite.emis_le)


# --- every run, and sign-out ------------------------------------------------------------------

def valider(conn: Connection, session_id: bytes) -> Etat:
    """Whether the session may still be used (one statement: it notes the use, at most once a
    minute, and ends a session past its limits or whose account was disabled)."""
    row = sql.fetch_one(conn, "session_valider", id=session_id, duree_max=regles.DUREE_MAX,
                        inactivite=regles.INACTIVITE_MAX, toucher=regles.TOUCHER_APRES)
    if row is None:
        return Etat(None, None, "inconnue")
    return Etat(row["user_id"], row["methode"], row["fin"])


def terminer(conn: Connection, session_id: bytes) -> str | None:
    """Sign-out: end the session now; its method (None if it had already ended)."""
    return sql.fetch_scalar(conn, "session_terminer", id=session_id)


RETENTION = timedelta(days=90)


def purger(conn: Connection, retention: timedelta = RETENTION) -> dict:
    """Delete ended sessions, attempts and used or expired links older than `retention`."""
    return sql.fetch_one(conn, "purger_connexions", retention=retention, inactivite=regles.INACTIVITE_MAX,
                         duree_max=regles.DUREE_MAX)
