"""A NULL note next to a filled one (two dossiers of a commune, only the older annotated): the
fiches show an empty field, never "nan", and do not crash.

pandas 3 reads a text column holding a string and a NULL as its `str` dtype, where the NULL
becomes NaN (truthy: `note or ""` kept it); dashboard.sql.fetch_df gives None instead.
"""
import pytest

from tests.pages import apptest
from tests.pages.apptest import q
from tests.pages.visible import suspects


@pytest.fixture
def deux_dossiers(writable_demo_db_url):
    """In a commune of the conservateur's scope without dossier: an accepted dossier of 2021 with
    notes (commune, conservateur, recensement, analysis) and a submitted dossier of this year
    without any; one objet recensé in both."""
    url = writable_demo_db_url
    code, ref = q(url, """
        SELECT o.commune_code, min(o.ref) FROM objet o JOIN commune c ON c.code_insee = o.commune_code
        WHERE c.departement_code = '62' AND o.dans_perimetre
          AND NOT EXISTS (SELECT 1 FROM dossier d WHERE d.commune_code = o.commune_code)
        GROUP BY 1 ORDER BY 1 LIMIT 1""")[0]
    conservateur = q(url, "SELECT id FROM app_user WHERE demo AND role = 'conservateur'")[0][0]
    ancien = q(url, """
        INSERT INTO dossier (commune_code, statut, created_at, submitted_at, accepted_at, notes_commune,
                             notes_conservateur, conservateur_id)
        VALUES (:c, 'accepted', '2021-03-01', '2021-03-15', '2021-04-01', 'Clocher en travaux',
                'Merci pour ce recensement', :u) RETURNING id""", c=code, u=conservateur)[0][0]
    recent = q(url, """
        INSERT INTO dossier (commune_code, statut, created_at, submitted_at)
        VALUES (:c, 'submitted', now() - interval '10 days', now() - interval '2 days') RETURNING id""", c=code)[0][0]
    q(url, """
        INSERT INTO recensement (objet_ref, dossier_id, statut, localisation, recensable, etat_sanitaire, securisation,
                                 notes, nb_photos, recense_le, analyse_notes, analyse_le, analyse_par)
        VALUES (:r, :a, 'completed', 'edifice_initial', true, 'bon', 'en_securite', 'Posé sur l''autel', 2,
                '2021-03-10', 'Vu, en bon état', '2021-04-01', :u),
               (:r, :n, 'completed', 'edifice_initial', true, 'moyen', 'en_securite', NULL, 1,
                now() - interval '5 days', NULL, NULL, NULL)""", r=ref, a=ancien, n=recent, u=conservateur)
    return url, code, ref, recent


def test_commune_shows_the_recent_dossier_with_empty_notes(deux_dossiers, use_database):
    url, code, _, recent = deux_dossiers
    use_database(url)
    at = apptest.open_page(url, "conservateur", "commune.py", code=code)
    assert at.text_area(key=f"dossier_{recent}_notes").value == ""
    # What the commune sent, beside the examen (issue 11): its notes under their heading.
    assert any(m.value == "Notes de la commune :" for m in at.markdown)
    assert "—" in [t.value for t in at.text]
    assert len(at.dataframe[0].value) == 2
    assert suspects(at) == []


def test_objet_shows_the_current_recensement_with_empty_notes(deux_dossiers, use_database):
    url, _, ref, _ = deux_dossiers
    use_database(url)
    at = apptest.open_page(url, "conservateur", "objet.py", ref=ref)
    examen = [a for a in at.text_area if a.label.startswith("Notes de l'examen")]
    assert len(examen) == 1 and examen[0].value == ""
    # The older recensement keeps its notes; the current one has none (in the history, then
    # beside the examen, where what the commune sent is shown).
    assert [t.value for t in at.text] == ["—", "Posé sur l'autel", "Vu, en bon état", "—"]
    assert suspects(at) == []
