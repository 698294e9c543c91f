"""AppTest set up as a Streamlit server runs a session, for the benches' script timings.

Measured with py-spy (2026-12-02): 87 % of a fresh AppTest session of /urgences went to
`BidiComponentManager.discover_and_register_components`, which reads the metadata of every
installed distribution looking for custom components, and AppTest does it once per AppTest
instance; it also compiles the entry script and the page anew on every run (two new
ScriptCaches per run). A server does both once per process (its Runtime holds one manager and
one script cache). Left as they were, "a fresh session" measured the virtual environment's
size (124 distributions on main with the test extras, 66 at 2b3ba62), not the app.

`installer()` makes every AppTest of the process share one component manager, scanned once
when it is called, and one script cache. This module imports nothing of the app:
`objets bench --compare` runs its source inside the other revision too
(dashboard/bench/compare.py), so that both sides are measured alike.
"""


def installer() -> None:
    """Once per process, before the first timed AppTest run; calling it again does nothing."""
    from streamlit.testing.v1 import app_test, local_script_runner

    if getattr(app_test, "_objets_comme_un_serveur", False):
        return
    try:
        from streamlit.components.v2.component_manager import BidiComponentManager
    except ImportError:  # a Streamlit without components v2: nothing scanned per instance
        BidiComponentManager = None
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    if BidiComponentManager is not None and hasattr(app_test, "BidiComponentManager"):
        manager = BidiComponentManager()
        manager.discover_and_register_components(start_file_watching=False)
        manager.discover_and_register_components = lambda *args, **kwargs: None
        app_test.BidiComponentManager = lambda: manager
    cache = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: cache  # the pages', the entry script's
    app_test._objets_comme_un_serveur = True
