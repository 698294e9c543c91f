"""objet_recensement_courant, kept by triggers, always equals the rule computed from scratch
(domain.md: the latest completed recensement of a submitted dossier; overrides win)."""
import sqlalchemy as sa

from dashboard import db
from tests.expected import EFFECTIFS

FROM_SCRATCH = EFFECTIFS + """
SELECT DISTINCT ON (eff.objet_ref) eff.objet_ref, eff.id,
       CASE WHEN eff.localisation = 'absent' OR eff.etat = 'peril' THEN 'prioritaire'
            WHEN eff.etat = 'mauvais' OR eff.secu = 'en_danger' THEN 'preoccupant' END,
       o.departement_code
FROM eff JOIN objet o ON o.ref = eff.objet_ref
ORDER BY eff.objet_ref, eff.recense_le DESC, eff.id DESC
"""
MAINTAINED = "SELECT objet_ref, recensement_id, urgence, departement_code FROM objet_recensement_courant ORDER BY 1"


def same(conn):
    return conn.execute(sa.text(FROM_SCRATCH)).all() == conn.execute(sa.text(MAINTAINED)).all()


def test_maintained_table_follows_every_kind_of_write(writable_demo_db_url):
    engine = db.engine_for(writable_demo_db_url)
    with engine.begin() as conn:
        assert same(conn)
        assert conn.execute(sa.text("SELECT count(*) FROM objet_recensement_courant")).scalar() > 100
        ref, dossier = conn.execute(sa.text(
            "SELECT r.objet_ref, r.dossier_id FROM recensement r JOIN objet_recensement_courant c "
            "ON c.recensement_id = r.id WHERE r.etat_sanitaire = 'bon' ORDER BY r.id LIMIT 1")).one()

        # A newer recensement in péril, in a newer dossier of the commune (a dossier holds one
        # live recensement per objet), becomes the current one, and urgent.
        nouveau = conn.execute(sa.text(
            "INSERT INTO dossier (commune_code, statut, submitted_at, provenance) SELECT commune_code, 'submitted', "
            "now(), 'demo' FROM dossier WHERE id = :d RETURNING id"), {"d": dossier}).scalar()
        new_id = conn.execute(sa.text(
            "INSERT INTO recensement (objet_ref, dossier_id, statut, localisation, recensable, etat_sanitaire, "
            "securisation, recense_le) VALUES (:r, :d, 'completed', 'edifice_initial', true, 'peril', "
            "'en_securite', now()) RETURNING id"), {"r": ref, "d": nouveau}).scalar()
        assert same(conn)
        assert conn.execute(sa.text("SELECT recensement_id, urgence FROM objet_recensement_courant "
                                    "WHERE objet_ref = :r"), {"r": ref}).one() == (new_id, "prioritaire")

        # The conservateur's override wins.
        conn.execute(sa.text("UPDATE recensement SET analyse_etat_sanitaire = 'bon', analyse_le = now() "
                             "WHERE id = :i"), {"i": new_id})
        assert same(conn)
        assert conn.execute(sa.text("SELECT urgence FROM objet_recensement_courant WHERE objet_ref = :r"),
                            {"r": ref}).scalar() is None

        # A draft or a deleted recensement does not count.
        conn.execute(sa.text("UPDATE recensement SET statut = 'deleted', deleted_at = now() WHERE id = :i"),
                     {"i": new_id})
        assert same(conn)

        # A dossier that was never submitted does not count.
        conn.execute(sa.text("UPDATE dossier SET statut = 'construction', submitted_at = NULL, accepted_at = NULL "
                             "WHERE id = :d"), {"d": dossier})
        assert same(conn)

        # An objet moved to another département takes its row along.
        other = conn.execute(sa.text(
            "SELECT c.objet_ref FROM objet_recensement_courant c ORDER BY c.objet_ref LIMIT 1")).scalar()
        conn.execute(sa.text("UPDATE objet SET departement_code = '2A' WHERE ref = :r"), {"r": other})
        assert same(conn)

        # Removing recensements removes the current one.
        conn.execute(sa.text("DELETE FROM recensement WHERE objet_ref = :r"), {"r": other})
        assert same(conn)
        assert conn.execute(sa.text("SELECT count(*) FROM objet_recensement_courant WHERE objet_ref = :r"),
                            {"r": other}).scalar() == 0
