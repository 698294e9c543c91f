"""Queuing an e-mail: the one way any feature sends a message (weekly digest, sign-in links,
campaign invitations, a conservateur's notes to a commune).

mettre_en_file() writes the message into the outbox in the caller's transaction: it exists
only if what caused it commits (a rolled-back transaction never sends anything), and
`objets mail send` (dashboard.ops.courrier) delivers it later, with retries. Messages are
plain text: nothing a user wrote can turn into a link or markup.
"""
from __future__ import annotations

import re

from sqlalchemy.engine import Connection

from dashboard.db import sql

_ADRESSE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SUJET_MAX = 300


class CourrielRefuse(ValueError):
    """A message that cannot be queued; the message says why, in French."""


def adresse_valide(adresse: str | None) -> bool:
    """The shape of an e-mail address (the database checks the same)."""
    return bool(adresse and _ADRESSE.match(adresse.strip()))


def mettre_en_file(conn: Connection, *, destinataire: str, sujet: str, corps: str, motif: str,
                   commune_code: str | None = None, user_id: int | None = None) -> int:
    """Queue one plain-text message; returns its id."""
    destinataire = (destinataire or "").strip()
    if not adresse_valide(destinataire):
        raise CourrielRefuse(f"adresse électronique invalide : {destinataire!r}")
    sujet = " ".join((sujet or "").split())   # one line: a header cannot be injected
    if not sujet or len(sujet) > SUJET_MAX:
        raise CourrielRefuse("objet du message vide ou trop long")
    return sql.fetch_scalar(conn, "courriel_mettre_en_file", destinataire=destinataire, sujet=sujet,
                            corps=corps.replace("\x00", ""), motif=motif, commune_code=commune_code,
                            user_id=user_id)
