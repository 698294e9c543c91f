"""`objets bench`: the figures the issues ask for, with the generators of their data. The
app never imports this package."""

# Each issue's measures: a module with bench(url, runs, echo) -> dict, by the prefix of its
# figures (the names `objets bench --compare` matches across revisions). Here rather than in
# run.py so that the command line lists them without importing the benchmark.
SECTIONS = {"carte": "dashboard.bench.carte", "urgences": "dashboard.bench.urgences",
            "import": "dashboard.bench.importer", "pilotage": "dashboard.bench.pilotage",
            "deploiement": "dashboard.bench.deploiement", "photos": "dashboard.bench.photos",
            "navigateur": "dashboard.bench.navigateur", "recherche": "dashboard.bench.recherche",
            "questionnaire": "dashboard.bench.questionnaire", "carte_nationale": "dashboard.bench.carte_nationale"}
