"""`objets import palissy`: a POP Palissy export into table objet, in one transaction.

Reading streams the file in batches (fast_csv for a regular CSV, else the csv module or the
JSON list one record at a time) and keeps only the fields the dashboard needs;
palissy_lots cleans each batch (the rules of dashboard.domain.palissy once per distinct group of
raw values) and the rows go by COPY to temporary staging tables, lot by lot. Set-based SQL
then upserts by REF (comparing the stored columns tells unchanged rows from updated ones),
withdraws what a complete export no longer lists (only in the départements it covers),
records what changed for each objet (objet_changement: added, withdrawn, title, protection,
commune, building; in the same statements) and the run in `chargement` with its report. Any failure (bad file, database error, Ctrl-C, a killed
process) rolls everything back.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import psycopg
import psycopg.sql
import pyarrow as pa
import pyarrow.csv as pa_csv
from sqlalchemy.exc import DBAPIError

from dashboard.ops import bootstrap
from dashboard import db, settings
from dashboard.db import sql
from dashboard.importer import (ImportFailure, database_failure, fast_csv, palissy_lots, report as reports,
                               sources, telechargement)

# Above this share of withdrawn objets a complete import stops unless forced.
WITHDRAWAL_LIMIT = 0.05
# When the first chunk brings this many new objets, objet's foreign keys and secondary indexes
# are dropped and re-created around the insert (one check and one sort per key instead of row
# triggers and index insertions: at 300,000 rows, 9 s of FK triggers and 5 s of index upkeep).
# It holds an exclusive lock on objet until commit: readers wait for the end of such an import.
BULK_INSERTS = 20_000


def imports_dir() -> Path:
    """Reports, lists of rows not stored and downloads (OBJETS_DATA_DIR/imports)."""
    path = settings.data_dir() / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stage(records: sources.Records, pipeline: "_Pipeline", stager: palissy_lots.Stager,
           outcome: reports.Outcome, progress=None) -> None:
    """Read, clean and COPY every record; fills outcome (rows, excluded, rejected...)."""
    for batch in records.batches():
        staged = stager.stage(batch, outcome)
        if staged is not None:
            pipeline.add(staged)
        if progress:
            progress(outcome.rows)
    if progress:
        progress(outcome.rows, final=True)


def reference_communes(conn):
    communes = {r[0]: r[1] for r in sql.execute(conn, "import_reference_communes")}
    if not communes:
        raise ImportFailure("aucune commune en base : chargez d'abord les données de référence "
                            "(objets load reference)")
    anciennes: dict[str, str] = {}
    for code, parent in sql.execute(conn, "import_reference_anciennes"):
        anciennes.setdefault(code, parent)
    departements = {r[0] for r in sql.execute(conn, "import_reference_departements")}
    return communes, anciennes, departements


def _suspend_constraints(conn) -> list[tuple[str, str, str]]:
    """For a bulk insert: drop objet's foreign keys and secondary indexes for this transaction
    (re-adding them checks and sorts every row once, instead of 4 triggers and 5 index
    insertions per row); returns what to re-create, as the catalog describes it."""
    found = [tuple(r) for r in sql.execute(conn, "import_contraintes_secondaires", table_name="objet")]
    raw = conn.connection.driver_connection
    with raw.cursor() as cur:
        for kind, name, _definition in found:
            statement = "ALTER TABLE objet DROP CONSTRAINT {}" if kind == "cle" else "DROP INDEX {}"
            cur.execute(psycopg.sql.SQL(statement).format(psycopg.sql.Identifier(name)))
    return found


def _restore_constraints(conn, found: list[tuple[str, str, str]]) -> None:
    raw = conn.connection.driver_connection
    with raw.cursor() as cur:
        for kind, name, definition in found:
            # Definitions are the catalog's own text (pg_get_constraintdef / pg_get_indexdef), not user input.
            if kind == "cle":
                cur.execute(psycopg.sql.SQL("ALTER TABLE objet ADD CONSTRAINT {} ").format(
                    psycopg.sql.Identifier(name)) + psycopg.sql.SQL(definition))
            else:
                cur.execute(psycopg.sql.SQL(definition))


def remove_demo(conn) -> None:
    """Remove the demo's objets, édifices, campaigns, dossiers and recensements (demo
    identities stay: the app needs them until sign-in exists)."""
    for name in ("import_supprimer_demo_recensements", "import_supprimer_demo_dossiers",
                 "import_supprimer_demo_campagnes", "import_supprimer_demo_objets",
                 "import_supprimer_demo_edifices", "import_supprimer_demo_marqueur"):
        sql.execute(conn, name)


def save_rejects(raw_conn, chargement_id: int, outcome: reports.Outcome) -> None:
    with raw_conn.cursor() as cur:
        with cur.copy("COPY import_rejet (chargement_id, ligne, ref, categorie, raison, detail) FROM STDIN") as copy:
            for row in outcome.not_stored_by_line():
                copy.write_row((chargement_id, *row))


class _Pipeline:
    """Staged rows go to the server in lots: the new group rows and the lot are COPYed into
    the staging tables, then upserted by the server in a thread while Python reads and cleans
    the next lot (the two cores work at once; the connection is never used by both threads
    at a time)."""

    def __init__(self, conn, chargement_id: int, stager: palissy_lots.Stager, size: int = 50_000):
        self.conn, self.chargement_id, self.stager, self.size = conn, chargement_id, stager, size
        self.raw = conn.connection.driver_connection
        self.batches: list[pa.RecordBatch] = []
        self.pending = 0
        self.lot = 0
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None
        self.inserted = self.updated = 0
        # objet was empty when the import began: REFs are unique in the staging table, so there
        # is nothing to update and nothing to compare with (1.2 s and 0.9 s at 300,000 rows).
        self.first_import = False
        self.suspended: list[tuple[str, str]] | None = None
        identifiers = psycopg.sql.SQL(", ").join
        self.copy_stage = psycopg.sql.SQL("COPY import_palissy_stage ({}) FROM STDIN (FORMAT csv)").format(
            identifiers(psycopg.sql.Identifier(c) for c in palissy_lots.STAGE_COLUMNS))
        self.copy_groups = {
            name: psycopg.sql.SQL("COPY {} ({}) FROM STDIN").format(
                psycopg.sql.Identifier(f"import_palissy_groupe_{name}"),
                identifiers(psycopg.sql.Identifier(c) for c in ("id", *columns)))
            for name, columns in palissy_lots.GROUPS.items()}

    def add(self, staged: pa.RecordBatch) -> None:
        self.batches.append(staged)
        self.pending += staged.num_rows
        if self.pending >= self.size:
            self.flush()

    def flush(self) -> None:
        self.wait()
        if not self.batches:
            return
        self.lot += 1
        sql.execute(self.conn, "import_palissy_lot", lot=str(self.lot))
        with self.raw.cursor() as cur:
            for name, rows in self.stager.new_groups().items():
                if rows:
                    with cur.copy(self.copy_groups[name]) as copy:
                        for row in rows:
                            copy.write_row(row)
            sink = pa.BufferOutputStream()
            pa_csv.write_csv(pa.Table.from_batches(self.batches), sink,
                             pa_csv.WriteOptions(include_header=False, quoting_style="needed"))
            with cur.copy(self.copy_stage) as copy:
                copy.write(memoryview(sink.getvalue()))
        self.batches, self.pending = [], 0
        self.thread = threading.Thread(target=self._upsert, args=(self.lot,), daemon=True)
        self.thread.start()

    def _upsert(self, lot: int) -> None:
        try:
            conn = self.conn
            if lot == 1:
                # Statistics of the first lot: later lots only scale them.
                sql.execute(conn, "import_palissy_analyse")
            if self.suspended is None:
                new = sql.fetch_scalar(conn, "import_palissy_nouveaux", lot=lot)
                self.suspended = _suspend_constraints(conn) if new >= min(BULK_INSERTS, self.size // 2) else []
            params = {"lot": lot, "chargement_id": self.chargement_id}
            if not self.first_import:
                self.updated += sql.fetch_one(conn, "import_palissy_update", **params)["modifies"]
            # The first import into an empty table records no change: every objet would be one.
            self.inserted += sql.fetch_one(conn, "import_palissy_insert", tout_nouveau=self.first_import,
                                           changements=not self.first_import, **params)["nouveaux"]
        except BaseException as exc:  # handed to the main thread by wait()
            self.error = exc

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def close(self) -> None:
        self.flush()
        self.wait()
        if self.suspended:
            _restore_constraints(self.conn, self.suspended)

    def abandon(self) -> None:
        """After a failure: let a running upsert end before the transaction rolls back."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None


