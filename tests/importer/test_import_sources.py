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
