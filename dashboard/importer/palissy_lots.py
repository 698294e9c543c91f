"""From batches of raw Palissy records to staging rows: the REF checks, the cleaning rules
of dashboard.domain.palissy applied once per distinct group of raw values, the whitespace rule
applied by Arrow to the free-text columns.

A staged row carries its free text and, for each group of related fields (commune,
protection, scope, multi-valued fields, building), the id of a group row. Group rows are
computed once by the rules and sent to their own staging table (GROUPS); SQL joins them back
(view import_palissy_lignes). Why: at 300,000 rows, formatting 36 values per row for COPY
cost 2.7 s in Python where 14 are enough, and the free-text columns never need to become
Python strings at all.

Every record is accounted for (report.Outcome): stored (in scope or with its reason not to
be), excluded (not a PM notice) or rejected (unreadable, no or malformed REF, a REF seen
earlier in the file: the first one is kept and the later ones cite its line).
"""
from __future__ import annotations

import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.domain import palissy
from dashboard.importer import report as reports, sources

# Group tables: their columns after `id`, in the order of the rule's result.
GROUPS = {
    "commune": ("insee_brut", "web", "deplacement", "dpt", "commune_code", "departement_code",
                "commune_resolution", "anomalies"),
    "protection": ("protection_brute", "dpro", "protection", "protection_date", "anomalies"),
    "perimetre": ("dossier_type", "manquant", "statut_proprietaire", "proprietaire", "hors_perimetre_raison"),
    "multi": ("denomination", "categorie", "siecle", "deno_brut", "cate_brut", "scle_brut"),
    "site": ("refa", "mosa", "ref_merimee", "remplace_edifice", "mosa_nom"),
}
# Staging columns, in the order of the record batches stage() returns.
STAGE_COLUMNS = ("line", "ref", "titre", "edif", "com", "reg", "emplacement", "denq", "etat_pop",
                 "groupe_commune", "groupe_protection", "groupe_perimetre", "groupe_multi", "groupe_site")
# Free-text fields: the whitespace rule only, by Arrow.
FREE_TEXT = (("TICO", "titre"), ("EDIF", "edif"), ("COM", "com"), ("REG", "reg"), ("EMPL", "emplacement"),
             ("DENQ", "denq"), ("ETAT", "etat_pop"))

# palissy.clean_text splits on what str.split() splits on: every character str.isspace() accepts.
_SPACES = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
_SPACE_CLASS = "".join(f"\\x{{{ord(c):x}}}" for c in _SPACES)
_NOT_SINGLE_SPACE = f"[{_SPACE_CLASS}]{{2,}}|[{_SPACE_CLASS.replace(chr(92) + 'x{20}', '')}]"


def clean_text(values: pa.Array) -> pa.Array:
    """palissy.clean_text of every value of a string array: runs of Unicode whitespace become
    one space, the ends are stripped, and an empty result is null."""
    spaced = pc.replace_substring_regex(values, pattern=_NOT_SINGLE_SPACE, replacement=" ")
    trimmed = pc.utf8_trim(spaced, characters=" ")
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


# A REF as palissy.ref_from leaves it, of a PM notice: most REFs of a file need nothing more.
_CLEAN_PM_REF = "^PM[0-9A-Z]{8}$"


