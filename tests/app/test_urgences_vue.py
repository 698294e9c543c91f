"""The URL of /urgences (dashboard/app/urgences_vue.py), without Streamlit: every value checked,
a French message for each one that cannot be used, the good ones kept, and the way back."""
from dashboard.app import urgences_vue as vues
from dashboard.reads.urgences import Filtres

CHOIX = {"departements": [("59", "59 Nord"), ("62", "62 Pas-de-Calais")], "categories": ["orfèvrerie", "sculpture"],
         "protections": ["classe", "inscrit"]}
COMMUNES = {"62249": {"code_insee": "62249", "nom": "Courcelles-lès-Lens", "departement_code": "62"},
            "59350": {"code_insee": "59350", "nom": "Lille", "departement_code": "59"}}


def lire(params: dict, voit_securisation: bool = True):
    return vues.filtres_depuis_url(params, CHOIX, COMMUNES.get, voit_securisation)


def test_a_full_url_is_read_and_written_back_the_same():
    params = {"departement": "62", "commune": "62249", "niveau": "prioritaire", "constat": "peril,disparu",
              "protection": "classe", "examen": "non", "categorie": "orfèvrerie", "nouveaux": "true"}
    filtres, messages = lire(params)
    assert messages == []
    assert filtres == Filtres(departements=("62",), commune="62249", niveaux=("prioritaire",),
                              constats=("peril", "disparu"), protections=("classe",), categorie="orfèvrerie",
                              examine=False, nouveaux=True)
    # The page writes back all but the bound widgets' parameters (Streamlit writes those).
    assert vues.url_des_filtres(filtres) == {k: v for k, v in params.items() if k not in vues.LIES_A_L_URL}
    assert vues.url_des_filtres(Filtres()) == {}
    assert lire({}) == (Filtres(), [])


def test_widgets_round_trip():
    filtres, _ = lire({"departement": "59,62", "constat": "mauvais", "examen": "oui"})
    valeurs = {**vues.widgets_des_filtres(filtres), "categorie": None, "nouveaux": False}
    assert vues.filtres_des_widgets(valeurs) == filtres
    assert not vues.filtres_des_widgets({**valeurs, "nouveaux": True}, nouveaux_possibles=False).nouveaux


def test_bad_values_give_a_french_message_and_the_good_ones_are_kept():
    filtres, messages = lire({"departement": "62,75", "niveau": "urgentissime", "examen": "peut-etre",
                              "protection": "<script>", "categorie": "inconnue", "constat": "peril,vole"})
    assert filtres.departements == ("62",) and filtres.niveaux == () and filtres.examine is None
    assert filtres.protections == () and filtres.categorie is None and filtres.constats == ("peril",)
    assert any(m.startswith("Département inconnu") and "75" in m and "Les autres sont gardés" in m for m in messages)
    assert any(m.startswith("Niveau inconnu") and "Filtre ignoré" in m for m in messages)
    assert any("Examen" in m and "oui ou non" in m for m in messages)
    assert any("Protection" in m and "(valeur illisible)" in m and "<script>" not in m for m in messages)
    assert any(m.startswith("Catégorie inconnue") for m in messages)
    assert any(m.startswith("Constat inconnu") and "vole" in m for m in messages)
    assert len(messages) == 6


def test_a_bad_commune_keeps_the_valid_departement():
    filtres, messages = lire({"departement": "62", "commune": "99999"})
    assert filtres.departements == ("62",) and filtres.commune is None
    assert messages == ["Commune inconnue ou hors de votre périmètre : 99999. Filtre commune ignoré, "
                        "le département est gardé."]
    assert lire({"commune": "'; DROP"})[1] == ["Commune inconnue ou hors de votre périmètre : (valeur illisible). "
                                               "Filtre commune ignoré."]
    filtres, messages = lire({"departement": "62", "commune": "59350"})
    assert filtres.commune is None and filtres.departements == ("62",) and "pas dans le département" in messages[0]


def test_en_danger_only_for_who_sees_securisation():
    assert lire({"constat": "en_danger"})[0].constats == ("en_danger",)
    filtres, messages = lire({"constat": "en_danger"}, voit_securisation=False)
    assert filtres.constats == () and messages


def test_changes_leave_the_bound_parameters_alone():
    poser, retirer = vues.changements_d_url({"categorie": "x", "niveau": "preoccupant", "examen": "non"},
                                            {"niveau": "prioritaire", "examen": "non"})
    assert poser == {"niveau": "prioritaire"} and retirer == []
    assert vues.changements_d_url({"departement": "62", "nouveaux": "true"}, {}) == ({}, ["departement"])
    assert not vues.url_changee({"niveau": "prioritaire", "categorie": "x"}, {"niveau": "prioritaire"})
    assert vues.url_changee({"niveau": "prioritaire"}, None)


def test_a_new_view_has_a_new_selection_key():
    """Rows of a selection are positions: a selection kept across views would open the objet
    at that position in the next view."""
    a, b = Filtres(niveaux=("prioritaire",)), Filtres(niveaux=("preoccupant",))
    assert vues.cle_de_selection(a) == vues.cle_de_selection(Filtres(niveaux=("prioritaire",)))
    assert vues.cle_de_selection(a) != vues.cle_de_selection(b)


def test_file_name_precisions():
    f = Filtres(departements=("59", "62"), niveaux=("prioritaire",), categorie="orfèvrerie", nouveaux=True)
    assert vues.precisions(f) == ["departement-59-62", "niveau-prioritaire", "orfèvrerie", "nouveaux"]


def test_back_from_a_fiche_the_url_sets_the_widgets_again():
    """Streamlit forgets a page's widgets once another page ran: the URL the page wrote last
    must then set them again (else the back button shows every case, the filters lost)."""
    f = Filtres(niveaux=("preoccupant",), examine=False)
    shown = vues.widgets_des_filtres(f)
    assert not vues.widgets_oublies(shown)
    assert vues.widgets_oublies({k: v for k, v in shown.items() if k != vues.CLES["niveaux"]})
    assert vues.widgets_oublies({})


def test_the_switch_to_a_fiche_carries_the_view():
    url = vues.url_des_filtres(Filtres(departements=("62",), niveaux=("preoccupant",), categorie="orfèvrerie"))
    assert vues.url_vers_la_fiche({**url, "categorie": "orfèvrerie", "ref": "PM1"}, "PM62000001") == {
        "departement": "62", "niveau": "preoccupant", "ref": "PM62000001"}


def test_the_filters_set_are_counted_for_a_phone():
    assert vues.filtres_actifs(Filtres()) is None
    assert vues.filtres_actifs(Filtres(niveaux=("prioritaire",))) == "1 filtre actif"
    assert vues.filtres_actifs(Filtres(departements=("62", "59"), examine=False, nouveaux=True)) == "3 filtres actifs"
