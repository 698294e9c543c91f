"""`objets import palissy`: a POP Palissy export into table objet, in one transaction.

Reading streams the file (csv module over a text stream, or the JSON list one record at a
time) and keeps only the fields the dashboard needs; each record is cleaned by the named
rules of dashboard.palissy (once per distinct raw value: vocabularies are small) and sent
by COPY to a temporary staging table. Set-based SQL then upserts by REF (a content hash
tells unchanged rows from updated ones), withdraws what a complete export no longer lists
(only in the départements it covers), and records the run in `chargement` with its report.
Any failure (bad file, database error, Ctrl-C, a killed process) rolls everything back.

Every record is accounted for (report.Outcome): stored (in scope or with its reason not to
be), excluded (not a PM notice) or rejected (unreadable, no or malformed REF, a REF seen
earlier in the file: the first one is kept and the later ones cite its line).
"""
from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import psycopg
import psycopg.sql
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dashboard import bootstrap, db, palissy, settings, sql
from dashboard.importer import ImportFailure, report as reports, sources

# Above this share of withdrawn objets a complete import stops unless forced.
WITHDRAWAL_LIMIT = 0.05
# When the first chunk brings this many new objets, objet's foreign keys and secondary indexes
# are dropped and re-created around the insert (one check and one sort per key instead of row
# triggers and index insertions: at 300,000 rows, 9 s of FK triggers and 5 s of index upkeep).
# It holds an exclusive lock on objet until commit: readers wait for the end of such an import.
BULK_INSERTS = 20_000

# Staging columns in the order _stage writes them: per-row values, then the cached groups.
STAGE_COLUMNS = (
    "line", "ref", "titre", "anomalies",
    "insee_brut", "web", "deplacement", "dpt", "commune_code", "departement_code", "commune_resolution",
    "protection_brute", "dpro", "protection", "protection_date",
    "dossier_type", "manquant", "statut_proprietaire", "proprietaire", "hors_perimetre_raison",
    "denomination", "categorie", "siecle", "deno_brut", "cate_brut", "scle_brut",
    "edifice_nom", "ref_merimee", "edif", "refa", "mosa",
    "com", "reg", "emplacement", "denq", "etat_pop",
)


def imports_dir() -> Path:
    """Reports, lists of rows not stored and downloads (OBJETS_DATA_DIR/imports)."""
    path = settings.data_dir() / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pg_array(values) -> str:
    quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


class _Cleaner:
    """The cleaning rules of dashboard.palissy, applied to groups of related raw fields and
    memoised per distinct group (vocabularies are small; a row costs a few dict lookups).
    Each method returns the staging values of its group, in STAGE_COLUMNS order."""

    def __init__(self, communes: dict[str, str], anciennes: dict[str, str], departements: set[str]):
        self.communes, self.anciennes, self.departements = communes, anciennes, departements
        self.cache: dict[str, dict] = {k: {} for k in ("commune", "protection", "scope", "multi", "merimee",
                                                        "mosa", "anomalies")}

    def commune(self, insee, web, depl, dpt):
        """(INSEE, WEB, DEPL, DPT) -> their cleaned values, current commune, département, method;
        then the anomalies."""
        raw = palissy.clean_text
        insee, web, depl, dpt = raw(insee), raw(web), raw(depl), raw(dpt)
        if not web and insee in self.communes:
            # The common case, as resolve_commune would find it, without its parsing.
            code, departement, methode, flags = insee, self.communes[insee], "insee", []
        else:
            found = palissy.resolve_commune(insee, web, depl, self.communes, self.anciennes)
            code, departement, methode, flags = found.code, found.departement, found.methode, list(found.anomalies)
        if departement is None:
            departement = palissy.departement_fallback(insee, dpt, self.departements)
        else:
            published = palissy.departement_code(dpt)
            if published and published != departement:
                flags.append("departement_different")
        return (insee, web, depl, dpt, code, departement, methode), tuple(flags)

    @staticmethod
    def protection(prot, dpro):
        prot, dpro = palissy.clean_text(prot), palissy.clean_text(dpro)
        kind, when = palissy.protection_from(prot, dpro)
        return prot, dpro, kind, (when.isoformat() if when else None)

    @staticmethod
    def scope(insee_present, doss, manquant, stat, non_protege, traitement):
        raw = palissy.clean_text
        doss, manquant, stat = raw(doss), raw(manquant), raw(stat)
        reason = palissy.raison_hors_perimetre("present" if insee_present else None, doss, manquant,
                                               "Traitement en cours" if traitement else "", stat, non_protege)
        return doss, manquant, stat, palissy.proprietaire_from(stat), reason

    @staticmethod
    def multi(deno, cate, scle):
        raw, split = palissy.clean_text, palissy.split_multi
        return (_pg_array(split(deno)), _pg_array(split(cate)), _pg_array(split(scle)),
                raw(deno), raw(cate), raw(scle))

    @staticmethod
    def merimee(refa):
        return palissy.clean_text(refa), palissy.ref_merimee_from(refa)


