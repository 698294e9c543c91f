"""Reads: functions `f(conn, scope, ...)` that run named statements of queries/ and return
frames, dicts or dataclasses for one page or export. Each takes the user's scope and the
rights it needs as parameters: the scope is enforced here, in SQL, never by a page."""
