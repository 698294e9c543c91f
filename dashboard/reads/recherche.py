"""Search by name (issue 11): the communes and the objets whose name holds what someone
types, accents, case, hyphens and apostrophes aside, for suggestions as one types
(queries/recherche.sql, served by the trigram indexes of migration 0010).

One search per kind, read by every page that asks for one: /commune and /objet without a
code, the commune filter of /urgences, the sign-in page of communes (no scope: public data
only, code, name and département).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain.identity import NATIONAL, Scope

TEXTE_MAX = 80            # characters of a search (the longest commune name has 45)
COMMUNES_MIN = 2          # characters before communes are suggested
OBJETS_MIN = 3            # characters before objets are suggested (a REF is 10)
COMMUNES_PROPOSEES = 10
OBJETS_PROPOSES = 15
OBJETS_CANDIDATS = 50     # matches taken in each way before ranking (queries/recherche.sql says why)


def texte_cherche(texte: str | None) -> str:
    """What is searched: as typed, trimmed, cut to TEXTE_MAX, without NUL (PostgreSQL text
    holds none)."""
    return (texte or "").replace("\x00", "").strip()[:TEXTE_MAX]


def communes(conn: Connection, texte: str, scope: Scope = NATIONAL, limite: int = COMMUNES_PROPOSEES) -> list[dict]:
    """The communes of the scope whose name holds the words typed (or whose INSEE code it
    is), best first: {code_insee, nom, departement_code, departement_nom}."""
    texte = texte_cherche(texte)
    if len(texte) < COMMUNES_MIN:
        return []
    return sql.fetch_df(conn, "recherche_communes", texte=texte, limite=limite,
                        **scope.params()).to_dict("records")


def commune(conn: Connection, scope: Scope, code: str) -> dict | None:
    """One commune of the scope by its INSEE code, None if unknown or outside the scope."""
    return sql.fetch_one(conn, "recherche_commune", code=code, **scope.params())


@dataclass(frozen=True)
class Objets:
    trouves: list[dict]     # {ref, titre, edifice, commune_code, commune_nom, departement_code}
    davantage: bool         # more objets match than were ranked: more words would help


def objets(conn: Connection, scope: Scope, texte: str, limite: int = OBJETS_PROPOSES) -> Objets:
    """The objets of the scope whose REF, title or édifice holds the words typed."""
    texte = texte_cherche(texte)
    if len(texte) < OBJETS_MIN:
        return Objets([], False)
    rows = sql.fetch_df(conn, "recherche_objets", texte=texte, limite=limite, candidats=OBJETS_CANDIDATS,
                        **scope.params())
    davantage = bool(len(rows)) and int(rows["candidats"].iloc[0]) >= OBJETS_CANDIDATS
    return Objets(rows.drop(columns=["candidats"]).to_dict("records"), davantage)


def libelle_commune(c: dict) -> str:
    """"Courcelles-lès-Lens (62250) — 62 Pas-de-Calais": the name, the code that tells two
    namesakes apart, the département."""
    dep = " ".join(x for x in (c.get("departement_code"), c.get("departement_nom")) if isinstance(x, str))
    return f"{c['nom']} ({c['code_insee']})" + (f" — {dep}" if dep else "")


def libelle_objet(o: dict) -> str:
    """"calice — PM62000123 · église, Arras (62041)"."""
    lieu = ", ".join(x for x in (o.get("edifice"), o.get("commune_nom")) if isinstance(x, str) and x)
    code = f" ({o['commune_code']})" if isinstance(o.get("commune_code"), str) else ""
    return f"{o.get('titre') or 'Sans titre'} — {o['ref']}" + (f" · {lieu}{code}" if lieu else "")
