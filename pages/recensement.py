"""Recensement (/recensement): a commune's objets by édifice, the guide, the questionnaire of
each objet step by step, the submission of the dossier (dashboard/app/recensement/);
read-only for a conservateur (?commune=CODE)."""
from dashboard.app import ui
from dashboard.app.recensement import ecran

ecran.afficher(ui.current_user())
