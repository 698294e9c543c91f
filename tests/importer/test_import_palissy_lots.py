"""Staging batches: Arrow's whitespace rule is palissy.clean_text's, and the title rule of
the scope is decided on the whole normalised title."""
from __future__ import annotations

import random

import pyarrow as pa

from dashboard.domain import palissy
from dashboard.importer import palissy_lots


def test_arrow_whitespace_rule_equals_clean_text_on_every_unicode_space():
    spaces = palissy_lots._SPACES
    assert {"\t", "\n", "\r", " ", "\xa0", "\u2009", "\u3000", "\x1c", "\x85"} <= set(spaces)
    rng = random.Random(3)
    pieces = list(spaces) + ["a", "é", "Vierge", "(?)", "", "  ", "x\u200by"]
    values = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(3000)]
    values += ["", " ", "\xa0", "a", " a ", "a  b", "a\u2028b", "\u200b"]
    cleaned = palissy_lots.clean_text(pa.array(values, pa.string())).to_pylist()
    assert cleaned == [palissy.clean_text(v) for v in values]


def test_traitement_en_cours_is_read_on_the_normalised_title():
    stager = palissy_lots.Stager({}, {}, set())
    titres = pa.array(["Traitement en cours", "TRAÎTEMENT  en cours (?)", "traitement en cours de restauration",
                       None, "statue", "Traitement en cours"], pa.string())
    assert stager._traitement(titres).tolist() == [True, True, False, False, False, True]
