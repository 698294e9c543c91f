"""Import of real POP exports (Palissy objets, Mérimée édifices) into the database.

- sources: where the file comes from (path or URL, downloaded with a timeout), which format
  it is (read from its content), and its records, streamed; fast_csv reads regular CSVs.
- palissy_lots: cleaning (the named rules of dashboard.domain.palissy) batch by batch.
- palissy_import: staging by COPY, the set-based upsert, withdrawals, the report; one
  transaction.
- merimee_import: édifices from Mérimée, linked to objets through REFA.
- report: the JSON report and the CSV of rows not stored.
- taches: imports started from the app, run in a background process.
- cli: the `objets import` commands.

Every error a user can act on is an ImportFailure whose message is one French line.
"""


class ImportFailure(Exception):
    """The import cannot go on; nothing was written. The message is one line, in French."""


def database_failure(exc: BaseException) -> Exception:
    """A database error during an import, as the one-line message a user reads (nothing was
    written: the import's transaction rolled back)."""
    from dashboard import db

    orig = getattr(exc, "orig", exc)
    first = str(orig).strip().splitlines()
    return db.DatabaseError("erreur de la base pendant l'import, rien n'a été enregistré : "
                            f"{first[0] if first else type(orig).__name__}")