def _combinations(arrays: list[pa.Array], extra: np.ndarray | None = None):
    """The distinct combinations of values of the rows (the arrays' values, then a small int
    `extra` when given): (per row the index of its combination, the combinations as tuples).
    Arrow encodes each column; numpy finds the combinations of codes."""
    encoded = [a.dictionary_encode() for a in arrays]
    codes = [e.indices.to_numpy(zero_copy_only=False).astype(np.int64) for e in encoded]
    sizes = [max(len(e.dictionary), 1) for e in encoded]
    if extra is not None:
        codes.append(np.asarray(extra, np.int64))
        sizes.append(int(codes[-1].max()) + 1 if len(codes[-1]) else 1)
    if float(np.prod(np.array(sizes, float))) < 2.0 ** 62:
        packed = np.zeros(len(codes[0]), np.int64)
        for code, size in zip(codes, sizes):
            packed = packed * size + code
        distinct, inverse = np.unique(packed, return_inverse=True)
        columns = []
        for size in reversed(sizes):
            columns.append(distinct % size)
            distinct = distinct // size
        columns.reverse()
    else:
        rows, inverse = np.unique(np.stack(codes, axis=1), axis=0, return_inverse=True)
        columns = [rows[:, j] for j in range(len(codes))]
    values = [e.dictionary.to_pylist() for e in encoded]
    decoded = [[values[j][k] for k in columns[j].tolist()] for j in range(len(encoded))]
    if extra is not None:
        decoded.append(columns[-1].tolist())
    return inverse.reshape(-1), list(zip(*decoded))


def pg_array(values) -> str:
    quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


class _Group:
    """Distinct raw values of one group -> a group id, the rule's result computed once; the
    results not yet sent to the database wait in `new`."""

    def __init__(self, rule, flag=None):
        self.rule, self.flag = rule, flag
        self.ids: dict[tuple, int] = {}
        self.rows: list[tuple] = []
        self.new: list[tuple] = []
        self._flags = np.zeros(0, np.int64)

    def flags(self) -> np.ndarray:
        """flag(row) of every group row, by id (a small int other groups' keys use); extended
        with the rows added since the last call only."""
        if len(self._flags) < len(self.rows):
            added = [self.flag(row) for row in self.rows[len(self._flags):]]
            self._flags = np.concatenate((self._flags, np.array(added, np.int64)))
        return self._flags

    def id(self, key: tuple) -> int:
        found = self.ids.get(key)
        if found is None:
            row = self.rule(*key)
            found = self.ids[key] = len(self.rows)
            self.rows.append(row)
            self.new.append((found, *row))
        return found

    def ids_of(self, combinations, key=None) -> np.ndarray:
        """Per row, the group id of its combination of values (see _combinations); `key`
        turns a combination into the rule's arguments."""
        inverse, distinct = combinations
        found = self.ids
        ids = []
        for combination in distinct:
            args = key(*combination) if key else combination
            gid = found.get(args)
            ids.append(gid if gid is not None else self.id(args))
        return np.array(ids, np.int64)[inverse] if ids else np.zeros(0, np.int64)

    def take_new(self) -> list[tuple]:
        new, self.new = self.new, []
        return new


