"""Writes: each one transaction that names its author for the audit trigger, checks the
row's version, the user's scope and rights in its own WHERE clause, and explains a refusal
in French (conflict, out of scope, wrong state)."""
