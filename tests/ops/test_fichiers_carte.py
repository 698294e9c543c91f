"""The map files of every commune, built at reference load time and served by the app's
route: every commune in the national file, each département's file in the same order,
overseas in the insets, light enough for a phone; the route serves them gzip-compressed
with a year of cache under their hash, and nothing under another hash."""
import dataclasses
import gzip
import hashlib
import json

import numpy as np
import pytest
import shapely
import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.testclient import TestClient

from dashboard.app import fichiers_carte as route
from dashboard.ops import fichiers_carte
from dashboard.reads import fichiers_carte as lectures
from geo import encode, insets

FRANCE_MAX_GZ = 1_000_000   # the national file, compressed (issue 16: first view ≤ 1.5 MB in all)


def _fichiers(url):
    with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as conn:
        rows = conn.execute(sa.text("SELECT nom, empreinte, contenu, octets FROM carte_fichier")).all()
        communes = conn.execute(sa.text(
            "SELECT code_insee, departement_code FROM commune WHERE geom_affichage IS NOT NULL")).all()
    return {r[0]: (r[1], json.loads(gzip.decompress(r[2])), len(r[2]), r[3]) for r in rows}, communes


@pytest.fixture(scope="module")
def fichiers(reference_db_url):
    return _fichiers(reference_db_url)


def test_every_commune_once_in_the_national_file_and_its_departements(fichiers, reference_db_url):
    files, communes = fichiers
    empreinte, france, gz, octets = files["communes-france"]
    assert france["n"] == len(communes) == len(france["g"]) > 34_000
    assert all(france["g"]), "a commune with nothing to draw at national scale"
    assert gz <= FRANCE_MAX_GZ, gz
    # The départements' borders, drawn over the communes at national scale.
    assert len(france["dg"]) >= 100
    noms = files["communes-noms"][1]
    assert sorted(noms["c"]) == sorted(c for c, _ in communes)
    assert france["noms"] == "communes-noms." + files["communes-noms"][0]
    par_dep = dict(communes)
    for dep, premier, count, bornes, nom in france["d"]:
        assert {par_dep[c] for c in noms["c"][premier:premier + count]} == {dep}
        fichier_nom, fichier_empreinte = nom.split(".")
        detail = files[fichier_nom]
        assert detail[0] == fichier_empreinte
        assert detail[1]["premier"] == premier and len(detail[1]["g"]) == count
    with sa.create_engine(reference_db_url, poolclass=sa.pool.NullPool).connect() as conn:
        ordre = lectures.ordre_communes(conn)
    assert ordre.codes == tuple(noms["c"]) and ordre.france == f"communes-france.{empreinte}"
    assert ordre.departements[0] == france["d"][0][0] and len(ordre.departements) == len(ordre.codes)


def test_the_hash_is_the_content_s_and_overseas_are_in_their_insets(fichiers):
    files, _ = fichiers
    for nom, (empreinte, contenu, _, octets) in files.items():
        texte = json.dumps(contenu, ensure_ascii=False, separators=(",", ":")).encode()
        assert hashlib.sha256(texte).hexdigest()[:16] == empreinte and len(texte) == octets, nom
    france = files["communes-france"][1]
    boites = insets.boxes()
    for dep, premier, count, _, nom in france["d"]:
        if dep not in boites:
            continue
        west, south, east, north = boites[dep]
        for niveau, polys, q in ((0, france["g"][premier:premier + count], france["q"]),
                                 (1, files[nom.split(".")[0]][1]["g"], files[nom.split(".")[0]][1]["q"])):
            points = [p for parts in polys for poly in parts for p in encode.decode_ring(poly[0], q)]
            assert points and all(west - q <= x <= east + q and south - q <= y <= north + q for x, y in points), \
                (dep, niveau)


def _empreintes(conn) -> dict[str, str]:
    return dict(conn.execute(sa.text("SELECT nom, empreinte FROM carte_fichier")).all())


