"""How a page brings its URL to the view it shows: which query parameters to set and which to
remove. Pure (no Streamlit); ui.synchroniser_url applies the result."""
from __future__ import annotations

from collections.abc import Collection, Mapping


def changements(actuelle: Mapping[str, str], voulue: Mapping[str, str], *, lies: Collection[str] = (),
                siens: Collection[str] | None = None) -> tuple[dict[str, str], list[str]]:
    """(parameters to set, parameters to remove) to go from `actuelle` to `voulue`. Parameters a
    bound widget holds (`lies`) are left alone: Streamlit refuses that the page writes them. With
    `siens`, only those parameters are removed (the page shares its URL with others' parameters)."""
    poser = {k: v for k, v in voulue.items() if k not in lies and actuelle.get(k) != v}
    retirer = [k for k in actuelle
               if k not in lies and k not in voulue and (siens is None or k in siens)]
    return poser, retirer
