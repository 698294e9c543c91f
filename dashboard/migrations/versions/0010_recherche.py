"""Search by name (issue 11): communes and objets found as one types, whatever the accents,
the case, the hyphens and the apostrophes, served by trigram indexes.

- pg_trgm (contrib, a trusted extension: the database's owner may create it).
- normalise_recherche(): normalise_texte() with every run of other characters than a-z and
  0-9 made one space ("Courcelles-lès-Lens" -> "courcelles les lens"). Written here with the
  body of queries/definitions/01_normalise_texte.sql, which replaces it at once and after
  every later upgrade: the columns below need it before the definitions run.
- commune.nom_recherche, stored and generated from the name, with a GIN trigram index
  (a part of the name anywhere: "les lens") and a btree in the C collation (the start of
  the name, for one or two letters, where trigrams cannot help).
- objet.titre_recherche, stored and generated from the title, with a GIN trigram index;
  edifice.nom_recherche, from the édifice's name, with its own; the REF by its start, a
  btree in the C collation. Why three: a GIN index reads every entry of each trigram
  typed before it returns a row, and a trigram held by most rows costs 40 to 100 ms
  (measured here): "pmz" or "m62" is in every REF of a département, "église" in the
  édifice of most objets. Apart, a REF is a btree range, and the 24,700 édifices answer
  "église" in a few milliseconds (objets are found through their édifice).

Both columns are rewritten with their tables (a few seconds on a national database). An
import writes objet as before: the column follows its title and édifice.

Revision ID: 0010
Revises: fusion_0008_0009 (main: 0008_changements and 0009_deploiement meet there)
"""
from alembic import op

revision = "0010"
down_revision = "fusion_0008_0009"
branch_labels = None
depends_on = None

SCHEMA = r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE OR REPLACE FUNCTION normalise_recherche(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT btrim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, t)),
                                      '[^a-z0-9]+', ' ', 'g')) $$;

ALTER TABLE commune ADD COLUMN nom_recherche text GENERATED ALWAYS AS (normalise_recherche(nom)) STORED;
CREATE INDEX commune_nom_recherche_trgm_idx ON commune USING gin (nom_recherche gin_trgm_ops);
CREATE INDEX commune_nom_recherche_debut_idx ON commune ((nom_recherche COLLATE "C"));

ALTER TABLE objet ADD COLUMN titre_recherche text GENERATED ALWAYS AS (normalise_recherche(titre)) STORED;
CREATE INDEX objet_titre_recherche_trgm_idx ON objet USING gin (titre_recherche gin_trgm_ops);
CREATE INDEX objet_ref_debut_idx ON objet ((ref COLLATE "C"));

ALTER TABLE edifice ADD COLUMN nom_recherche text GENERATED ALWAYS AS (normalise_recherche(nom)) STORED;
CREATE INDEX edifice_nom_recherche_trgm_idx ON edifice USING gin (nom_recherche gin_trgm_ops);
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    op.execute("""
        ALTER TABLE edifice DROP COLUMN nom_recherche;
        DROP INDEX objet_ref_debut_idx;
        ALTER TABLE objet DROP COLUMN titre_recherche;
        ALTER TABLE commune DROP COLUMN nom_recherche;
        DROP FUNCTION normalise_recherche(text);
    """)
