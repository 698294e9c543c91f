"""The domain, in Python and free of I/O: the vocabulary (every enum with its label and
colour), the rights table, identities and scopes, the five-year objective, and the cleaning
rules of POP Palissy values. The rules SQL must apply (current recensement, urgency,
commune status, scope) are SQL definitions, applied by the migrations."""
