"""The pilotage pages (/couverture, /restauration; issue 13): presentation without the
database, and the Streamlit glue they share.

- vue.py: what a view is (territory, target date), read from the URL (validated, French
  messages) and written back. Pure.
- tableaux.py: a table (French columns, shares as fractions), its French display, the
  département rows and the total row. Pure.
- couverture.py, restauration.py: the tables of each page from the reads' counts. Pure.
- classement.py: the ranking of départements and the small map's layer. Pure.
- graphiques.py: the recensements per month with the pace required (Plotly). Pure.
- exports.py: the CSV of a table, the XLSX report (formula-safe). Pure.
- definitions.py: the definitions of the figures, in words (page and report). Pure.
- ecran.py: Streamlit: the territory widgets in step with the URL, a table with its CSV.
"""