def test_setup_builds_missing_files_for_a_database_loaded_before_them(fresh_database, reference_template):
    """...and builds, from the database alone, the very files that the reference load
    prepared in a thread from the geometries it had in memory."""
    url = fresh_database(reference_template)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        au_chargement = _empreintes(conn)
        conn.execute(sa.text("DELETE FROM carte_fichier"))
        assert fichiers_carte.manquants(conn)
    from dashboard.ops import bootstrap

    steps = bootstrap.setup(url, demo=False, echo=lambda *_: None)
    assert "fichiers_carte" in [s.name for s in steps]
    with engine.connect() as conn:
        assert not fichiers_carte.manquants(conn)
        assert len(au_chargement) > 100 and _empreintes(conn) == au_chargement


def test_a_preparation_of_other_communes_is_not_written(reference_db_url):
    """A preparation computed beforehand is written only if the database draws exactly its
    communes: one name or one geometry that differs, and the files come from the database."""
    engine = sa.create_engine(reference_db_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        attendues = _empreintes(conn)
        communes = fichiers_carte.lire_communes(conn)
        # Nothing prepared: were it written, the files would be empty.
        exacte = fichiers_carte.Preparation(communes, communes.empreintes(), {}, {}, np.array([], dtype=object))
        assert fichiers_carte.conforme(conn, exacte)
        noms = communes.noms.copy()
        noms[0] = noms[0] + " (autre)"
        geoms = communes.geoms.copy()
        geoms[1] = shapely.buffer(geoms[1], 0.01)
        autres = [dataclasses.replace(exacte, empreintes=dataclasses.replace(communes, **champ).empreintes())
                  for champ in ({"noms": noms}, {"geoms": geoms})]
        assert not any(fichiers_carte.conforme(conn, autre) for autre in autres)
        messages = []
        fichiers_carte.generer(conn, echo=messages.append, preparation=autres[0])
        assert any("ont changé" in m for m in messages)
        assert _empreintes(conn) == attendues
        conn.rollback()


def test_communes_come_in_the_files_order_without_those_lacking_a_geometry():
    carre = shapely.box(0, 0, 1, 1)
    communes = fichiers_carte.Communes.en_ordre(["62002", "2A004", "62001", "59001"], ["b", "c", "a", "d"],
                                                ["62", "2A", "62", "59"], [carre, carre, carre, None])
    assert list(communes.codes) == ["2A004", "62001", "62002"]
    assert list(communes.noms) == ["c", "a", "b"] and list(communes.deps) == ["2A", "62", "62"]


@pytest.fixture
def client(reference_db_url, use_database):
    use_database(reference_db_url)
    return TestClient(Starlette(routes=route.routes()))


def test_the_route_serves_gzip_with_a_year_of_cache_under_the_hash(client, fichiers):
    files, _ = fichiers
    empreinte, contenu, gz, octets = files["communes-france"]
    adresse = route.url(f"communes-france.{empreinte}")
    r = client.get(adresse, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip" and int(r.headers["content-length"]) == gz
    assert "immutable" in r.headers["cache-control"] and "max-age=31536000" in r.headers["cache-control"]
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["n"] == contenu["n"]
    # A client that does not take gzip gets the JSON itself.
    brut = client.get(adresse, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in brut.headers and int(brut.headers["content-length"]) == octets
    # Revalidation answers without the body.
    assert client.get(adresse, headers={"If-None-Match": f'"{empreinte}"'}).status_code == 304


def test_another_hash_or_name_is_not_found_and_not_cached(client, fichiers):
    files, _ = fichiers
    empreinte = files["communes-62"][0]
    autre = "0" * 16 if empreinte != "0" * 16 else "1" * 16
    for chemin in (f"communes-62.{autre}.json", "communes-99.0123456789abcdef.json", "communes-62.json",
                   f"COMMUNES-62.{empreinte}.json", f"communes-62.{empreinte}.js"):
        r = client.get(route.PREFIXE + chemin)
        assert r.status_code == 404, chemin
        assert r.headers.get("cache-control") == "no-store"
