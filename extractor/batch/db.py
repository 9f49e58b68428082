"""OUT/results.sqlite: the batch's memory. Schema and its meaning: docs/database.md.

One transaction per submission: a batch killed at any moment keeps every submission it
committed and redoes the rest. Data rows carry no run id or time, so a resumed batch ends
with exactly the rows of an uninterrupted one; only the runs table tells them apart.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import ENVIRONMENT_CODES, OS_ERROR_MARK
from ..model import CheckResult, Extraction, Finding, Locator, SubmissionResult, SubmissionSummary
from ..serialize import to_jsonable
from .codec import from_jsonable
from .encode import EncodedSubmission, check_row, compact, finding_row

SCHEMA_VERSION = 2
CHUNK = 200  # submissions decoded per query when the whole batch is read back

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    input TEXT NOT NULL,
    patterns_hash TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    workers INTEGER NOT NULL,
    status TEXT NOT NULL,
    processed INTEGER NOT NULL DEFAULT 0,
    reused INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS submissions (
    key TEXT PRIMARY KEY,
    unit TEXT NOT NULL,
    year INTEGER,
    files TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    findings INTEGER NOT NULL,
    result TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS summaries (
    key TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    boilerplate TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    path TEXT PRIMARY KEY,
    submission TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    patterns_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    error_code TEXT,
    error_message TEXT
);
CREATE TABLE IF NOT EXISTS facts (
    submission TEXT NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    label TEXT NOT NULL,
    subject TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT,
    unit TEXT NOT NULL,
    raw TEXT NOT NULL,
    decimals INTEGER,
    role TEXT NOT NULL,
    measure TEXT NOT NULL,
    year INTEGER,
    row_label TEXT NOT NULL,
    col_label TEXT NOT NULL,
    locator TEXT NOT NULL,
    PRIMARY KEY (submission, seq)
);
CREATE TABLE IF NOT EXISTS checks (
    submission TEXT NOT NULL,
    origin TEXT NOT NULL,
    seq INTEGER NOT NULL,
    rule_id TEXT NOT NULL,
    family TEXT NOT NULL,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    reach TEXT NOT NULL,
    level TEXT NOT NULL,
    subject TEXT NOT NULL,
    message TEXT NOT NULL,
    fact_ids TEXT NOT NULL,
    missing TEXT NOT NULL,
    difference TEXT,
    PRIMARY KEY (submission, origin, seq)
);
CREATE TABLE IF NOT EXISTS findings (
    submission TEXT NOT NULL,
    origin TEXT NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    unit TEXT NOT NULL,
    year INTEGER,
    rule_id TEXT NOT NULL,
    family TEXT NOT NULL,
    severity TEXT NOT NULL,
    reach TEXT NOT NULL,
    level TEXT NOT NULL,
    message TEXT NOT NULL,
    reported TEXT NOT NULL,
    expected TEXT NOT NULL,
    difference TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (submission, origin, seq)
);
CREATE TABLE IF NOT EXISTS decisions (
    finding_id TEXT PRIMARY KEY,
    decision TEXT NOT NULL,
    remark TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS unassigned (
    path TEXT PRIMARY KEY
);
CREATE INDEX IF NOT EXISTS facts_label ON facts (label);
CREATE INDEX IF NOT EXISTS findings_id ON findings (id);
CREATE INDEX IF NOT EXISTS documents_submission ON documents (submission);
"""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


CACHE_KIB = 256


def open_db(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)  # explicit BEGIN/COMMIT below
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    # the page cache (default 2 MiB) fills as the database grows: kept small, the parent's memory
    # stays flat from a county's batch to a province's; the OS's file cache serves the reads
    conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    conn.executescript(SCHEMA)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    return conn


class Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")


def start_run(conn: sqlite3.Connection, source: str, patterns: str, version: str, workers: int) -> int:
    with Transaction(conn):
        cursor = conn.execute(
            "INSERT INTO runs (started_at, input, patterns_hash, tool_version, workers, status)"
            " VALUES (?, ?, ?, ?, ?, 'running')",
            (now(), source, patterns, version, workers),
        )
    return int(cursor.lastrowid or 0)


def finish_run(conn: sqlite3.Connection, run_id: int, status: str, processed: int, reused: int) -> None:
    with Transaction(conn):
        conn.execute(
            "UPDATE runs SET finished_at=?, status=?, processed=?, reused=? WHERE id=?",
            (now(), status, processed, reused, run_id),
        )


