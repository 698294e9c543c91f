"""The commune's questionnaire against real PostGIS (issue 15): a dossier started, each step
saved, a second tab refused rather than overwritten, photos kept (copies in a temporary
directory) and refused without losing anything, the submission rule, read-only after it,
the conservateur's "renvoyer à la commune", and the data version every cache follows."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.domain import photos
from dashboard.stockage.repertoire import StockageRepertoire
from dashboard.writes import examen, questionnaire as q
from tests import questionnaire_aide as aide
from tests.domain.test_photos import PDF


@pytest.fixture
def ctx(writable_demo_db_url, tmp_path, use_database):
    use_database(writable_demo_db_url)
    engine = db.engine_for(writable_demo_db_url)
    with engine.begin() as conn:
        code = aide.commune_a_recenser(conn)
        user = aide.compte_commune(conn, code)
        cons = aide.utilisateur_demo(conn, "conservateur")
        refs = aide.objets(conn, code)
    return {"url": writable_demo_db_url, "engine": engine, "code": code, "user": user, "cons": cons, "refs": refs,
            "stockage": StockageRepertoire(tmp_path / "photos"), "dir": tmp_path / "photos"}


def run(ctx, func, *args, **kwargs):
    return q.ecrire(func, ctx["user"], *args, url=ctx["url"], stockage=ctx["stockage"], **kwargs)


def one(ctx, statement, **params):
    with ctx["engine"].connect() as conn:
        return conn.execute(sa.text(statement), params).mappings().first()


def version_donnees(ctx) -> int:
    return one(ctx, "SELECT version FROM data_version")["version"]


def etapes(ctx, dossier, ref, liste):
    """Save the steps in order; the last Enregistre."""
    rid, version = None, 0
    for etape, valeurs in liste:
        fait = run(ctx, q.enregistrer_etape, dossier, ref, rid, version, etape, valeurs)
        rid, version = fait.recensement_id, fait.version
    return fait


ABSENT = [("localisation", {"localisation": "absent", "confirme": True}), ("notes", {"notes": None}),
          ("validation", {})]


def present(ctx, dossier, ref, etat="bon"):
    fait = etapes(ctx, dossier, ref, [("localisation", {"localisation": "edifice_initial"}),
                                      ("recensable", {"recensable": True}), ("etat", {"etat_sanitaire": etat}),
                                      ("securisation", {"securisation": "en_securite"})])
    ajout = q.ajouter_photo(ctx["user"], fait.recensement_id, aide.jpeg(), stockage=ctx["stockage"], url=ctx["url"])
    for etape, valeurs in [("photos", {}), ("notes", {"notes": "ok"}), ("validation", {})]:
        fait = run(ctx, q.enregistrer_etape, dossier, ref, fait.recensement_id,
                   ajout.version if etape == "photos" else fait.version, etape, valeurs)
    return fait


def test_a_dossier_is_started_once_and_every_step_is_saved_and_bumps_the_data_version(ctx):
    v0 = version_donnees(ctx)
    dossier = run(ctx, q.commencer, ctx["code"])
    assert run(ctx, q.commencer, ctx["code"]) == dossier      # a second tab: the same dossier
    assert one(ctx, "SELECT statut::text AS s FROM dossier WHERE id = :i", i=dossier)["s"] == "construction"
    v1 = version_donnees(ctx)
    assert v1 > v0
    fait = run(ctx, q.enregistrer_etape, dossier, ctx["refs"][0], None, 0, "localisation",
               {"localisation": "edifice_initial"})
    row = one(ctx, "SELECT * FROM recensement WHERE id = :i", i=fait.recensement_id)
    assert row["statut"] == "draft" and row["localisation"] == "edifice_initial" and row["etape"] == "localisation"
    assert version_donnees(ctx) > v1
    fait = run(ctx, q.enregistrer_etape, dossier, ctx["refs"][0], fait.recensement_id, fait.version, "recensable",
               {"recensable": True})
    assert one(ctx, "SELECT recensable FROM recensement WHERE id = :i", i=fait.recensement_id)["recensable"] is True


def test_a_stale_version_is_refused_and_nothing_is_overwritten(ctx):
    dossier = run(ctx, q.commencer, ctx["code"])
    ref = ctx["refs"][0]
    fait = run(ctx, q.enregistrer_etape, dossier, ref, None, 0, "localisation", {"localisation": "edifice_initial"})
    autre_onglet = fait.version
    run(ctx, q.enregistrer_etape, dossier, ref, fait.recensement_id, fait.version, "recensable", {"recensable": True})
    with pytest.raises(q.Conflit, match="modifié"):
        run(ctx, q.enregistrer_etape, dossier, ref, fait.recensement_id, autre_onglet, "localisation",
            {"localisation": "absent", "confirme": True})
    row = one(ctx, "SELECT localisation::text AS l, recensable FROM recensement WHERE id = :i", i=fait.recensement_id)
    assert row["l"] == "edifice_initial" and row["recensable"] is True
    with pytest.raises(q.Conflit, match="déjà été commencé"):      # the first step again, from another tab
        run(ctx, q.enregistrer_etape, dossier, ref, None, 0, "localisation", {"localisation": "absent",
                                                                             "confirme": True})


def test_bad_answers_are_refused_in_french_and_keep_what_was_saved(ctx):
    dossier = run(ctx, q.commencer, ctx["code"])
    ref = ctx["refs"][0]
    fait = run(ctx, q.enregistrer_etape, dossier, ref, None, 0, "localisation", {"localisation": "edifice_initial"})
    with pytest.raises(q.QuestionnaireError, match="Aucune commune n'a le code 99999"):
        run(ctx, q.enregistrer_etape, dossier, ref, fait.recensement_id, fait.version, "localisation",
            {"localisation": "deplacement_autre_commune", "autre_commune_code": "99999"})
    with pytest.raises(q.QuestionnaireError, match="Choisissez la commune"):
        run(ctx, q.enregistrer_etape, dossier, ref, fait.recensement_id, fait.version, "localisation",
            {"localisation": "deplacement_autre_commune", "autre_commune_code": "Lens"})
    with pytest.raises(q.QuestionnaireError, match="Confirmez que l'objet est introuvable"):
        run(ctx, q.enregistrer_etape, dossier, ref, fait.recensement_id, fait.version, "localisation",
            {"localisation": "absent"})
    row = one(ctx, "SELECT localisation::text AS l, version FROM recensement WHERE id = :i", i=fait.recensement_id)
    assert row["l"] == "edifice_initial" and row["version"] == fait.version
    # A note with a script and Markdown is kept verbatim (shown as text by the pages).
    note = '<script>alert(1)</script> **gras** [lien](http://x)'
    fait = run(ctx, q.enregistrer_etape, dossier, ref, fait.recensement_id, fait.version, "localisation",
               {"localisation": "absent", "confirme": True})
    run(ctx, q.enregistrer_etape, dossier, ref, fait.recensement_id, fait.version, "notes", {"notes": note})
    assert one(ctx, "SELECT notes FROM recensement WHERE id = :i", i=fait.recensement_id)["notes"] == note


def test_a_move_to_another_commune_is_saved_with_an_existing_code(ctx):
    dossier = run(ctx, q.commencer, ctx["code"])
    autre = one(ctx, "SELECT code_insee FROM commune WHERE code_insee <> :c ORDER BY 1 LIMIT 1", c=ctx["code"])
    fait = run(ctx, q.enregistrer_etape, dossier, ctx["refs"][0], None, 0, "localisation",
               {"localisation": "deplacement_autre_commune", "autre_commune_code": autre["code_insee"]})
    assert one(ctx, "SELECT autre_commune_code FROM recensement WHERE id = :i",
               i=fait.recensement_id)["autre_commune_code"] == autre["code_insee"]


def test_photos_are_kept_refused_or_removed_without_losing_anything(ctx, tmp_path):
    dossier = run(ctx, q.commencer, ctx["code"])
    ref = ctx["refs"][0]
    fait = etapes(ctx, dossier, ref, [("localisation", {"localisation": "edifice_initial"}),
                                      ("recensable", {"recensable": True})])
    ajout = q.ajouter_photo(ctx["user"], fait.recensement_id, aide.jpeg(), stockage=ctx["stockage"], url=ctx["url"])
    row = one(ctx, "SELECT * FROM recensement_photo WHERE id = :i", i=ajout.photo_id)
    assert ctx["stockage"].existe(row["cle_grande"]) and ctx["stockage"].existe(row["cle_vignette"])
    assert ajout.nb_photos == 1 and one(ctx, "SELECT nb_photos FROM recensement WHERE id = :i",
                                        i=fait.recensement_id)["nb_photos"] == 1
    fichiers = sorted(p for p in ctx["dir"].rglob("*") if p.is_file())
    # Refused: the same file again, a PDF renamed .jpg, a truncated JPEG, 20 MB: no new copy, no row.
    with pytest.raises(q.Refus, match="déjà enregistrée"):
        q.ajouter_photo(ctx["user"], fait.recensement_id, aide.jpeg(), stockage=ctx["stockage"], url=ctx["url"])
    for mauvais in (PDF, aide.jpeg()[:2000], aide.jpeg() + b"\0" * (20 * 1024 * 1024)):
        with pytest.raises(photos.PhotoRefusee):
            q.ajouter_photo(ctx["user"], fait.recensement_id, mauvais, stockage=ctx["stockage"], url=ctx["url"])
    assert sorted(p for p in ctx["dir"].rglob("*") if p.is_file()) == fichiers
    assert one(ctx, "SELECT count(*) AS n FROM recensement_photo WHERE recensement_id = :i",
               i=fait.recensement_id)["n"] == 1
    # Removed: row marked, copies gone, count follows.
    q.supprimer_photo(ctx["user"], ajout.photo_id, stockage=ctx["stockage"], url=ctx["url"])
    assert not ctx["stockage"].existe(row["cle_grande"])
    assert one(ctx, "SELECT nb_photos FROM recensement WHERE id = :i", i=fait.recensement_id)["nb_photos"] == 0


def test_a_failed_insert_removes_the_copies_it_wrote(ctx):
    """A photo for a recensement that cannot take one (introuvable): refused, copies removed."""
    dossier = run(ctx, q.commencer, ctx["code"])
    fait = etapes(ctx, dossier, ctx["refs"][0], ABSENT[:1])
    with pytest.raises(q.Refus, match="introuvable"):
        q.ajouter_photo(ctx["user"], fait.recensement_id, aide.jpeg(), stockage=ctx["stockage"], url=ctx["url"])
    assert not [p for p in ctx["dir"].rglob("*") if p.is_file()]


def test_submission_needs_every_objet_then_the_dossier_is_read_only(ctx):
    dossier = run(ctx, q.commencer, ctx["code"])
    refs = ctx["refs"]
    present(ctx, dossier, refs[0])
    version = one(ctx, "SELECT version FROM dossier WHERE id = :i", i=dossier)["version"]
    with pytest.raises(q.Refus, match=r": 1 objet sur 2 n.a pas de recensement complet"):
        run(ctx, q.soumettre, dossier, version)
    dernier = None
    for ref in refs[1:]:
        dernier = etapes(ctx, dossier, ref, ABSENT)
    urgences_avant = one(ctx, "SELECT count(*) AS n FROM objet_recensement_courant WHERE objet_ref = :r",
                         r=refs[-1])["n"]
    v = version_donnees(ctx)
    run(ctx, q.soumettre, dossier, version, notes="Merci", recenseur="Claude")
    assert version_donnees(ctx) > v
    assert one(ctx, "SELECT statut::text AS s FROM dossier WHERE id = :i", i=dossier)["s"] == "submitted"
    # At once the current recensement of the absent one, an urgent case (/urgences reads it).
    courant = one(ctx, "SELECT urgence FROM objet_recensement_courant WHERE objet_ref = :r", r=refs[-1])
    assert urgences_avant == 0 or courant is not None
    assert courant["urgence"] == "prioritaire"
    with pytest.raises(q.Refus, match="transmis"):
        run(ctx, q.enregistrer_etape, dossier, refs[-1], dernier.recensement_id, dernier.version, "notes",
            {"notes": "après coup"})
    with pytest.raises(q.Refus):
        q.ajouter_photo(ctx["user"], dernier.recensement_id, aide.jpeg(), stockage=ctx["stockage"], url=ctx["url"])
    # The conservateur sends it back: editable again, no longer counted until resubmitted.
    version = one(ctx, "SELECT version FROM dossier WHERE id = :i", i=dossier)["version"]
    with pytest.raises(examen.ExamenError, match="motif"):
        examen.ecrire(examen.renvoyer, ctx["cons"], dossier, version, "  ")
    with pytest.raises(examen.Refus):                       # a commune cannot send back
        examen.ecrire(examen.renvoyer, ctx["user"], dossier, version, "non")
    with ctx["engine"].begin() as conn:
        conn.execute(sa.text("UPDATE commune SET mairie_email = 'mairie@example.org' WHERE code_insee = :c"),
                     {"c": ctx["code"]})
    examen.ecrire(examen.renvoyer, ctx["cons"], dossier, version, "Photo floue : merci d'en refaire une.",
                  url_publique="https://objets.example.fr")
    courriel = one(ctx, "SELECT destinataire, corps FROM courriel WHERE motif = 'dossier_renvoye'")
    assert "Photo floue : merci d'en refaire une." in courriel["corps"]
    assert "https://objets.example.fr/recensement" in courriel["corps"]
    row = one(ctx, "SELECT statut::text AS s, submitted_at, renvoi_motif, renvoye_par FROM dossier WHERE id = :i",
              i=dossier)
    assert row["s"] == "construction" and row["submitted_at"] is None and row["renvoye_par"] == ctx["cons"].id
    assert one(ctx, "SELECT count(*) AS n FROM objet_recensement_courant WHERE recensement_id = :i",
               i=dernier.recensement_id)["n"] == 0
    run(ctx, q.enregistrer_etape, dossier, refs[-1], dernier.recensement_id, dernier.version, "notes",
        {"notes": "corrigé"})


def test_a_conservateur_cannot_answer_and_a_commune_cannot_reach_another(ctx):
    with pytest.raises(q.Refus, match="consulter"):
        q.ecrire(q.commencer, ctx["cons"], ctx["code"], url=ctx["url"])
    autre = one(ctx, "SELECT code_insee FROM commune WHERE code_insee <> :c ORDER BY 1 LIMIT 1", c=ctx["code"])["code_insee"]
    with pytest.raises(q.Refus, match="périmètre"):
        run(ctx, q.commencer, autre)


def test_the_purge_removes_only_copies_no_live_photo_names(ctx):
    from datetime import datetime, timedelta, timezone

    from dashboard.domain import photos as traitement
    from dashboard.ops import photos as purge
    from dashboard.stockage import photos as copies

    dossier = run(ctx, q.commencer, ctx["code"])
    fait = etapes(ctx, dossier, ctx["refs"][0], [("localisation", {"localisation": "edifice_initial"}),
                                                  ("recensable", {"recensable": True})])
    gardee = q.ajouter_photo(ctx["user"], fait.recensement_id, aide.jpeg(), stockage=ctx["stockage"], url=ctx["url"])
    orpheline = copies.enregistrer(ctx["stockage"], traitement.traiter(aide.jpeg(couleur=(1, 2, 3))))
    plus_tard = datetime.now(timezone.utc) + timedelta(minutes=1)
    assert purge.purger(ctx["url"], ctx["stockage"], plus_tard) == {"vues": 4, "supprimees": 2}
    assert not ctx["stockage"].existe(orpheline.grande) and not ctx["stockage"].existe(orpheline.vignette)
    row = one(ctx, "SELECT cle_grande, cle_vignette FROM recensement_photo WHERE id = :i", i=gardee.photo_id)
    assert ctx["stockage"].existe(row["cle_grande"]) and ctx["stockage"].existe(row["cle_vignette"])
    # A copy written after the limit (a photo being saved) is left alone.
    recente = copies.enregistrer(ctx["stockage"], traitement.traiter(aide.jpeg(couleur=(9, 9, 9))))
    assert purge.purger(ctx["url"], ctx["stockage"], datetime.now(timezone.utc) - timedelta(hours=1))["supprimees"] == 0
    assert ctx["stockage"].existe(recente.grande)
