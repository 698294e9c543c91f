"""Who may do what comes from one table (dashboard.domain.rights): navigation, pages, the
data layer and SQL read it, and no other place names a role to decide a right."""
import re

from dashboard import settings
from dashboard.app import navigation
from dashboard.domain import rights
from dashboard.domain.rights import DROITS, Capacite
from dashboard.domain.vocabulary import ROLE


def test_every_role_has_a_line_and_admin_every_capability():
    assert set(DROITS) == set(ROLE.codes)
    assert DROITS["admin"] == frozenset(Capacite)


def test_todays_behaviour_is_kept():
    assert rights.roles_avec(Capacite.VOIR_URGENCES) == {"admin", "conservateur", "drac"}
    # Sécurisation: conservateurs and administrateurs, and a commune (its scope is its own commune).
    assert rights.roles_avec(Capacite.VOIR_SECURISATION) == {"admin", "conservateur", "commune"}
    assert rights.roles_avec(Capacite.EXAMINER) == {"admin", "conservateur"}
    assert rights.roles_avec(Capacite.IMPORTER) == {"admin"}
    # Mairie contacts: every role that sees a commune.
    assert rights.roles_avec(Capacite.VOIR_CONTACTS_MAIRIE) == set(ROLE.codes)
    assert not rights.peut("inconnu", Capacite.VOIR_URGENCES)
    # The pilotage (issue 13): DRAC managers, conservateurs and administrateurs.
    assert rights.roles_avec(Capacite.VOIR_PILOTAGE) == {"admin", "conservateur", "drac"}
    # Déploiement (issue 14): deployment officers and administrateurs record contacts and run
    # campaigns; conservateurs follow them in their départements, read-only.
    assert rights.roles_avec(Capacite.GERER_CAMPAGNES) == {"admin", "deploiement"}
    assert rights.roles_avec(Capacite.VOIR_DEPLOIEMENT) == {"admin", "conservateur", "deploiement"}
    # The questionnaire (issue 15): a commune answers; conservateurs read a commune's.
    assert rights.roles_avec(Capacite.REPONDRE_QUESTIONNAIRE) == {"admin", "commune"}
    assert rights.roles_avec(Capacite.VOIR_QUESTIONNAIRE) == {"admin", "conservateur", "commune"}


def test_navigation_opens_exactly_what_the_rights_table_allows():
    for role in ROLE.codes:
        shown = {e.url_path for entries in navigation.visible(role).values() for e in entries}
        for entries in navigation.SECTIONS.values():
            for entree in entries:
                expected = entree.capacite is None or entree.capacite in DROITS[role]
                assert (entree.url_path in shown) == expected, (role, entree.url_path)


def test_no_role_is_named_to_decide_a_right_outside_the_rights_table():
    """Role names appear in code only in the vocabulary, the rights table, the demo's users
    and the test of identities; never in a condition of a page, a read, a write or SQL."""
    roles = "|".join(ROLE.codes)
    condition = re.compile(rf"""role\s*(==|!=|in|not in)\s*[\(\[{{"'].*\b({roles})\b|\b({roles})\b['"]\s*(==|in)\s*\w*role""")
    sql_literal = re.compile(rf"\brole\b[^'\n]*'({roles})'")
    role_set = re.compile(rf"""[\{{\[\(][^\}}\]\)]*["']({roles})["'][^\}}\]\)]*["']({roles})["']""")
    offenders = []
    for path in [*settings.PROJECT_ROOT.joinpath("dashboard").rglob("*.py"), *settings.PAGES_DIR.glob("*.py")]:
        if path.name in ("rights.py", "vocabulary.py") or {"demo", "migrations"} & set(path.parts):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if condition.search(line) or role_set.search(line) or sql_literal.search(line):
                offenders.append(f"{path.name}:{n}: {line.strip()}")
    for path in settings.QUERIES_DIR.rglob("*.sql"):
        if path.name == "demo.sql":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if sql_literal.search(line.split("--")[0]):
                offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert not offenders
