"""JSON exports, decoded one record at a time (the file is never held whole):
- 'opendata_json': the portal's JSON export, a list of records keyed by field id;
- 'pop_api': records of POP's own search API, keyed by POP code (COM, INSEE, DPT, REG, STAT,
  DENO, CATE, SCLE, DOSS, REFA are arrays; POP_COORDONNEES an object, ignored), as
  * an Elasticsearch multi-search answer `{"responses": [{"hits": {"hits": [{"_source": {...}}]}}]}`
    (or one search answer `{"hits": {"hits": [...]}}`),
  * a JSON list of those `_source` records (or of the hits themselves),
  * one record (or hit) per line.
Which one is read from the content: the first character, then the first key of an object
(an answer starts with keys such as "took" or "responses", a record with its fields).

Records come as sources' do: (position, values aligned on champs.FIELDS), arrays joined with
" ; " (split_multi splits them back, several INSEE codes are flagged), or (position, None,
reason, detail) for one that is not an object; position counts records from 1.
"""
from __future__ import annotations

import itertools
import json
import re

from dashboard.importer import ImportFailure, champs

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\r\n]*")
_NUMBER = set("0123456789.eE+-")
# First keys of a search answer (and of the error objects servers send instead of data).
_ANSWER_KEYS = {"responses", "hits", "took", "timed_out", "_shards", "status", "error", "error_code", "message"}
_FIRST_KEY = re.compile(r'\s*\{\s*("(?:[^"\\]|\\.)*")')


def decode_failure(exc: UnicodeDecodeError, where: str = "") -> ImportFailure:
    return ImportFailure(f"le fichier n'est pas encodé en UTF-8{where} (octet 0x{exc.object[exc.start]:02x} "
                         "invalide) : réenregistrez-le en UTF-8")