class Stager:
    """The rules of dashboard.domain.palissy over batches of records (sources.Batch)."""

    def __init__(self, communes: dict[str, str], anciennes: dict[str, str], departements: set[str]):
        self.communes, self.anciennes, self.departements = communes, anciennes, departements
        self.groups = {"commune": _Group(self._commune, lambda row: (row[0] is not None) * 2 + (row[6] == "deplacement")),
                       "protection": _Group(self._protection, lambda row: int(row[2] == palissy.NON_PROTEGE)),
                       "perimetre": _Group(self._perimetre), "multi": _Group(self._multi),
                       "site": _Group(self._site)}
        self.seen: dict[str, int] = {}
        self.traitement: dict[str, bool] = {}

    # --- the rules, per group of raw values ---------------------------------------------

    def _commune(self, insee, web, depl, dpt):
        """(INSEE, WEB, DEPL, DPT) -> cleaned values, current commune, département, method,
        anomalies (as a PostgreSQL array), then the anomalies as a tuple."""
        raw = palissy.clean_text
        insee, web, depl, dpt = raw(insee), raw(web), raw(depl), raw(dpt)
        if not web and insee in self.communes:
            # The common case, as resolve_commune would find it, without its parsing.
            code, departement, methode, flags = insee, self.communes[insee], "insee", []
        else:
            found = palissy.resolve_commune(insee, web, depl, self.communes, self.anciennes)
            code, departement, methode, flags = found.code, found.departement, found.methode, list(found.anomalies)
        if departement is None:
            departement = palissy.departement_fallback(insee, dpt, self.departements)
        else:
            published = palissy.departement_code(dpt)
            if published and published != departement:
                flags.append("departement_different")
        return insee, web, depl, dpt, code, departement, methode, pg_array(flags), tuple(flags)

    @staticmethod
    def _protection(prot, dpro):
        prot, dpro = palissy.clean_text(prot), palissy.clean_text(dpro)
        kind, when = palissy.protection_from(prot, dpro)
        flags = ("protection_inconnue",) if kind is None else ()
        return prot, dpro, kind, (when.isoformat() if when else None), pg_array(flags), flags

    @staticmethod
    def _perimetre(insee_present, doss, manquant, stat, non_protege, traitement):
        raw = palissy.clean_text
        doss, manquant, stat = raw(doss), raw(manquant), raw(stat)
        reason = palissy.raison_hors_perimetre("present" if insee_present else None, doss, manquant,
                                               "Traitement en cours" if traitement else "", stat, non_protege)
        return doss, manquant, stat, palissy.proprietaire_from(stat), reason

    @staticmethod
    def _multi(deno, cate, scle):
        raw, split = palissy.clean_text, palissy.split_multi
        return (pg_array(split(deno)), pg_array(split(cate)), pg_array(split(scle)),
                raw(deno), raw(cate), raw(scle))

    @staticmethod
    def _site(refa, mosa, deplacement):
        """REFA, MOSA and whether the commune comes from DEPL -> cleaned REFA and MOSA, the
        Mérimée id, and whether MOSA's building replaces EDIF (an objet that moved), with its name."""
        ref_merimee = palissy.ref_merimee_from(refa)
        if not mosa:
            return palissy.clean_text(refa), None, ref_merimee, False, None
        nom, ref = palissy.mosa_from(mosa)
        if deplacement:
            return palissy.clean_text(refa), palissy.clean_text(mosa), ref, True, nom
        return palissy.clean_text(refa), palissy.clean_text(mosa), ref_merimee, False, None

    def _traitement(self, titres: pa.Array) -> np.ndarray:
        """Per row: the cleaned title reads "traitement en cours" (a scope rule), decided once
        per distinct title."""
        encoded = titres.dictionary_encode()
        known = self.traitement
        flags = []
        for titre in encoded.dictionary.to_pylist():
            flag = known.get(titre)
            if flag is None:
                flag = known[titre] = palissy.normalise(titre) == "traitement en cours"
            flags.append(flag)
        table = np.array(flags + [False], bool)
        return table[encoded.indices.fill_null(len(flags)).to_numpy(zero_copy_only=False)]

    # --- a batch --------------------------------------------------------------------------

    def stage(self, batch: sources.Batch, outcome: reports.Outcome) -> pa.RecordBatch | None:
        """The staging rows of a batch (None when none is kept); fills outcome."""
        for line, reason, detail in batch.rejects:
            outcome.reject(line, None, reason, detail)
        outcome.rows += len(batch.rejects) + len(batch.lines)
        column = dict(zip(sources.FIELDS, batch.columns))
        positions, refs, lines = self._keep(batch.lines, column["REF"], outcome)
        if not refs:
            return None
        if len(refs) < len(batch.lines):
            picked = pa.array(positions, pa.int64())
            column = {k: v.take(picked) for k, v in column.items()}
        texts = {name: clean_text(column[field]) for field, name in FREE_TEXT}
        ids = self._group_ids(column, texts["titre"], outcome)
        arrays = [pa.array(lines, pa.int32()), pa.array(refs, pa.string())]
        arrays += [texts[name] for _, name in FREE_TEXT]
        arrays += [pa.array(ids[g], pa.int32()) for g in GROUPS]
        return pa.RecordBatch.from_arrays(arrays, names=list(STAGE_COLUMNS))

    def _keep(self, lines: list[int], refs: pa.Array, outcome) -> tuple[np.ndarray, list[str], list[int]]:
        """The records that are stored: their positions in the batch, cleaned REFs and lines.
        A REF already clean is recognised by Arrow; the others go through palissy.ref_from."""
        clean = pc.match_substring_regex(refs, _CLEAN_PM_REF).to_numpy(zero_copy_only=False)
        positions = np.flatnonzero(clean)
        kept = refs.take(pa.array(positions)).to_pylist()
        if len(positions) < len(refs):
            recovered = []
            for i in np.flatnonzero(~clean).tolist():
                raw = refs[i].as_py()
                ref, why = palissy.ref_from(raw)
                if ref is None:
                    outcome.reject(lines[i], palissy.clean_text(raw), why)
                elif ref[:2] != "PM":
                    outcome.exclude(lines[i], ref, "notice_non_pm", ref[:2])
                else:
                    recovered.append((i, ref))
            if recovered:
                merged = sorted([*zip(positions.tolist(), kept), *recovered])
                positions = np.array([i for i, _ in merged], np.int64)
                kept = [ref for _, ref in merged]
        kept_lines = [lines[i] for i in positions.tolist()]
        # Duplicates: the first occurrence in the file is kept (seen maps a REF to its line).
        seen = self.seen
        first = dict(zip(reversed(kept), reversed(kept_lines)))
        if len(first) == len(kept) and seen.keys().isdisjoint(first):
            seen.update(first)
            return positions, kept, kept_lines
        mask = np.ones(len(kept), bool)
        for k, (ref, line) in enumerate(zip(kept, kept_lines)):
            earlier = seen.setdefault(ref, line)
            if earlier != line:
                outcome.reject(line, ref, "ref_en_double", f"doublon de la ligne {earlier}")
                mask[k] = False
        return (positions[mask], [r for r, m in zip(kept, mask.tolist()) if m],
                [n for n, m in zip(kept_lines, mask.tolist()) if m])

    def _group_ids(self, column: dict, titres: pa.Array, outcome) -> dict[str, np.ndarray]:
        """Per kept row, the id of each of its groups; counts scope reasons and anomalies."""
        commune, protection, perimetre, multi, site = (self.groups[g] for g in GROUPS)
        c = commune.ids_of(_combinations([column[f] for f in ("INSEE", "WEB", "DEPL", "DPT")]))
        p = protection.ids_of(_combinations([column["PROT"], column["DPRO"]]))
        # Commune flags: INSEE present (2), commune from DEPL (1); protection flag: non protégé.
        commune_flags = commune.flags()[c]
        flags = (commune_flags >> 1) * 4 + protection.flags()[p] * 2 + self._traitement(titres)
        h = perimetre.ids_of(_combinations([column[f] for f in ("DOSS", "MANQUANT", "STAT")], flags),
                             lambda doss, manquant, stat, f: (bool(f & 4), doss, manquant, stat, bool(f & 2),
                                                              bool(f & 1)))
        m = multi.ids_of(_combinations([column[f] for f in ("DENO", "CATE", "SCLE")]))
        e = site.ids_of(_combinations([column["REFA"], column["MOSA"]], commune_flags & 1),
                        lambda refa, mosa, f: (refa, mosa, bool(f)))
        ids = {"commune": c, "protection": p, "perimetre": h, "multi": m, "site": e}
        self._count(ids, outcome)
        return ids

    def _count(self, ids: dict[str, list[int]], outcome) -> None:
        for name, position, counter in (("perimetre", 4, outcome.hors_perimetre), ("commune", 8, outcome.anomalies),
                                        ("protection", 5, outcome.anomalies)):
            rows = self.groups[name].rows
            counts = np.bincount(np.asarray(ids[name], np.int64), minlength=len(rows))
            for group in np.flatnonzero(counts).tolist():
                found = rows[group][position]
                if not found:
                    continue
                for reason in ((found,) if isinstance(found, str) else found):
                    counter[reason] += int(counts[group])

    def new_groups(self) -> dict[str, list[tuple]]:
        """Group rows computed since the last call, per group table, without the tuples of
        anomalies that only the report uses."""
        width = {name: len(columns) + 1 for name, columns in GROUPS.items()}
        return {name: [row[:width[name]] for row in group.take_new()] for name, group in self.groups.items()}
