"""What the questionnaire's tests share: a commune of the demo holding a few objets to recense
and no dossier in progress, and its account (role commune, scope its commune)."""
from __future__ import annotations

import io

import sqlalchemy as sa
from PIL import Image

from dashboard.reads import users


def commune_a_recenser(conn, departements: tuple[str, ...] = ("62", "59"), n: int = 2) -> str:
    """A commune of `departements` without a dossier in construction nor submitted, left with
    exactly `n` objets to recense (the demo's communes hold more: the others are withdrawn
    from Palissy in this copy of the database)."""
    code = conn.execute(sa.text("""
        SELECT o.commune_code FROM objet o
        WHERE o.departement_code = ANY (:d) AND objet_compte(o.dans_perimetre, o.retire_le)
          AND NOT EXISTS (SELECT 1 FROM dossier d WHERE d.commune_code = o.commune_code
                          AND d.statut IN ('construction', 'submitted'))
        GROUP BY o.commune_code HAVING count(*) >= :n
        ORDER BY count(*), o.commune_code LIMIT 1"""), {"d": list(departements), "n": n}).scalar_one()
    conn.execute(sa.text("""
        UPDATE objet SET retire_le = now()
        WHERE commune_code = :c AND objet_compte(dans_perimetre, retire_le)
          AND ref NOT IN (SELECT ref FROM objet WHERE commune_code = :c AND objet_compte(dans_perimetre, retire_le)
                          ORDER BY ref LIMIT :n)"""), {"c": code, "n": n})
    return code


def compte_commune(conn, code: str, demo: bool = False):
    """The commune's account (created like a first sign-in by link would); with `demo`, the
    demo's commune account moved to this commune (the demo's identity picker lists those)."""
    if demo:
        uid = conn.execute(sa.text("SELECT id FROM app_user WHERE demo AND role = 'commune'")).scalar_one()
        conn.execute(sa.text("UPDATE user_scope SET code = :c WHERE user_id = :u AND niveau = 'commune'"),
                     {"u": uid, "c": code})
        return users.load_user(conn, uid)
    uid = conn.execute(sa.text(
        "INSERT INTO app_user (email, nom, role) VALUES (:e, :n, 'commune') RETURNING id"),
        {"e": f"commune-{code}@communes.invalid", "n": f"Mairie {code}"}).scalar_one()
    conn.execute(sa.text("INSERT INTO user_scope (user_id, niveau, code) VALUES (:u, 'commune', :c)"),
                 {"u": uid, "c": code})
    return users.load_user(conn, uid)


def utilisateur_demo(conn, role: str):
    uid = conn.execute(sa.text("SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role)"), {"r": role}).scalar()
    return users.load_user(conn, uid)


def objets(conn, code: str) -> list[str]:
    return conn.execute(sa.text("SELECT ref FROM objet WHERE commune_code = :c AND objet_compte(dans_perimetre, "
                                "retire_le) ORDER BY ref"), {"c": code}).scalars().all()


def jpeg(largeur: int = 800, hauteur: int = 600, couleur=(120, 80, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (largeur, hauteur), couleur).save(out, "JPEG", quality=85)
    return out.getvalue()