def _stage(records, copy, cleaner: _Cleaner, outcome: reports.Outcome, progress=None, every: int = 20_000) -> None:
    """Read, clean and COPY every record; fills outcome (rows, excluded, rejected...).

    The hot loop of the import: one pass, a handful of dict lookups per row."""
    seen: dict[str, int] = {}
    write = copy.write_row
    c_commune, c_protection, c_scope, c_multi, c_merimee, c_mosa, c_anomalies = (
        cleaner.cache[k] for k in ("commune", "protection", "scope", "multi", "merimee", "mosa", "anomalies"))
    hors, flag_counts = outcome.hors_perimetre, outcome.anomalies
    ref_pattern = palissy._REF.match
    non_protege = palissy.NON_PROTEGE
    normalise = palissy.normalise
    rows = 0
    for item in records:
        rows += 1
        if rows % every == 0 and progress:
            progress(rows)
        line, values = item[0], item[1]
        if values is None:
            outcome.reject(line, None, item[2], item[3])
            continue
        (ref, tico, deno, cate, scle, com, insee, web, dpt, reg, edif, empl, refa, prot, dpro, stat, manquant,
         doss, depl, mosa, denq, etat) = values
        if not (ref.__class__ is str and ref_pattern(ref)):
            ref, why = palissy.ref_from(ref)
            if ref is None:
                outcome.reject(line, palissy.clean_text(values[0]), why)
                continue
        if ref[:2] != "PM":
            outcome.exclude(line, ref, "notice_non_pm", ref[:2])
            continue
        kept = seen.get(ref)
        if kept is not None:
            outcome.reject(line, ref, "ref_en_double", f"doublon de la ligne {kept}")
            continue
        seen[ref] = line

        key = (insee, web, depl, dpt)
        try:
            a, flags = c_commune[key]
        except KeyError:
            a, flags = c_commune[key] = cleaner.commune(*key)
        key = (prot, dpro)
        try:
            b = c_protection[key]
        except KeyError:
            b = c_protection[key] = cleaner.protection(*key)
        titre = " ".join(tico.split()) or None
        traitement = titre is not None and titre[:10].lower() == "traitement" and \
            normalise(titre) == "traitement en cours"
        key = (a[0] is not None, doss, manquant, stat, b[2] == non_protege, traitement)
        try:
            c = c_scope[key]
        except KeyError:
            c = c_scope[key] = cleaner.scope(*key)
        if c[4]:
            hors[c[4]] += 1
        key = (deno, cate, scle)
        try:
            d = c_multi[key]
        except KeyError:
            d = c_multi[key] = cleaner.multi(*key)
        # Free-text fields: whitespace rule inline (values are str, see sources).
        edif = " ".join(edif.split()) or None
        try:
            refa_clean, ref_merimee = c_merimee[refa]
        except KeyError:
            refa_clean, ref_merimee = c_merimee[refa] = cleaner.merimee(refa)
        edifice_nom = edif
        mosa_clean = None
        if mosa:
            try:
                mosa_clean, mosa_nom, mosa_ref = c_mosa[mosa]
            except KeyError:
                mosa_clean, mosa_nom, mosa_ref = c_mosa[mosa] = (palissy.clean_text(mosa), *palissy.mosa_from(mosa))
            if a[6] == "deplacement":
                edifice_nom, ref_merimee = mosa_nom, mosa_ref
        key = (flags, b[2] is None)
        try:
            anomalies = c_anomalies[key]
        except KeyError:
            all_flags = flags + (("protection_inconnue",) if b[2] is None else ())
            anomalies = c_anomalies[key] = (_pg_array(all_flags), all_flags)
        if anomalies[1]:
            for flag in anomalies[1]:
                flag_counts[flag] += 1
        write((line, ref, titre, anomalies[0]) + a + b + c + d + (
            edifice_nom, ref_merimee, edif, refa_clean, mosa_clean, " ".join(com.split()) or None,
            " ".join(reg.split()) or None, " ".join(empl.split()) or None, " ".join(denq.split()) or None,
            " ".join(etat.split()) or None))
    outcome.rows = rows
    if progress:
        progress(rows)


def _reference(conn):
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


def _save_rejects(raw_conn, chargement_id: int, outcome: reports.Outcome) -> None:
    with raw_conn.cursor() as cur:
        with cur.copy("COPY import_rejet (chargement_id, ligne, ref, categorie, raison, detail) FROM STDIN") as copy:
            for row in outcome.not_stored:
                copy.write_row((chargement_id, *row))


