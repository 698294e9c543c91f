"""Reading exports: format from content, headers whatever their case, BOM, CRLF, quoted
newlines (line numbers), JSON decoded record by record."""
from __future__ import annotations

import io

import pytest

from dashboard.importer import ImportFailure, sources, sources_json
from import_helpers import FIXTURES


def read(path):
    records, handle = sources.open_records(path)
    try:
        return records.format, list(records)
    finally:
        handle.close()


def test_headers_in_any_case_bom_crlf_and_quoted_newlines(tmp_path):
    path = tmp_path / "x"
    path.write_bytes("\ufeffREFERENCE;titre_EDITORIAL;Cog_Insee\r\n".encode() +
                     b'PM01000001;"a\r\nb\nc";01004\r\n\r\nPM01000002;d;1004\r\n')
    fmt, rows = read(path)
    assert fmt == "opendata_csv"
    field = sources.FIELDS.index
    assert [(line, values[field("REF")], values[field("TICO")]) for line, values in rows] == \
        [(2, "PM01000001", "a\r\nb\nc"), (6, "PM01000002", "d")]


def test_pop_codes_with_search_criteria_line_keep_physical_line_numbers():
    fmt, rows = read(FIXTURES / "pop_backoffice.csv")
    assert fmt == "pop_csv"
    assert [line for line, *_ in rows] == [3, 4, 5]


def test_old_export_is_recognised():
    fmt, rows = read(FIXTURES / "pop_ancien.csv")
    assert fmt == "pop_ancien"
    assert rows[0][1][sources.FIELDS.index("TICO")] == "statue : Vierge à l'Enfant"


def test_json_is_decoded_one_record_at_a_time():
    # Tiny chunks: records straddle every refill of the buffer.
    text = io.StringIO(' [ {"a": "x;y", "b": [1, 2]} ,\n{"a": "é"}, 3 ] ')
    assert list(sources_json._json_array(text, chunk=3)) == [(1, {"a": "x;y", "b": [1, 2]}), (2, {"a": "é"}), (3, 3)]
    with pytest.raises(ImportFailure, match="tronqué"):
        list(sources_json._json_array(io.StringIO('[{"a": 1}, {"a"'), chunk=4))


def test_json_fixture_lists_are_joined():
    fmt, rows = read(FIXTURES / "opendata.json")
    assert fmt == "opendata_json"
    first = rows[0][1]
    assert first[sources.FIELDS.index("DENO")] == "tableau ; cadre"
    assert first[sources.FIELDS.index("DENQ")] == "2003"
    assert rows[3][1:] == (None, "enregistrement_illisible", "pas un objet JSON")


# --- separators and the full POP export ------------------------------------------------------

@pytest.mark.parametrize("name, fmt, separator", [
    ("opendata.csv", "opendata_csv", ";"), ("pop_backoffice.csv", "pop_csv", ";"),
    ("pop_ancien.csv", "pop_ancien", ";"),
    ("pop_complet.csv", "pop_complet", "|"), ("opendata_virgule.csv", "opendata_csv", ","),
    ("opendata_tabulation.tsv", "opendata_csv", "\t"), ("pop_codes_barre.csv", "pop_csv", "|"),
])
def test_format_and_separator_come_from_the_content(tmp_path, name, fmt, separator):
    misleading = tmp_path / "export.json"          # the name says nothing
    misleading.write_bytes((FIXTURES / name).read_bytes())
    records, handle = sources.open_records(misleading)
    handle.close()
    assert (records.format, records.separator) == (fmt, separator)


def test_full_export_header_in_its_own_case_and_quoted_newlines():
    fmt, rows = read(FIXTURES / "pop_complet.csv")
    field = sources.FIELDS.index
    assert fmt == "pop_complet"
    # Physical lines: PM01000402 spans lines 3-4, EM000000010 lines 6-7.
    assert [(line, values[field("REF")]) for line, values in rows] == [
        (2, "PM01000401"), (3, "PM01000402"), (5, "IM01000403"), (6, "EM000000010"), (8, "EM000000011"),
        (9, "PM01000404"), (10, "PM-01"), (11, "PM01000401")]
    second = rows[1][1]
    assert second[field("TICO")] == "tableau | Crucifixion"
    assert (second[field("INSEE")], second[field("DOSS")], second[field("DENO")]) == \
        ("1004", "dossier individuel", "tableau;cadre")


