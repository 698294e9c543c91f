"""Who is using the app: a User (role, scope). Every data-layer function takes a Scope.

A scope is resolved once from user_scope (dashboard.reads.users): national (no
restriction), a list of départements (from départements and régions), or one commune.
Queries filter with bound parameters `:departements` (NULL = everywhere) and `:commune`
(NULL = every commune).
"""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.domain import formats, rights
from dashboard.domain.vocabulary import ROLE


@dataclass(frozen=True)
class Scope:
    departements: tuple[str, ...] | None = None  # None: national
    commune: str | None = None
    libelle: str = "France entière"

    @property
    def national(self) -> bool:
        return self.departements is None and self.commune is None

    @property
    def nom_fichier(self) -> str:
        """The scope in an export's file name ("departements-59-62", formats.nom_perimetre)."""
        return formats.nom_perimetre(self.departements, self.commune)

    def params(self) -> dict:
        """Bound parameters every scoped query takes."""
        return {
            "departements": list(self.departements) if self.departements is not None else None,
            "commune": self.commune,
        }


NATIONAL = Scope()
NOWHERE = Scope(departements=(), libelle="aucun périmètre")


@dataclass(frozen=True)
class User:
    id: int
    nom: str
    email: str
    role: str
    scope: Scope

    @property
    def role_label(self) -> str:
        return ROLE.libelle(self.role, self.role)

    def peut(self, capacite: rights.Capacite) -> bool:
        return rights.peut(self.role, capacite)