class _Pipeline:
    """Rows go to the server in chunks ("lots"): a chunk is COPYed into the staging table, then
    upserted by the server in a thread while Python reads and cleans the next one (the two
    cores work at once; the connection is never used by both threads at a time)."""

    def __init__(self, conn, chargement_id: int, size: int = 50_000):
        self.conn, self.chargement_id, self.size = conn, chargement_id, size
        self.raw = conn.connection.driver_connection
        self.rows: list[tuple] = []
        self.lot = 0
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None
        self.inserted = self.updated = 0
        # objet was empty when the import began: REFs are unique in the staging table, so there
        # is nothing to update (the statement joins every staged row with objet: 1.2 s at 300,000).
        self.first_import = False
        self.suspended: list[tuple[str, str]] | None = None
        self.copy_sql = psycopg.sql.SQL("COPY import_palissy_stage ({}) FROM STDIN").format(
            psycopg.sql.SQL(", ").join(psycopg.sql.Identifier(c) for c in STAGE_COLUMNS))

    def write_row(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.size:
            self.flush()

    def flush(self) -> None:
        self.wait()
        if not self.rows:
            return
        self.lot += 1
        sql.execute(self.conn, "import_palissy_lot", lot=str(self.lot))
        with self.raw.cursor() as cur:
            with cur.copy(self.copy_sql) as copy:
                for row in self.rows:
                    copy.write_row(row)
        self.rows = []
        self.thread = threading.Thread(target=self._upsert, args=(self.lot,), daemon=True)
        self.thread.start()

    def _upsert(self, lot: int) -> None:
        try:
            conn = self.conn
            sql.execute(conn, "import_palissy_analyse")
            if self.suspended is None:
                new = sql.fetch_scalar(conn, "import_palissy_nouveaux", lot=lot)
                self.suspended = _suspend_constraints(conn) if new >= min(BULK_INSERTS, self.size // 2) else []
            params = {"lot": lot, "chargement_id": self.chargement_id}
            if not self.first_import:
                self.updated += sql.execute(conn, "import_palissy_update", **params).rowcount
            self.inserted += sql.execute(conn, "import_palissy_insert", **params).rowcount
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

    def __call__(self, rows: int) -> None:
        now = time.perf_counter()
        if now - self.last < 0.5:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        try:
            done = self.position()
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
    src = sources.fetch(source, timeout=timeout, directory=imports_dir())
    try:
        records, handle = sources.open_records(src.path)
        try:
            say(f"format reconnu : {sources.FORMAT_LABELS[records.format]}")
            result, outcome = _run(url, src, records, report_path=report_path, complet=complet, force=force,
                                   remplacer_demo=remplacer_demo, user_id=user_id, say=say,
                                   progress=Progress(records.position, src.size, progress_echo, status),
                                   started=started, debut=debut)
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
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": bootstrap._LOAD_LOCK})
            conn.execute(text("SET LOCAL objets.bulk = 'on'"))
            # objet grows during the transaction while its statistics say it is empty (a fresh
            # database): a nested loop over it turned a 1 s insert into 136 s. Set-based
            # statements here are all hash joins.
            conn.execute(text("SET LOCAL enable_nestloop = off"))
            if user_id is not None:
                conn.execute(text("SELECT set_config('objets.user_id', :u, true)"), {"u": str(user_id)})
            cleaner = _Cleaner(*_reference(conn))
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
            pipeline = _Pipeline(conn, chargement_id)
            pipeline.first_import = not sql.fetch_scalar(conn, "import_objet_existe")
            try:
                _stage(records, pipeline, cleaner, outcome, progress)
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
                outcome.withdrawn = sql.execute(conn, "import_palissy_retirer").rowcount
            _save_rejects(raw_conn, chargement_id, outcome)
            if not outcome.balanced():
                raise RuntimeError(f"rapport incohérent : {outcome.as_dict()}")
            if report_path is None:
                report_path, _ = reports.default_paths(imports_dir(), "palissy", chargement_id)
            report_path = Path(report_path).resolve()
            result = {
                "chargement_id": chargement_id, "nature": "palissy", "source": src.label,
                "format": records.format, "complet": complet,
                "debut": debut.isoformat(timespec="seconds"),
                "secondes": {"lecture": round(lu, 2), "fin_ecriture": round(upsert, 2),
                             "total": round(time.perf_counter() - started, 2)},
                **outcome.as_dict(),
                "departements": departements,
                "rapport": str(report_path), "rejets_csv": str(reports.rejects_path_for(report_path)),
            }
            detail = json.dumps(result, ensure_ascii=False)
            sql.execute(conn, "import_fin_chargement", rapport=detail, id=chargement_id)
            sql.execute(conn, "import_audit_resume", user_id=user_id, table_name="objet", action="import palissy",
                        rapport=detail)
    except (DBAPIError, psycopg.Error) as exc:
        orig = getattr(exc, "orig", exc)
        first = str(orig).strip().splitlines()
        raise db.DatabaseError(f"erreur de la base pendant l'import, rien n'a été enregistré : "
                               f"{first[0] if first else type(orig).__name__}") from None
    return result, outcome
