"""Déclaration d'accessibilité (RGAA)."""
from dashboard import ui

ui.markdown_asset("accessibilite.md")
