#!/usr/bin/env python3
"""Helpers for run.sh: check the import's JSON reports and the database, summarise timings.

  report.py first  REPORT.json      first import: no errors, committed, counts per kind
  report.py repeat REPORT.json      second import of the same file: nothing new or changed
  report.py db     DB_PATH          rows of the generated workbook present in the database
  report.py peers  OUT...           both Python readers saw the same non-empty cells
  report.py floor  FLOOR.out OPENPYXL.out   the floor wrote every row openpyxl read
  report.py table  RESULTS.tsv      medians, ratios and the goals (Markdown table)

Exit status of the checks: 0 = passed, 1 = failed, 3 = could not tell (the JSON lacks a
field or the schema differs); run.sh prints a warning for 3. The parsing is deliberately
tolerant: the importer's report format may still grow.
"""

import json
import sqlite3
import statistics
import sys

# What generate.py writes, by report kind.
EXPECTED = {"projekte": 350, "meilensteine": 5_000, "leistungen": 600, "nutzung": 21_600}

# Goals from the issue.
GOAL_VS_OPENPYXL = 8.0    # openpyxl bare read / leitstand import, at least
GOAL_VS_CALAMINE = 1.5    # leitstand import / calamine bare read, at most
GOAL_MEMORY = 0.25        # leitstand peak RSS / openpyxl peak RSS, at most

PASSED, FAILED, UNKNOWN = 0, 1, 3


def warn(message):
    print(f"WARNING: {message}")


