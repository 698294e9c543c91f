"""The /carte page's presentation, without Streamlit and without the database: pure functions
of the view and of frames that dashboard.reads.carte and dashboard.reads.geometrie return.

- vue.py: what a view is, read from the URL (validated, with French messages) and written
  back; the widgets' values of a view and the view of the widgets' values.
- chiffres.py: département totals and percentages from the figures by commune.
- classes.py: colour classes, thresholds and legends (in words, never colour alone).
- couche.py: what the map's layer carries (per-feature figures, tooltips) and the table.
- dessin.py: the folium map of a layer (geo.maps, given the app's settings).
- clic.py: what a click on the map asks for.
- panneau.py: a commune's side panel.
- graphiques.py: the charts of the view, as SVG (light, French by construction).
- liste.py: the rows of the view as cards, for a phone.
- exports.py: the CSV and GeoJSON downloads.
- nationale.py: what the map of every commune (France by commune) is sent at each run.
- composant/: that map's Streamlit component (index.html, carte.js; the one module here that
  imports Streamlit, to declare it).
"""
