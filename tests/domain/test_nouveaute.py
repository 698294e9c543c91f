"""'Nouveau': transmitted after the previous visit, not after the end when one is given,
never on a first visit."""
from datetime import datetime, timedelta, timezone

import pandas as pd

from dashboard.domain import nouveaute

T = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)
TICK = timedelta(seconds=1)


def test_after_the_visit_and_not_after_the_end():
    transmis = pd.Series([T - TICK, T, T + TICK, None])
    assert nouveaute.nouveau(transmis, T).tolist() == [False, False, True, False]
    assert nouveaute.nouveau(transmis, T - TICK, jusqu_a=T).tolist() == [False, True, False, False]
    assert nouveaute.nouveau(transmis, None).tolist() == [False] * 4


def test_a_naive_instant_is_utc_and_other_zones_compare_as_instants():
    transmis = pd.Series([T + TICK])
    paris = timezone(timedelta(hours=1))
    assert nouveaute.nouveau(transmis, T.replace(tzinfo=None)).tolist() == [True]
    assert nouveaute.nouveau(transmis, (T + 2 * TICK).astimezone(paris)).tolist() == [False]
