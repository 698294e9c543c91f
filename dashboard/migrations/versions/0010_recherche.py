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
- objet.recherche, stored and generated from the REF and the title, with a GIN trigram
  index; edifice.nom_recherche, from the édifice's name, with its own. The édifice's name
  is not part of objet.recherche: "église" is in the édifice of most objets, and a GIN
  index answers a word held by 236,000 rows in 50 to 100 ms (measured here), where the
  24,700 édifices answer in a few: objets are found through their édifice
  (queries/recherche.sql).

Both columns are rewritten with their tables (a few seconds on a national database). An
import writes objet as before: the column follows its title and édifice.

Revision ID: 0010
Revises: 0007
"""
from alembic import op

revision = "0010"
down_revision = "0007"
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

ALTER TABLE objet ADD COLUMN recherche text GENERATED ALWAYS AS (
    normalise_recherche(ref || ' ' || coalesce(titre, ''))) STORED;
CREATE INDEX objet_recherche_trgm_idx ON objet USING gin (recherche gin_trgm_ops);

ALTER TABLE edifice ADD COLUMN nom_recherche text GENERATED ALWAYS AS (normalise_recherche(nom)) STORED;
CREATE INDEX edifice_nom_recherche_trgm_idx ON edifice USING gin (nom_recherche gin_trgm_ops);
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    op.execute("""
        ALTER TABLE edifice DROP COLUMN nom_recherche;
        ALTER TABLE objet DROP COLUMN recherche;
        ALTER TABLE commune DROP COLUMN nom_recherche;
        DROP FUNCTION normalise_recherche(text);
    """)
