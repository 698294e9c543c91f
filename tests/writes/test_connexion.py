"""Sign-in against the real PostGIS (dashboard.writes.connexion): links work once and expire,
throttling holds, sessions end on sign-out, inactivity, age and a disabled account, OIDC
links the account by e-mail once and refuses an agent without one, a commune's account
sees its commune only, and no password hash reaches the audit."""
import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.domain import connexion as regles
from dashboard.domain.connexion import IdentiteOidc
from dashboard.domain.identity import NATIONAL
from dashboard.reads import connexion as lectures
from dashboard.reads import users
from dashboard.writes import comptes, connexion, contacts

CONTACT = "l'administrateur (admin@exemple.fr)"
MOT_DE_PASSE = "correct horse battery staple"


@pytest.fixture
def url(writable_demo_db_url):
    return writable_demo_db_url


def run(url, travail, *args, **kwargs):
    """travail(conn, ...) in a committed transaction, even when it refuses (as the app does)."""
    with db.engine_for(url).begin() as conn:
        try:
            return travail(conn, *args, **kwargs)
        except connexion.ConnexionRefusee as refus:
            return refus


def q(url, statement, **params):
    with db.engine_for(url).begin() as conn:
        result = conn.execute(sa.text(statement), params)
        return result.all() if result.returns_rows else None


def commune_avec_adresse(url) -> tuple[str, str]:
    return q(url, "SELECT code_insee, mairie_email FROM commune WHERE mairie_email ~ '@' ORDER BY code_insee LIMIT 1")[0]


def jeton_du_courriel(url, code) -> str:
    corps = q(url, "SELECT corps FROM courriel WHERE commune_code = :c AND motif = 'lien_connexion' "
                   "ORDER BY id DESC LIMIT 1", c=code)[0][0]
    return re.search(r"/lien\?t=([A-Za-z0-9_-]+)", corps).group(1)


def test_a_link_is_queued_to_the_mairie_works_once_and_expires(url):
    code, mairie = commune_avec_adresse(url)
    masque = run(url, connexion.demander_lien, code, "10.0.0.1", "https://objets.example.fr")
    assert masque == regles.masquer(mairie) and mairie not in masque and "•••" in masque
    (destinataire, sujet, corps), = q(url, "SELECT destinataire, sujet, corps FROM courriel WHERE motif = 'lien_connexion'")
    assert destinataire == mairie and "https://objets.example.fr/lien?t=" in corps and "48 heures" in corps
    jeton = jeton_du_courriel(url, code)
    assert regles.empreinte(jeton) == q(url, "SELECT id FROM lien_connexion")[0][0]  # only its hash is kept
    # Opening the page (GET) consumes nothing.
    assert run(url, connexion.etat_lien, jeton)["utilise"] is False
    ouverte = run(url, connexion.consommer_lien, jeton, CONTACT)
    assert isinstance(ouverte, connexion.Ouverte) and ouverte.jeton
    again = run(url, connexion.consommer_lien, jeton, CONTACT)
    assert isinstance(again, connexion.ConnexionRefusee) and "déjà servi ou a expiré" in str(again)
    # The commune's account, created at its first sign-in, sees its commune only.
    with db.engine_for(url).connect() as conn:
        user = users.load_user(conn, ouverte.user_id)
    assert user.role == "commune" and user.scope.commune == code and not user.scope.national
    # A second link signs in the same account.
    run(url, connexion.demander_lien, code, "10.0.0.1", "https://objets.example.fr")
    assert run(url, connexion.consommer_lien, jeton_du_courriel(url, code), CONTACT).user_id == ouverte.user_id


def test_an_expired_link_opens_nothing(url):
    code, _ = commune_avec_adresse(url)
    run(url, connexion.demander_lien, code, "10.0.0.2", "https://objets.example.fr")
    jeton = jeton_du_courriel(url, code)
    (expire, cree), = q(url, "SELECT expire_le, cree_le FROM lien_connexion")
    assert expire - cree == timedelta(hours=48)
    q(url, "UPDATE lien_connexion SET cree_le = now() - interval '49 hours', expire_le = now() - interval '1 hour'")
    assert run(url, connexion.etat_lien, jeton)["expire"] is True
    assert isinstance(run(url, connexion.consommer_lien, jeton, CONTACT), connexion.ConnexionRefusee)
    assert q(url, "SELECT count(*) FROM session_connexion")[0][0] == 0
    assert isinstance(run(url, connexion.consommer_lien, "inventé", CONTACT), connexion.ConnexionRefusee)


