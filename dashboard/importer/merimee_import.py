"""`objets import merimee`: édifices protégés (Mérimée, REF PA...) into table edifice, and
objets linked to them through their REFA (objet.ref_merimee). One transaction.

Reads the 2022 extract format (`|`-separated, optionally zipped: REF|ETUD|REG|DPT|COM|INSEE|
TICO|ADRS|STAT|AFFE|PPRO|DPRO|AUTR|SCLE) and `;`-separated exports with the same codes.
Communes resolve as for Palissy (several codes: the first, flagged; arrondissements; former
codes). Rows are accounted for as in the Palissy report.
"""
from __future__ import annotations

import csv
import io
import json
import re
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import psycopg
from sqlalchemy.exc import DBAPIError

from dashboard.ops import bootstrap
from dashboard import db
from dashboard.domain import palissy
from dashboard.db import sql
from dashboard.importer import (ImportFailure, database_failure, palissy_import, palissy_lots, report as reports,
                               telechargement)

REQUIRED = ("REF", "TICO", "INSEE")
KEPT = ("REF", "COM", "INSEE", "DPT", "ADRS", "STAT", "DPRO", "SCLE")
_MH = re.compile(r"^PA[0-9][0-9AB][0-9]{6}$")          # monuments historiques
_OTHER = re.compile(r"^[A-Z]{2}[0-9][0-9AB][0-9]{6}$")   # IA (Inventaire)... : not protected buildings


def _text_stream(path: Path):
    """The file, or the only CSV of a zip, as UTF-8 text (BOM tolerated)."""
    if zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        members = [m for m in archive.namelist() if not m.endswith("/")]
        if len(members) != 1:
            raise ImportFailure(f"l'archive doit contenir un seul fichier (elle en a {len(members)})")
        return io.TextIOWrapper(archive.open(members[0]), encoding="utf-8-sig", newline="")
    return io.TextIOWrapper(open(path, "rb"), encoding="utf-8-sig", newline="")


def _records(stream):
    try:
        header = stream.readline()
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
    reader = csv.reader(stream, delimiter=separator, quoting=quoting, strict=True)
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
        stream = _text_stream(src.path)
        try:
            result = _run(url, src, stream, outcome, report_path, started, debut, say)
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