def load_report(path):
    """The JSON object in the command's stdout. Log lines (tracing writes to stdout) may
    surround it, so fall back to the first '{' at a line start that parses."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        value = json.loads(text)
        if isinstance(value, dict):
            return value
    except ValueError:
        pass
    decoder = json.JSONDecoder()
    position = 0
    while True:
        position = text.find("{", position)
        if position < 0:
            return None
        if position == 0 or text[position - 1] == "\n":
            try:
                value, _ = decoder.raw_decode(text, position)
                if isinstance(value, dict):
                    return value
            except ValueError:
                pass
        position += 1


def kinds_of(report):
    """{kind: {new, changed, unchanged, errors, warnings}} or None if the report has no
    usable "kinds" list."""
    kinds = report.get("kinds")
    if not isinstance(kinds, list):
        return None
    out = {}
    for entry in kinds:
        if isinstance(entry, dict):
            out[str(entry.get("kind"))] = entry
    return out


def number(entry, field):
    value = entry.get(field)
    return value if isinstance(value, (int, float)) else None


def print_kinds(kinds):
    fields = ["new", "changed", "unchanged", "errors", "warnings"]
    print(f"  {'kind':<14}" + "".join(f"{f:>11}" for f in fields))
    for name, entry in kinds.items():
        cells = []
        for f in fields:
            v = number(entry, f)
            cells.append(f"{'?' if v is None else int(v):>11}")
        print(f"  {name:<14}" + "".join(cells))


def print_problems(report, field, limit=10):
    problems = report.get(field)
    if not isinstance(problems, list) or not problems:
        return
    print(f"  {len(problems)} {field}, the first {min(limit, len(problems))}:")
    for p in problems[:limit]:
        if isinstance(p, dict):
            where = " ".join(str(p[k]) for k in ("sheet", "row", "column") if p.get(k) is not None)
            print(f"    [{where}] {p.get('message', '')} ({p.get('value', '')!r})")
        else:
            print(f"    {p}")


def check_first(path):
    report = load_report(path)
    if report is None:
        warn(f"no JSON object in the import's output ({path}); cannot check it")
        return UNKNOWN
    status = PASSED
    errors = report.get("errors")
    kinds = kinds_of(report)
    error_count = len(errors) if isinstance(errors, list) else 0
    if kinds is not None:
        error_count = max(error_count, sum(int(number(k, "errors") or 0) for k in kinds.values()))
    if errors is None and kinds is None:
        warn("the report has neither \"errors\" nor \"kinds\"; cannot tell whether it had errors")
        status = UNKNOWN
    if error_count:
        print(f"FAIL: the import reports {error_count} errors; the benchmark needs a clean import")
        print_problems(report, "errors")
        status = FAILED
    committed = report.get("committed")
    if committed is None:
        warn("the report has no \"committed\" field")
        if status == PASSED:
            status = UNKNOWN
    elif committed is not True:
        print("FAIL: the report says committed = false; nothing was written")
        status = FAILED
    if kinds is None:
        warn("the report has no \"kinds\" list; cannot compare the counts")
        return status if status == FAILED else UNKNOWN
    print_kinds(kinds)
    print_problems(report, "warnings", limit=5)
    for kind, expected in EXPECTED.items():
        entry = kinds.get(kind)
        new = number(entry, "new") if entry else None
        if new is None:
            warn(f"no \"new\" count for kind {kind!r}")
        elif new != expected:
            warn(f"kind {kind!r}: {int(new)} new rows, the workbook holds {expected}")
    return status


def check_repeat(path):
    report = load_report(path)
    if report is None:
        warn(f"no JSON object in the second import's output ({path}); cannot check it")
        return UNKNOWN
    kinds = kinds_of(report)
    if kinds is None:
        warn("the second import's report has no \"kinds\" list; cannot check for changes")
        return UNKNOWN
    status = PASSED
    new = changed = 0
    for name, entry in kinds.items():
        n, c = number(entry, "new"), number(entry, "changed")
        if n is None or c is None:
            warn(f"kind {name!r} lacks \"new\" or \"changed\" in the second import's report")
            status = UNKNOWN
        new += int(n or 0)
        changed += int(c or 0)
    if new or changed:
        print(f"FAIL: importing the same file again reports {new} new and {changed} changed rows "
              "(expected 0 and 0)")
        print_kinds(kinds)
        changes = report.get("changes")
        if isinstance(changes, list):
            for ch in changes[:5]:
                print(f"    {json.dumps(ch, ensure_ascii=False)[:300]}")
        return FAILED
    if status == PASSED:
        print("  second import of the same file: 0 new, 0 changed")
    return status


def check_db(path):
    """Counts the generated rows in the database the first import wrote to."""
    queries = {
        "projekte": "SELECT count(*) FROM projects WHERE key LIKE 'BEN-%'",
        "meilensteine": "SELECT count(*) FROM milestones m JOIN projects p ON p.id = m.project_id "
                        "WHERE p.key LIKE 'BEN-%'",
        "leistungen": "SELECT count(*) FROM ozg_services WHERE leika_key LIKE '99900%001'",
        "nutzung": "SELECT count(*) FROM service_usage u JOIN ozg_services s ON s.id = u.service_id "
                   "WHERE s.leika_key LIKE '99900%001'",
    }
    status = PASSED
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as e:
        warn(f"cannot open {path}: {e}")
        return UNKNOWN
    try:
        found = []
        for kind, sql in queries.items():
            try:
                n = con.execute(sql).fetchone()[0]
            except sqlite3.Error as e:
                warn(f"cannot count {kind} in the database ({e})")
                status = UNKNOWN
                continue
            found.append(f"{kind} {n}")
            if n != EXPECTED[kind]:
                print(f"FAIL: the database holds {n} {kind} rows from the workbook, expected {EXPECTED[kind]}")
                status = FAILED
        print("  in the database after the first import: " + ", ".join(found))
    finally:
        con.close()
    return status


def check_peers(paths):
    seen = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            line = f.read().strip()
        fields = dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)
        seen[path] = (fields.get("sheets"), fields.get("nonempty"))
    if len(set(seen.values())) > 1:
        print("FAIL: the Python readers did not see the same cells:")
        for path, value in seen.items():
            print(f"    {path}: sheets={value[0]} nonempty={value[1]}")
        return FAILED
    return PASSED


def check_floor(floor_path, openpyxl_path):
    """The floor (examples/import_floor.rs) prints the rows it wrote, headers included."""
    with open(floor_path, encoding="utf-8") as f:
        written = f.read().strip()
    with open(openpyxl_path, encoding="utf-8") as f:
        fields = dict(part.split("=", 1) for part in f.read().split()[1:] if "=" in part)
    if not written.isdigit() or "rows" not in fields:
        print(f"  could not compare the floor's rows ({written!r}) with openpyxl's ({fields.get('rows')!r})")
        return UNKNOWN
    if int(written) != int(fields["rows"]):
        print(f"FAIL: the floor wrote {written} rows, openpyxl read {fields['rows']}")
        return FAILED
    return PASSED


def table(path):
    """RESULTS.tsv rows: round, contender, wall seconds, /usr/bin/time %e, max RSS KiB."""
    runs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 5 or parts[0] == "round":
                continue
            rnd, who, wall, _elapsed, kib = parts
            runs.setdefault(who, {})[int(rnd)] = (float(wall), int(kib) / 1024)

    def median(who, i):
        values = [v[i] for v in runs.get(who, {}).values()]
        return statistics.median(values) if values else float("nan")

    labels = {
        "leitstand": "leitstand import (end to end, commits)",
        "openpyxl": "openpyxl read_only, bare read",
        "calamine": "python-calamine, bare read",
        "python": "python3 -c pass (start-up only)",
        "floor": "floor: calamine read + sqlx insert, no checks (Rust)",
    }
    rounds = max((len(v) for v in runs.values()), default=0)
    print(f"Medians of {rounds} interleaved rounds:")
    print()
    print("| Contender | Time (s) | Peak RSS (MiB) |")
    print("| --- | ---: | ---: |")
    for who, label in labels.items():
        if who in runs:
            print(f"| {label} | {median(who, 0):.3f} | {median(who, 1):.1f} |")
    print()

    lt, lm = median("leitstand", 0), median("leitstand", 1)
    ot, om = median("openpyxl", 0), median("openpyxl", 1)
    ct = median("calamine", 0)

    def per_round(f):
        """Range of the ratio computed within each round (pairs run back to back)."""
        values = []
        for r in runs.get("leitstand", {}):
            try:
                values.append(f(r))
            except (KeyError, ZeroDivisionError):
                pass
        return f"{min(values):.2f}–{max(values):.2f}" if values else "–"

    L, O, C = runs.get("leitstand", {}), runs.get("openpyxl", {}), runs.get("calamine", {})
    rows = [
        ("openpyxl time / leitstand time", ot / lt, f"≥ {GOAL_VS_OPENPYXL:g}×",
         ot / lt >= GOAL_VS_OPENPYXL, per_round(lambda r: O[r][0] / L[r][0])),
        ("leitstand time / calamine time", lt / ct, f"≤ {GOAL_VS_CALAMINE:g}×",
         lt / ct <= GOAL_VS_CALAMINE, per_round(lambda r: L[r][0] / C[r][0])),
        ("leitstand memory / openpyxl memory", lm / om, f"≤ {GOAL_MEMORY:g}",
         lm / om <= GOAL_MEMORY, per_round(lambda r: L[r][1] / O[r][1])),
    ]
    print("| Ratio (of medians) | Value | Goal | Result | Per-round range |")
    print("| --- | ---: | ---: | :---: | ---: |")
    for name, value, goal, ok, spread in rows:
        print(f"| {name} | {value:.2f} | {goal} | {'PASS' if ok else 'FAIL'} | {spread} |")
    if "floor" in runs:
        fm = median("floor", 1)
        print()
        print(f"The floor of the stack (examples/import_floor.rs) peaks at {fm:.1f} MiB, "
              f"{fm / om:.2f} of openpyxl's memory (for information: no importer on calamine, "
              f"sqlx and SQLite can stay below it; the leitstand import takes {lm / fm:.2f}× it).")
    if "python" in runs:
        pt = median("python", 0)
        print()
        print(f"Python start-up (python3 -c pass) takes {pt:.3f} s of each peer's time; without it "
              f"openpyxl would need {ot - pt:.3f} s and calamine {ct - pt:.3f} s (for information; "
              "the goals use the full times).")
    return PASSED if all(ok for *_, ok, _ in rows) else FAILED


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    if command == "first":
        sys.exit(check_first(args[0]))
    if command == "repeat":
        sys.exit(check_repeat(args[0]))
    if command == "db":
        sys.exit(check_db(args[0]))
    if command == "peers":
        sys.exit(check_peers(args))
    if command == "floor":
        sys.exit(check_floor(*args[:2]))
    if command == "table":
        sys.exit(table(args[0]))
    sys.exit(__doc__)


if __name__ == "__main__":
    main()