def test_a_rolled_back_request_queues_no_link(url):
    code, _ = commune_avec_adresse(url)
    with pytest.raises(RuntimeError):
        with db.engine_for(url).begin() as conn:
            connexion.demander_lien(conn, code, "10.0.0.3", "https://objets.example.fr")
            raise RuntimeError("rollback")
    assert q(url, "SELECT count(*) FROM courriel")[0][0] == 0 and q(url, "SELECT count(*) FROM lien_connexion")[0][0] == 0


def test_the_address_a_conservateur_sets_replaces_the_mairie_and_communes_without_any_are_listed(url):
    conservateur = _demo(url, "conservateur")
    dep = conservateur.scope.departements[0]
    sans = q(url, "SELECT c.code_insee FROM commune c WHERE c.departement_code = :d AND c.mairie_email IS NULL "
                  "AND EXISTS (SELECT 1 FROM objet o WHERE o.commune_code = c.code_insee) ORDER BY 1 LIMIT 1", d=dep)
    if not sans:
        q(url, "UPDATE commune SET mairie_email = NULL WHERE code_insee = (SELECT commune_code FROM objet "
               "WHERE departement_code = :d ORDER BY commune_code LIMIT 1)", d=dep)
        sans = q(url, "SELECT commune_code FROM objet WHERE departement_code = :d ORDER BY commune_code LIMIT 1", d=dep)
    code = sans[0][0]
    with db.engine_for(url).connect() as conn:
        assert code in set(lectures.communes_sans_adresse(conn, conservateur.scope)["code_insee"])
    refus = run(url, connexion.demander_lien, code, "10.0.0.4", "https://objets.example.fr")
    assert isinstance(refus, connexion.ConnexionRefusee) and "conservateur" in str(refus)
    run(url, contacts.definir, conservateur, code, "Secretariat.Mairie@exemple.fr")
    with db.engine_for(url).connect() as conn:
        assert code not in set(lectures.communes_sans_adresse(conn, conservateur.scope)["code_insee"])
        assert lectures.contact(conn, conservateur.scope, code)["contact"] == "Secretariat.Mairie@exemple.fr"
    assert run(url, connexion.demander_lien, code, "10.0.0.4", "https://x.fr") == "S•••@•••.fr"
    assert q(url, "SELECT destinataire FROM courriel")[0][0] == "Secretariat.Mairie@exemple.fr"
    assert q(url, "SELECT user_id FROM audit WHERE table_name = 'commune_contact'")[0][0] == conservateur.id
    # Outside the conservateur's scope, or for a role that may not: refused, nothing written.
    ailleurs = q(url, "SELECT code_insee FROM commune WHERE NOT departement_code = ANY(:d) LIMIT 1",
                 d=list(conservateur.scope.departements))[0][0]
    with pytest.raises(contacts.ContactRefuse):
        run(url, contacts.definir, conservateur, ailleurs, "x@exemple.fr")
    with pytest.raises(contacts.ContactRefuse):
        run(url, contacts.definir, _demo(url, "drac"), code, "x@exemple.fr")
    with pytest.raises(contacts.ContactRefuse):
        run(url, contacts.definir, conservateur, code, "pas une adresse")


def _demo(url, role):
    with db.engine_for(url).connect() as conn:
        user_id = conn.execute(sa.text("SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role)"), {"r": role}).scalar()
        return users.load_user(conn, user_id)


def _compte(url, email="Agent.Local@Exemple.fr", role="conservateur", mot_de_passe=MOT_DE_PASSE):
    with db.engine_for(url).begin() as conn:
        user_id = comptes.creer(conn, email, "Agent Local", role, mot_de_passe)
        comptes.definir_perimetre(conn, email, [("departement", "62")])
    return user_id


def test_password_sign_in_and_the_same_answer_whether_the_account_exists_or_not(url):
    user_id = _compte(url)
    ouverte = run(url, connexion.connexion_mot_de_passe, "agent.local@exemple.FR", MOT_DE_PASSE, "10.1.0.1", CONTACT)
    assert ouverte.user_id == user_id
    faux = run(url, connexion.connexion_mot_de_passe, "agent.local@exemple.fr", "mauvais mot de passe", "10.1.0.1", CONTACT)
    inconnu = run(url, connexion.connexion_mot_de_passe, "personne@exemple.fr", MOT_DE_PASSE, "10.1.0.1", CONTACT)
    assert str(faux) == str(inconnu) == connexion.MAUVAIS_IDENTIFIANTS
    # Neither the password nor its hash reaches the audit.
    assert not q(url, "SELECT 1 FROM audit WHERE after::text LIKE '%argon2%' OR before::text LIKE '%argon2%'")


