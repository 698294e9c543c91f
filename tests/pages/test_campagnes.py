"""/campagnes and the campaigns' progress on /couverture under AppTest: every count against SQL
written here (communes of the campaign, invited, started, transmitted, accepted), the scope,
one campaign's communes, planning a draft refused in French when it overlaps an active one,
then accepted once moved; what a conservateur cannot do."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from dashboard.app.pilotage import campagnes as progression
from tests.pages.apptest import q
from tests.pages.deploiement_pages import ouvrir
from tests.pages.pilotage_pages import nombre, table
from tests.pages.visible import suspects

COMPTES = """
SELECT ca.id, ca.nom, ca.departement_code, ca.statut::text,
       (SELECT count(*) FROM campagne_commune cc WHERE cc.campagne_id = ca.id) AS communes,
       (SELECT count(*) FROM campagne_commune cc WHERE cc.campagne_id = ca.id AND cc.invitee_le IS NOT NULL),
       (SELECT count(DISTINCT d.commune_code) FROM dossier d JOIN campagne_commune cc
               ON cc.campagne_id = d.campagne_id AND cc.commune_code = d.commune_code WHERE d.campagne_id = ca.id),
       (SELECT count(DISTINCT d.commune_code) FROM dossier d JOIN campagne_commune cc
               ON cc.campagne_id = d.campagne_id AND cc.commune_code = d.commune_code
               WHERE d.campagne_id = ca.id AND d.submitted_at IS NOT NULL),
       (SELECT count(DISTINCT d.commune_code) FROM dossier d JOIN campagne_commune cc
               ON cc.campagne_id = d.campagne_id AND cc.commune_code = d.commune_code
               WHERE d.campagne_id = ca.id AND d.accepted_at IS NOT NULL)
FROM campagne ca
WHERE ca.departement_code = ANY (CAST(:deps AS text[]))
ORDER BY ca.departement_code, ca.date_lancement DESC, ca.id DESC
"""


def test_the_list_and_its_counts(demo_db_url, use_database):
    use_database(demo_db_url)
    at = ouvrir(demo_db_url, "deploiement", "campagnes.py")
    shown = at.dataframe[0].value
    want = q(demo_db_url, COMPTES, deps=["62"])
    assert list(shown["Campagne"]) == [w[1] for w in want] and len(want) > 1
    for (_, row), w in zip(shown.iterrows(), want):
        assert [row["Communes de la campagne"], row["Invitées"], row["Ont commencé"], row["Ont transmis"],
                row["Acceptées"]] == list(w[4:]), w[1]
        assert row["Détail"] == f"campagnes?campagne={w[0]}"
    assert not suspects(at)
    # A campaign of the list, opened: its communes.
    cid = want[0][0]
    detail = ouvrir(demo_db_url, "deploiement", "campagnes.py", campagne=str(cid))
    communes = detail.dataframe[0].value
    assert set(communes["Code INSEE"]) == {r[0] for r in q(demo_db_url, "SELECT commune_code FROM campagne_commune "
                                                                        "WHERE campagne_id = :i", i=cid)}
    assert int(nombre(detail.metric[3].value)) == want[0][7]
    # Another département's campaign, or a made-up id: a message and the list.
    ailleurs = q(demo_db_url, "SELECT min(id) FROM campagne WHERE departement_code <> '62'")[0][0]
    for campagne in (str(ailleurs), "999999", "'; DROP TABLE campagne; --"):
        at = ouvrir(demo_db_url, "deploiement", "campagnes.py", campagne=campagne)
        assert any("Campagne inconnue ou hors de votre périmètre" in w.value for w in at.warning)
        assert "Campagne" in at.dataframe[0].value.columns


def test_planning_a_draft_that_overlaps_is_refused_then_accepted_once_moved(writable_demo_db_url, use_database):
    url = writable_demo_db_url
    use_database(url)
    nom_actif, fin = q(url, "SELECT nom, date_fin FROM campagne WHERE departement_code = '62' "
                            "AND statut IN ('planned', 'ongoing')")[0]
    cid = q(url, "INSERT INTO campagne (departement_code, nom, statut, date_lancement, date_fin) "
                 "VALUES ('62', 'Brouillon', 'draft', :d, :f) RETURNING id", d=fin, f=fin + timedelta(days=30))[0][0]
    at = ouvrir(url, "deploiement", "campagnes.py", campagne=str(cid))
    next(b for b in at.button if b.label == "Planifier").click().run()
    assert any(f"« {nom_actif} »" in e.value.replace("\\", "") for e in at.error), [e.value for e in at.error]
    assert q(url, "SELECT statut::text FROM campagne WHERE id = :i", i=cid) == [("draft",)]
    at.date_input(key=f"campagne_{cid}_lancement").set_value(fin + timedelta(days=1))
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    assert not at.error, [e.value for e in at.error]
    next(b for b in at.button if b.label == "Planifier").click().run()
    assert not at.error, [e.value for e in at.error]
    assert q(url, "SELECT statut::text, date_lancement FROM campagne WHERE id = :i", i=cid) == [
        ("planned", fin + timedelta(days=1))]
    cons = ouvrir(url, "conservateur", "campagnes.py", campagne=str(cid))
    assert not [b for b in cons.button if b.label in ("Planifier", "Repasser en brouillon", "Enregistrer")]


@pytest.mark.parametrize("role, query, deps", [
    ("admin", {"region": "32"}, ["02", "59", "60", "62", "80"]),
    ("drac", {}, ["02", "59", "60", "62", "80"]),
    ("conservateur", {"departement": "62"}, ["62"]),
])
def test_the_progress_on_couverture(demo_db_url, use_database, role, query, deps):
    use_database(demo_db_url)
    at = ouvrir(demo_db_url, role, "couverture.py", **query)
    shown = table(at, progression.INVITEES)
    depuis = date.today() - timedelta(days=365)
    want = [w for w in q(demo_db_url, COMPTES.replace("ORDER BY", "AND ca.statut <> 'draft' AND ca.date_fin >= :depuis "
                                                      "ORDER BY"), deps=deps, depuis=depuis)]
    assert want
    assert list(shown[progression.CAMPAGNE]) == [w[1] for w in want]
    for (_, row), w in zip(shown.iterrows(), want):
        assert [int(nombre(row[c])) for c in (progression.COMMUNES, progression.INVITEES, progression.COMMENCEES,
                                              progression.TRANSMISES, progression.ACCEPTEES)] == list(w[4:]), w[1]
        assert nombre(row[progression.PART_TRANSMISES]) == pytest.approx(w[7] / w[4] if w[4] else float("nan"),
                                                                         abs=0.0005, nan_ok=True)
