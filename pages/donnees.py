"""Données et crédits: sources, licences, and what the demo is."""
from dashboard.app import ui

ui.markdown_asset("donnees.md")
