"""`objets mail send`: the outbox delivered to a real local SMTP server (aiosmtpd) speaking
STARTTLS with a certificate from a test CA (trustme); loopback only."""
from __future__ import annotations

import asyncio
import email
import email.policy
import re
import smtplib
import socket
import ssl
import threading
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
import sqlalchemy as sa
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner

from dashboard import db, settings
from dashboard.ops import courrier
from dashboard.writes import courriels

SUJET = "Écouen : un cas urgent — « Vierge à l'Enfant »"
CORPS = "Bonjour,\n\nLa statue de l'église Saint-Acceul est à revoir : œuvre du XVᵉ siècle.\n.\n— Collectif Objets"
MOT_DE_PASSE = "s3cr3t-Dépôt"


@pytest.fixture(scope="session")
def ca():
    return trustme.CA()


@pytest.fixture(scope="session")
def ca_file(ca, tmp_path_factory):
    path = tmp_path_factory.mktemp("smtp") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Boite:
    """aiosmtpd handler: keeps what it received; can refuse recipients, or be slow."""

    def __init__(self, refuser: dict[str, str] | None = None, delai: float = 0.0):
        self.messages: list[dict] = []
        self.refuser = refuser or {}
        self.delai = delai
        self.commandes_mail = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.commandes_mail += 1
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuser:
            return self.refuser[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delai:
            await asyncio.sleep(self.delai)
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "data": envelope.original_content, "tls": session.ssl is not None,
                              "authentifie": bool(session.authenticated)})
        return f"250 2.0.0 Ok: queued as Q{len(self.messages)}"


class Serveur:
    def __init__(self, boite: Boite, controller: Controller):
        self.boite, self.controller = boite, controller
        self.port = controller.port
        self.en_marche = True

    def arreter(self):
        if self.en_marche:
            self.controller.stop()
            self.en_marche = False

    @property
    def messages(self):
        return self.boite.messages


@pytest.fixture
def smtp_serveur(ca):
    """Factory: a local SMTP server; STARTTLS with a certificate for 127.0.0.1 signed by `ca`
    unless told otherwise; AUTH (inside TLS only) when `mot_de_passe` is given."""
    started = []

    def start(*, starttls=True, certificat_de=None, noms=("127.0.0.1", "localhost"), mot_de_passe=None,
              **boite_args) -> Serveur:
        boite = Boite(**boite_args)
        kwargs = {}
        if starttls:
            contexte = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            (certificat_de or ca).issue_cert(*noms).configure_cert(contexte)
            kwargs["tls_context"] = contexte
        if mot_de_passe is not None:
            def authenticator(server, session, envelope, mechanism, auth_data):
                ok = auth_data.login == b"agent" and auth_data.password == mot_de_passe.encode()
                return AuthResult(success=ok, handled=False)   # handled=False: aiosmtpd answers 535
            kwargs["authenticator"] = authenticator
        controller = Controller(boite, hostname="127.0.0.1", port=_port_libre(), **kwargs)
        controller.start()
        started.append(Serveur(boite, controller))
        return started[-1]

    yield start
    for serveur in started:
        serveur.arreter()


def _config(serveur: Serveur, ca_file: str | None, **kw) -> settings.Smtp:
    return settings.Smtp(host="127.0.0.1", port=serveur.port, expediteur="Collectif Objets <alertes@example.org>",
                         ca_file=ca_file, timeout=10, **kw)


def _mettre_en_file(url, n=1, destinataire="mairie@example.fr", sujet=SUJET, corps=CORPS) -> list[int]:
    with db.engine_for(url).begin() as conn:
        return [courriels.mettre_en_file(conn, destinataire=destinataire, sujet=sujet if n == 1 else f"{sujet} {i}",
                                         corps=corps, motif="test") for i in range(n)]


def _courriels(url):
    with db.engine_for(url).connect() as conn:
        return conn.execute(sa.text(
            "SELECT id, tentatives, prochain_essai, envoye_le, abandonne_le, derniere_erreur FROM courriel ORDER BY id"
        )).mappings().all()


