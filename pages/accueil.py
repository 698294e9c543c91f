"""Accueil: for each role, what its job needs first (dashboard/app/accueil.py): the dossiers
and urgent cases of a conservateur, the coverage a DRAC manager follows, the communes a
deployment officer contacts, a commune's own objets; each figure leads to its list."""
from dashboard.app import accueil, ui

accueil.afficher(ui.current_user())
