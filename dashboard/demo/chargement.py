"""Loading the demo: one transaction (the caller's), the generation in its order (the draws
of one PCG64 stream: reordering them changes the demo), ids from the sequences, rows by
COPY, per-row triggers skipped for a superuser then foreign keys checked set-based, and the
summary (chargement, one audit row, load_state) that commits with the data."""
from __future__ import annotations

import json
import re
import time
from datetime import date

import numpy as np
import pandas as pd
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.demo import users
from dashboard.demo.arrays import day_number, group_starts
from dashboard.demo.campagnes import (campagne_commune_rows, campagne_rows, date_dossiers, dossier_rows,
                                      draw_campagnes, draw_dossiers, draw_invitations)
from dashboard.demo.contacts import contact_rows
from dashboard.demo.figures import ANS
from dashboard.demo.objets import draw_objets, objet_rows
from dashboard.demo.recensements import draw_examens, draw_recensements, recensement_rows
from dashboard.demo.territoire import draw_edifices, edifice_rows, plan_objets

# The label of the demo's chargement row (its arguments follow).
SOURCE = "dashboard.demo"


class DemoError(Exception):
    """The demo cannot be loaded (missing reference data, already loaded)."""


def load_demo(conn: Connection, scale: float = 1.0, seed: int = 1, today: date | None = None, *,
              skip_row_triggers: bool | None = None) -> dict:
    """Generate the national demo and insert it in the caller's open transaction; returns the counts.

    `conn` is a SQLAlchemy Connection inside engine.begin(); nothing is committed here.
    Requires the reference data (région, département, commune). Same seed and today, same content.

    skip_row_triggers: None (default) skips the per-row triggers when the role is a superuser,
    as pg_restore --disable-triggers does: the audit trigger builds its jsonb before it looks
    at objets.bulk, and the foreign-key checks run row by row; together they triple the time
    of a national load. The foreign keys are then checked here, set-based, before returning,
    and data_version is bumped. False keeps every trigger (objets.bulk still skips the audit rows).
    """
    started = time.perf_counter()
    today = today or date.today()
    if not scale > 0:
        raise DemoError("l'échelle de la démo doit être positive (1 = national)")
    rng = np.random.Generator(np.random.PCG64(seed))
    sql.execute(conn, "demo_sans_audit_par_ligne")
    if sql.fetch_scalar(conn, "demo_deja_chargee"):
        raise DemoError("la démo est déjà chargée dans cette base")
    superuser = sql.fetch_scalar(conn, "demo_superutilisateur")
    if skip_row_triggers and not superuser:
        raise DemoError("skip_row_triggers demande un rôle superutilisateur")
    skip_row_triggers = superuser if skip_row_triggers is None else skip_row_triggers
    communes, departements = _read_reference(conn)
    dep_names = dict(zip(departements["code"], departements["nom"]))
    dep_region = dict(zip(departements["code"], departements["region"]))
    chargement_id = sql.execute(conn, "demo_nouveau_chargement", source=(
        f"{SOURCE} scale={scale} seed={seed} today={today.isoformat()}")).scalar_one()

    # Objets and édifices.
    plan = plan_objets(rng, communes, scale)
    deps = plan["deps"]
    edifices = draw_edifices(rng, communes, plan["holders"], plan["count"])
    objets = draw_objets(rng, communes, plan, edifices)
    objets["codes"] = communes["code"].to_numpy(dtype=object)
    in_scope = objets["dans_perimetre"]
    n_in_scope_holder = np.bincount(objets["h_of"][in_scope], minlength=len(plan["holders"]))
    in_scope_objets = np.flatnonzero(in_scope)            # sorted by holder (objets are)
    in_scope_start = group_starts(n_in_scope_holder)
    n_in_scope_dep = np.bincount(objets["dep_of"][in_scope], minlength=len(deps))
    demo_deps = users.demo_departements(deps, n_in_scope_dep)

    if skip_row_triggers:
        sql.execute(conn, "demo_sans_declencheurs_par_ligne")

    user_ids = users.insert_users(conn)

    # Campaigns, invitations, dossiers, recensements, examens.
    cap = day_number(today) - 1
    campagnes = draw_campagnes(rng, today, deps, dep_names, n_in_scope_dep, demo_deps)
    invited, answers = draw_invitations(rng, campagnes, plan, n_in_scope_holder, demo_deps, deps)
    demo_camp = campagnes.index[(campagnes["period"] == ANS - 1)
                                & np.isin(deps[campagnes["dep"].to_numpy()], demo_deps[:1])]
    dossiers = draw_dossiers(rng, today, campagnes, answers, int(demo_camp[0]) if len(demo_camp) else None)
    dep_sizes = np.bincount(plan["dep_idx"], minlength=len(deps))
    rec = draw_recensements(rng, dossiers, in_scope_start, n_in_scope_holder, in_scope_objets, objets,
                            plan["dep_idx"], group_starts(dep_sizes), dep_sizes)
    date_dossiers(rng, dossiers, rec, cap)
    dossier_dep = deps[campagnes["dep"].to_numpy()[dossiers["campagne"].to_numpy()]]
    analyst = np.where(np.isin(dossier_dep, demo_deps), user_ids["conservateur"], user_ids["admin"])
    draw_examens(rng, dossiers, rec, analyst, cap)

    # Ids from the sequences (in order: equal in a fresh database).
    edifice_ids = _reserve_ids(conn, "edifice", len(edifices["nom"]))
    campagne_ids = _reserve_ids(conn, "campagne", len(campagnes))
    dossier_ids = _reserve_ids(conn, "dossier", len(dossiers))
    rec_ids = _reserve_ids(conn, "recensement", len(rec["objet"]))

    codes = objets["codes"]
    holder_codes = codes[plan["holders"]]
    sql.execute(conn, "demo_sans_index_gin")
    copy_rows(conn, "demo_copie_edifice", edifice_rows(edifices, edifice_ids, holder_codes, chargement_id))
    copy_rows(conn, "demo_copie_objet", objet_rows(objets, edifice_ids, chargement_id))
    copy_rows(conn, "demo_copie_campagne", campagne_rows(campagnes, campagne_ids, deps))
    copy_rows(conn, "demo_copie_campagne_commune",
              campagne_commune_rows(campagnes, invited, campagne_ids, holder_codes))
    # The last draws: notes, visit wishes and recenseurs of the dossiers.
    copy_rows(conn, "demo_copie_dossier",
              dossier_rows(rng, dossiers, rec, analyst, dossier_ids, campagne_ids, holder_codes))
    copy_rows(conn, "demo_copie_recensement", recensement_rows(rec, rec_ids, objets["ref"], dossier_ids))
    sql.execute(conn, "demo_index_gin_rebatir")

    # Scopes; the commune user gets the biggest commune of the demo département with a dossier to examine.
    commune_code = users.commune_demo(dossiers, plan, codes, deps, demo_deps)
    region = dep_region.get(demo_deps[0]) if demo_deps else None
    if commune_code:
        nom = communes.loc[communes["code"] == commune_code, "nom"].iloc[0]
        users.name_commune_user(conn, user_ids["commune"], nom)
    copy_rows(conn, "demo_copie_user_scope", users.scope_rows(user_ids, demo_deps, region, commune_code))
    # The deployment officer's contacts with communes of the demo département (a stream of their own).
    holder_deps = deps[plan["dep_idx"][plan["holders"]]]
    contactables = holder_codes[(holder_deps == (demo_deps[0] if demo_deps else None)) & (n_in_scope_holder > 0)]
    contacts = contact_rows(seed, today, list(contactables), user_ids["deploiement"])
    copy_rows(conn, "demo_copie_contact_commune", contacts)

    if skip_row_triggers:
        sql.execute(conn, "demo_avec_declencheurs")
        _check_foreign_keys(conn)
        sql.execute(conn, "demo_data_version")
    sql.execute(conn, "demo_recensement_courant")

    counts = {
        "objets": int(objets["n"]), "objets_dans_perimetre": int(in_scope.sum()),
        "communes_avec_objets": int(len(plan["holders"])), "edifices": int(len(edifice_ids)),
        "campagnes": int(len(campagnes)), "dossiers": int(len(dossiers)), "recensements": int(len(rec["objet"])),
        "users": len(users.USERS), "contacts": len(contacts["commune_code"]),
        "departements_demo": demo_deps, "commune_demo": commune_code,
        "departements_ignores": plan["skipped"], "scale": scale, "seed": seed, "today": today.isoformat(),
    }
    counts["seconds"] = round(time.perf_counter() - started, 2)
    detail = json.dumps(counts)
    sql.execute(conn, "demo_fin_chargement", rapport=detail, id=chargement_id)
    sql.execute(conn, "demo_audit_resume", rapport=detail)
    sql.execute(conn, "demo_load_state", rapport=detail)
    return counts


