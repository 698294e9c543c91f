"""What is in an export: its format, from the content, and its records streamed one by one
(where it comes from, a path or a URL: dashboard.importer.telechargement).

Formats (palissy.md), recognised from the content and never from the file name:
- 'opendata_csv': data.culture.gouv.fr CSV, `;`, header of labels (Reference, Cog_insee...);
- 'opendata_json': the same portal's JSON export, a list of records keyed by field id;
- 'pop_csv': POP back-office CSV, optional "Critères de recherche" first line, POP codes;
- 'pop_ancien': the older 13-column back-office export (Titre courant, Type d'objet...).
Headers are matched whatever their case; a BOM, CRLF line ends and quoted newlines are fine.

Records come as (line, values) with values a tuple of str aligned on FIELDS ('' when the file
has no such column; JSON lists joined with " ; "); line is the physical line where a CSV record starts, or the position (from
1) of a JSON record. An unreadable record comes as (line, None, reason, detail).
"""
from __future__ import annotations

import codecs
import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pyarrow as pa

from dashboard.importer import ImportFailure, fast_csv
from dashboard.domain.palissy import normalise


# The fields the import reads, by POP code, and their open-data ids.
OPEN_DATA_IDS = {
    "REF": "reference", "TICO": "titre_editorial", "DENO": "denomination", "CATE": "categorie_technique",
    "SCLE": "siecle_de_creation", "COM": "commune_forme_index", "INSEE": "cog_insee",
    "WEB": "code_insee_commune_actuelle", "DPT": "departement_format_numerique", "REG": "region",
    "EDIF": "nom_de_l_edifice", "EMPL": "emplacement_de_l_oeuvre_dans_l_edifice",
    "REFA": "reference_a_une_notice_merimee_mh", "PROT": "typologie_de_la_protection",
    "DPRO": "date_et_typologie_de_la_protection", "STAT": "statut_juridique_du_proprietaire",
    "MANQUANT": "statut_juridique_de_l_objet", "DOSS": "typologie_du_dossier",
    "DEPL": "lieu_de_deplacement_de_l_objet", "MOSA": "edifice_actuel", "DENQ": "date_du_recolement",
    "ETAT": "etat_de_conservation",
}
FIELDS: tuple[str, ...] = tuple(OPEN_DATA_IDS)
# Labels of the older 13-column export that are not POP codes.
OLD_LABELS = {"titre courant": "TICO", "type d'objet": "DENO"}
OLD_COLUMNS = ("REG", "DPT", "COM", "Titre courant", "Type d'objet", "AUTR", "MATR", "EDIF", "SCLE", "DPRO",
               "INSEE", "STAT", "REF")
REQUIRED = ("REF", "INSEE")

_ALIASES: dict[str, str] = {}
for _code, _id in OPEN_DATA_IDS.items():
    _ALIASES[_code.lower()] = _code
    _ALIASES[_id] = _code
_ALIASES["etat"] = "ETAT"
_ALIASES.update(OLD_LABELS)

FORMAT_LABELS = {
    "opendata_csv": "CSV open data (data.culture.gouv.fr)",
    "opendata_json": "JSON open data (data.culture.gouv.fr)",
    "pop_csv": "export CSV de POP (codes)",
    "pop_ancien": "ancien export POP à 13 colonnes",
}

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


def _decode_error(exc: UnicodeDecodeError, where: str = "") -> ImportFailure:
    return ImportFailure(f"le fichier n'est pas encodé en UTF-8{where} (octet 0x{exc.object[exc.start]:02x} "
                         "invalide) : réenregistrez-le en UTF-8")


def open_records(path: Path, kinds: tuple[str, ...] = ("palissy",), fast: bool = False) -> tuple[Records, object]:
    """Open a Palissy export; returns (records, file handle to close). Raises ImportFailure
    for an empty file, an HTML page, bytes that are not UTF-8, a wrong separator, missing
    required columns (named) or an unknown header.

    fast: read a CSV with fast_csv; iterating may then raise fast_csv.Irregular, and the
    caller starts again with fast=False (the exact reader)."""
    binary = open(path, "rb")
    try:
        records = _open(binary, fast)
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
        raise _decode_error(exc, " (dès le début)") from None
    if not text.strip():
        raise ImportFailure("le fichier est vide")
    return text


