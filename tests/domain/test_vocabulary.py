"""The vocabulary is the one list of each enum: the database holds the same codes, in the
same order, and every code has a French label (and a colour where one is drawn)."""
import re

import pytest
import sqlalchemy as sa

from dashboard.domain import vocabulary
from dashboard.domain.vocabulary import (ETAT_SANITAIRE, FICHE_CONSEIL, STATUT_COMMUNE, TOUS, URGENCE,
                                         Vocabulaire)


def _scalars(url, statement, **params):
    with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as conn:
        return conn.execute(sa.text(statement), params).scalars().all()


@pytest.mark.parametrize("vocab", [v for v in TOUS if v.enum_sql], ids=lambda v: v.enum_sql)
def test_database_enums_hold_the_vocabulary(reference_db_url, vocab):
    labels = _scalars(reference_db_url, "SELECT enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
                                        "WHERE t.typname = :t ORDER BY e.enumsortorder", t=vocab.enum_sql)
    assert sorted(labels) == sorted(vocab.codes)
    if vocab is ETAT_SANITAIRE:  # the scale: SQL compares états by the enum's order
        assert tuple(labels) == vocab.codes


def test_every_database_enum_is_in_the_vocabulary(reference_db_url):
    types = set(_scalars(reference_db_url, "SELECT DISTINCT t.typname FROM pg_enum e JOIN pg_type t "
                                           "ON t.oid = e.enumtypid"))
    assert types == {v.enum_sql for v in TOUS if v.enum_sql}


def test_urgency_levels_are_those_niveau_urgence_returns(reference_db_url):
    levels = set(_scalars(reference_db_url, """
        SELECT DISTINCT niveau_urgence(l, e, s) FROM unnest(enum_range(NULL::localisation)) l
        CROSS JOIN (SELECT unnest(enum_range(NULL::etat_sanitaire)) e UNION ALL SELECT NULL) es
        CROSS JOIN (SELECT unnest(enum_range(NULL::securisation)) s UNION ALL SELECT NULL) ss"""))
    assert levels - {None} == set(URGENCE.codes)


def test_commune_statuses_are_those_the_view_returns(reference_db_url):
    definition = _scalars(reference_db_url, "SELECT pg_get_viewdef('commune_statut'::regclass)")[0]
    assert set(re.findall(r"'([a-z_]+)'::text", definition)) - {"construction", "accepted", "archived"} \
        == set(STATUT_COMMUNE.codes)


def test_fiches_conseils_are_those_the_database_accepts(reference_db_url):
    constraint = _scalars(reference_db_url, "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                                            "WHERE conname = 'recensement_fiches_connues'")[0]
    assert re.findall(r"'([a-z_]+)'::text", constraint) == list(FICHE_CONSEIL.codes)


def test_every_code_has_a_label_and_drawn_enums_a_colour():
    for vocab in TOUS:
        assert len(set(vocab.codes)) == len(vocab), vocab.nom
        assert all(t.libelle.strip() for t in vocab.termes), vocab.nom
    for vocab in (ETAT_SANITAIRE, STATUT_COMMUNE, URGENCE):
        assert all(re.fullmatch(r"#[0-9a-f]{6}", t.couleur or "") for t in vocab.termes), vocab.nom


def test_labels_of_unknown_or_missing_codes():
    assert ETAT_SANITAIRE.libelle("peril") == "Péril"
    assert ETAT_SANITAIRE.libelle(None) == "—"
    assert ETAT_SANITAIRE.libelle(float("nan")) == "—"
    assert ETAT_SANITAIRE.libelle("inconnu", "?") == "?"
    assert ETAT_SANITAIRE.couleur("inconnu") is None
    assert "bon" in ETAT_SANITAIRE and "excellent" not in ETAT_SANITAIRE
    assert list(ETAT_SANITAIRE) == ["bon", "moyen", "mauvais", "peril"]


def test_no_label_map_outside_the_vocabulary():
    """An enum code is given its label in the vocabulary only: no other module maps one
    ({"bon": "Bon"}, {"en_danger": "En danger"}...)."""
    from dashboard import settings

    # Codes that are not also ordinary words of the code base ("etat", "departement", "draft").
    distinctive = (vocabulary.ETAT_SANITAIRE, vocabulary.SECURISATION, vocabulary.LOCALISATION, vocabulary.PROTECTION,
                   URGENCE, STATUT_COMMUNE, vocabulary.STATUT_DOSSIER, vocabulary.SOUHAIT_VISITE, FICHE_CONSEIL,
                   vocabulary.ROLE)
    codes = "|".join(sorted({re.escape(c) for v in distinctive for c in v.codes}))
    # A value that is an identifier (a widget's key, a column) is not a label.
    label_map = re.compile(rf"""["']({codes})["']\s*:\s*f?["'](?![a-z0-9_]+["'])""")
    offenders = []
    for path in [*settings.PROJECT_ROOT.joinpath("dashboard").rglob("*.py"), *settings.PAGES_DIR.glob("*.py")]:
        if path.name == "vocabulary.py" or {"demo", "migrations", "bench"} & set(path.parts):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if label_map.search(line):
                offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert not offenders


def test_vocabulaire_is_ordered_and_total():
    assert isinstance(vocabulary.PROTECTION, Vocabulaire)
    assert vocabulary.PROTECTION.pluriel("classe") == "Classés"
    assert ETAT_SANITAIRE.index("peril") == 3


def test_the_questionnaire_explains_every_answer():
    assert list(vocabulary.AIDE_LOCALISATION) == list(vocabulary.LOCALISATION.codes)
    assert list(vocabulary.AIDE_ETAT) == list(ETAT_SANITAIRE.codes)
    assert list(vocabulary.AIDE_SECURISATION) == list(vocabulary.SECURISATION.codes)
