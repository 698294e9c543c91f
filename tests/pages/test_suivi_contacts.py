"""Contacts on the pages under AppTest: recorded from /commune and from the ranking (a row
checked), a bad e-mail address refused in French with the form kept, a note holding script
and Markdown stored and shown as text, the history, a correction refused after a concurrent
one; /a-rappeler by date; what conservateurs see and cannot do; a contacted commune hidden
on demand."""
from __future__ import annotations

from datetime import date, timedelta

from dashboard.app.deploiement import tableau
from tests.pages.apptest import q
from tests.pages.deploiement_pages import ouvrir, sans_contacts_de_la_demo
from tests.pages.test_texte_brut import constructions
from tests.pages.visible import suspects

NOTE = "<script>alert('x')</script> **gras** [lien](javascript:alert(1)) ![i](http://evil/x.png) :red[rouge]\n" \
       "deuxième ligne"


def _remplir(at, cle, **valeurs):
    for champ, valeur in valeurs.items():
        widget = at.text_area(key=f"{cle}_{champ}") if champ == "note" else \
            at.date_input(key=f"{cle}_{champ}") if champ in ("le", "rappel") else \
            at.selectbox(key=f"{cle}_{champ}") if champ in ("canal", "resultat") else at.text_input(key=f"{cle}_{champ}")
        widget.set_value(valeur) if champ in ("le", "rappel", "canal", "resultat") else widget.input(valeur)


def _enregistrer(at, libelle="Enregistrer le contact"):
    next(b for b in at.button if b.label == libelle).click().run()
    assert not at.exception, at.exception


def test_a_contact_from_the_commune_a_bad_address_then_a_note_shown_as_text(writable_demo_db_url, use_database):
    url = writable_demo_db_url
    use_database(url)
    sans_contacts_de_la_demo(url)
    code = q(url, "SELECT min(commune_code) FROM objet WHERE departement_code = '62'")[0][0]
    at = ouvrir(url, "deploiement", "commune.py", code=code)
    cle = f"contact_{code}"
    assert any("Aucun contact enregistré" in c.value for c in at.caption)
    _remplir(at, cle, canal="courriel", resultat="a_rappeler", interlocuteur="Mme Maire", courriel="maire-at-mairie",
             etape="Envoyer la fiche", rappel=date.today() + timedelta(days=7), note=NOTE)
    _enregistrer(at)
    assert any("« maire-at-mairie » n'est pas une adresse électronique" in e.value.replace("\\", "")
               for e in at.error), [e.value for e in at.error]
    # Nothing lost: the form keeps what was typed; nothing written.
    assert at.text_input(key=f"{cle}_courriel").value == "maire-at-mairie"
    assert at.text_area(key=f"{cle}_note").value == NOTE
    assert at.text_input(key=f"{cle}_interlocuteur").value == "Mme Maire"
    assert q(url, "SELECT count(*) FROM contact_commune")[0][0] == 0
    at.text_input(key=f"{cle}_courriel").input("maire@mairie.fr")
    _enregistrer(at)
    assert not at.error, [e.value for e in at.error]
    stored = q(url, "SELECT note, courriel, resultat::text, auteur_id FROM contact_commune")
    deploiement = q(url, "SELECT id FROM app_user WHERE demo AND role = 'deploiement'")[0][0]
    assert stored == [(NOTE, "maire@mairie.fr", "a_rappeler", deploiement)]
    # Shown as text: in the history table and in st.text, and no Markdown element renders it.
    assert any(t.value == NOTE for t in at.text)
    historique = next(d.value for d in at.dataframe if "Note" in d.value.columns)
    assert list(historique["Note"]) == [NOTE] and list(historique["Résultat"]) == ["À rappeler"]
    assert not constructions(at), constructions(at)
    assert any(s.value.startswith("Contact avec") for s in at.success)