def test_failed_passwords_are_throttled_per_account_and_per_address(url):
    _compte(url)
    for i in range(regles.ECHECS_MAX):
        assert str(run(url, connexion.connexion_mot_de_passe, "agent.local@exemple.fr", f"faux {i}",
                       f"10.2.0.{i}", CONTACT)) == connexion.MAUVAIS_IDENTIFIANTS
    # The account is blocked, even for the right password, from a new address.
    bloque = run(url, connexion.connexion_mot_de_passe, "agent.local@exemple.fr", MOT_DE_PASSE, "10.2.1.1", CONTACT)
    assert isinstance(bloque, connexion.Attendre) and "réessayez après" in str(bloque)
    assert timedelta(minutes=14) < bloque.jusqu_a - datetime.now(timezone.utc) <= timedelta(minutes=15)
    # One address trying several accounts is blocked too.
    for i in range(regles.ECHECS_MAX):
        run(url, connexion.connexion_mot_de_passe, f"inconnu{i}@exemple.fr", "x", "10.3.0.1", CONTACT)
    assert isinstance(run(url, connexion.connexion_mot_de_passe, "autre@exemple.fr", "x", "10.3.0.1", CONTACT),
                      connexion.Attendre)
    # After the window, the account may try again.
    q(url, "UPDATE tentative_connexion SET at = at - interval '16 minutes'")
    assert isinstance(run(url, connexion.connexion_mot_de_passe, "agent.local@exemple.fr", MOT_DE_PASSE, "10.2.1.1",
                          CONTACT), connexion.Ouverte)


def test_link_requests_are_throttled_per_commune_and_per_address(url):
    codes = [r[0] for r in q(url, "SELECT code_insee FROM commune WHERE mairie_email ~ '@' ORDER BY 1 LIMIT 7")]
    for i in range(regles.DEMANDES_LIEN_MAX):
        assert "•••" in run(url, connexion.demander_lien, codes[0], f"10.4.0.{i}", "https://x.fr")
    assert isinstance(run(url, connexion.demander_lien, codes[0], "10.4.1.1", "https://x.fr"), connexion.Attendre)
    for code in codes[1:1 + regles.DEMANDES_LIEN_MAX]:
        assert "•••" in run(url, connexion.demander_lien, code, "10.5.0.1", "https://x.fr")
    assert isinstance(run(url, connexion.demander_lien, codes[-1], "10.5.0.1", "https://x.fr"), connexion.Attendre)
    assert q(url, "SELECT count(*) FROM courriel")[0][0] == 2 * regles.DEMANDES_LIEN_MAX


def test_sessions_end_on_sign_out_inactivity_age_and_a_disabled_account(url):
    _compte(url)
    ouvrir = lambda: run(url, connexion.connexion_mot_de_passe, "agent.local@exemple.fr", MOT_DE_PASSE, "10.6.0.1", CONTACT)
    valider = lambda o: run(url, connexion.valider, o.session_id)
    version = q(url, "SELECT version FROM data_version")[0][0]
    s = ouvrir()
    assert valider(s).valide
    assert q(url, "SELECT version FROM data_version")[0][0] == version  # a sign-in empties no cache
    assert run(url, connexion.terminer, s.session_id) == "mot_de_passe"
    assert valider(s).fin == "deconnexion"
    s = ouvrir()
    q(url, "UPDATE session_connexion SET vu_le = now() - interval '12 hours 1 minute' WHERE id = :id", id=s.session_id)
    assert valider(s).fin == "inactivite"
    s = ouvrir()
    q(url, "UPDATE session_connexion SET cree_le = now() - interval '7 days 1 minute' WHERE id = :id", id=s.session_id)
    assert valider(s).fin == "duree"
    # Use is noted at most once a minute.
    s = ouvrir()
    q(url, "UPDATE session_connexion SET vu_le = now() - interval '2 minutes' WHERE id = :id", id=s.session_id)
    valider(s)
    assert q(url, "SELECT now() - vu_le < interval '5 seconds' FROM session_connexion WHERE id = :id", id=s.session_id)[0][0]
    with db.engine_for(url).begin() as conn:
        assert comptes.desactiver(conn, "agent.local@exemple.fr")
    assert valider(s).fin == "compte"
    assert "désactivé" in str(ouvrir())
    assert run(url, connexion.valider, b"\x00" * 32).user_id is None


