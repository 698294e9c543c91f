"""What an import changed, per objet (objet_changement), against a hand-made before and after:
added, withdrawn, title, protection, commune, building; in the import's transaction; read
back in each user's scope (where the objet is or was)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from dashboard.domain.identity import NATIONAL, Scope
from dashboard.importer import ImportFailure, palissy_import
from dashboard.reads import qualite
from import_helpers import FIXTURES, engine

# A hand-made before and after (tests/fixtures/palissy/changements_*.csv): in the after,
# PM01000901 has a new title, PM01000902 was classé by a later decree, PM01000903 is in
# another commune and building, PM01000904 is gone, PM62000905 moved to another département,
# PM01000906 is unchanged, PM01000907 is new.
BEFORE = FIXTURES / "changements_avant.csv"
AFTER = FIXTURES / "changements_apres.csv"
EXPECTED = {
    ("PM01000901", "titre", "statue : Vierge à l'Enfant", "statue : Vierge à l'Enfant couronnée"),
    ("PM01000902", "protection", "inscrit", "classe"),
    ("PM01000903", "commune", "01053", "01004"),
    ("PM01000903", "edifice", "église", "cathédrale Notre-Dame (PA00116214)"),
    ("PM01000904", "retrait", None, None),
    ("PM62000905", "commune", "62041", "01004"),
    ("PM01000907", "ajout", None, None),
}


def run(url, path, tmp_path, name=None, **options):
    name = name or path.stem
    return palissy_import.import_palissy(url, str(path), report_path=tmp_path / f"{name}.json", **options)


def changes(url, chargement_id=None) -> set[tuple]:
    with engine(url).connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT objet_ref, nature, avant, apres FROM objet_changement "
            "WHERE CAST(:c AS integer) IS NULL OR chargement_id = CAST(:c AS integer)"), {"c": chargement_id}).all()
    return {tuple(r) for r in rows}


@pytest.fixture
def before_and_after(import_db_url, tmp_path):
    first = run(import_db_url, BEFORE, tmp_path)
    second = run(import_db_url, AFTER, tmp_path, complet=True, force=True)
    return import_db_url, first, second


def test_the_change_list_of_an_import(before_and_after):
    url, first, second = before_and_after
    # The first import into an empty table records nothing: every objet would be 'ajout'.
    assert (first["changements"], first["changements_enregistres"]) == ({}, False)
    assert changes(url) == EXPECTED
    assert second["changements"] == {"ajout": 1, "commune": 2, "edifice": 1, "protection": 1, "retrait": 1,
                                     "titre": 1}
    assert second["changements_enregistres"]
    with engine(url).connect() as conn:
        where = dict(conn.execute(sa.text(
            "SELECT objet_ref || ' ' || nature, concat_ws('>', departement_avant, departement_code) "
            "FROM objet_changement")).all())
    # Where the objet was and is: the move from 62 to 01 is known on both sides.
    assert where["PM62000905 commune"] == "62>01"
    assert where["PM01000904 retrait"] == "01>01" and where["PM01000907 ajout"] == "01"


def test_the_same_file_again_changes_nothing(before_and_after, tmp_path):
    url, _, second = before_and_after
    again = run(url, AFTER, tmp_path, "encore", complet=True)
    assert again["changements"] == {} and changes(url, again["chargement_id"]) == set()


def test_an_objet_listed_again_and_a_rolled_back_import(before_and_after, tmp_path):
    url, _, second = before_and_after
    # Refused (more than 5 % withdrawn, without --force): rolled back, its changes with it.
    with pytest.raises(ImportFailure, match="seraient retirés"):
        trop = tmp_path / "trop.csv"
        trop.write_text("\r\n".join(AFTER.read_text(encoding="utf-8").splitlines()[:3]) + "\r\n", encoding="utf-8")
        run(url, trop, tmp_path, complet=True)
    assert changes(url) == EXPECTED
    back = run(url, BEFORE, tmp_path, "retour", complet=True, force=True)
    assert changes(url, back["chargement_id"]) == {
        ("PM01000901", "titre", "statue : Vierge à l'Enfant couronnée", "statue : Vierge à l'Enfant"),
        ("PM01000902", "protection", "classe", "inscrit"),
        ("PM01000903", "commune", "01004", "01053"),
        ("PM01000903", "edifice", "cathédrale Notre-Dame (PA00116214)", "église"),
        ("PM01000904", "ajout", "retiré", None),           # listed again
        ("PM62000905", "commune", "01004", "62041"),
        ("PM01000907", "retrait", None, None),
    }


def test_changes_read_in_each_scope(before_and_after):
    url, _, second = before_and_after
    with engine(url).connect() as conn:
        national = qualite.changements(conn, NATIONAL)
        pas_de_calais = qualite.changements(conn, Scope(departements=("62",), libelle="62"))
        ain_protection = qualite.changements(conn, Scope(departements=("01",), libelle="01"), "protection")
        elsewhere = qualite.changements(conn, Scope(departements=("75",), libelle="75"))
    assert len(national) == len(EXPECTED) and set(national["import"]) == {second["chargement_id"]}
    # The objet that left the 62 is shown there; nothing else of the 01.
    assert list(zip(pas_de_calais["ref"], pas_de_calais["nature"])) == [("PM62000905", "commune")]
    assert (pas_de_calais["avant"][0], pas_de_calais["apres"][0]) == ("62041 (Arras)", "01004 (Ambérieu-en-Bugey)")
    assert list(ain_protection["ref"]) == ["PM01000902"]
    assert (ain_protection["changement"][0], ain_protection["avant"][0], ain_protection["apres"][0]) == \
        ("Protection modifiée", "Inscrit", "Classé")
    assert elsewhere.empty
