"""`objets users`: accounts for the administrator of a self-hosted service: create (with an
argon2-hashed password, or none for OIDC-only agents), scope, list, disable, unlink an OIDC
identity, and purge what sign-in keeps no longer than it needs (README, RGPD).

A password is read from the standard input (--mot-de-passe-stdin, for scripts) or typed at
a prompt that does not echo; never from an argument, which `ps` and shell histories show.
Errors print one French line and exit 1.
"""
from __future__ import annotations

import sys
from datetime import timedelta

import click

from dashboard import db, settings
from dashboard.domain.mots_de_passe import MotDePasseRefuse
from dashboard.domain.vocabulary import ROLE
from dashboard.writes import comptes, connexion


def _executer(travail, *args):
    try:
        with db.connect(settings.database_url()) as conn:
            return travail(conn, *args)
    except (comptes.CompteRefuse, MotDePasseRefuse, db.DatabaseError) as exc:
        raise click.ClickException(str(exc)) from None


def _mot_de_passe(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Mot de passe", hide_input=True, confirmation_prompt="Confirmez le mot de passe")


@click.group(name="users")
def users_group():
    """Comptes : ajouter, périmètre, lister, désactiver, purger les données de connexion."""


@users_group.command()
@click.argument("email")
@click.option("--nom", required=True, help="Nom affiché.")
@click.option("--role", required=True, type=click.Choice(list(ROLE.codes)))
@click.option("--mot-de-passe-stdin", is_flag=True, help="Lire le mot de passe sur l'entrée standard.")
@click.option("--sans-mot-de-passe", is_flag=True, help="Compte sans mot de passe (connexion OIDC, ProConnect).")
def add(email, nom, role, mot_de_passe_stdin, sans_mot_de_passe):
    """Crée un compte (puis donnez-lui un périmètre : objets users scope)."""
    mot_de_passe = None if sans_mot_de_passe else _mot_de_passe(mot_de_passe_stdin)
    user_id = _executer(comptes.creer, email, nom, role, mot_de_passe)
    click.echo(f"compte créé : {email} ({ROLE.libelle(role)}, n° {user_id})")


@users_group.command(name="scope")
@click.argument("email")
@click.option("--departement", multiple=True, help="Code de département (répétable).")
@click.option("--region", multiple=True, help="Code de région (répétable).")
@click.option("--commune", multiple=True, help="Code INSEE (un compte commune : une seule).")
@click.option("--national", is_flag=True, help="Toute la France.")
def scope_cmd(email, departement, region, commune, national):
    """Remplace le périmètre du compte."""
    perimetres = [("national", "")] if national else []
    perimetres += [("departement", d) for d in departement] + [("region", r) for r in region]
    perimetres += [("commune", c) for c in commune]
    if national and len(perimetres) > 1:
        raise click.ClickException("--national ne se combine pas avec un autre périmètre")
    _executer(comptes.definir_perimetre, email, perimetres)
    click.echo(f"périmètre de {email} : " + ", ".join(f"{n} {c}".strip() for n, c in perimetres))


@users_group.command(name="list")
def list_cmd():
    """Liste les comptes (les comptes de démonstration en dernier)."""
    for u in _executer(comptes.liste):
        etat = "actif" if u["actif"] else "désactivé"
        connexion_par = ", ".join(m for m, ok in (("mot de passe", u["mot_de_passe"]), ("OIDC", u["oidc"])) if ok)
        click.echo(f"{u['email']}\t{u['nom']}\t{ROLE.libelle(u['role'])}\t{u['perimetre'] or 'aucun périmètre'}\t"
                   f"{etat}{' · démo' if u['demo'] else ''}\t{connexion_par or '—'}")


@users_group.command()
@click.argument("email")
def disable(email):
    """Désactive le compte et termine ses sessions."""
    changed = _executer(comptes.desactiver, email)
    click.echo(f"compte désactivé : {email}" if changed else f"déjà désactivé : {email}")


@users_group.command(name="password")
@click.argument("email")
@click.option("--mot-de-passe-stdin", is_flag=True)
def password_cmd(email, mot_de_passe_stdin):
    """Change le mot de passe d'un compte local."""
    _executer(comptes.changer_mot_de_passe, email, _mot_de_passe(mot_de_passe_stdin))
    click.echo(f"mot de passe changé : {email}")


@users_group.command(name="unlink-oidc")
@click.argument("email")
def unlink_oidc(email):
    """Oublie l'identité OIDC liée (l'agent a changé de fournisseur d'identité)."""
    _executer(comptes.delier_oidc, email)
    click.echo(f"identité OIDC oubliée : {email} (la prochaine connexion OIDC avec cette adresse la liera)")


@users_group.command()
@click.option("--jours", type=click.IntRange(1, 3650), default=connexion.RETENTION.days, show_default=True,
              help="Garder ce nombre de jours.")
def purge(jours):
    """Supprime sessions terminées, tentatives et liens utilisés ou expirés plus vieux que --jours."""
    counts = _executer(connexion.purger, timedelta(days=jours))
    click.echo(f"supprimés : {counts['sessions']} session(s), {counts['tentatives']} tentative(s), "
               f"{counts['liens']} lien(s)")