def test_a_stale_argon2_hash_is_replaced_at_sign_in(url):
    from argon2 import PasswordHasher

    _compte(url)
    faible = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(MOT_DE_PASSE)
    q(url, "UPDATE app_user SET mot_de_passe = :h WHERE email = 'Agent.Local@Exemple.fr'", h=faible)
    assert isinstance(run(url, connexion.connexion_mot_de_passe, "agent.local@exemple.fr", MOT_DE_PASSE, "10.7.0.1",
                          CONTACT), connexion.Ouverte)
    (nouveau,), = q(url, "SELECT mot_de_passe FROM app_user WHERE email = 'Agent.Local@Exemple.fr'")
    assert nouveau != faible and nouveau.startswith("$argon2id$")


def _identite(email, sub="sub-1", age=timedelta(seconds=5)):
    return IdentiteOidc("https://idp.exemple.fr", sub, datetime.now(timezone.utc) - age, email, "Agent")


def test_oidc_links_the_account_by_email_once_and_refuses_an_agent_without_one(url):
    user_id = _compte(url, mot_de_passe=None)
    sid = run(url, connexion.session_oidc, _identite("agent.local@exemple.fr"), CONTACT)
    assert run(url, connexion.valider, sid).user_id == user_id
    assert q(url, "SELECT oidc_issuer, oidc_sub FROM app_user WHERE id = :i", i=user_id)[0] == ("https://idp.exemple.fr", "sub-1")
    # The same ID token, in another tab: the same session.
    identite = _identite("agent.local@exemple.fr")
    first = run(url, connexion.session_oidc, identite, CONTACT)
    assert run(url, connexion.session_oidc, identite, CONTACT) == first
    # Linked: (iss, sub) identifies the agent now, whatever e-mail the token carries.
    assert run(url, connexion.valider, run(url, connexion.session_oidc, _identite(None), CONTACT)).user_id == user_id
    # Another identity with the same e-mail is not linked on top of the first one.
    refus = run(url, connexion.session_oidc, _identite("agent.local@exemple.fr", sub="autre"), CONTACT)
    assert isinstance(refus, connexion.ConnexionRefusee) and CONTACT in str(refus)
    refus = run(url, connexion.session_oidc, _identite("inconnu@exemple.fr", sub="x"), CONTACT)
    assert isinstance(refus, connexion.ConnexionRefusee) and CONTACT in str(refus)
    # An old ID token (st.login's cookie lives 30 days) opens no new session.
    vieux = run(url, connexion.session_oidc, _identite("agent.local@exemple.fr", age=timedelta(hours=1)), CONTACT)
    assert isinstance(vieux, connexion.ConnexionRefusee)


def test_purge_deletes_what_is_older_than_the_retention(url):
    _compte(url)
    s = run(url, connexion.connexion_mot_de_passe, "agent.local@exemple.fr", MOT_DE_PASSE, "10.8.0.1", CONTACT)
    run(url, connexion.connexion_mot_de_passe, "agent.local@exemple.fr", "faux", "10.8.0.1", CONTACT)
    run(url, connexion.terminer, s.session_id)
    assert run(url, connexion.purger) == {"sessions": 0, "tentatives": 0, "liens": 0}
    q(url, "UPDATE session_connexion SET fin_le = now() - interval '91 days'")
    q(url, "UPDATE tentative_connexion SET at = now() - interval '91 days'")
    assert run(url, connexion.purger) == {"sessions": 1, "tentatives": 3, "liens": 0}


def test_national_scope_and_scope_checks_of_objets_users(url):
    with db.engine_for(url).begin() as conn:
        user_id = comptes.creer(conn, "national@exemple.fr", "N", "deploiement", None)
        comptes.definir_perimetre(conn, "national@exemple.fr", [("national", "")])
        assert users.load_user(conn, user_id).scope == NATIONAL
        with pytest.raises(comptes.CompteRefuse):
            comptes.definir_perimetre(conn, "national@exemple.fr", [("departement", "999")])
        with pytest.raises(comptes.CompteRefuse):
            comptes.creer(conn, "NATIONAL@exemple.fr", "N", "deploiement", None)
