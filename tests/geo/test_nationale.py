"""The files of the map of every commune: their order, the coverage kept by the 500 m
generalisation, and overseas communes moved alike at every level of detail."""
import numpy as np
import pytest
import shapely

from geo import encode, insets, nationale


def _grille(n=6, x0=2.0, y0=47.0, pas=0.05):
    """n x n adjacent squares with wiggly shared edges (a coverage, like communes)."""
    rng = np.random.default_rng(3)
    xs = np.linspace(x0, x0 + n * pas, 20 * n + 1)
    bruit = rng.normal(0, pas / 200, size=(n + 1, len(xs)))
    cellules = []
    for i in range(n):
        for j in range(n):
            bas = [(x, y0 + j * pas + bruit[j, k]) for k, x in enumerate(xs) if x0 + i * pas <= x <= x0 + (i + 1) * pas]
            haut = [(x, y0 + (j + 1) * pas + bruit[j + 1, k]) for k, x in enumerate(xs)
                    if x0 + i * pas <= x <= x0 + (i + 1) * pas]
            cellules.append(shapely.Polygon(bas + haut[::-1]))
    return np.array(cellules, dtype=object)


def test_order_by_departement_then_code_and_ranges():
    codes = ["62001", "2A004", "59350", "62002", "97101", "2B002"]
    deps = ["62", "2A", "59", "62", "971", "2B"]
    o = nationale.ordre(codes, deps)
    assert [codes[i] for i in o] == ["2A004", "2B002", "59350", "62001", "62002", "97101"]
    assert nationale.plages([deps[i] for i in o]) == [("2A", 0, 1), ("2B", 1, 1), ("59", 2, 1), ("62", 3, 2),
                                                      ("971", 5, 1)]


def test_generalised_communes_keep_their_shared_borders_and_lose_vertices():
    cellules = _grille()
    simples = nationale.generaliser(cellules, ["62"] * len(cellules), tolerance_m=500)
    assert shapely.get_num_coordinates(simples).sum() < shapely.get_num_coordinates(cellules).sum() / 2
    # A coverage: no gap, no overlap between neighbours.
    assert abs(shapely.union_all(simples).area - sum(g.area for g in simples)) < 1e-9
    assert shapely.union_all(simples).area == pytest.approx(shapely.union_all(cellules).area, rel=0.01)


def test_overseas_communes_are_moved_alike_whatever_the_detail():
    a, b = shapely.box(55.2, -21.4, 55.5, -21.0), shapely.box(55.5, -21.4, 55.85, -20.85)
    deps = ["974", "974"]
    geoms = np.array([a, b], dtype=object)
    bornes = nationale.bornes_encarts(deps, geoms)
    detail = nationale.en_encart(deps, geoms, bornes)
    simples = nationale.en_encart(deps, np.array([a.simplify(0.01), b.simplify(0.01)], dtype=object), bornes)
    west, south, east, north = insets.boxes()["974"]
    for g in (*detail, *simples):
        xmin, ymin, xmax, ymax = g.bounds
        assert west <= xmin < xmax <= east and south <= ymin < ymax <= north
    assert detail[0].equals_exact(simples[0], 1e-9)
    # The shared edge stays shared once moved.
    assert detail[0].intersection(detail[1]).length > 0


def test_national_file_names_each_departement_range_and_file():
    cellules = _grille(4)
    deps = ["59"] * 8 + ["62"] * 8
    contenu = nationale.france(deps, cellules, {"59": "communes-59.0123456789abcdef"})
    assert contenu["n"] == 16 and contenu["q"] == nationale.QUANTUM_FRANCE
    assert [d[:3] for d in contenu["d"]] == [["59", 0, 8], ["62", 8, 8]]
    assert contenu["d"][0][4] == "communes-59.0123456789abcdef" and contenu["d"][1][4] is None
    ring = encode.decode_ring(contenu["g"][0][0][0], contenu["q"])
    assert len(ring) >= 3
    fichier = nationale.departement(cellules[8:], 8)
    assert fichier["premier"] == 8 and len(fichier["g"]) == 8 and fichier["q"] == nationale.QUANTUM_DEPARTEMENT
    assert nationale.noms(["59001"], ["Abancourt"], ["59"]) == {"v": 1, "c": ["59001"], "n": ["Abancourt"],
                                                                "d": [["59", 0, 1]]}
