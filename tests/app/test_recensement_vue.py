"""Pure logic of /recensement (dashboard/app/recensement/vue.py)."""
from datetime import datetime, timezone

import pandas as pd

from dashboard.app.recensement import vue


def test_a_commune_sees_its_own_commune_whatever_the_url():
    assert vue.commune_de_la_page("62041", "59350") == "62041"
    assert vue.commune_de_la_page(None, " 2a004 ") == "2A004"
    assert vue.commune_de_la_page(None, "pas un code") is None and vue.commune_de_la_page(None, None) is None


def test_read_only_unless_the_user_answers_a_dossier_in_construction():
    assert not vue.lecture_seule(True, {"statut": "construction"})
    assert vue.lecture_seule(False, {"statut": "construction"})
    assert vue.lecture_seule(True, {"statut": "submitted"}) and vue.lecture_seule(True, None)


def test_objets_by_edifice_their_status_and_the_progress():
    objets = pd.DataFrame([
        {"ref": "A", "edifice": "église", "recensement_id": None, "statut": None},
        {"ref": "B", "edifice": "église", "recensement_id": 3, "statut": "draft", "localisation": "absent",
         "recensable": False, "nb_photos": 0},
        {"ref": "C", "edifice": "chapelle", "recensement_id": 4, "statut": "completed",
         "localisation": "edifice_initial", "recensable": True, "etat_sanitaire": "peril", "nb_photos": 2},
    ])
    groupes = vue.par_edifice(objets)
    assert [g for g, _ in groupes] == ["église", "chapelle"] and [len(r) for _, r in groupes] == [2, 1]
    rows = objets.to_dict("records")
    assert [vue.statut_objet(r) for r in rows] == [vue.A_FAIRE, vue.COMMENCE, vue.COMPLET]
    assert vue.libelle_statut(rows[2]).startswith("●")            # a symbol beside the word, not a colour
    assert vue.resume(rows[2]) == "Dans l'édifice prévu · état : péril · 2 photos"
    assert vue.resume(rows[1]) == "Introuvable"
    av = vue.avancement(objets)
    assert (av.objets, av.completes, av.tout_est_recense) == (3, 1, False)


def test_the_dossier_in_one_sentence():
    jour = datetime(2026, 3, 1, 10, tzinfo=timezone.utc)
    assert "commencé le 01/03/2026" in vue.etat_du_dossier({"statut": "construction", "created_at": jour})
    assert "renvoyé" in vue.etat_du_dossier({"statut": "construction", "created_at": jour, "renvoye_le": jour})
    assert "ne peut plus être modifié" in vue.etat_du_dossier({"statut": "submitted", "submitted_at": jour})
    assert vue.etat_du_dossier(None).startswith("Aucun recensement")
