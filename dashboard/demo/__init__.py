"""A deterministic national demo: objets, édifices, five years of campaigns, dossiers,
recensements and examens, and one demo user per role.

What the demo imitates, and why
- Objets per département: the real 2022 counts of POP Palissy (PM notices, 275,926 in
  all, table below), times `scale`. They are public aggregates, kept here so the project
  never reads ../shared at run time.
- Objets sit in about 15,000 communes nationally (scaled, a handful per département at
  least), picked with a bias towards populated communes (weight ~ population^0.35, so many
  small rural communes too), and spread over them with heavy-tailed (Pareto) weights: the
  largest communes hold a few thousand objets at full scale (real maximum: Nohant-Vic,
  3,461). Each holding commune has 1 to 4 édifices (église Saint-Martin, chapelle..., a
  cathédrale in some large towns), without Mérimée reference.
- Raw Palissy values (PROT with its dirty variants, dated DPRO, DENO, CATE, SCLE, EMPL,
  STAT, MANQUANT, DEPL, DOSS, TICO) follow the vocabularies and proportions of palissy.md;
  the typed columns (protection, owner, scope and its reason) are computed by
  dashboard.domain.palissy, the functions the real importer uses. Protection dates come from a
  pool of decree dates per département (a decree protects many objets the same day), which
  is realistic and keeps the number of distinct (PROT, DPRO) values small.
- REF values use the reserved pattern PMZ + 7 digits (real Palissy never uses Z), so demo
  objets can never collide with imported ones.
- Campaigns: five yearly periods ending at `today`; each year about 30 % of the départements
  with objets run one campaign (finished in the past, ongoing at the end; never two at a
  time in one département) and invite part of their communes. Answering communes (one
  dossier per commune per campaign, every in-scope objet recensed) are drawn until about
  15 % of the yearly objective (objets in scope / 5) is recensed each year, the real pace.
- Dossiers age like real ones: old ones accepted or archived, recent ones submitted (to be
  examined) or in construction with draft recensements; a commune never has two open
  dossiers (older ones are archived). Recensements: about 1 % absent, 2 % non recensable,
  état mostly bon/moyen, a few % mauvais, about 1 % péril. Examens cover every accepted
  dossier and part of the submitted ones, by the demo conservateur of the département or
  else the demo admin, with overrides on about 10 % of what they analyse.
- Everything derives from numpy's PCG64(seed) and `today`: same arguments, same content
  (ORDER BY on every read; ids come from the sequences, so equal in a fresh database).

- Contacts (issue 14): the demo deployment officer's calls and e-mails with about one commune
  in twelve of the demo département, some to call back (dashboard/demo/contacts.py, a
  random stream of their own: the rest of the demo does not change with them).
- Demo users (demo = true), one per role: admin (national), conservateur (62 and 59),
  drac (région 32), deploiement (62), commune (the commune of 62 holding the most objets
  with a dossier to examine). When 62 holds nothing (tiny scales), the département holding
  the most objets stands in for it.
- Départements of the table without communes in the database (975 when the reference data
  lacks it) are skipped and reported in the counts (departements_ignores); Mayotte (976)
  had no PM notice in 2022.

The load runs in the caller's transaction (COPY through psycopg), with per-row audit off
(objets.bulk) and one summary audit row; the load_state marker commits with the data, so
an interrupted load leaves nothing. A national load spends most of its time in per-row
triggers (the audit trigger builds its jsonb before it reads objets.bulk; foreign keys are
checked row by row): a superuser skips them (session_replication_role = replica, as
pg_restore --disable-triggers does), then the foreign keys are checked set-based and the
change is noted here as the skipped statement triggers would (noter_changement(): the data
version moves when the load commits).

Who uses it: `objets setup` and `objets load demo` (dashboard.ops.bootstrap) and the import
benchmark's synthetic export (dashboard/importer/generate.py, for the vocabularies); the
app never imports it. By concern:
- figures: the real 2022 counts per département and the pace the demo imitates;
- arrays: weighted draws, group ranges, dates and timestamps as COPY text;
- territoire: objets per département and holding commune, édifices;
- objets: the Palissy vocabularies, raw values and typed columns of the objets;
- campagnes: campaigns, invitations, dossiers and their dates;
- contacts: the deployment officer's contacts with communes;
- recensements: recensements and examens;
- users: the demo users and their scopes;
- chargement: the load itself (transaction, ids, COPY, triggers, foreign keys, markers).
Its SQL is in queries/demo.sql.
"""
from __future__ import annotations

from dashboard.demo.chargement import DemoError, load_demo

__all__ = ["DemoError", "load_demo"]