def stored_fingerprints(conn: sqlite3.Connection) -> dict[str, str]:
    """Fingerprints of the submissions that may be reused: not those with an issue of
    errors.ENVIRONMENT_CODES (time limit, disk full, OUT not writable, ...) or an E110 whose
    detail is an OSError (a worker that could not write): such a failure is the machine's,
    not a property of the file, so a re-run (on a freed disk, with a longer --timeout) tries
    it again. Other E110 (a bug: the same version fails the same way) are reused."""
    codes, mark = compact(sorted(ENVIRONMENT_CODES)), f"%{OS_ERROR_MARK}%"
    return dict(conn.execute(
        "SELECT key, fingerprint FROM submissions WHERE key NOT IN"
        " (SELECT submission FROM documents WHERE status = 'timeout'"
        "  OR error_code IN (SELECT value FROM json_each(?)) OR (error_code = 'E110' AND error_message LIKE ?))"
        " AND key NOT IN (SELECT s.key FROM submissions s, json_each(s.result, '$.issues') i"
        "  WHERE json_extract(i.value, '$.code') IN (SELECT value FROM json_each(?))"
        "   OR (json_extract(i.value, '$.code') = 'E110' AND json_extract(i.value, '$.message') LIKE ?))"
        " AND key IN (SELECT key FROM summaries)", (codes, mark, codes, mark),
    ))


def prune(conn: sqlite3.Connection, keep: Iterable[str], unassigned: Iterable[str]) -> None:
    """Forget submissions no longer in the input; record the files that belong to none."""
    keep = set(keep)
    stale = [key for (key,) in conn.execute("SELECT key FROM submissions") if key not in keep]
    with Transaction(conn):
        for key in stale:
            _delete_submission(conn, key)
        conn.execute("DELETE FROM unassigned")
        conn.executemany("INSERT INTO unassigned (path) VALUES (?)", [(p,) for p in sorted(set(unassigned))])


def _delete_submission(conn: sqlite3.Connection, key: str) -> None:
    for table in ("documents", "facts", "checks", "findings"):
        conn.execute(f"DELETE FROM {table} WHERE submission=?", (key,))
    conn.execute("DELETE FROM submissions WHERE key=?", (key,))
    conn.execute("DELETE FROM summaries WHERE key=?", (key,))


def save_submission(
    conn: sqlite3.Connection, key: str, encoded: EncodedSubmission, fingerprint: str,
    hashes: Mapping[str, str], patterns: str,
) -> None:
    """Everything about one submission, in one transaction."""
    with Transaction(conn):
        _delete_submission(conn, key)
        conn.execute(
            "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (key, encoded.unit, encoded.year, compact(list(encoded.files)), fingerprint,
             encoded.status, encoded.findings, encoded.result_json),
        )
        conn.execute("INSERT INTO summaries VALUES (?, ?, ?)", (key, encoded.summary_json, encoded.boilerplate_json))
        for path in encoded.files:
            code, message = encoded.errors.get(path, (None, None))
            status = "ok" if code is None else ("timeout" if code == "E109" else "failed")
            conn.execute(
                "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
                (path, key, hashes[path], patterns, status, code, message),
            )
        _insert(conn, "facts", [(key, seq, *row) for seq, row in enumerate(encoded.fact_rows)])
        _insert(conn, "checks", [(key, "submission", seq, *row) for seq, row in enumerate(encoded.check_rows)])
        _insert(conn, "findings", [(key, "submission", seq, *row) for seq, row in enumerate(encoded.finding_rows)])


def _insert(conn: sqlite3.Connection, table: str, rows: list[tuple[object, ...]]) -> None:
    if rows:
        conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)


def save_batch_checks(
    conn: sqlite3.Connection, origin: str, per_key: Mapping[str, tuple[list[CheckResult], list[Finding], Any]]
) -> None:
    """Replace every check and finding of one batch-level origin (cross_year, batch) at once."""
    with Transaction(conn):
        clear_batch_checks(conn, origin)
        for key in sorted(per_key):
            insert_batch_checks(conn, origin, key, *per_key[key][:2])


def clear_batch_checks(conn: sqlite3.Connection, origin: str) -> None:
    """Within a transaction: no checks or findings of this batch-level origin left."""
    conn.execute("DELETE FROM checks WHERE origin=?", (origin,))
    conn.execute("DELETE FROM findings WHERE origin=?", (origin,))


def insert_batch_checks(
    conn: sqlite3.Connection, origin: str, key: str, checks: Iterable[CheckResult], findings: Iterable[Finding]
) -> None:
    """Within a transaction: one submission's checks and findings of a batch-level origin."""
    rows = [check_row(to_jsonable(c)) for c in checks]
    _insert(conn, "checks", [(key, origin, seq, *row) for seq, row in enumerate(rows)])
    rows = [finding_row(to_jsonable(f)) for f in findings]
    _insert(conn, "findings", [(key, origin, seq, *row) for seq, row in enumerate(rows)])


def _stored_result(conn: sqlite3.Connection, key: str) -> Any:
    """The submission's result row as plain JSON values (encode.RESULT_SCHEMA)."""
    (text,) = conn.execute("SELECT result FROM submissions WHERE key=?", (key,)).fetchone()
    return json.loads(text)


def load_result(conn: sqlite3.Connection, key: str) -> SubmissionResult:
    """One stored submission, whole (facts included): decoded only when something needs them."""
    result: SubmissionResult = from_jsonable(SubmissionResult, _stored_result(conn, key))
    return result


