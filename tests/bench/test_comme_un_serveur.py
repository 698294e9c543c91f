"""The benches' AppTest set-up (dashboard.bench.comme_un_serveur): installed distributions
scanned once per process, scripts compiled once, as a server does; and its source runs on its
own, since `objets bench --compare` runs it inside the other revision."""
import json
import subprocess
import sys
import textwrap

from dashboard import settings
from dashboard.bench import compare


def test_apptests_share_one_scan_and_one_script_cache():
    # In a fresh process: the patch is process-wide, and must not leak into other tests.
    code = textwrap.dedent('''
        import json
        from streamlit.components.v2 import component_manager
        from streamlit.runtime.scriptrunner import script_cache
        from streamlit.testing.v1 import AppTest
        scans, compilations = [], []
        scan = component_manager.BidiComponentManager.discover_and_register_components
        def counted_scan(self, *a, **k):
            scans.append(1)
            return scan(self, *a, **k)
        component_manager.BidiComponentManager.discover_and_register_components = counted_scan
        compile_ = script_cache.ScriptCache.get_bytecode
        def counted_compile(self, path):
            if path not in self._cache:
                compilations.append(path)
            return compile_(self, path)
        script_cache.ScriptCache.get_bytecode = counted_compile
        def three_sessions():
            for _ in range(3):
                at = AppTest.from_string("import streamlit as st\\nst.write('x')")
                at.run(); at.run()
                assert at.markdown[0].value == "x"
        three_sessions()
        sans = (len(scans), len(compilations))
        scans.clear(); compilations.clear()
        from dashboard.bench.comme_un_serveur import installer
        installer(); installer()
        three_sessions()
        print(json.dumps({"sans": sans, "avec": [len(scans), len(compilations)]}))
    ''')
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.PROJECT_ROOT,
                         check=True)
    compte = json.loads(out.stdout.strip().splitlines()[-1])
    assert compte["sans"] == [3, 6], out.stdout   # AppTest alone: a scan per session, a compilation per run
    assert compte["avec"] == [1, 1], out.stdout   # as a server: one scan, one compilation


def test_the_compare_runner_carries_the_set_up_without_importing_the_app():
    source = compare._RUNNER.split("import json, os, sys")[0]
    assert "def installer" in source and "\ninstaller()\n" in source
    assert "def mediane" in source   # the repeated migration of fresh databases, on both sides
    assert "dashboard" not in "\n".join(l for l in source.splitlines() if l.lstrip().startswith(("import", "from")))
    subprocess.run([sys.executable, "-c", source], check=True, cwd="/")   # runs outside the project