def _read_reference(conn: Connection) -> tuple[pd.DataFrame, pd.DataFrame]:
    communes = sql.fetch_df(conn, "demo_reference_communes")
    departements = sql.fetch_df(conn, "demo_reference_departements")
    if communes.empty:
        raise DemoError("aucune commune en base : chargez d'abord les données de référence "
                        "(région, département, commune)")
    return communes, departements


def _reserve_ids(conn: Connection, table: str, n: int) -> np.ndarray:
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    rows = sql.execute(conn, "demo_identifiants", table_name=table, n=n)
    return np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)


def _nulls(values: np.ndarray) -> np.ndarray:
    missing = pd.isna(values)
    if missing.any():
        values = values.copy()
        values[missing] = None
    return values


_COPY_COLUMNS = re.compile(r"\bCOPY\s+\w+\s*\(([^)]*)\)\s*FROM\s+STDIN", re.IGNORECASE)


def copy_rows(conn: Connection, statement: str, columns: dict) -> int:
    """COPY rows given as column arrays (None for NULL) through psycopg 3, by a named COPY
    statement whose column list must be the keys of `columns`, in their order: values sent
    in another order would land in the wrong columns, or fail far from the cause."""
    text = sql.statement(statement).text
    listed = _COPY_COLUMNS.search(text)
    if listed is None or [c.strip() for c in listed.group(1).split(",")] != list(columns):
        raise ValueError(f"{statement} : les colonnes de la requête ne sont pas {', '.join(columns)}")
    arrays = [v if isinstance(v, list) else _nulls(np.asarray(v, dtype=object)).tolist() for v in columns.values()]
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(text, writer=QueuedLibpqWriter(cur)) as copy:
        for row in zip(*arrays):
            copy.write_row(row)
    return len(arrays[0]) if arrays else 0


def _check_foreign_keys(conn: Connection) -> None:
    broken = [f"{cle} ({n})" for cle, n in sql.execute(conn, "demo_references_cassees")]
    if broken:
        raise DemoError("références cassées dans la démo : " + ", ".join(broken))
