"""`objets photos purge` (daily, beside `objets users purge`): the copies of photos that no
live row names any more are removed from the storage: a photo removed whose copies could not
be deleted at once, a crash between writing the copies and inserting the row
(dashboard/writes/questionnaire.py writes them in that order). Only copies written more than
a day ago: a photo being saved right now is left alone."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import click

from dashboard import db, settings, stockage
from dashboard.db import sql
from dashboard.stockage.base import Stockage

LOT = 1000


def purger(url: str, depot: Stockage, avant: datetime) -> dict:
    """Removes the orphaned copies written before `avant`; how many were looked at and removed."""
    vues = supprimees = 0
    lot: list[str] = []

    def traiter(cles: list[str]) -> int:
        with db.connect(url) as conn:
            vivantes = set(sql.fetch_df(conn, "questionnaire_cles_vivantes", cles=cles)["cle"])
        orphelines = [c for c in cles if c not in vivantes]
        for cle in orphelines:
            depot.supprimer(cle)
        return len(orphelines)

    for cle in depot.lister("photos/", avant=avant):
        vues += 1
        lot.append(cle)
        if len(lot) >= LOT:
            supprimees += traiter(lot)
            lot = []
    if lot:
        supprimees += traiter(lot)
    return {"vues": vues, "supprimees": supprimees}


@click.group(name="photos")
def photos_group():
    """Photos des recensements : copies dans le stockage."""


@photos_group.command()
@click.option("--heures", type=click.IntRange(1, 24 * 365), default=24, show_default=True,
              help="Ne toucher qu'aux copies écrites il y a plus de ce nombre d'heures.")
def purge(heures):
    """Supprime du stockage les copies de photos qu'aucune photo enregistrée ne nomme."""
    try:
        compte = purger(settings.database_url(), stockage.ouvrir(),
                        datetime.now(timezone.utc) - timedelta(hours=heures))
    except (db.DatabaseError, stockage.StockageIndisponible) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"copies examinées : {compte['vues']} ; supprimées (sans photo enregistrée) : {compte['supprimees']}")
