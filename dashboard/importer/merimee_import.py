"""`objets import merimee`: édifices protégés (Mérimée, REF PA...) into table edifice, and
objets linked to them through their REFA (objet.ref_merimee). One transaction.

Reads the 2022 extract format (`|`-separated, optionally zipped: REF|ETUD|REG|DPT|COM|INSEE|
TICO|ADRS|STAT|AFFE|PPRO|DPRO|AUTR|SCLE) and `;`-separated exports with the same codes.
Communes resolve as for Palissy (several codes: the first, flagged; arrondissements; former
codes). Rows are accounted for as in the Palissy report.

A zip is read with a cap on what it unzips to (settings.import_max_decompresse: a small
archive can unzip to terabytes) and every file with a cap on a line's length
(settings.import_max_ligne): neither is ever held whole.
"""
from __future__ import annotations

import csv
import io
import json
import re
import time
import zipfile
import zlib
from datetime import datetime, timezone
from pathlib import Path

import psycopg
from sqlalchemy.exc import DBAPIError

from dashboard.ops import bootstrap
from dashboard import db, settings
from dashboard.domain import palissy
from dashboard.db import sql
from dashboard.importer import (ImportFailure, database_failure, palissy_import, palissy_lots, report as reports,
                               telechargement)

REQUIRED = ("REF", "TICO", "INSEE")
KEPT = ("REF", "COM", "INSEE", "DPT", "ADRS", "STAT", "DPRO", "SCLE")
_MH = re.compile(r"^PA[0-9][0-9AB][0-9]{6}$")          # monuments historiques
_OTHER = re.compile(r"^[A-Z]{2}[0-9][0-9AB][0-9]{6}$")   # IA (Inventaire)... : not protected buildings


class _Capped(io.RawIOBase):
    """A zip member that refuses to unzip to more than `cap` bytes (the size the archive
    declares is checked first, but it can lie)."""

    def __init__(self, member, cap: int):
        self.member, self.cap, self.read_so_far = member, cap, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.member.read(len(buffer))
        self.read_so_far += len(data)
        if self.read_so_far > self.cap:
            raise ImportFailure(_too_big(self.cap))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self.member.close()
        super().close()


def _too_big(cap: int) -> str:
    most = f"{cap:,}".replace(",", " ")
    return f"l'archive se décompresse en plus de {most} octets (réglage OBJETS_IMPORT_MAX_DECOMPRESSE) : refusée"


def _text_stream(path: Path):
    """The file, or the only CSV of a zip, as UTF-8 text (BOM tolerated)."""
    if zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) != 1:
            raise ImportFailure(f"l'archive doit contenir un seul fichier (elle en a {len(members)})")
        cap = settings.import_max_decompresse()
        if members[0].file_size > cap:
            raise ImportFailure(_too_big(cap))
        raw = io.BufferedReader(_Capped(archive.open(members[0]), cap))
        return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    return io.TextIOWrapper(open(path, "rb"), encoding="utf-8-sig", newline="")


def _lines(stream, longest: int):
    """The lines of the text, none longer than `longest` characters (never read whole)."""
    number = 0
    while True:
        line = stream.readline(longest + 1)
        if not line:
            return
        number += 1
        if len(line) > longest and not line.endswith("\n"):
            most = f"{longest:,}".replace(",", " ")
            raise ImportFailure(f"ligne {number} trop longue (plus de {most} caractères, réglage "
                                "OBJETS_IMPORT_MAX_LIGNE) : fichier refusé")
        yield line


def _records(stream):
    lines = _lines(stream, settings.import_max_ligne())
    try:
        header = next(lines, "")
    except UnicodeDecodeError:
        raise ImportFailure("le fichier n'est pas encodé en UTF-8 : réenregistrez-le en UTF-8") from None
    if not header.strip():
        raise ImportFailure("le fichier est vide")
    if header.lstrip().startswith("<"):
        raise ImportFailure("le fichier est une page HTML (page d'erreur ?) et non un export")
    separator = "|" if header.count("|") >= header.count(";") and "|" in header else ";"
    columns = [c.strip().strip('"').upper() for c in header.rstrip("\r\n").split(separator)]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ImportFailure("colonnes obligatoires absentes : " + ", ".join(missing))
    index = {c: i for i, c in enumerate(columns)}
    # The `|` extract never quotes (values hold quotes: Menhir dit "la Pierre-au-Coq").
    quoting = csv.QUOTE_NONE if separator == "|" else csv.QUOTE_MINIMAL
    reader = csv.reader(lines, delimiter=separator, quoting=quoting, strict=True)
    previous = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise ImportFailure(f"le fichier n'est pas encodé en UTF-8 (vers la ligne {reader.line_num + 1})") from None
        except csv.Error as exc:
            if "end of data" in str(exc):
                raise ImportFailure(f"fichier tronqué après la ligne {previous + 1}") from None
            start, previous = previous + 2, reader.line_num
            yield start, None, "ligne_illisible"
            continue
        start, previous = previous + 2, reader.line_num
        if not row:
            continue
        if len(row) != len(columns):
            yield start, None, "nombre_de_champs"
            continue
        yield start, {c: row[i] for c, i in index.items()}, None


