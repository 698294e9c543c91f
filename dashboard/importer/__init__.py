"""Import of real POP exports (Palissy objets, Mérimée édifices) into the database.

- sources: where the file comes from (path or URL, downloaded with a timeout), which format
  it is (read from its content), and its records, streamed.
- palissy_import: cleaning (the named rules of dashboard.palissy), staging by COPY, the
  set-based upsert, withdrawals, the report; one transaction.
- merimee_import: édifices from Mérimée, linked to objets through REFA.
- report: the JSON report and the CSV of rows not stored.
- taches: imports started from the app, run in a background process.
- cli: the `objets import` commands.

Every error a user can act on is an ImportFailure whose message is one French line.
"""


class ImportFailure(Exception):
    """The import cannot go on; nothing was written. The message is one line, in French."""