def _envois(url):
    with db.engine_for(url).connect() as conn:
        return conn.execute(sa.text(
            "SELECT courriel_id, tente_le, reussi, reponse FROM courriel_envoi ORDER BY id")).mappings().all()


def test_a_queued_message_is_delivered_once_with_its_headers(writable_demo_db_url, smtp_serveur, ca_file):
    url = writable_demo_db_url
    serveur = smtp_serveur(mot_de_passe=MOT_DE_PASSE)
    [ident] = _mettre_en_file(url)
    config = _config(serveur, ca_file, user="agent", password=MOT_DE_PASSE)

    bilan = courrier.envoyer(config, url=url)

    assert (bilan.envoyes, bilan.echecs, bilan.abandonnes, bilan.en_attente) == (1, 0, 0, 0)
    assert bilan.ligne().startswith("courriels : 1 envoyé(s), 0 en échec")
    [recu] = serveur.messages
    assert recu["tls"] and recu["authentifie"]
    assert recu["from"] == "alertes@example.org" and recu["to"] == ["mairie@example.fr"]
    assert max(len(line) for line in recu["data"].split(b"\r\n")) <= 78 and recu["data"].isascii()
    message = email.message_from_bytes(recu["data"], policy=email.policy.default)
    assert message["Subject"] == SUJET and "=?utf-8?" in recu["data"].decode()   # encoded, decoded back
    assert message["From"] == "Collectif Objets <alertes@example.org>"
    assert message["To"] == "mairie@example.fr"
    assert abs(parsedate_to_datetime(message["Date"]) - datetime.now(timezone.utc)) < timedelta(minutes=1)
    assert re.fullmatch(rf"<courriel\.{ident}\.\d+@example\.org>", message["Message-ID"])
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "text/plain" and message.get_content_charset() == "utf-8"
    # CRLF on the wire; the lone "." line survived dot-stuffing.
    assert message.get_content().replace("\r\n", "\n").rstrip("\n") == CORPS
    [courriel] = _courriels(url)
    assert courriel["envoye_le"] and courriel["tentatives"] == 1 and courriel["derniere_erreur"] is None
    [envoi] = _envois(url)
    assert envoi["reussi"] and envoi["reponse"] == "250 2.0.0 Ok: queued as Q1"

    # Sent is sent: the next run has nothing to do.
    again = courrier.envoyer(config, url=url)
    assert again.tentes == 0 and len(serveur.messages) == 1 and len(_envois(url)) == 1


def test_a_message_queued_in_a_rolled_back_transaction_is_never_sent(writable_demo_db_url, smtp_serveur, ca_file):
    url = writable_demo_db_url
    serveur = smtp_serveur()
    with pytest.raises(RuntimeError):
        with db.engine_for(url).begin() as conn:
            courriels.mettre_en_file(conn, destinataire="annule@example.fr", sujet="Lien", corps="…", motif="test")
            raise RuntimeError("what caused the message failed")
    _mettre_en_file(url, destinataire="garde@example.fr")

    bilan = courrier.envoyer(_config(serveur, ca_file), url=url)

    assert bilan.envoyes == 1
    assert [m["to"] for m in serveur.messages] == [["garde@example.fr"]]


def test_a_server_without_starttls_is_refused_and_tried_again_later(writable_demo_db_url, smtp_serveur, ca_file):
    url = writable_demo_db_url
    serveur = smtp_serveur(starttls=False)
    _mettre_en_file(url, n=2)
    maintenant = datetime.now(timezone.utc)
    config = _config(serveur, ca_file, user="agent", password=MOT_DE_PASSE)

    bilan = courrier.envoyer(config, url=url, maintenant=maintenant)

    # Nothing went out in clear, not even the envelope; the run stopped at the first message.
    assert serveur.messages == [] and serveur.boite.commandes_mail == 0
    assert (bilan.envoyes, bilan.echecs, bilan.en_attente, bilan.dus) == (0, 1, 2, 1)
    assert "STARTTLS" in bilan.arret
    premier, second = _courriels(url)
    assert premier["tentatives"] == 1 and premier["envoye_le"] is None and premier["abandonne_le"] is None
    assert premier["prochain_essai"] == maintenant + courrier.DELAIS[0]
    assert second["tentatives"] == 0
    [envoi] = _envois(url)
    assert not envoi["reussi"] and "STARTTLS" in envoi["reponse"] and MOT_DE_PASSE not in envoi["reponse"]

    # Not due again before its delay (meanwhile the next run tries the second one), then tried again.
    courrier.envoyer(config, url=url, maintenant=maintenant + timedelta(seconds=30))
    courrier.envoyer(config, url=url, maintenant=maintenant + timedelta(seconds=31))
    assert [c["tentatives"] for c in _courriels(url)] == [1, 1]
    courrier.envoyer(config, url=url, maintenant=maintenant + courrier.DELAIS[0] + timedelta(seconds=1))
    assert [c["tentatives"] for c in _courriels(url)] == [2, 1]
    assert serveur.messages == []