class Progress:
    """rows -> a status line: rows/s, and the share of the file read when its size is known."""

    def __init__(self, position, total: int, echo=None, status=None):
        self.position, self.total, self.echo, self.status = position, total, echo, status
        self.started = time.perf_counter()
        self.last = 0.0

    def __call__(self, rows: int, final: bool = False) -> None:
        now = time.perf_counter()
        if now - self.last < 0.5 and not final:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        try:
            # At the end the reader may have closed the file already: all of it was read.
            done = self.total if final else self.position()
        except (ValueError, OSError):
            done = 0
        share = min(done / self.total, 1.0) if self.total else None
        if self.status:
            self.status({"lignes": rows, "lignes_par_seconde": round(rows / elapsed), "part": share})
        if self.echo:
            bar = ""
            if share is not None:
                filled = int(share * 30)
                bar = f"[{'#' * filled}{'.' * (30 - filled)}] {share * 100:5.1f} % "
            self.echo(f"\r{bar}{rows:,} lignes, {rows / elapsed:,.0f} lignes/s".replace(",", " "), nl=False)


def import_palissy(url: str, source: str, *, report_path: Path | None = None, complet: bool = False,
                   force: bool = False, remplacer_demo: bool = False, timeout: float = 60.0,
                   user_id: int | None = None, echo=None, progress_echo=None, status=None) -> dict:
    """Import a Palissy export (path or URL) into the database at `url`; returns the report.

    echo(msg): messages; progress_echo(msg, nl=False): the progress line (a terminal);
    status(dict): progress for a background task. Raises ImportFailure (one line) or
    db.DatabaseError; then nothing was written.
    """
    say = echo or (lambda *_a, **_k: None)
    started = time.perf_counter()
    debut = datetime.now(timezone.utc)
    src = telechargement.fetch(source, timeout=timeout, directory=imports_dir())
    try:
        records, handle = sources.open_records(src.path, fast=True, distant=src.temporary)
        say(f"format reconnu : {sources.FORMAT_LABELS[records.format]}")
        options = dict(report_path=report_path, complet=complet, force=force, remplacer_demo=remplacer_demo,
                       user_id=user_id, say=say, started=started, debut=debut)
        try:
            result, outcome = _run(url, src, records, **options,
                                   progress=Progress(records.position, src.size, progress_echo, status))
        except fast_csv.Irregular as why:
            # Rolled back: read again with the exact reader, whose verdicts (line numbers,
            # unreadable records, truncation, encoding) are the reference.
            handle.close()
            say(f"lecture rapide interrompue ({why}) : reprise avec la lecture exacte")
            records, handle = sources.open_records(src.path, distant=src.temporary)
            result, outcome = _run(url, src, records, **options,
                                   progress=Progress(records.position, src.size, progress_echo, status))
        finally:
            handle.close()
    finally:
        src.close()
    reports.write(result, outcome, Path(result["rapport"]))
    return result


