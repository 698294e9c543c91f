"""Many users at once, without a browser: sessions opened over Streamlit's websocket as the
browser opens them, all at the same moment, each timed until its script run has finished.

What a browser does (seen in chromium's frames): GET /_stcore/health and
/_stcore/host-config, then the websocket /_stcore/stream (subprotocol "streamlit"), where it
sends one BackMsg `rerun_script` carrying the page's name and query string; the server
answers with ForwardMsgs (new_session, the page's deltas, ..., script_finished). This client
does the same with streamlit.proto's messages and records, per session: the seconds until
script_finished, the bytes received, whether the run failed, and what the page showed as an
exception or an error message (a database that did not answer is shown as st.error).
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import statistics
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Session:
    """What one session saw."""
    seconds: float = float("nan")
    bytes: int = 0
    finished: bool = False
    status: str = ""
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failure: str = ""
    page: str | None = None          # the url_pathname of the page the server ran ("" = the default one)
    page_not_found: bool = False

    @property
    def ok(self) -> bool:
        return (self.finished and self.status == "FINISHED_SUCCESSFULLY" and not self.exceptions
                and not self.errors and not self.failure and not self.page_not_found)

    def why(self) -> str:
        return (self.failure or "; ".join(self.exceptions + self.errors)
                or ("page introuvable" if self.page_not_found else "") or self.status or "pas de fin")


@dataclass
class Charge:
    """Sessions opened together on one page: how long until the last one finished."""
    page: str
    sessions: list[Session]
    seconds: float

    @property
    def failed(self) -> list[Session]:
        return [s for s in self.sessions if not s.ok]

    @property
    def bytes_per_session(self) -> float:
        return statistics.median(s.bytes for s in self.sessions) if self.sessions else 0.0


def _rerun_message(path: str, url: str) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    parts = urlsplit(path)
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = parts.query
    state.page_name = parts.path.strip("/")
    state.widget_states.SetInParent()
    info = state.context_info
    info.timezone, info.timezone_offset, info.locale = "Europe/Paris", -60, "fr-FR"
    info.url, info.is_embedded, info.color_scheme = url, False, "light"
    return msg.SerializeToString()


def _read(payload: bytes, session: Session) -> bool:
    """Account for one ForwardMsg; True once the script run has finished."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.ParseFromString(payload)
    kind = msg.WhichOneof("type")
    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element
        which = element.WhichOneof("type")
        if which == "exception":
            session.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
        elif which == "alert" and element.alert.format == element.alert.ERROR:
            session.errors.append(element.alert.body[:300])
    elif kind == "navigation":
        current = msg.navigation.page_script_hash
        session.page = next((p.url_pathname for p in msg.navigation.app_pages if p.page_script_hash == current),
                            session.page)
    elif kind == "page_not_found":
        session.page_not_found = True
    elif kind == "script_finished":
        session.status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
        # A run the script itself restarted (st.rerun) is followed by the next run.
        return session.status != "FINISHED_EARLY_FOR_RERUN"
    return False


async def _session(base: str, path: str, start: asyncio.Event, timeout: float) -> Session:
    import websockets

    session = Session()
    ws_url = base.replace("http", "ws", 1) + "/_stcore/stream"
    url = base + urlsplit(path).path
    await start.wait()
    began = time.perf_counter()
    try:
        loop = asyncio.get_running_loop()
        for probe in ("/_stcore/health", "/_stcore/host-config"):  # what the browser asks first
            await loop.run_in_executor(None, lambda p=probe: urllib.request.urlopen(base + p, timeout=timeout).read())
        async with websockets.connect(ws_url, subprotocols=["streamlit"], origin=base, max_size=None,
                                      open_timeout=timeout, compression=None, ping_interval=None) as ws:
            await ws.send(_rerun_message(path, url))
            deadline = began + timeout
            while True:
                payload = await asyncio.wait_for(ws.recv(), max(deadline - time.perf_counter(), 0.01))
                session.bytes += len(payload)
                if _read(payload, session):
                    session.finished = True
                    session.seconds = time.perf_counter() - began
                    break
    except Exception as exc:  # noqa: BLE001 - a failed session is a result, reported
        session.failure = f"{type(exc).__name__}: {exc}"[:300]
    return session


async def _charge(base: str, path: str, n: int, timeout: float) -> Charge:
    start = asyncio.Event()
    tasks = [asyncio.create_task(_session(base, path, start, timeout)) for _ in range(n)]
    await asyncio.sleep(0.05)
    began = time.perf_counter()
    start.set()
    sessions = await asyncio.gather(*tasks)
    return Charge(path, list(sessions), time.perf_counter() - began)


def charge(base: str, path: str, n: int = 50, timeout: float = 300.0) -> Charge:
    """Open `n` sessions of `path` (e.g. "/carte?departement=62") on the server at `base`
    at the same moment; returns when every one has finished (or failed). Its event loop runs
    in a thread of its own: the caller may be inside one (Playwright's sync API runs one)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _charge(base, path, n, timeout)).result()
