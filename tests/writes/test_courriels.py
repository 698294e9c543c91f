"""Queuing a message: in the caller's transaction (rolled back, it never existed), checked
before it reaches the outbox."""
import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.writes import courriels


def _outbox(url):
    with db.engine_for(url).connect() as conn:
        return conn.execute(sa.text("SELECT destinataire, sujet, corps, motif FROM courriel ORDER BY id")).all()


def test_a_message_queued_by_a_rolled_back_transaction_never_exists(writable_demo_db_url):
    engine = db.engine_for(writable_demo_db_url)
    with pytest.raises(RuntimeError):
        with engine.begin() as conn:
            courriels.mettre_en_file(conn, destinataire="mairie@example.fr", sujet="Lien", corps="…", motif="test")
            raise RuntimeError("what caused the message failed")
    assert _outbox(writable_demo_db_url) == []
    with engine.begin() as conn:
        courriels.mettre_en_file(conn, destinataire=" mairie@example.fr ", sujet="Votre\r\nlien\nBcc: x@y.z",
                                 corps="Bonjour", motif="test")
    assert _outbox(writable_demo_db_url) == [("mairie@example.fr", "Votre lien Bcc: x@y.z", "Bonjour", "test")]


@pytest.mark.parametrize("adresse", ["", "mairie", "a@b", "a b@c.fr", "x@y.fr\nBcc: z@w.fr"])
def test_bad_addresses_and_subjects_are_refused(writable_demo_db_url, adresse):
    with db.engine_for(writable_demo_db_url).begin() as conn:
        with pytest.raises(courriels.CourrielRefuse, match="adresse électronique invalide"):
            courriels.mettre_en_file(conn, destinataire=adresse, sujet="s", corps="c", motif="test")
        with pytest.raises(courriels.CourrielRefuse, match="objet"):
            courriels.mettre_en_file(conn, destinataire="a@b.fr", sujet=" \n ", corps="c", motif="test")
