"""`objets import palissy` from the command line: bad input gives one clear line, a non-zero
exit and an unchanged database; sources may be URLs (a local HTTP server here)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dashboard.importer.cli import import_group
from import_helpers import FIXTURES, checksum

HEADER = "Reference;Titre_editorial;Cog_insee;Typologie_du_dossier\r\n"


def invoke(url, *args):
    runner = CliRunner()
    return runner.invoke(import_group, ["palissy", *args], env={"DATABASE_URL": url}, catch_exceptions=False)


def assert_refused(result, needle: str):
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("erreur : ")]
    assert len(errors) == 1, result.output
    assert needle in errors[0], errors[0]
    assert "Traceback" not in result.output


@pytest.fixture
def loaded(import_db_url, tmp_path):
    """A database that already holds an import, so that 'unchanged' means something."""
    result = invoke(import_db_url, str(FIXTURES / "pop_ancien.csv"), "--report", str(tmp_path / "r0.json"))
    assert result.exit_code == 0, result.output
    return import_db_url


BAD_FILES = {
    # `;`, `|`, `,` and tab are read (tests/importer/test_import_formats.py); not another one.
    "separateur": (b"Reference:Titre_editorial:Cog_insee\r\nPM01000001:statue:01004\r\n", "en-têtes non reconnus"),
    "colonnes": (b"Titre_editorial;Denomination\r\nstatue;statue\r\n", "colonnes obligatoires absentes : Reference, Cog_insee"),
    "colonnes_pop": (b'"REF";"TICO"\r\n"PM01000001";"statue"\r\n', "colonnes obligatoires absentes : INSEE"),
    "vide": (b"", "le fichier est vide"),
    "vide_bom": (b"\xef\xbb\xbf \r\n", "le fichier est vide"),
    "entete_seule": (HEADER.encode(), "aucun enregistrement"),
    "latin1": (HEADER.encode() + "PM01000001;Vierge à l'Enfant;01004;dossier individuel\r\n".encode("latin-1"),
               "pas encodé en UTF-8"),
    "tronque_guillemet": (HEADER.encode() + b'PM01000001;"statue\r\nde la Vierge', "fichier tronqué"),
    "tronque_ligne": (HEADER.encode() + b"PM01000001;statue;01004;dossier individuel\r\nPM01000002;sta",
                      "fichier tronqué"),
    "html": (b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>", "page HTML"),
    "json_tronque": (b'[{"reference": "PM01000001", "cog_insee": "01004"}, {"reference": "PM0', "JSON tronqué"),
    "json_objet": (b'{"error_code": "ODSQLError", "message": "Unknown field"}', "Unknown field"),
    "inconnu": (b"nom;prenom\r\nDupont;Jean\r\n", "en-têtes non reconnus"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_are_refused_and_change_nothing(loaded, tmp_path, case):
    content, needle = BAD_FILES[case]
    path = tmp_path / f"{case}.csv"
    path.write_bytes(content)
    before = checksum(loaded)
    result = invoke(loaded, str(path), "--report", str(tmp_path / "r.json"))
    assert_refused(result, needle)
    assert checksum(loaded) == before
    assert not (tmp_path / "r.json").exists()


def test_missing_file(loaded, tmp_path):
    assert_refused(invoke(loaded, str(tmp_path / "absent.csv")), "fichier introuvable")


def test_success_prints_a_summary_and_writes_the_report(import_db_url, tmp_path):
    report = tmp_path / "rapport.json"
    result = invoke(import_db_url, str(FIXTURES / "opendata.csv"), "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "28 enregistrements lus : 23 importés (23 nouveaux, 0 modifiés, 0 inchangés)" in result.output
    assert json.loads(report.read_text(encoding="utf-8"))["rows"] == 28
    assert (tmp_path / "rapport-rejets.csv").exists()


def test_url_source(import_db_url, tmp_path, http_server):
    http_server.routes["/export.csv"] = (200, "text/csv", (FIXTURES / "opendata.csv").read_bytes(), 0)
    result = invoke(import_db_url, http_server.base + "/export.csv", "--report", str(tmp_path / "r.json"))
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["source"] == http_server.base + "/export.csv"
    # The downloaded copy does not stay behind.
    assert not list((tmp_path / "data" / "imports").glob("telechargement-*"))


@pytest.mark.parametrize("route, status, kind, body, delay, needle", [
    ("/lent", 200, "text/csv", b"Reference;Cog_insee\r\n", 3, "délai dépassé"),
    ("/erreur", 503, "text/plain", b"indisponible", 0, "HTTP 503"),
    ("/page", 200, "text/html", b"<html><body>Maintenance</body></html>", 0, "page HTML"),
    ("/page-mal-typee", 200, "text/csv", b"<html><body>Maintenance</body></html>", 0, "page HTML"),
])
def test_bad_urls_are_refused_and_change_nothing(loaded, tmp_path, http_server, route, status, kind, body, delay,
                                                 needle):
    http_server.routes[route] = (status, kind, body, delay)
    before = checksum(loaded)
    result = invoke(loaded, http_server.base + route, "--timeout", "1", "--report", str(tmp_path / "r.json"))
    assert_refused(result, needle)
    assert checksum(loaded) == before


def test_download_uses_the_official_export_urls(monkeypatch, loaded):
    from dashboard import settings
    from dashboard.importer import ImportFailure, telechargement

    seen = []

    def fake_fetch(source, timeout=60.0, directory=None, echo=None):
        seen.append(source)
        raise ImportFailure("hors ligne")

    monkeypatch.setattr(telechargement, "fetch", fake_fetch)
    assert_refused(invoke(loaded, "--download"), "hors ligne")
    assert_refused(invoke(loaded, "--download", "--source", "pop"), "hors ligne")
    assert seen == [settings.palissy_url("opendata"), settings.palissy_url("pop")]
    assert seen[0].startswith("https://data.culture.gouv.fr/") and "use_labels=true" in seen[0]
    assert seen[1] == "https://ministere-culture.s3.sbg.io.cloud.ovh.net/POP/palissy.csv"
    # Both official hosts are the default allow-list of URL imports.
    assert set(settings.import_hotes()) == {"data.culture.gouv.fr", "ministere-culture.s3.sbg.io.cloud.ovh.net"}
    # A setting moves one elsewhere (a mirror).
    monkeypatch.setenv("OBJETS_PALISSY_URL_POP", "https://miroir.exemple.fr/palissy.csv")
    assert_refused(invoke(loaded, "--download", "--source", "pop"), "hors ligne")
    assert seen[-1] == "https://miroir.exemple.fr/palissy.csv"


def test_a_terminal_gets_a_progress_bar_with_rows_per_second(import_db_url, tmp_path):
    import os
    import subprocess
    import sys

    # A terminal on stderr (a pseudo-terminal here): the progress line is drawn there.
    leader, follower = os.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from dashboard.cli import main; main()", "import", "palissy",
             str(FIXTURES / "opendata.csv"), "--report", str(tmp_path / "r.json")],
            env={**os.environ, "DATABASE_URL": import_db_url}, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=follower, timeout=120)
        os.close(follower)
        follower = None
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:      # the terminal closed once everything was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if follower is not None:
            os.close(follower)
        os.close(leader)
    assert done.returncode == 0, shown
    text = shown.decode()
    assert "[##############################] 100.0 % 28 lignes" in text
    assert "lignes/s" in text
    # Not on a terminal (the test runner's pipes): no progress line.
    assert "lignes/s" not in invoke(import_db_url, str(FIXTURES / "opendata.csv"),
                                    "--report", str(tmp_path / "r2.json")).output.split("durée")[0]


def test_a_killed_import_leaves_the_database_as_it_was(loaded, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    before = checksum(loaded)
    rows = "".join(f"PM01{i:06d};statue de saint {i};01004;dossier individuel\r\n" for i in range(400_000))
    big = tmp_path / "gros.csv"
    big.write_text(HEADER + rows, encoding="utf-8")
    status = tmp_path / "etat.json"
    proc = subprocess.Popen(
        [sys.executable, "-c", "from dashboard.cli import main; main()", "import", "palissy", str(big),
         "--report", str(tmp_path / "r.json"), "--status-file", str(status)],
        env={**os.environ, "DATABASE_URL": loaded}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        # Killed once it has read rows (its status file says so), before it can commit.
        while time.monotonic() < deadline and proc.poll() is None:
            if status.exists() and json.loads(status.read_text() or "{}").get("lignes", 0) > 0:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the import ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    # The server notices the dead client and rolls its transaction back.
    deadline = time.monotonic() + 30
    while checksum(loaded) != before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert checksum(loaded) == before


def test_a_local_url_is_refused_with_the_default_settings(loaded, tmp_path, http_server, monkeypatch):
    monkeypatch.delenv("OBJETS_IMPORT_HOTES")
    monkeypatch.delenv("OBJETS_IMPORT_RESEAU_LOCAL")
    http_server.routes["/export.csv"] = (200, "text/csv", (FIXTURES / "opendata.csv").read_bytes(), 0)
    before = checksum(loaded)
    assert_refused(invoke(loaded, http_server.base + "/export.csv"), "hôte non autorisé pour un import : 127.0.0.1")
    monkeypatch.setenv("OBJETS_IMPORT_HOTES", "127.0.0.1")
    assert_refused(invoke(loaded, http_server.base + "/export.csv"), "adresse locale, privée ou réservée")
    assert checksum(loaded) == before
