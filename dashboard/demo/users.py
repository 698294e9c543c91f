"""The demo users, one per role (demo = true), and their scopes: admin (national),
conservateur (62 and 59), drac (their région), deploiement (62), commune (the commune of 62
holding the most objets with a dossier to examine). When 62 holds nothing (tiny scales),
the département holding the most objets stands in for it."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.db import sql

# The demo users; the commune user's commune is chosen after the dossiers exist.
USERS = [
    ("admin", "admin.demo@example.org", "Alix Administratrice (démo)"),
    ("conservateur", "conservatrice.demo@example.org", "Camille Conservatrice (démo)"),
    ("drac", "drac.demo@example.org", "Dominique Drac (démo)"),
    ("deploiement", "deploiement.demo@example.org", "Sacha Déploiement (démo)"),
    ("commune", "mairie.demo@example.org", "Claude Mairie (démo)"),
]
DEPARTEMENTS_DEMO = ("62", "59")  # Pas-de-Calais, Nord (région 32, Hauts-de-France)


def insert_users(conn: Connection) -> dict[str, int]:
    """Their ids by role; examens need them before the recensements are written."""
    return {role: sql.execute(conn, "demo_utilisateur", email=email, nom=nom, role=role).scalar_one()
            for role, email, nom in USERS}


def demo_departements(deps: np.ndarray, n_in_scope_dep: np.ndarray) -> list[str]:
    """62 and 59 when they hold objets; else the département holding the most (code order on ties)."""
    holding = {d for d, k in zip(deps, n_in_scope_dep) if k > 0}
    chosen = [d for d in DEPARTEMENTS_DEMO if d in holding]
    if DEPARTEMENTS_DEMO[0] not in holding:
        ranked = sorted(holding, key=lambda d: (-int(n_in_scope_dep[list(deps).index(d)]), d))
        chosen = ranked[:1]
    return chosen


def commune_demo(dossiers: pd.DataFrame, plan: dict, codes: np.ndarray, deps: np.ndarray,
                 demo_deps: list[str]) -> str | None:
    """The commune of the demo département holding the most objets with a submitted dossier
    (any département if none there); code order breaks ties."""
    submitted = dossiers[dossiers["statut"] == "submitted"]
    if submitted.empty:
        return None
    holders = np.unique(submitted["holder"].to_numpy())
    frame = pd.DataFrame({"code": codes[plan["holders"][holders]], "count": plan["count"][holders],
                          "dep": deps[plan["dep_idx"][plan["holders"][holders]]]})
    local = frame[frame["dep"].isin(demo_deps[:1])]
    frame = local if not local.empty else frame
    return str(frame.sort_values(["count", "code"], ascending=[False, True]).iloc[0]["code"])


def name_commune_user(conn: Connection, user_id: int, commune_nom: str) -> None:
    sql.execute(conn, "demo_utilisateur_nom", nom=f"Claude Mairie de {commune_nom} (démo)", id=user_id)


def scope_rows(user_ids: dict[str, int], demo_deps: list[str], region: str | None,
               commune_code: str | None) -> dict:
    """The columns of demo_copie_user_scope."""
    scopes = [(user_ids["admin"], "national", "")]
    scopes += [(user_ids["conservateur"], "departement", d) for d in demo_deps]
    if region:
        scopes.append((user_ids["drac"], "region", region))
    scopes += [(user_ids["deploiement"], "departement", d) for d in demo_deps[:1]]
    if commune_code:
        scopes.append((user_ids["commune"], "commune", commune_code))
    return {"user_id": [s[0] for s in scopes], "niveau": [s[1] for s in scopes], "code": [s[2] for s in scopes]}
