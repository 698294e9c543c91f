"""What is in an export: its format, from the content, and its records streamed one by one
(where it comes from, a path or a URL: dashboard.importer.telechargement).

Formats (palissy.md), recognised from the content and never from the file name:
- 'opendata_csv': data.culture.gouv.fr CSV, header of labels (Reference, Cog_insee...);
- 'pop_complet': the full export of the Palissy base (palissy.csv), `|`-separated, the same
  labels in any case (Reference, COG_Insee...), every base of Palissy mixed (non-PM notices
  are excluded by palissy_lots);
- 'pop_csv': POP back-office CSV, optional "Critères de recherche" first line, POP codes;
- 'pop_ancien': the older 13-column back-office export (Titre courant, Type d'objet...);
- 'opendata_json' and 'pop_api': JSON, see dashboard.importer.sources_json.
The separator of a CSV (`;`, `|`, `,` or tab) is the one whose split of the header names
the most known fields (dashboard.importer.champs: names in any case, unknown ones ignored).
A BOM, CRLF line ends and quoted newlines are fine.

Records come as (line, values) with values a tuple of str aligned on FIELDS ('' when the file
has no such column; JSON lists joined with " ; "); line is the physical line where a CSV
record starts, or the position (from 1) of a JSON record. An unreadable record comes as
(line, None, reason, detail).
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pyarrow as pa

from dashboard.importer import ImportFailure, champs, fast_csv, sources_json
from dashboard.importer.champs import FIELDS, FORMAT_LABELS, OPEN_DATA_IDS  # noqa: F401  (names other modules use)
from dashboard.domain.palissy import normalise

SEPARATORS = (";", "|", ",", "\t")

_SNIFF = 64 * 1024

# The csv module refuses fields over 128 KiB by default; Arrow (fast_csv) has no such limit,
# and the two readers must agree. A long Historique or Description is not an unreadable row.
csv.field_size_limit(1 << 30)


# --- reading ---------------------------------------------------------------------------------

@dataclass
class Batch:
    """Consecutive records: the lines of the readable ones and their values, one Arrow
    string array per field of FIELDS (all '' for a field the file lacks), and the
    unreadable ones as (line, reason, detail)."""
    lines: list[int]
    columns: list[pa.Array]
    rejects: list[tuple]


BATCH_SIZE = 8192


@dataclass
class Records:
    """An open export: its format, the fields it has, and its records, one by one or in
    batches (iterate once, either way)."""
    format: str
    columns: list[str]                      # the header as published (CSV) or the keys of record 1 (JSON)
    separator: str | None = None            # of a CSV
    present: set[str] = field(default_factory=set)
    iterator: Iterator = iter(())
    position: callable = lambda: 0          # bytes read so far, for progress
    batch_source: callable | None = None    # a reader that makes batches itself (fast_csv)

    def __iter__(self):
        if self.batch_source is not None:
            return _rows_of(self.batch_source())
        return self.iterator

    def batches(self) -> Iterator[Batch]:
        if self.batch_source is not None:
            return self.batch_source()
        return _batches_of(self.iterator)


def _batches_of(records, size: int = BATCH_SIZE) -> Iterator[Batch]:
    lines, rows, rejects = [], [], []
    for item in records:
        if item[1] is None:
            rejects.append((item[0], item[2], item[3]))
        else:
            lines.append(item[0])
            rows.append(item[1])
        if len(lines) + len(rejects) >= size:
            yield _batch(lines, rows, rejects)
            lines, rows, rejects = [], [], []
    if lines or rejects:
        yield _batch(lines, rows, rejects)


def _batch(lines, rows, rejects) -> Batch:
    columns = zip(*rows) if rows else [()] * len(FIELDS)
    return Batch(lines, [pa.array(values, pa.string()) for values in columns], rejects)


def _rows_of(batches) -> Iterator[tuple]:
    for batch in batches:
        for line, reason, detail in batch.rejects:
            yield line, None, reason, detail
        yield from zip(batch.lines, zip(*(column.to_pylist() for column in batch.columns)))


def open_records(path: Path, fast: bool = False, distant: bool = False) -> tuple[Records, object]:
    """Open a Palissy export; returns (records, file handle to close). Raises ImportFailure
    for an empty file, an HTML page, bytes that are not UTF-8, missing required columns
    (named) or an unknown header.

    fast: read a CSV with fast_csv; iterating may then raise fast_csv.Irregular, and the
    caller starts again with fast=False (the exact reader). distant: the file is a download,
    whose text no message quotes."""
    binary = open(path, "rb")
    try:
        records = _open(binary, fast, distant)
    except BaseException:
        binary.close()
        raise
    return records, binary


def _sniff(binary) -> str:
    head = binary.read(_SNIFF)
    binary.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError as exc:
        raise sources_json.decode_failure(exc, " (dès le début)") from None
    if not text.strip():
        raise ImportFailure("le fichier est vide")
    return text


def _open(binary, fast: bool = False, distant: bool = False) -> Records:
    head = _sniff(binary)
    first = head.lstrip()[:1]
    lowered = head.lstrip()[:512].lower()
    if first == "<" or "<html" in lowered or "<!doctype" in lowered:
        raise ImportFailure("le fichier est une page HTML (page d'erreur ?) et non un export CSV ou JSON")
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="", errors="strict")
    if first in "[{":
        fmt, columns, present, rows = sources_json.open_json(text, distant)
        return Records(fmt, columns, present=present, iterator=rows, position=binary.tell)
    return _open_csv(text, binary, fast)


def _header(line: str) -> tuple[str, list[str], dict[str, int]]:
    """(separator, columns, known fields) of a header line: the separator whose split names
    the most known fields (then gives the most columns)."""
    best = None
    for sep in SEPARATORS:
        if sep not in line:
            continue
        columns = [c.strip() for c in next(csv.reader([line], delimiter=sep))]
        known = champs.known(columns)
        if best is None or (len(known), len(columns)) > (len(best[2]), len(best[1])):
            best = (sep, columns, known)
    if best is None:   # a single column
        columns = [line.strip()]
        best = (";", columns, champs.known(columns))
    return best


def _open_csv(text, binary, fast: bool = False) -> Records:
    try:
        header = text.readline()
        skipped = 0
        if normalise(header.lstrip('"').lstrip()).startswith("criteres de recherche"):
            header, skipped = text.readline(), 1
    except UnicodeDecodeError as exc:
        raise sources_json.decode_failure(exc, " (en-tête)") from None
    line = header.rstrip("\r\n")
    if not line.strip():
        raise ImportFailure("le fichier n'a pas de ligne d'en-tête")
    separator, columns, known = _header(line)
    if not known:
        raise ImportFailure("en-têtes non reconnus : ni un export Palissy open data (Reference, Cog_insee…) "
                            "ni un export POP (REF, INSEE…), quel que soit le séparateur (; | , tabulation)")
    naming = champs.naming(columns)
    if naming == "ancien":
        fmt = "pop_ancien"
    elif naming == "opendata":
        fmt = "pop_complet" if separator == "|" else "opendata_csv"
    else:
        fmt = "pop_csv"
    missing = [c for c in champs.REQUIRED if c not in known]
    if missing:
        raise ImportFailure(champs.missing_message(missing, naming))
    width = len(columns)
    # Absent fields read the empty string appended to every row (index `width`).
    indices = [known.get(code, width) for code in FIELDS]
    offset = 1 + skipped
    start = _data_start(binary.name, offset) if fast else None
    if start is not None:
        progress = fast_csv.Position()
        path = Path(binary.name)

        def fast_batches():
            for lines, arrays in fast_csv.batches(path, start, offset + 1, width, indices, progress,
                                                  delimiter=separator):
                empty = None
                if width in indices:
                    empty = pa.array([""] * len(lines), pa.string())
                yield Batch(lines, [arrays[i] if i < width else empty for i in indices], [])

        return Records(fmt, columns, separator, set(known), position=progress, batch_source=fast_batches)
    return Records(fmt, columns, separator, set(known), _csv_rows(text, binary, indices, width, offset, separator),
                   position=binary.tell)


def _data_start(name, count: int) -> int | None:
    """The byte where the records start, after `count` header lines ended by \\n (None when
    they end otherwise: the fast reader numbers lines by \\n only)."""
    with open(name, "rb") as again:
        lines = [again.readline() for _ in range(count)]
        if any(not line.endswith(b"\n") or b"\r" in line[:-2] for line in lines):
            return None
        return again.tell()


def _csv_rows(text, binary, indices, width, offset, separator):
    """CSV records; one is held back so that the last one is known (truncation check)."""
    from operator import itemgetter

    pick = itemgetter(*indices)
    ends_with_newline = _ends_with_newline(binary)
    reader = csv.reader(text, delimiter=separator, quotechar='"', strict=False)
    previous = 0
    pending = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except UnicodeDecodeError as exc:
            raise sources_json.decode_failure(exc, f" (vers la ligne {offset + reader.line_num + 1})") from None
        except csv.Error as exc:
            start = offset + previous + 1
            if "end of data" in str(exc):
                raise ImportFailure(f"fichier tronqué : l'enregistrement commencé ligne {start} n'est pas "
                                    "terminé (guillemet non fermé en fin de fichier)") from None
            previous = reader.line_num
            if pending:
                yield _checked(pending, width, pick)
                pending = None
            yield start, None, "ligne_illisible", f"guillemets mal formés : {exc}"
            continue
        start = offset + previous + 1
        previous = reader.line_num
        if not row:
            continue
        if pending:
            yield _checked(pending, width, pick)
        pending = (start, row)
    if pending:
        start, row = pending
        if len(row) < width and not ends_with_newline:
            raise ImportFailure(f"fichier tronqué : la dernière ligne ({start}) a {len(row)} champs "
                                f"au lieu de {width}")
        yield _checked(pending, width, pick)


def _checked(pending, width, pick):
    start, row = pending
    if len(row) != width:
        return start, None, "nombre_de_champs", f"{len(row)} champs au lieu de {width}"
    row.append("")
    return start, pick(row)


def _ends_with_newline(binary) -> bool:
    try:
        with open(binary.name, "rb") as again:
            again.seek(0, 2)
            if again.tell() == 0:
                return True
            again.seek(-1, 2)
            return again.read(1) in (b"\n", b"\r")
    except (OSError, AttributeError, TypeError):
        return True