def import_merimee(url: str, source: str, *, report_path: Path | None = None, timeout: float = 60.0,
                   echo=None) -> dict:
    say = echo or (lambda *_: None)
    started = time.perf_counter()
    debut = datetime.now(timezone.utc)
    src = telechargement.fetch(source, timeout=timeout, directory=palissy_import.imports_dir())
    outcome = reports.Outcome()
    try:
        try:
            stream = _text_stream(src.path)
        except zipfile.BadZipFile:
            raise ImportFailure("archive zip illisible") from None
        try:
            result = _run(url, src, stream, outcome, report_path, started, debut, say)
        except (zipfile.BadZipFile, zlib.error, EOFError):
            raise ImportFailure("archive zip corrompue (contenu illisible ou incomplet) : rien n'a été "
                                "enregistré") from None
        finally:
            stream.close()
    finally:
        src.close()
    reports.write(result, outcome, Path(result["rapport"]))
    return result


def _run(url, src, stream, outcome, report_path, started, debut, say):
    try:
        with db.engine_for(url).begin() as conn:
            bootstrap.start_load(conn)
            communes, anciennes, _departements = palissy_import.reference_communes(conn)
            chargement_id = sql.fetch_scalar(conn, "import_nouveau_chargement", nature="merimee",
                                             source=src.label, user_id=None)
            sql.execute(conn, "import_merimee_staging")
            seen: dict[str, int] = {}
            raw = conn.connection.driver_connection
            with raw.cursor() as cur:
                with cur.copy("COPY import_merimee_stage (line, ref_merimee, nom, commune_code, anomalies, merimee) "
                              "FROM STDIN") as copy:
                    for line, values, reason in _records(stream):
                        outcome.rows += 1
                        if values is None:
                            outcome.reject(line, None, reason)
                            continue
                        ref = (palissy.clean_text(values["REF"]) or "").upper()
                        if not ref:
                            outcome.reject(line, None, "ref_manquante")
                            continue
                        if not _MH.match(ref):
                            if _OTHER.match(ref):
                                outcome.exclude(line, ref, "notice_non_mh", ref[:2])
                            else:
                                outcome.reject(line, ref, "ref_invalide")
                            continue
                        if ref in seen:
                            outcome.reject(line, ref, "ref_en_double", f"doublon de la ligne {seen[ref]}")
                            continue
                        seen[ref] = line
                        found = palissy.resolve_commune(values["INSEE"], None, None, communes, anciennes)
                        for flag in found.anomalies:
                            outcome.anomalies[flag] += 1
                        kept = {k: palissy.clean_text(values.get(k)) for k in KEPT if palissy.clean_text(values.get(k))}
                        copy.write_row((line, ref, palissy.clean_text(values["TICO"]), found.code,
                                        palissy_lots.pg_array(found.anomalies),
                                        json.dumps(kept, ensure_ascii=False)))
            if outcome.rows == 0:
                raise ImportFailure("le fichier ne contient aucun enregistrement")
            counts = sql.fetch_one(conn, "import_merimee_upsert", chargement_id=chargement_id)
            outcome.inserted, outcome.updated = counts["inserted"], counts["updated"]
            stored = outcome.rows - sum(outcome.excluded.values()) - sum(outcome.rejected.values())
            outcome.unchanged = stored - outcome.inserted - outcome.updated
            linked = sql.execute(conn, "import_merimee_rattacher").rowcount
            palissy_import.save_rejects(raw, chargement_id, outcome)
            if not outcome.balanced():
                raise RuntimeError(f"rapport incohérent : {outcome.as_dict()}")
            if report_path is None:
                report_path, _ = reports.default_paths(palissy_import.imports_dir(), "merimee", chargement_id)
            report_path = Path(report_path).resolve()
            result = {
                "chargement_id": chargement_id, "nature": "merimee", "source": src.label,
                "debut": debut.isoformat(timespec="seconds"),
                "secondes": {"total": round(time.perf_counter() - started, 2)},
                **outcome.as_dict(), "objets_rattaches": linked,
                "rapport": str(report_path), "rejets_csv": str(reports.rejects_path_for(report_path)),
            }
            reports.record(conn, result, user_id=None, table_name="edifice", action="import merimee")
    except (DBAPIError, psycopg.Error) as exc:
        raise database_failure(exc) from None
    say(f"{outcome.rows} lignes lues")
    return result