def load_extraction(conn: sqlite3.Connection, key: str) -> SubmissionResult:
    """One stored submission with its extraction only (checks and findings left empty)."""
    data = _stored_result(conn, key)
    extraction: Extraction = from_jsonable(Extraction, data["extraction"])
    return SubmissionResult(unit=data["unit"], year=data["year"], files=tuple(data["files"]), extraction=extraction)


# Every stored submission, sorted by unit then year: load_entries and load_summaries list them
# in this one order, so the i-th entry is the i-th summary.
IN_REPORT_ORDER = (
    " FROM submissions s JOIN summaries m ON m.key = s.key ORDER BY s.unit, COALESCE(s.year, 0), s.key"
)


def load_entries(conn: sqlite3.Connection) -> list[tuple[str, str, int | None, int]]:
    """(key, unit, year, number of facts) of every stored submission, sorted by unit then year."""
    rows = conn.execute("SELECT s.key, s.unit, s.year, json_extract(m.body, '$.fact_count')" + IN_REPORT_ORDER)
    return [(key, unit, year, int(count or 0)) for key, unit, year, count in rows]


def iter_summaries(
    conn: sqlite3.Connection, finish: Callable[[str, SubmissionSummary], SubmissionSummary]
) -> Iterator[SubmissionSummary]:
    """finish(key, summary with its own findings) of every stored submission, sorted by unit then
    year, one decoded at a time, its findings read with it. Summaries, not whole results: the
    reports need no facts, and the batch's memory then stays flat however many it holds."""
    keys = [key for (key,) in conn.execute("SELECT s.key" + IN_REPORT_ORDER)]
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        bodies = dict(conn.execute(
            "SELECT key, body FROM summaries WHERE key IN (SELECT value FROM json_each(?))", (compact(chunk),)
        ))
        for key in chunk:
            summary: SubmissionSummary = from_jsonable(SubmissionSummary, json.loads(bodies[key]))
            yield finish(key, dataclasses.replace(summary, findings=own_findings(conn, key)))


def load_summaries(
    conn: sqlite3.Connection, finish: Callable[[str, SubmissionSummary], SubmissionSummary]
) -> list[SubmissionSummary]:
    return list(iter_summaries(conn, finish))


def own_findings(conn: sqlite3.Connection, key: str, origin: str = "submission") -> tuple[Finding, ...]:
    """The submission's findings of one origin (its own, or a batch-level check's), as stored."""
    rows = conn.execute("SELECT body FROM findings WHERE submission=? AND origin=? ORDER BY seq", (key, origin))
    return tuple(from_jsonable(Finding, json.loads(body)) for (body,) in rows)


def load_boilerplate_inputs(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, Extraction]:
    """The stored boilerplate inputs (boilerplate_input) of these submissions."""
    rows = conn.execute("SELECT key, boilerplate FROM summaries WHERE key IN (SELECT value FROM json_each(?))",
                        (compact(list(keys)),))
    return {key: from_jsonable(Extraction, json.loads(text)) for key, text in rows}


LOCATOR_FIELDS = tuple(f.name for f in dataclasses.fields(Locator))


def locator_key(place: Locator) -> str:
    """The facts' locator column of a place: compact(to_jsonable(place)) without the generic
    walk (a Locator holds only strings, numbers, None and a tuple of strings). The reports
    look places up a unit at a time, so this runs for every place of every finding, twice."""
    return compact({name: getattr(place, name) for name in LOCATOR_FIELDS})


def load_raws(conn: sqlite3.Connection, places: Iterable[Locator]) -> dict[Locator, set[str]]:
    """The written figures at these places (what report.html marks in the excerpts), read from
    the facts of the submissions holding the places' files (by index, not a scan of every fact)."""
    wanted = {locator_key(place): place for place in places}
    raws: dict[Locator, set[str]] = {}
    if not wanted:
        return raws
    files = sorted({place.source for place in wanted.values()})
    sources = compact(files)
    known = conn.execute("SELECT count(*) FROM documents WHERE path IN (SELECT value FROM json_each(?))", (sources,))
    where = "locator IN (SELECT value FROM json_each(?))"
    if known.fetchone()[0] == len(files):
        where += " AND submission IN (SELECT submission FROM documents WHERE path IN (SELECT value FROM json_each(?)))"
        rows = conn.execute(f"SELECT locator, raw FROM facts WHERE {where}", (compact(sorted(wanted)), sources))
    else:  # a place in a file no submission lists: look through every fact
        rows = conn.execute(f"SELECT locator, raw FROM facts WHERE {where}", (compact(sorted(wanted)),))
    for locator, raw in rows:
        raws.setdefault(wanted[locator], set()).add(raw)
    return raws


def save_decisions(conn: sqlite3.Connection, decisions: Mapping[str, tuple[str, str]]) -> None:
    """The reviewer's decisions as last read from OUT (replaces earlier ones for the same finding)."""
    with Transaction(conn):
        conn.executemany(
            "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?)",
            [(fid, decision, remark) for fid, (decision, remark) in sorted(decisions.items())],
        )


def load_decisions(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    return {fid: (d, r) for fid, d, r in conn.execute("SELECT finding_id, decision, remark FROM decisions")}