def test_a_correction_after_a_concurrent_one_is_refused(writable_demo_db_url, use_database):
    url = writable_demo_db_url
    use_database(url)
    sans_contacts_de_la_demo(url)
    code = q(url, "SELECT min(commune_code) FROM objet WHERE departement_code = '62'")[0][0]
    admin = q(url, "SELECT id FROM app_user WHERE demo AND role = 'admin'")[0][0]
    cid = q(url, "INSERT INTO contact_commune (commune_code, contacte_le, canal, resultat, note, auteur_id) "
                 "VALUES (:c, current_date, 'telephone', 'interessee', 'note', :u) RETURNING id", c=code, u=admin)[0][0]
    at = ouvrir(url, "deploiement", "commune.py", code=code)
    cle = f"correction_{code}_{cid}"
    assert at.text_area(key=f"{cle}_note").value == "note"
    # Meanwhile someone else corrects it.
    q(url, "UPDATE contact_commune SET note = 'corrigée ailleurs', version = version + 1 WHERE id = :i", i=cid)
    at.text_area(key=f"{cle}_note").input("ma correction")
    _enregistrer(at, "Enregistrer la correction")
    assert any("modifié par" in e.value for e in at.error), [e.value for e in at.error]
    assert q(url, "SELECT note FROM contact_commune WHERE id = :i", i=cid) == [("corrigée ailleurs",)]
    next(b for b in at.button if b.label == "Recharger la version actuelle").click().run()
    assert at.text_area(key=f"{cle}_note").value == "corrigée ailleurs"


def test_a_contact_from_the_ranking_and_the_call_back_list(writable_demo_db_url, use_database):
    url = writable_demo_db_url
    use_database(url)
    sans_contacts_de_la_demo(url)
    at = ouvrir(url, "deploiement", "communes_a_contacter.py")
    shown = next(d.value for d in at.dataframe if tableau.SCORE in d.value.columns)
    code = shown[tableau.CODE].iloc[1]
    at.session_state["cac_table"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    cle = f"cac_contact_{code}"
    _remplir(at, cle, resultat="a_rappeler", rappel=date.today() - timedelta(days=1), le=date.today() - timedelta(days=2))
    _enregistrer(at)
    assert not at.error, [e.value for e in at.error]
    assert q(url, "SELECT commune_code FROM contact_commune") == [(code,)]
    row = next(d.value for d in at.dataframe if tableau.SCORE in d.value.columns).set_index(tableau.CODE).loc[code]
    assert row[tableau.DERNIER_CONTACT].endswith(f"à rappeler le {date.today() - timedelta(days=1):%d/%m/%Y}")
    rappels = ouvrir(url, "conservateur", "a_rappeler.py")
    liste = rappels.dataframe[0].value
    assert list(liste["Code INSEE"]) == [code] and list(liste["En retard"]) == ["Oui"]
    # Conservateurs read it all, record nothing.
    cons = ouvrir(url, "conservateur", "communes_a_contacter.py")
    assert not [s for s in cons.subheader if s.value in ("Enregistrer un contact", "Campagne")]
    fiche = ouvrir(url, "conservateur", "commune.py", code=code)
    assert any("Contacts avec la commune" in s.value for s in fiche.subheader)
    assert not [e for e in fiche.expander if e.label == "Enregistrer un contact"]
    assert not suspects(fiche) and not suspects(cons) and not suspects(rappels)


def test_a_contacted_commune_is_hidden_on_demand(writable_demo_db_url, use_database):
    """A commune never contacted (nor invited by a launched campaign), contacted from the
    ranking by an administrator: it leaves the list when the contacted communes are hidden."""
    url = writable_demo_db_url
    use_database(url)

    def masquee():
        at = ouvrir(url, "admin", "communes_a_contacter.py", masquer_contactees="1")
        return at, list(next(d.value for d in at.dataframe if tableau.SCORE in d.value.columns)[tableau.CODE])

    at, codes = masquee()
    code = codes[0]
    assert not q(url, "SELECT 1 FROM commune_contactee WHERE commune_code = :c", c=code)
    at.session_state["cac_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    _remplir(at, f"cac_contact_{code}", resultat="interessee")
    _enregistrer(at)
    assert not at.error, [e.value for e in at.error]
    assert q(url, "SELECT commune_code FROM contact_commune ORDER BY id DESC LIMIT 1") == [(code,)]
    _, apres = masquee()
    assert code not in apres and len(apres) == len(codes) - 1