def _run(url, src, records, *, report_path, complet, force, remplacer_demo, user_id, say, progress, started,
         debut):
    outcome = reports.Outcome()
    try:
        with db.engine_for(url).begin() as conn:
            bootstrap.start_load(conn)
            # objet grows during the transaction while its statistics say it is empty (a fresh
            # database): a nested loop over it turned a 1 s insert into 136 s.
            sql.execute(conn, "chargement_sans_boucle_imbriquee")
            if user_id is not None:
                sql.execute(conn, "en_tant_que", user_id=str(user_id))
            stager = palissy_lots.Stager(*reference_communes(conn))
            if sql.fetch_scalar(conn, "import_demo_presente"):
                if not remplacer_demo:
                    raise ImportFailure("la base contient la démo : relancez avec --remplacer-demo pour la "
                                        "supprimer et importer les données réelles")
                say("suppression de la démo…")
                remove_demo(conn)
            chargement_id = sql.fetch_scalar(conn, "import_nouveau_chargement", nature="palissy",
                                             source=src.label, user_id=user_id)
            sql.execute(conn, "import_palissy_staging")
            sql.execute(conn, "import_palissy_prepare")
            raw_conn = conn.connection.driver_connection
            pipeline = _Pipeline(conn, chargement_id, stager)
            pipeline.first_import = not sql.fetch_scalar(conn, "import_objet_existe")
            try:
                _stage(records, pipeline, stager, outcome, progress)
                lu = time.perf_counter() - started
                pipeline.close()
            except BaseException:
                pipeline.abandon()
                raise
            if progress.echo:
                progress.echo("", nl=True)
            upsert = time.perf_counter() - started - lu
            if outcome.rows == 0:
                raise ImportFailure("le fichier ne contient aucun enregistrement")
            outcome.inserted, outcome.updated = pipeline.inserted, pipeline.updated
            staged = outcome.rows - sum(outcome.excluded.values()) - sum(outcome.rejected.values())
            outcome.unchanged = staged - outcome.inserted - outcome.updated
            sql.execute(conn, "import_palissy_prepare_fin")  # the staging table drops at commit
            departements = [r[0] for r in sql.execute(conn, "import_palissy_departements")]
            if complet:
                planned = sql.fetch_one(conn, "import_palissy_retraits_prevus")
                share = planned["retires"] / planned["actifs"] if planned["actifs"] else 0.0
                if share > WITHDRAWAL_LIMIT and not force:
                    pct = f"{share * 100:.1f}".replace(".", ",")
                    raise ImportFailure(
                        f"{planned['retires']} objets sur {planned['actifs']} ({pct} %) seraient retirés de Palissy "
                        f"(plus de {WITHDRAWAL_LIMIT * 100:.0f} %) : vérifiez que l'export est complet, "
                        "ou relancez avec --force")
            if complet:
                outcome.withdrawn = sql.fetch_one(conn, "import_palissy_retirer",
                                                  chargement_id=chargement_id)["retires"]
            changements = dict(sql.execute(conn, "import_palissy_changements", chargement_id=chargement_id).all())
            save_rejects(raw_conn, chargement_id, outcome)
            if not outcome.balanced():
                raise RuntimeError(f"rapport incohérent : {outcome.as_dict()}")
            if report_path is None:
                report_path, _ = reports.default_paths(imports_dir(), "palissy", chargement_id)
            report_path = Path(report_path).resolve()
            result = {
                "chargement_id": chargement_id, "nature": "palissy", "source": src.label,
                "format": records.format, "separateur": records.separator, "complet": complet,
                "debut": debut.isoformat(timespec="seconds"),
                "secondes": {"lecture": round(lu, 2), "fin_ecriture": round(upsert, 2),
                             "total": round(time.perf_counter() - started, 2)},
                **outcome.as_dict(),
                "departements": departements,
                # Per kind, what this import changed for the objets it read (objet_changement);
                # none recorded for the first import into an empty table.
                "changements": changements, "changements_enregistres": not pipeline.first_import,
                "rapport": str(report_path), "rejets_csv": str(reports.rejects_path_for(report_path)),
            }
            reports.record(conn, result, user_id=user_id, table_name="objet", action="import palissy")
    except (DBAPIError, psycopg.Error) as exc:
        raise database_failure(exc) from None
    return result, outcome
