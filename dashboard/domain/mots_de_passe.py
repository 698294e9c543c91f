"""Passwords of local accounts: argon2id through argon2-cffi, with its rehash rule.

A password is never stored, only its argon2 hash (with its own salt and parameters). When
the library's recommended parameters change, a hash made with the old ones is replaced at
the next successful sign-in (`verifier` returns the new hash).
"""
from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

LONGUEUR_MIN = 12
_HACHEUR = PasswordHasher()


@cache
def _leurre() -> str:
    """Verified when the account does not exist, so that the answer takes as long either
    way. Made on first use: an argon2 hash costs most of a second, which every `objets`
    command would otherwise pay at start."""
    return _HACHEUR.hash("pas un vrai mot de passe, seulement pour le temps de réponse")


class MotDePasseRefuse(ValueError):
    """A password too weak to be set; the message is French."""


def hacher(mot_de_passe: str) -> str:
    if len(mot_de_passe) < LONGUEUR_MIN:
        raise MotDePasseRefuse(f"mot de passe trop court : {LONGUEUR_MIN} caractères au moins")
    return _HACHEUR.hash(mot_de_passe)


def verifier(hache: str | None, mot_de_passe: str) -> tuple[bool, str | None]:
    """(matches, the new hash to store if the stored one uses outdated parameters)."""
    if not hache:
        try:
            _HACHEUR.verify(_leurre(), mot_de_passe + "\x00")
        except VerificationError:
            pass
        return False, None
    try:
        _HACHEUR.verify(hache, mot_de_passe)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, None
    return True, (_HACHEUR.hash(mot_de_passe) if _HACHEUR.check_needs_rehash(hache) else None)
