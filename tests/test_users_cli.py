"""`objets users` (a real database) and `objets serve`'s refusal to start without a way to sign in."""
import os
import subprocess
import sys

import sqlalchemy as sa
from click.testing import CliRunner

from dashboard import cli, settings


def test_users_add_scope_list_disable(writable_demo_db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", writable_demo_db_url)
    runner = CliRunner()
    out = runner.invoke(cli.main, ["users", "add", "cons62@exemple.fr", "--nom", "Conservatrice 62", "--role",
                                   "conservateur", "--mot-de-passe-stdin"], input="un mot de passe assez long\n")
    assert out.exit_code == 0, out.output
    assert runner.invoke(cli.main, ["users", "scope", "cons62@exemple.fr", "--departement", "62"]).exit_code == 0
    listed = runner.invoke(cli.main, ["users", "list"]).output
    assert "cons62@exemple.fr\tConservatrice 62\tConservateur\tdepartement 62\tactif\tmot de passe" in listed
    with sa.create_engine(writable_demo_db_url).connect() as conn:
        hache = conn.execute(sa.text("SELECT mot_de_passe FROM app_user WHERE email = 'cons62@exemple.fr'")).scalar()
    assert hache.startswith("$argon2id$") and "assez long" not in hache
    # One French line, exit 1: an existing account, a short password, an unknown territory.
    again = runner.invoke(cli.main, ["users", "add", "CONS62@exemple.fr", "--nom", "X", "--role", "conservateur",
                                     "--sans-mot-de-passe"])
    assert again.exit_code == 1 and "existe déjà" in again.output
    short = runner.invoke(cli.main, ["users", "add", "x@exemple.fr", "--nom", "X", "--role", "drac",
                                     "--mot-de-passe-stdin"], input="court\n")
    assert short.exit_code == 1 and "trop court" in short.output
    assert "inconnu" in runner.invoke(cli.main, ["users", "scope", "cons62@exemple.fr", "--departement", "999"]).output
    assert runner.invoke(cli.main, ["users", "disable", "cons62@exemple.fr"]).exit_code == 0
    assert "désactivé" in runner.invoke(cli.main, ["users", "list"]).output
    assert "supprimés" in runner.invoke(cli.main, ["users", "purge"]).output


def test_serve_refuses_to_start_outside_demo_mode_without_a_sign_in_method(tmp_path):
    env = {**os.environ, "OBJETS_DEMO": "0", "OBJETS_SECRETS_FILE": str(tmp_path / "absent.toml"),
           "OBJETS_SECRET_KEY": "k" * 40}
    env.pop("OBJETS_CONNEXION", None)
    done = subprocess.run([sys.executable, "-m", "dashboard.cli", "serve"], env=env, capture_output=True, text=True,
                          timeout=60, cwd=settings.PROJECT_ROOT)
    assert done.returncode == 1
    assert done.stderr.startswith("erreur : aucune méthode de connexion") and len(done.stderr.splitlines()) == 1
    # The server entry refuses too, when started some other way (streamlit run, uvicorn).
    done = subprocess.run([sys.executable, "-c", "import dashboard.app.serveur"], env=env, capture_output=True,
                          text=True, timeout=60, cwd=settings.PROJECT_ROOT)
    assert done.returncode == 1 and "aucune méthode de connexion" in done.stderr
    # And without a secret key.
    env = {**env, "OBJETS_CONNEXION": "mot_de_passe", "OBJETS_SECRET_KEY": ""}
    done = subprocess.run([sys.executable, "-m", "dashboard.cli", "serve"], env=env, capture_output=True, text=True,
                          timeout=60, cwd=settings.PROJECT_ROOT)
    assert done.returncode == 1 and "OBJETS_SECRET_KEY" in done.stderr