@pytest.mark.parametrize("cas", ["autre_ca", "magasin_du_systeme", "mauvais_nom"])
def test_a_certificate_that_does_not_verify_is_refused(writable_demo_db_url, smtp_serveur, ca_file, cas):
    url = writable_demo_db_url
    if cas == "mauvais_nom":   # signed by the trusted CA, but for another host
        serveur = smtp_serveur(noms=("smtp.example.org",))
    else:                      # a CA the sender does not trust
        serveur = smtp_serveur(certificat_de=trustme.CA())
    _mettre_en_file(url)
    config = _config(serveur, None if cas == "magasin_du_systeme" else ca_file)

    bilan = courrier.envoyer(config, url=url)

    assert bilan.envoyes == 0 and bilan.echecs == 1
    assert serveur.messages == [] and serveur.boite.commandes_mail == 0
    [envoi] = _envois(url)
    assert not envoi["reussi"] and envoi["reponse"].startswith("certificat du serveur refusé")
    assert "\n" not in envoi["reponse"]


def test_two_senders_at_once_send_each_message_once(writable_demo_db_url, smtp_serveur, ca_file):
    url = writable_demo_db_url
    serveur = smtp_serveur(delai=0.02)   # slow enough for the two senders to overlap
    ids = _mettre_en_file(url, n=30)
    config = _config(serveur, ca_file)
    depart = threading.Barrier(2)
    bilans = []

    def expediteur():
        depart.wait()
        bilans.append(courrier.envoyer(config, url=url))

    threads = [threading.Thread(target=expediteur) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert len(bilans) == 2 and all(b.envoyes > 0 for b in bilans), bilans   # both took part
    assert sum(b.envoyes for b in bilans) == 30 and all(b.reussi for b in bilans)
    message_ids = [email.message_from_bytes(m["data"])["Message-ID"] for m in serveur.messages]
    assert len(message_ids) == len(set(message_ids)) == 30
    assert sorted(e["courriel_id"] for e in _envois(url)) == ids


def test_a_message_another_sender_holds_is_skipped_not_waited_for(writable_demo_db_url, smtp_serveur, ca_file):
    url = writable_demo_db_url
    serveur = smtp_serveur()
    premier, second = _mettre_en_file(url, n=2)
    config = _config(serveur, ca_file)
    autre = sa.create_engine(url, poolclass=sa.pool.NullPool)
    bilans = []
    with autre.begin() as conn:   # another sender, in the middle of sending the oldest message
        assert conn.execute(sa.text("SELECT id FROM courriel ORDER BY id LIMIT 1 FOR UPDATE")).scalar() == premier
        # In a thread: a sender that waited for the lock would wait for this very block to end.
        thread = threading.Thread(target=lambda: bilans.append(courrier.envoyer(config, url=url)))
        thread.start()
        thread.join(10)
        assert not thread.is_alive(), "the sender waited for a message another sender holds"
        [bilan] = bilans
        assert bilan.envoyes == 1 and bilan.en_attente == 1
        assert [m["to"] for m in serveur.messages] == [["mairie@example.fr"]]
        assert [e["courriel_id"] for e in _envois(url)] == [second]
    assert courrier.envoyer(config, url=url).envoyes == 1
    assert [e["courriel_id"] for e in _envois(url)] == [second, premier]


def test_temporary_failures_back_off_then_give_up(writable_demo_db_url, smtp_serveur, ca_file):
    url = writable_demo_db_url
    serveur = smtp_serveur(refuser={"plein@example.fr": "452 4.2.2 Mailbox full"})
    _mettre_en_file(url, destinataire="plein@example.fr")
    config = _config(serveur, ca_file)
    maintenant = datetime.now(timezone.utc)

    for essai in range(1, courrier.TENTATIVES_MAX + 1):
        bilan = courrier.envoyer(config, url=url, maintenant=maintenant)
        [courriel] = _courriels(url)
        assert courriel["tentatives"] == essai and courriel["envoye_le"] is None
        if essai < courrier.TENTATIVES_MAX:
            assert bilan.echecs == 1 and courriel["abandonne_le"] is None
            assert courriel["prochain_essai"] - maintenant == courrier.DELAIS[essai - 1]
            maintenant = courriel["prochain_essai"]
        else:
            assert bilan.abandonnes == 1 and courriel["abandonne_le"] == maintenant
    assert courriel["derniere_erreur"] == "destinataire refusé : 452 4.2.2 Mailbox full"
    envois = _envois(url)
    assert len(envois) == courrier.TENTATIVES_MAX and not any(e["reussi"] for e in envois)
    # Given up is final: much later, nothing is tried.
    assert courrier.envoyer(config, url=url, maintenant=maintenant + timedelta(days=30)).tentes == 0
    assert serveur.messages == []


def test_a_permanent_refusal_gives_up_at_once_and_the_run_goes_on(writable_demo_db_url, smtp_serveur, ca_file):
    url = writable_demo_db_url
    serveur = smtp_serveur(refuser={"inconnu@example.fr": "550 5.1.1 No such user"})
    _mettre_en_file(url, destinataire="inconnu@example.fr")
    _mettre_en_file(url, destinataire="mairie@example.fr")

    bilan = courrier.envoyer(_config(serveur, ca_file), url=url)

    assert (bilan.envoyes, bilan.echecs, bilan.abandonnes, bilan.arret) == (1, 0, 1, None)
    inconnu, mairie = _courriels(url)
    assert inconnu["abandonne_le"] and inconnu["tentatives"] == 1 and "550 5.1.1" in inconnu["derniere_erreur"]
    assert mairie["envoye_le"]


def test_a_refused_sign_in_is_recorded_without_the_password(writable_demo_db_url, smtp_serveur, ca_file):
    url = writable_demo_db_url
    serveur = smtp_serveur(mot_de_passe="le-bon")
    _mettre_en_file(url)

    bilan = courrier.envoyer(_config(serveur, ca_file, user="agent", password=MOT_DE_PASSE), url=url)

    assert bilan.echecs == 1 and serveur.messages == []
    [envoi] = _envois(url)
    assert envoi["reponse"].startswith("SMTPAuthenticationError : 535") and MOT_DE_PASSE not in envoi["reponse"]


def test_an_error_line_masks_the_password_and_stays_one_line():
    config = settings.Smtp(host="h", port=587, expediteur="a@example.org", user="agent", password=MOT_DE_PASSE)
    exc = smtplib.SMTPAuthenticationError(535, f"bad credentials for agent/{MOT_DE_PASSE}\r\nsecond line".encode())
    assert courrier.une_ligne(exc, config) == "SMTPAuthenticationError : 535 bad credentials for agent/*** second line"
    assert MOT_DE_PASSE not in repr(config)


def test_smtp_settings_are_checked(monkeypatch, ca_file):
    monkeypatch.delenv("OBJETS_SMTP_HOST", raising=False)
    assert settings.smtp() is None
    monkeypatch.setenv("OBJETS_SMTP_HOST", "smtp.example.org")
    monkeypatch.delenv("OBJETS_SMTP_FROM", raising=False)
    with pytest.raises(ValueError, match="OBJETS_SMTP_FROM"):
        settings.smtp()
    monkeypatch.setenv("OBJETS_SMTP_FROM", "Collectif Objets <ne-pas-repondre@example.org>")
    monkeypatch.setenv("OBJETS_SMTP_PORT", "465")
    with pytest.raises(ValueError, match="STARTTLS"):
        settings.smtp()
    monkeypatch.setenv("OBJETS_SMTP_PORT", "587")
    monkeypatch.setenv("OBJETS_SMTP_CA_FILE", "/nulle/part.pem")
    with pytest.raises(ValueError, match="introuvable"):
        settings.smtp()
    monkeypatch.setenv("OBJETS_SMTP_CA_FILE", ca_file)
    config = settings.smtp()
    assert (config.port, config.adresse_expediteur, config.ca_file) == (587, "ne-pas-repondre@example.org", ca_file)


def _cli():
    from dashboard.cli import main

    return lambda *args: CliRunner().invoke(main, list(args))


def _smtp_env(monkeypatch, serveur, ca_file):
    monkeypatch.setenv("OBJETS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("OBJETS_SMTP_PORT", str(serveur.port))
    monkeypatch.setenv("OBJETS_SMTP_FROM", "Collectif Objets <alertes@example.org>")
    monkeypatch.setenv("OBJETS_SMTP_CA_FILE", ca_file)


def test_mail_send_command(writable_demo_db_url, use_database, monkeypatch, smtp_serveur, ca_file):
    use_database(writable_demo_db_url)
    objets = _cli()
    _mettre_en_file(writable_demo_db_url)
    monkeypatch.delenv("OBJETS_SMTP_HOST", raising=False)

    sans_smtp = objets("mail", "send")
    assert sans_smtp.exit_code == 1 and "SMTP non configuré" in sans_smtp.output

    apercu = objets("mail", "send", "--sans-envoyer")
    assert apercu.exit_code == 0, apercu.output
    assert SUJET in apercu.output and CORPS in apercu.output and "1 courriel(s) à envoyer" in apercu.output
    assert _envois(writable_demo_db_url) == [] and _courriels(writable_demo_db_url)[0]["envoye_le"] is None

    serveur = smtp_serveur()
    _smtp_env(monkeypatch, serveur, ca_file)
    envoi = objets("mail", "send", "--limite", "5")
    assert envoi.exit_code == 0, envoi.output
    assert "courriels : 1 envoyé(s), 0 en échec (nouvel essai plus tard), 0 abandonné(s), 0 en attente" in envoi.output
    assert len(serveur.messages) == 1

    _mettre_en_file(writable_demo_db_url, destinataire="autre@example.fr")
    serveur.arreter()   # the server goes away: the timer's unit must show it
    echec = objets("mail", "send")
    assert echec.exit_code == 1 and "1 envoi(s) en échec" in echec.output
    assert "1 en attente" in echec.output


def test_the_weekly_digest_goes_through_the_outbox(writable_demo_db_url, use_database, monkeypatch, smtp_serveur,
                                                  ca_file):
    from dashboard.ops import alertes

    url = use_database(writable_demo_db_url)
    serveur = smtp_serveur()
    _smtp_env(monkeypatch, serveur, ca_file)
    with db.engine_for(url).connect() as conn:   # an hour after the demo's latest transmission: new cases exist
        maintenant = conn.execute(sa.text("SELECT max(submitted_at) FROM dossier")).scalar() + timedelta(hours=1)

    with db.engine_for(url).begin() as conn:
        digests = alertes.run(conn, echo=lambda *_: None, maintenant=maintenant)
    assert digests and serveur.messages == []   # queued, not sent: the digest no longer talks SMTP
    with db.engine_for(url).connect() as conn:
        file = conn.execute(sa.text("SELECT destinataire, motif FROM courriel ORDER BY id")).all()
        canaux = conn.execute(sa.text("SELECT canal FROM alerte_envoi")).scalars().all()
    assert file == [(d.user.email, "digest") for d in digests] and canaux == ["smtp"] * len(digests)

    envoi = _cli()("mail", "send")
    assert envoi.exit_code == 0, envoi.output
    assert [m["to"] for m in serveur.messages] == [[d.user.email] for d in digests]
    recu = email.message_from_bytes(serveur.messages[0]["data"], policy=email.policy.default)
    assert recu["Subject"] == digests[0].sujet
    assert recu.get_content().replace("\r\n", "\n").rstrip("\n") == digests[0].texte()
