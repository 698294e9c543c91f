"""geo.svg: a static SVG map, each feature a path with its fill and its title (tooltip and
screen readers), insets' boxes dashed; text escaped."""
import re

from geo import svg

CARRE = [[[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]]]
TROUE = [[[(2.0, 0.0), (4.0, 0.0), (4.0, 2.0), (2.0, 2.0)], [(2.5, 0.5), (3.5, 0.5), (3.5, 1.5), (2.5, 1.5)]]]


def test_one_path_per_feature_with_its_fill_and_title():
    out = svg.svg_carte([CARRE, TROUE, []], ["#111111", "#222222", "#333333"], ["Un : 10 %", "Deux <b>", "Vide"],
                        "Carte & légende", largeur=200)
    assert out.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and out.endswith("</svg>")
    assert 'role="img" aria-label="Carte &amp; légende"' in out
    paths = re.findall(r'<path d="([^"]+)" fill="(#\d+)"[^>]*><title>([^<]*)</title></path>', out)
    assert [(fill, title) for _, fill, title in paths] == [("#111111", "Un : 10 %"), ("#222222", "Deux &lt;b&gt;")]
    assert paths[1][0].count("M") == 2     # the hole is its own ring (fill-rule evenodd)
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', out).groups())
    assert width == 200 and 100 < height < 110   # 4 by 2 degrees near the equator


def test_insets_boxes_and_an_empty_map():
    out = svg.svg_carte([CARRE], ["#111111"], ["Un"], "Carte", cadres=[[[-1.0, -1.0], [2.0, 2.0]]])
    assert 'stroke-dasharray="4 3"' in out
    assert svg.svg_carte([[]], ["#111111"], ["Un"], "Carte") == ""