def _open(binary, fast: bool = False) -> Records:
    head = _sniff(binary)
    first = head.lstrip()[:1]
    lowered = head.lstrip()[:512].lower()
    if first == "<" or "<html" in lowered or "<!doctype" in lowered:
        raise ImportFailure("le fichier est une page HTML (page d'erreur ?) et non un export CSV ou JSON")
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="", errors="strict")
    if first in "[{":
        return _open_json(text, binary)
    return _open_csv(text, binary, fast)


def _known(columns: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(columns):
        code = _ALIASES.get(name.strip().lower())
        if code and code not in found:
            found[code] = index
    return found


def _missing_message(missing: list[str], style: str) -> str:
    if style == "opendata":
        names = [OPEN_DATA_IDS[c].capitalize() for c in missing]
    else:
        names = list(missing)
    return "colonnes obligatoires absentes : " + ", ".join(names)


def _open_csv(text, binary, fast: bool = False) -> Records:
    try:
        header = text.readline()
        skipped = 0
        if normalise(header.lstrip('"').lstrip()).startswith("criteres de recherche"):
            header, skipped = text.readline(), 1
    except UnicodeDecodeError as exc:
        raise _decode_error(exc, " (en-tête)") from None
    line = header.rstrip("\r\n")
    if not line.strip():
        raise ImportFailure("le fichier n'a pas de ligne d'en-tête")
    if ";" not in line:
        for sep, name in ((",", "virgule"), ("\t", "tabulation"), ("|", "barre verticale")):
            if sep in line:
                raise ImportFailure(f"séparateur inattendu ({name}) : l'export attendu est séparé par des "
                                    "points-virgules « ; »")
    columns = [c.strip() for c in next(csv.reader([line], delimiter=";"))]
    known = _known(columns)
    if not known:
        raise ImportFailure("en-têtes non reconnus : ni un export Palissy open data (Reference, Cog_insee…) "
                            "ni un export POP (REF, INSEE…)")
    lowered = {c.lower() for c in columns}
    if "titre courant" in lowered:
        fmt = "pop_ancien"
    elif "reference" in lowered or sum(c.lower() in OPEN_DATA_IDS.values() for c in columns) > \
            sum(c.upper() in OPEN_DATA_IDS for c in columns):
        fmt = "opendata_csv"
    else:
        fmt = "pop_csv"
    missing = [c for c in REQUIRED if c not in known]
    if missing:
        raise ImportFailure(_missing_message(missing, "opendata" if fmt == "opendata_csv" else "pop"))
    width = len(columns)
    # Absent fields read the empty string appended to every row (index `width`).
    indices = [known.get(code, width) for code in FIELDS]
    offset = 1 + skipped
    start = _data_start(binary.name, offset) if fast else None
    if start is not None:
        progress = fast_csv.Position()
        path = Path(binary.name)

        def fast_batches():
            for lines, arrays in fast_csv.batches(path, start, offset + 1, width, indices, progress):
                empty = None
                if width in indices:
                    empty = pa.array([""] * len(lines), pa.string())
                yield Batch(lines, [arrays[i] if i < width else empty for i in indices], [])

        return Records(fmt, columns, set(known), position=progress, batch_source=fast_batches)
    return Records(fmt, columns, set(known), _csv_rows(text, binary, indices, width, offset),
                   position=binary.tell)


def _data_start(name, count: int) -> int | None:
    """The byte where the records start, after `count` header lines ended by \\n (None when
    they end otherwise: the fast reader numbers lines by \\n only)."""
    with open(name, "rb") as again:
        lines = [again.readline() for _ in range(count)]
        if any(not line.endswith(b"\n") or b"\r" in line[:-2] for line in lines):
            return None
        return again.tell()


def _csv_rows(text, binary, indices, width, offset):
    """CSV records; one is held back so that the last one is known (truncation check)."""
    from operator import itemgetter

    pick = itemgetter(*indices)
    ends_with_newline = _ends_with_newline(binary)
    reader = csv.reader(text, delimiter=";", quotechar='"', strict=False)
    previous = 0
    pending = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except UnicodeDecodeError as exc:
            raise _decode_error(exc, f" (vers la ligne {offset + reader.line_num + 1})") from None
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


# --- JSON ----------------------------------------------------------------------------------

def _open_json(text, binary) -> Records:
    stream = _json_array(text)
    try:
        first = next(stream)
    except StopIteration:
        raise ImportFailure("le fichier JSON ne contient aucun enregistrement") from None
    if not isinstance(first[1], dict):
        raise ImportFailure("JSON inattendu : l'export attendu est une liste d'enregistrements")
    columns = list(first[1])
    known = _known(columns)
    missing = [c for c in REQUIRED if c not in known]
    if missing:
        raise ImportFailure(_missing_message(missing, "opendata"))

    def rows():
        import itertools

        for position, record in itertools.chain([first], stream):
            if not isinstance(record, dict):
                yield position, None, "enregistrement_illisible", "pas un objet JSON"
                continue
            values = dict.fromkeys(FIELDS, "")
            for key, value in record.items():
                code = _ALIASES.get(key.lower())
                if code is None or value is None:
                    continue
                if isinstance(value, list):
                    # Multi-valued: joined as the back-office export does; split_multi splits it back.
                    value = " ; ".join(str(v) for v in value if v is not None)
                elif not isinstance(value, str):
                    value = str(value)
                values[code] = value
            yield position, tuple(values[f] for f in FIELDS)

    return Records("opendata_json", columns, set(known), rows(), position=binary.tell)


def _json_array(text, chunk: int = 1 << 20):
    """Records of a top-level JSON list, decoded one at a time (the file is never held whole)."""
    decoder = json.JSONDecoder()
    try:
        buffer = text.read(chunk)
    except UnicodeDecodeError as exc:
        raise _decode_error(exc) from None
    eof = False
    pos = 0

    def more() -> bool:
        nonlocal buffer, pos, eof
        if eof:
            return False
        try:
            data = text.read(chunk)
        except UnicodeDecodeError as exc:
            raise _decode_error(exc) from None
        if not data:
            eof = True
            return False
        buffer = buffer[pos:] + data
        pos = 0
        return True

    def skip() -> str:
        nonlocal pos
        while True:
            while pos < len(buffer) and buffer[pos] in " \t\r\n":
                pos += 1
            if pos < len(buffer):
                return buffer[pos]
            if not more():
                return ""

    if skip() == "{":
        try:
            value = json.loads(buffer[pos:] + text.read())
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ImportFailure("JSON invalide ou tronqué") from None
        detail = value.get("message") or value.get("error") if isinstance(value, dict) else None
        raise ImportFailure("JSON inattendu : un objet au lieu d'une liste d'enregistrements"
                            + (f" (message du serveur : {str(detail)[:200]})" if detail else ""))
    if skip() != "[":
        raise ImportFailure("JSON inattendu : l'export attendu est une liste d'enregistrements")
    pos += 1
    index = 0
    if skip() == "]":
        return
    while True:
        if skip() == "":
            raise ImportFailure(f"fichier JSON tronqué après l'enregistrement {index}")
        while True:
            try:
                value, end = decoder.raw_decode(buffer, pos)
                break
            except json.JSONDecodeError:
                if not more():
                    raise ImportFailure(f"fichier JSON tronqué ou invalide à l'enregistrement {index + 1}") from None
        pos = end
        index += 1
        yield index, value
        if pos > (1 << 22):
            buffer, pos = buffer[pos:], 0
        separator = skip()
        if separator == ",":
            pos += 1
        elif separator == "]":
            return
        elif separator == "":
            raise ImportFailure(f"fichier JSON tronqué après l'enregistrement {index}")
        else:
            raise ImportFailure(f"JSON invalide après l'enregistrement {index}")
