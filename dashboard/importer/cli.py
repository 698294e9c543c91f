"""`objets import palissy|merimee SOURCE`: real POP exports into the database; `objets sync`:
the official export downloaded and imported as a complete export, for a timer.

Registered in dashboard/cli.py as `main.add_command(import_group, name="import")` and
`main.add_command(sync_command, name="sync")`. Errors
a user can act on (bad file, URL down, database) print one line and exit 1; the database
is then unchanged. Also runnable alone: `python -m dashboard.importer.cli palissy FILE`.
"""
from __future__ import annotations

import json
import sys
from functools import wraps
from pathlib import Path

import click

from dashboard import db, settings


class _Failure(click.ClickException):
    def show(self, file=None):
        click.echo(f"erreur : {self.message}", err=True)


def _friendly(func):
    @wraps(func)
    def wrapper(*args, **kwargs):
        from dashboard.importer import ImportFailure
        from dashboard.ops.localdb import LocalDBError

        try:
            return func(*args, **kwargs)
        except (ImportFailure, db.DatabaseError, LocalDBError) as exc:
            raise _Failure(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
        except KeyboardInterrupt:
            click.echo("\ninterrompu : rien n'a été enregistré", err=True)
            sys.exit(130)

    return wrapper


def _database() -> str:
    from dashboard.ops import bootstrap

    url = bootstrap.prepare_server(echo=lambda *_: None) if settings.uses_local_cluster() else settings.database_url()
    db.check(url)
    return url


def _progress_echo():
    if not sys.stderr.isatty():
        return None
    return lambda message, nl=False: click.echo(message, nl=nl, err=True)


def _summary(result: dict) -> None:
    imported = result["imported"]
    click.echo(f"{result['rows']} enregistrements lus : {imported['total']} importés "
               f"({imported['inserted']} nouveaux, {imported['updated']} modifiés, {imported['unchanged']} inchangés"
               + (f", {imported['withdrawn']} retirés de Palissy" if result.get("complet") else "") + "), "
               f"{sum(result['excluded'].values())} exclus, {sum(result['rejected'].values())} rejetés")
    for key, label in (("hors_perimetre", "hors périmètre"), ("excluded", "exclus"), ("rejected", "rejetés")):
        if result[key]:
            click.echo(f"  {label} : " + ", ".join(f"{k} {v}" for k, v in result[key].items()))
    seconds = result["secondes"]["total"]
    click.echo(f"  durée {seconds:.1f} s ({result['rows'] / max(seconds, 1e-6):,.0f} lignes/s)".replace(",", " "))
    if result.get("changements_enregistres"):
        changes = result.get("changements") or {}
        click.echo("  changements : " + (", ".join(f"{k} {v}" for k, v in changes.items()) or "aucun"))
    else:
        click.echo("  changements : premier import, aucun n'est enregistré")
    click.echo(f"rapport : {result['rapport']}")
    click.echo(f"lignes non importées : {result['rejets_csv']}")


@click.group(name="import")
def import_group():
    """Import des exports réels de POP (Palissy, Mérimée)."""


_SOURCE = click.option("--source", "origine", type=click.Choice(["opendata", "pop"]), default="opendata",
                       show_default=True,
                       help="Export téléchargé : opendata (data.culture.gouv.fr, CSV du portail) ou pop (export "
                            "complet de la base Palissy publié par le ministère).")


@import_group.command()
@click.argument("source", required=False)
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fichier du rapport JSON (le CSV des lignes non importées est écrit à côté).")
@click.option("--download", is_flag=True, help="Télécharger l'export officiel (voir --source).")
@_SOURCE
@click.option("--complet", is_flag=True,
              help="Export complet : les objets absents sont marqués retirés (dans les départements du fichier).")
@click.option("--force", is_flag=True, help="Retirer même plus de 5 % des objets.")
@click.option("--remplacer-demo", is_flag=True, help="Supprimer la démo avant d'importer les données réelles.")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=60.0, show_default=True,
              help="Délai de téléchargement (secondes).")
@click.option("--status-file", type=click.Path(dir_okay=False, path_type=Path), default=None, hidden=True)
@click.option("--user-id", type=int, default=None, hidden=True)
@_friendly
def palissy(source, report_path, download, origine, complet, force, remplacer_demo, timeout, status_file, user_id):
    """Importe un export Palissy (chemin ou URL http(s)) : CSV open data, export complet de POP, JSON, export POP."""
    from dashboard.importer import palissy_import

    if download:
        if source:
            raise click.UsageError("--download télécharge l'export officiel : ne donnez pas aussi de fichier "
                                   "ni d'URL")
        source = settings.palissy_url(origine)
    if not source:
        raise click.UsageError("indiquez un fichier ou une URL (ou --download)")
    status = None
    if status_file is not None:
        def status(progress, _path=status_file):
            _path.write_text(json.dumps(progress), encoding="utf-8")
    url = _database()
    result = palissy_import.import_palissy(
        url, source, report_path=report_path, complet=complet, force=force, remplacer_demo=remplacer_demo,
        timeout=timeout, user_id=user_id, echo=lambda m: click.echo(m, err=True), progress_echo=_progress_echo(),
        status=status)
    _summary(result)


@click.command(name="sync")
@_SOURCE
@click.option("--force", is_flag=True, help="Retirer même plus de 5 % des objets.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fichier du rapport JSON (le CSV des lignes non importées est écrit à côté).")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=60.0, show_default=True,
              help="Délai de chaque attente du téléchargement (secondes).")
@_friendly
def sync_command(origine, force, report_path, timeout):
    """Synchronise avec POP : télécharge l'export officiel, l'importe comme export complet, affiche le rapport.

    Refuse de retirer plus de 5 % des objets sans --force (rien n'est alors enregistré).
    À lancer par un minuteur (voir le README)."""
    from dashboard.importer import palissy_import

    url = _database()
    source = settings.palissy_url(origine)
    click.echo(f"synchronisation avec {source}", err=True)
    result = palissy_import.import_palissy(
        url, source, report_path=report_path, complet=True, force=force, timeout=timeout,
        echo=lambda m: click.echo(m, err=True), progress_echo=_progress_echo())
    _summary(result)


@import_group.command()
@click.argument("source")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=60.0, show_default=True)
@_friendly
def merimee(source, report_path, timeout):
    """Importe les édifices de Mérimée (REF PA…, nom, commune) et y rattache les objets (REFA)."""
    from dashboard.importer import merimee_import

    url = _database()
    result = merimee_import.import_merimee(url, source, report_path=report_path, timeout=timeout,
                                           echo=lambda m: click.echo(m, err=True))
    imported = result["imported"]
    click.echo(f"{result['rows']} enregistrements lus : {imported['total']} édifices importés "
               f"({imported['inserted']} nouveaux, {imported['updated']} modifiés, {imported['unchanged']} inchangés), "
               f"{sum(result['excluded'].values())} exclus, {sum(result['rejected'].values())} rejetés ; "
               f"{result['objets_rattaches']} objets rattachés à leur édifice")
    click.echo(f"rapport : {result['rapport']}")


if __name__ == "__main__":
    import_group()
