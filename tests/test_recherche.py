"""Search by name against a real database (dashboard.reads.recherche, queries/recherche.sql):
accents, case, hyphens and apostrophes ignored, the scope applied, the trigram indexes used."""
import sqlalchemy as sa

from dashboard import db
from dashboard.db import sql
from dashboard.domain.identity import NATIONAL, Scope
from dashboard.reads import recherche

NORD_PAS_DE_CALAIS = Scope(departements=("59", "62"), libelle="Nord, Pas-de-Calais")


def test_normalise_recherche_makes_hyphens_and_apostrophes_spaces(reference_db_url):
    with db.engine_for(reference_db_url).connect() as conn:
        got = conn.execute(sa.text(
            "SELECT normalise_recherche('Courcelles-lès-Lens'), normalise_recherche('  COURCELLES  les lens '), "
            "normalise_recherche('L''Haÿ-les-Roses'), normalise_recherche('Saint-Étienne-du-Rouvray'), "
            "normalise_recherche('Œuvre’s (église)')")).one()
    assert tuple(got) == ("courcelles les lens", "courcelles les lens", "l hay les roses", "saint etienne du rouvray",
                          "oeuvre s eglise")


def test_courcelles_les_lens_is_found_however_it_is_typed(reference_db_url):
    with db.engine_for(reference_db_url).connect() as conn:
        for typed in ("courcelles les lens", "Courcelles-lès-Lens", "COURCELLES LES", "courcelles lens", "62249"):
            found = recherche.communes(conn, typed)
            assert found and found[0]["code_insee"] == "62249", typed
            assert found[0]["nom"] == "Courcelles-lès-Lens"
        # The exact name first, then names that start with it, then the most populous.
        assert recherche.communes(conn, "lens")[0]["nom"] == "Lens"
        assert recherche.communes(conn, "paris")[0]["nom"] == "Paris"
        # One or two characters: the start of the name.
        assert all(c["nom"].lower().startswith(("sa", "sâ")) for c in recherche.communes(conn, "sa"))
        assert recherche.communes(conn, "s") == [] and recherche.communes(conn, "  ") == []
        # Nothing is SQL: odd characters are searched as text.
        assert recherche.communes(conn, "'; DROP TABLE commune; --") == []
        assert recherche.communes(conn, "%_%") == []


def test_commune_search_stays_in_the_scope(reference_db_url):
    with db.engine_for(reference_db_url).connect() as conn:
        assert {c["departement_code"] for c in recherche.communes(conn, "saint", NORD_PAS_DE_CALAIS)} <= {"59", "62"}
        assert [c["nom"] for c in recherche.communes(conn, "paris", NORD_PAS_DE_CALAIS)] == ["Touquet-Paris-Plage"]
        assert recherche.commune(conn, NORD_PAS_DE_CALAIS, "75056") is None
        assert recherche.commune(conn, NATIONAL, "75056")["nom"] == "Paris"
        assert [c["code_insee"] for c in recherche.communes(conn, "lens", Scope(commune="62249"))] == ["62249"]


def test_objets_by_title_ref_and_edifice_in_the_scope(demo_db_url):
    with db.engine_for(demo_db_url).connect() as conn:
        titre_ref = conn.execute(sa.text(
            "SELECT o.titre, o.ref, e.nom FROM objet o JOIN edifice e ON e.id = o.edifice_id "
            "WHERE o.departement_code = '62' AND o.titre ILIKE '%calice%' AND e.nom LIKE '% %' "
            "ORDER BY o.ref LIMIT 1")).one()
        found = recherche.objets(conn, NORD_PAS_DE_CALAIS, "CALICE")
        assert found.trouves and all("calice" in o["titre"].lower() for o in found.trouves)
        assert {o["departement_code"] for o in found.trouves} <= {"59", "62"}
        # A REF typed in lower case, and a part of it.
        assert recherche.objets(conn, NORD_PAS_DE_CALAIS, titre_ref.ref.lower()).trouves[0]["ref"] == titre_ref.ref
        assert titre_ref.ref in {o["ref"] for o in recherche.objets(conn, NORD_PAS_DE_CALAIS, titre_ref.ref[:9]).trouves}
        # Words of the édifice's name, accents aside.
        edifice = recherche.objets(conn, Scope(departements=("62",)), titre_ref.nom.upper().replace("É", "E"))
        assert edifice.trouves
        # Outside the scope: nothing.
        assert recherche.objets(conn, Scope(departements=("75",)), titre_ref.ref).trouves == []
        assert recherche.objets(conn, NORD_PAS_DE_CALAIS, "ca").trouves == []


def test_suggestions_are_served_by_the_trigram_indexes(reference_db_url):
    params = {"texte": "courcelles les lens", "limite": 10, "departements": None, "commune": None}
    with db.engine_for(reference_db_url).connect() as conn:
        conn.execute(sa.text("SET LOCAL enable_seqscan = off"))  # the small reference data: no plan shortcut
        plan = "\n".join(conn.execute(sa.text("EXPLAIN " + sql.statement("recherche_communes").text), params)
                         .scalars())
    assert "commune_nom_recherche_trgm_idx" in plan
