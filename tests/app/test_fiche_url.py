"""The code of a fiche page's URL is checked against its form before anything uses or
shows it (a malformed one is never quoted back: it could carry Markdown or a script)."""
import pytest

from dashboard.app import fiche_url
from dashboard.app.fiche_url import COMMUNE, OBJET


@pytest.mark.parametrize("code", ["PM62000123", "PMZ0004802", "PM2A000012"])
def test_well_formed_refs(code):
    assert OBJET.bonne_forme(code)


@pytest.mark.parametrize("code", ["PM99<SCRIPT>", "PM6200012", "[X](JAVASCRIPT:ALERT(1))", "PM62000123 OR 1=1",
                                  "'; DROP TABLE OBJET; --", "PM62 000123", ""])
def test_malformed_refs_are_refused_and_never_quoted(code):
    assert not OBJET.bonne_forme(code)
    assert "{code}" not in OBJET.mal_forme
    assert not code or code not in OBJET.mal_forme.replace("PM62000123", "")


@pytest.mark.parametrize("code,ok", [("62041", True), ("2A004", True), ("97501", True), ("6204", False),
                                     ("2C004", False), ("62041<", False), ("**62041**", False)])
def test_insee_codes(code, ok):
    assert COMMUNE.bonne_forme(code) is ok


def test_codes_are_normalised_as_typed_or_linked():
    assert fiche_url.normaliser("  pm62000123 ") == "PM62000123"
    assert fiche_url.normaliser(None) == ""


def test_messages_say_why_nothing_is_shown():
    assert fiche_url.message_absent(OBJET, "PM62000123", "inconnu", "Pas-de-Calais") \
        == "Aucun objet ne porte la référence « PM62000123 ». Vérifiez la référence Palissy (par exemple PM62000123)."
    assert fiche_url.message_absent(COMMUNE, "75056", "hors_perimetre", "Nord, Pas-de-Calais") \
        == "La commune 75056 n'est pas dans votre périmètre (Nord, Pas-de-Calais)."


def test_a_commune_user_without_a_code_opens_its_own_commune():
    assert fiche_url.code_demande(COMMUNE, None, "62041") == "62041"
    assert fiche_url.code_demande(COMMUNE, "  ", "62041") == "62041"
    assert fiche_url.code_demande(COMMUNE, "59350", "62041") == "59350"   # the URL's, refused later if outside
    assert fiche_url.code_demande(COMMUNE, None, None) == ""
    assert fiche_url.code_demande(OBJET, None, "62041") == ""
    assert fiche_url.code_demande(OBJET, " pm62000123", "62041") == "PM62000123"