@pytest.mark.parametrize("header", [
    "reference|titre_editorial|cog_insee", "REFERENCE|TITRE_EDITORIAL|COG_INSEE", "Reference|Titre_editorial|COG_Insee",
    "Référence|Titre éditorial|Cog Insee", "\ufeffReference|Titre-editorial|cog_INSEE",
])
def test_labels_are_matched_in_any_case_and_spelling(tmp_path, header):
    path = tmp_path / "x.csv"
    path.write_text(header + "\nPM01000001|statue|01004\n", encoding="utf-8")
    fmt, rows = read(path)
    assert fmt == "pop_complet"
    assert rows[0][1][sources.FIELDS.index("INSEE")] == "01004"


def test_the_separator_that_names_the_most_fields_wins(tmp_path):
    # Commas inside the labels' row of a ';' file do not make it a ',' file.
    path = tmp_path / "x.csv"
    path.write_text("Reference;Titre_editorial;Cog_insee;Notes, remarques\nPM01000001;a, b;01004;x, y\n",
                    encoding="utf-8")
    records, handle = sources.open_records(path)
    rows = list(records)
    handle.close()
    assert records.separator == ";" and rows[0][1][sources.FIELDS.index("TICO")] == "a, b"


# --- POP's search API ----------------------------------------------------------------------

POP_API = ("pop_api_msearch.json", "pop_api_liste.json", "pop_api_lignes.jsonl")


@pytest.mark.parametrize("name", POP_API)
def test_pop_api_records_in_every_shape(name):
    fmt, rows = read(FIXTURES / name)
    field = sources.FIELDS.index
    assert fmt == "pop_api"
    assert [values[field("REF")] for _, values in rows] == ["PM01000801", "PM01000802", "EM000000020", "PM01000803"]
    assert [position for position, _ in rows] == [1, 2, 3, 4]
    first, second = rows[0][1], rows[1][1]
    # Arrays joined as the back-office export joins them; POP_COORDONNEES and BASE ignored.
    assert (first[field("DENO")], first[field("INSEE")], first[field("REFA")], first[field("DOSS")]) == \
        ("tableau ; cadre", "01004", "PA00116213", "dossier individuel")
    assert second[field("INSEE")] == "01053 ; 01004" and second[field("REFA")] == ""


@pytest.mark.parametrize("name", POP_API + ("opendata.json",))
def test_json_read_in_tiny_chunks_is_the_same(name):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    whole = sources_json.open_json(io.StringIO(text))
    for chunk in (1, 7, 64):
        pieces = sources_json.open_json(io.StringIO(text), chunk=chunk)
        assert pieces[:3] == whole[:3]
        assert list(pieces[3]) == list(sources_json.open_json(io.StringIO(text))[3])


def test_an_answer_with_an_error_or_without_hits_is_refused():
    error = '{"responses": [{"error": {"type": "search_phase_execution_exception"}, "status": 400}]}'
    with pytest.raises(ImportFailure, match="signale une erreur"):
        sources_json.open_json(io.StringIO(error))
    odd = '{"error_code": "ODSQLError", "message": "Unknown field"}'
    with pytest.raises(ImportFailure, match="Unknown field"):
        sources_json.open_json(io.StringIO(odd))
    # A download's text is never quoted back.
    with pytest.raises(ImportFailure) as refused:
        sources_json.open_json(io.StringIO(odd), distant=True)
    assert "Unknown" not in str(refused.value) and "ni une liste" in str(refused.value)
    with pytest.raises(ImportFailure, match="aucun enregistrement"):
        sources_json.open_json(io.StringIO('{"took": 1, "responses": [{"hits": {"hits": []}}]}'))


def test_one_record_per_line_truncated_or_without_required_fields():
    with pytest.raises(ImportFailure, match="tronqué"):
        list(sources_json.open_json(io.StringIO('{"REF": "PM01000001", "INSEE": ["01004"]}\n{"REF": "PM0'))[3])
    with pytest.raises(ImportFailure, match="colonnes obligatoires absentes : INSEE"):
        sources_json.open_json(io.StringIO('{"REF": "PM01000001", "TICO": "x"}\n'))
