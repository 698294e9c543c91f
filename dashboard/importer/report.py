"""The import report: JSON beside a CSV of every row that was not stored.

Invariant (checked before anything commits): rows == imported.total + sum(excluded) +
sum(rejected). `imported.total` = inserted + updated + unchanged; `withdrawn` counts objets
of the database missing from a complete export (they are not rows of the file).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.domain import tableur

REJECTS_HEADER = ("ligne", "ref", "categorie", "raison", "detail")


@dataclass
class Outcome:
    """What happened to the rows of one file, filled while reading and after the upsert."""
    rows: int = 0
    hors_perimetre: Counter = field(default_factory=Counter)
    excluded: Counter = field(default_factory=Counter)
    rejected: Counter = field(default_factory=Counter)
    anomalies: Counter = field(default_factory=Counter)
    not_stored: list = field(default_factory=list)       # (line, ref, 'rejete' | 'exclu', reason, detail)
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0

    def reject(self, line: int, ref, reason: str, detail: str | None = None) -> None:
        self.rejected[reason] += 1
        self.not_stored.append((line, ref, "rejete", reason, detail))

    def exclude(self, line: int, ref, reason: str, detail: str | None = None) -> None:
        self.excluded[reason] += 1
        self.not_stored.append((line, ref, "exclu", reason, detail))

    def not_stored_by_line(self) -> list:
        """The rows not stored, in the order of the file (batches note some reasons before others)."""
        return sorted(self.not_stored, key=lambda row: row[0])

    @property
    def imported(self) -> int:
        return self.inserted + self.updated + self.unchanged

    def balanced(self) -> bool:
        return self.rows == self.imported + sum(self.excluded.values()) + sum(self.rejected.values())

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "imported": {"total": self.imported, "inserted": self.inserted, "updated": self.updated,
                         "unchanged": self.unchanged, "withdrawn": self.withdrawn},
            "hors_perimetre": dict(sorted(self.hors_perimetre.items())),
            "excluded": dict(sorted(self.excluded.items())),
            "rejected": dict(sorted(self.rejected.items())),
            "anomalies": dict(sorted(self.anomalies.items())),
        }


def default_paths(directory: Path, nature: str, chargement_id: int) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"import-{nature}-{chargement_id:05d}"
    return directory / f"{stem}.json", directory / f"{stem}-rejets.csv"


def rejects_path_for(report: Path) -> Path:
    return report.with_name(report.stem + "-rejets.csv")


def write(report: dict, outcome: Outcome, report_path: Path) -> Path:
    """Write the JSON report and, beside it, the CSV of rows not stored; returns the CSV path."""
    report_path.parent.mkdir(parents=True, exist_ok=True)
    rejects = rejects_path_for(report_path)
    with rejects.open("w", encoding="utf-8", newline="") as out:
        # Its own format (for POP: UTF-8 without BOM, these columns), cells safe to open.
        tableur.ecrire_csv(out, REJECTS_HEADER, outcome.not_stored_by_line())
    report_path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return rejects


def record(conn, result: dict, *, user_id: int | None, table_name: str, action: str) -> None:
    """Store the report in its `chargement` row, and one summary row in the audit table."""
    from dashboard.db import sql

    detail = json.dumps(result, ensure_ascii=False)
    sql.execute(conn, "import_fin_chargement", rapport=detail, id=result["chargement_id"])
    sql.execute(conn, "import_audit_resume", user_id=user_id, table_name=table_name, action=action, rapport=detail)
