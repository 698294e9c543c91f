"""`objets bench`: the figures the issues ask for, with the generators of their data. The
app never imports this package."""
