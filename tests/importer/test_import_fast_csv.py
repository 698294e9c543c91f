"""The fast CSV reader yields exactly what the exact reader (csv module) yields, or gives up
(Irregular) before yielding anything it might see differently; with every separator the
exports use (`;`, `|`, `,`, tab: the cases are written with `;` and rewritten for each)."""
from __future__ import annotations

import csv
import io
import random

import pytest

from dashboard.importer import fast_csv, sources

HEADER = "Reference;Titre_editorial;Cog_insee;Description\r\n"
SEPARATORS = [";", "|", ",", "\t"]


def with_separator(text: str, sep: str) -> str:
    """A case written with `;` in another separator (commas of the data become spaces when the
    separator is the comma: they would add fields)."""
    if sep == ";":
        return text
    if sep == ",":
        text = text.replace(",", " ")
    return text.replace(";", sep)


def read(path, fast: bool):
    records, handle = sources.open_records(path, fast=fast)
    try:
        return list(records)
    finally:
        handle.close()


def both(tmp_path, data: bytes, name="x.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return read(path, True), read(path, False)


REGULAR = {
    "crlf_and_quoted_newlines": HEADER + 'PM01000001;"a\r\nb\nc";01004;x\r\nPM01000002;d;1004;"y"\r\n',
    "lf_only": HEADER.replace("\r\n", "\n") + 'PM01000001;"a\nb";01004;x\nPM01000002;d;1004;y\n',
    "blank_lines": HEADER + "PM01000001;a;01004;x\r\n\r\n\nPM01000002;d;1004;y\r\n\n",
    "blank_line_inside_quotes": HEADER + 'PM01000001;"a\r\n\r\nb";01004;x\r\nPM01000002;d;1004;y\r\n',
    "no_final_newline": HEADER + "PM01000001;a;01004;x\r\nPM01000002;d;1004;y",
    "escaped_quotes_and_semicolons": HEADER + 'PM01000001;"dit ""le grand"" ; h = 3";01004;"""x"""\r\n',
    "quoted_first_field": HEADER + '"PM01000001";a;01004;x\r\n"PM01;000002";b;01004;x\r\nPM01000003;c;1;x\r\n',
    "empty_first_field": HEADER + ";a;01004;x\r\nPM01000002;b;01004;x\r\n",
    "field_over_the_csv_module_default_limit": HEADER + 'PM01000001;"' + "é" * 200_000 + '";01004;x\r\n',
    "long_first_field": HEADER + "P" * 100 + ";a;01004;x\r\nPM01000002;" + "t" * 5000 + ";01004;x\r\n",
    "bom_and_criteria_line": "\ufeffCritères de recherche : tout\r\nREF;TICO;INSEE\r\nPM01000001;a;01004\r\n",
    "accents": HEADER + "PM01000001;Vierge à l'Enfant, œuvre;01004;é\r\n",
    "carriage_return_at_the_very_end": HEADER + "PM01000001;a;01004;x\r",
}


@pytest.mark.parametrize("sep", SEPARATORS)
@pytest.mark.parametrize("case", REGULAR)
def test_regular_files_are_read_fast_and_identically(tmp_path, case, sep):
    fast, exact = both(tmp_path, with_separator(REGULAR[case], sep).encode())
    assert fast == exact
    assert exact, "the case must hold records"


IRREGULAR = {
    "stray_quote_ending_an_unquoted_field": HEADER + 'PM01000001;5";01004;x\r\nPM01000002;b;01004;x\r\n'
                                            'PM01000003;c";01004;x\r\n',
    "lone_carriage_return": HEADER + "PM01000001;a\rb;01004;x\r\nPM01000002;b;01004;x\r\n",
    # Past the first 64 KB, which are checked when the file is opened.
    "not_utf8_in_a_column_not_read": HEADER.replace("Description", "Autre")
    + "".join(f"PM{i:08d};a;01004;x\r\n" for i in range(3000)) + "PM01000001;a;01004;\xe9\r\n",
    "too_few_fields": HEADER + "PM01000001;a;01004\r\nPM01000002;b;01004;x\r\n",
    "too_many_fields": HEADER + "PM01000001;a;01004;x;y\r\nPM01000002;b;01004;x\r\n",
    "unclosed_quote": HEADER + 'PM01000001;"a;01004;x\r\nPM01000002;b;01004;x\r\n',
}


@pytest.mark.parametrize("sep", SEPARATORS)
@pytest.mark.parametrize("case", IRREGULAR)
def test_irregular_files_make_the_fast_reader_give_up_before_yielding_a_record(tmp_path, case, sep):
    data = with_separator(IRREGULAR[case], sep).encode("latin-1" if "utf8" in case else "utf-8")
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    records, handle = sources.open_records(path, fast=True)
    try:
        with pytest.raises(fast_csv.Irregular):
            # Giving up late would be fine for the import (it rolls back), but these are all
            # caught before the first record is handed over.
            next(iter(records))
    finally:
        handle.close()


def _random_field(rng: random.Random, sep: str = ";") -> str:
    pieces = ["a", "é", "PM", "01", " ", ";", sep, '"', '""', "\r\n", "\n", "x" * 40, ""]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))


@pytest.mark.parametrize("sep", SEPARATORS)
@pytest.mark.parametrize("seed", range(30))
def test_random_files_written_by_a_csv_writer_read_the_same(tmp_path, seed, sep):
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator=rng.choice(["\r\n", "\n"]))
    writer.writerow(["Reference", "Titre_editorial", "Cog_insee", "Description", "Historique"])
    for i in range(rng.randint(1, 400)):
        ref = f"PM{i:08d}" if rng.random() < 0.9 else _random_field(rng, sep)
        writer.writerow([ref] + [_random_field(rng, sep) for _ in range(4)])
        if rng.random() < 0.02:
            out.write(rng.choice(["\n", "\r\n"]))
    fast, exact = both(tmp_path, out.getvalue().encode())
    assert fast == exact


@pytest.mark.parametrize("sep", SEPARATORS)
@pytest.mark.parametrize("seed", range(30))
def test_random_damage_is_either_read_the_same_or_given_up(tmp_path, seed, sep):
    rng = random.Random(1000 + seed)
    lines = [HEADER.replace(";", sep)] + [
        f'PM{i:08d}{sep}"{_random_field(rng, sep)}"{sep}01004{sep}{rng.choice(["x", "5", ""])}\r\n'
        for i in range(200)]
    text = "".join(lines)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(HEADER), len(text))
        text = text[:at] + rng.choice(['"', "\r", sep, "\n", f'5"{sep}', f'"{sep}"']) + text[at:]
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode())
    try:
        exact = read(path, False)
    except Exception as exc:   # truncation found by the exact reader: the fast one must give up
        with pytest.raises(fast_csv.Irregular):
            read(path, True)
        assert "tronqué" in str(exc)
        return
    try:
        fast = read(path, True)
    except fast_csv.Irregular:
        return
    assert fast == exact


@pytest.mark.parametrize("sep", SEPARATORS)
def test_the_large_window_boundary_and_many_blocks(tmp_path, monkeypatch, sep):
    # Blocks of 64 bytes: records and quoted newlines straddle every block boundary.
    monkeypatch.setattr(fast_csv, "_CHUNK", 64)
    rng = random.Random(7)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerow(["Reference", "Titre_editorial", "Cog_insee"])
    for i in range(300):
        writer.writerow([f"PM{i:08d}" if i % 7 else "R" * rng.randint(25, 40), _random_field(rng, sep), "01004"])
    fast, exact = both(tmp_path, out.getvalue().encode())
    assert fast == exact and len(exact) == 300
