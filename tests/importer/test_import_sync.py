"""`objets sync`: the official export downloaded (a local server stands for it), imported as
a complete export, the report printed; more than 5 % withdrawn is refused unless forced."""
from __future__ import annotations

import json

from click.testing import CliRunner

from dashboard.cli import main
from import_helpers import FIXTURES, checksum, objets


def sync(url, *args, **env):
    return CliRunner().invoke(main, ["sync", *args], env={"DATABASE_URL": url, **env}, catch_exceptions=False)


def test_sync_downloads_imports_as_complete_and_reports(import_db_url, tmp_path, http_server):
    http_server.routes["/avant.csv"] = (200, "text/csv", (FIXTURES / "changements_avant.csv").read_bytes(), 0)
    http_server.routes["/apres.csv"] = (200, "text/csv", (FIXTURES / "changements_apres.csv").read_bytes(), 0)
    http_server.routes["/pop.csv"] = (200, "text/csv", (FIXTURES / "pop_complet.csv").read_bytes(), 0)
    portal = {"OBJETS_PALISSY_URL_OPENDATA": http_server.base + "/avant.csv"}
    first = sync(import_db_url, "--report", str(tmp_path / "1.json"), **portal)
    assert first.exit_code == 0, first.output
    assert "6 enregistrements lus : 6 importés (6 nouveaux" in first.output
    assert "changements : premier import" in first.output
    # The newer export withdraws one objet of six (more than 5 %): refused, nothing written.
    portal["OBJETS_PALISSY_URL_OPENDATA"] = http_server.base + "/apres.csv"
    before = checksum(import_db_url)
    refused = sync(import_db_url, "--report", str(tmp_path / "2.json"), **portal)
    assert refused.exit_code == 1
    assert [line for line in refused.output.splitlines() if line.startswith("erreur : ")] == [
        "erreur : 1 objets sur 6 (16,7 %) seraient retirés de Palissy (plus de 5 %) : vérifiez que l'export est "
        "complet, ou relancez avec --force"]
    assert checksum(import_db_url) == before
    forced = sync(import_db_url, "--force", "--report", str(tmp_path / "3.json"), **portal)
    assert forced.exit_code == 0, forced.output
    assert "1 retirés de Palissy" in forced.output
    assert "changements : ajout 1, commune 2, edifice 1, protection 1, retrait 1, titre 1" in forced.output
    report = json.loads((tmp_path / "3.json").read_text(encoding="utf-8"))
    assert report["complet"] and report["source"] == http_server.base + "/apres.csv"
    assert objets(import_db_url)["PM01000904"]["retire_le"] is not None
    # --source pop takes the full POP export's URL.
    pop = sync(import_db_url, "--source", "pop", "--force", "--report", str(tmp_path / "4.json"),
               OBJETS_PALISSY_URL_POP=http_server.base + "/pop.csv")
    assert pop.exit_code == 0, pop.output
    assert json.loads((tmp_path / "4.json").read_text(encoding="utf-8"))["format"] == "pop_complet"