class _Stream:
    """A JSON text read in chunks: one value decoded at a time, or walked key by key."""

    def __init__(self, text, chunk: int = 1 << 20):
        self.text, self.chunk = text, chunk
        self.eof = False
        self.buffer = self._read()
        self.pos = 0

    def _read(self) -> str:
        try:
            return self.text.read(self.chunk)
        except UnicodeDecodeError as exc:
            raise decode_failure(exc) from None

    def more(self) -> bool:
        if self.eof:
            return False
        data = self._read()
        if not data:
            self.eof = True
            return False
        self.buffer = self.buffer[self.pos:] + data
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not a space ('' at the end)."""
        while True:
            self.pos = _SPACE.match(self.buffer, self.pos).end()
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.more():
                return ""

    def value(self, where: str = ""):
        if self.peek() == "":
            raise ImportFailure(f"fichier JSON tronqué {where}".strip())
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError:
                if self.more():
                    continue
                raise ImportFailure(f"fichier JSON tronqué ou invalide {where}".strip()) from None
            # A number cut by the end of the chunk ("1" of "1.5") goes on in the next one.
            if isinstance(value, (int, float)) and (end == len(self.buffer) or self.buffer[end] in _NUMBER) \
                    and self.more():
                continue
            break
        self.pos = end
        if self.pos > (1 << 22):
            self.buffer, self.pos = self.buffer[self.pos:], 0
        return value

    def expect(self, char: str, where: str) -> None:
        found = self.peek()
        if found != char:
            raise ImportFailure(f"fichier JSON tronqué {where}" if not found else f"JSON invalide {where}")
        self.pos += 1

    def keys(self):
        """The keys of an object, one by one: the caller reads or walks each value before the next."""
        self.expect("{", "(objet attendu)")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            name = self.value("(clé attendue)")
            if not isinstance(name, str):
                raise ImportFailure("JSON invalide (clé attendue)")
            self.expect(":", f"après la clé {name!r}")
            yield name
            after = self.peek()
            self.pos += 1
            if after == "}":
                return
            if after != ",":
                raise ImportFailure("fichier JSON tronqué" if not after else "JSON invalide (virgule attendue)")

    def items(self):
        """The positions (from 1) of the elements of an array: the caller reads each one."""
        self.expect("[", "(liste attendue)")
        if self.peek() == "]":
            self.pos += 1
            return
        for index in itertools.count(1):
            yield index
            after = self.peek()
            if after == "]":
                self.pos += 1
                return
            if after == ",":
                self.pos += 1
            elif after == "":
                raise ImportFailure(f"fichier JSON tronqué après l'enregistrement {index}")
            else:
                raise ImportFailure(f"JSON invalide après l'enregistrement {index}")


def _json_array(text, chunk: int = 1 << 20):
    """(position, value) of each element of a top-level JSON list."""
    stream = _Stream(text, chunk)
    if stream.peek() != "[":
        raise ImportFailure("JSON inattendu : l'export attendu est une liste d'enregistrements")
    for index in stream.items():
        yield index, stream.value(f"à l'enregistrement {index}")


# --- the shapes of a file -------------------------------------------------------------------

def _listed(stream):
    for index in stream.items():
        yield stream.value(f"à l'enregistrement {index}")


def _lines(stream):
    index = 0
    while stream.peek() != "":
        index += 1
        yield stream.value(f"à l'enregistrement {index}")


class _Answer:
    """The hits of a search answer, walked key by key; what the answer says of itself (an
    error, a server message) is noted, never its data."""

    def __init__(self, stream):
        self.stream = stream
        self.message: str | None = None
        self.found = False

    def hits(self):
        for name in self.stream.keys():
            if name == "responses" and self.stream.peek() == "[":
                self.found = True
                for _ in self.stream.items():
                    yield from self._response()
            elif name == "hits":
                self.found = True
                yield from self._hits()
            else:
                self._other(name)

    def _other(self, name: str) -> None:
        value = self.stream.value()
        if name == "error" and value:
            raise ImportFailure("la réponse de recherche POP signale une erreur : rien n'a été importé")
        if name == "message" and isinstance(value, str):
            self.message = value

    def _response(self):
        if self.stream.peek() != "{":
            self.stream.value()
            return
        for name in self.stream.keys():
            if name == "hits":
                yield from self._hits()
            else:
                self._other(name)

    def _hits(self):
        if self.stream.peek() != "{":
            self.stream.value()
            return
        for name in self.stream.keys():
            if name == "hits" and self.stream.peek() == "[":
                for index in self.stream.items():
                    yield self.stream.value(f"au résultat {index}")
            else:
                self.stream.value()


def _unwrapped(value):
    """A hit stands for its `_source`."""
    if isinstance(value, dict) and isinstance(value.get("_source"), dict):
        return value["_source"]
    return value


def _values(record: dict) -> tuple:
    values = dict.fromkeys(champs.FIELDS, "")
    for name, value in record.items():
        code = champs.code_of(name)
        if code is None or value is None or isinstance(value, dict):
            continue
        if isinstance(value, list):
            # Multi-valued: joined as the back-office export does; split_multi splits it back.
            value = " ; ".join(str(v) for v in value if v is not None and not isinstance(v, (dict, list)))
        elif not isinstance(value, str):
            value = str(value)
        values[code] = value
    return tuple(values[f] for f in champs.FIELDS)


def open_json(text, distant: bool = False, chunk: int = 1 << 20):
    """(format, columns, present codes, records) of a JSON export (see the module). Raises
    ImportFailure for no record, a missing required field, an object that is neither records
    nor a search answer (its server message quoted only for a local file: `distant` is a
    download, whose text is never echoed)."""
    stream = _Stream(text, chunk)
    first = stream.peek()
    answer = None
    if first == "[":
        values = _listed(stream)
    elif first == "{":
        match = _FIRST_KEY.match(stream.buffer, stream.pos)
        while match is None and len(stream.buffer) - stream.pos < (1 << 16) and stream.more():
            match = _FIRST_KEY.match(stream.buffer, stream.pos)
        name = json.loads(match.group(1)) if match else None
        if name in _ANSWER_KEYS or name is None:
            answer = _Answer(stream)
            values = answer.hits()
        else:
            values = _lines(stream)
    else:
        raise ImportFailure("JSON inattendu : l'export attendu est une liste d'enregistrements")
    values = (_unwrapped(v) for v in values)
    try:
        head = next(values)
    except StopIteration:
        if answer is not None and not answer.found:
            detail = f" (message du serveur : {answer.message[:200]})" if answer.message and not distant else ""
            raise ImportFailure("JSON inattendu : un objet qui n'est ni une liste d'enregistrements ni une réponse "
                                "de recherche POP" + detail) from None
        raise ImportFailure("le fichier JSON ne contient aucun enregistrement") from None
    if not isinstance(head, dict):
        raise ImportFailure("JSON inattendu : l'export attendu est une liste d'enregistrements")
    columns = list(head)
    present = champs.known(columns)
    fmt = "pop_api" if answer is not None or champs.naming(columns) == "pop" else "opendata_json"
    missing = [c for c in champs.REQUIRED if c not in present]
    if missing:
        raise ImportFailure(champs.missing_message(missing, "opendata" if fmt == "opendata_json" else "pop"))

    def rows():
        for position, record in enumerate(itertools.chain([head], values), 1):
            if not isinstance(record, dict):
                yield position, None, "enregistrement_illisible", "pas un objet JSON"
            else:
                yield position, _values(record)

    return fmt, columns, set(present), rows()
