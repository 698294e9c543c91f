"""Déclaration d'accessibilité (RGAA)."""
from dashboard.app import ui

ui.markdown_asset("accessibilite.md")
