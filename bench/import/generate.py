#!/usr/bin/env python3
"""Generate the benchmark workbook for `leitstand import`.

Usage: generate.py DB_PATH OUT.xlsx [--seed N]

Reads the department codes and Themenfeld names from an existing Leitstand SQLite
database (normally a fresh copy of the demo city) so that every reference in the
workbook resolves, then writes one .xlsx with four sheets:

  Projekte      350 rows     BEN-0001 .. BEN-0350 (new, the demo city uses DIG-....)
  Meilensteine  5,000 rows   spread over those projects
  Leistungen    600 rows     LeiKa keys 99900xxxxxx001 (the demo's keys end in 000)
  Nutzung       21,600 rows  600 services x 36 months, 2023-11 .. 2026-10

The content depends only on the seed and the database's codes and names. The file's
bytes are not reproducible (openpyxl stamps the save time into it), which is harmless:
within one benchmark run the same file is imported and read by every contender.
"""

import argparse
import datetime as dt
import random
import sqlite3
import sys
import time

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

PROJECTS = 350
MILESTONES = 5_000
SERVICES = 600
MONTHS = 36
LAST_MONTH = (2026, 10)
# Reference date of the demo city that run.sh loads (`demo --as-of 2026-11-01`): no
# actual date (Ist-Termin) lies after the day before it.
AS_OF = dt.date(2026, 11, 1)
ACTUAL_SHARE = 0.40  # share of milestones with an Ist-Termin

# German date display, as a city's spreadsheet would have it; both readers and the
# importer must recognise it as a date format.
DATE_FORMAT = "DD.MM.YYYY"

CATEGORIES = ["OZG-Leistung", "eAkte", "Prozess", "Infrastruktur", "Qualifizierung"]
PHASES = ["Planung", "Umsetzung", "Einführung", "Betrieb"]
PHASE_WEIGHTS = [3, 5, 2, 2]
# Fertigstellung (percent done) range that fits each phase.
PHASE_PERCENT = {"Planung": (0, 25), "Umsetzung": (20, 80), "Einführung": (60, 95), "Betrieb": (90, 100)}
AMPELN = ["Grün", "Gelb", "Rot"]
AMPEL_WEIGHTS = [60, 28, 12]

TITLE_ACTIONS = [
    "Digitaler Antrag", "Online-Zugang", "Modernisierung", "Automatisierung",
    "Einführung E-Akte", "Prozessanalyse", "Migration", "Schulungsreihe",
    "Ausbau", "Neuaufbau", "Schnittstelle", "Self-Service",
]
TITLE_OBJECTS = [
    "Bewohnerparken", "Wohngeld", "Gewerbeanmeldung", "Hundesteuer", "Baugenehmigung",
    "Sondernutzung", "Elterngeld", "Kita-Platzvergabe", "Meldebescheinigung",
    "Fundbüro", "Friedhofsverwaltung", "Bürgerbüro-Termine", "Ratsinformationssystem",
    "Personalakte", "Rechnungseingang", "Vergabeplattform", "Fahrzeugzulassung",
    "Schülerbeförderung", "Jugendhilfe", "Wahlhelferportal", "Straßenreinigung",
    "Bibliotheksausweis", "Veranstaltungsanzeige", "Feuerwehr-Einsatzberichte",
]
REASON_CAUSES = [
    "Der Softwarehersteller liefert die Schnittstelle später als vereinbart",
    "Im Fachbereich fehlen zwei Stellen in der Sachbearbeitung",
    "Die Abstimmung mit dem Datenschutz dauert länger als geplant",
    "Die Ausschreibung musste wegen eines Formfehlers wiederholt werden",
    "Das Rechenzentrum hat die Testumgebung noch nicht bereitgestellt",
    "Der Personalrat hat der Dienstvereinbarung noch nicht zugestimmt",
    "Die Haushaltsmittel für das laufende Jahr sind noch gesperrt",
]
REASON_MEASURES = [
    "die Lotsin hat eine Eskalation an die Projektleitung gerichtet",
    "ein Ersatztermin mit dem Dienstleister ist vereinbart",
    "der Zeitplan wird bis zum nächsten Stichtag überarbeitet",
    "eine Entscheidung des Lenkungskreises ist beantragt",
    "externe Unterstützung wird über den Rahmenvertrag abgerufen",
]
MILESTONE_NAMES = [
    "Projektauftrag", "Ist-Analyse", "Soll-Konzept", "Ausschreibung", "Zuschlag",
    "Datenschutz-Folgenabschätzung", "Schnittstellenspezifikation", "Testumgebung",
    "Fachlicher Test", "Schulung", "Pilotbetrieb", "Abnahme", "Go-live",
    "Rollout weitere Standorte", "Übergabe in den Betrieb", "Evaluation",
]
SERVICE_OBJECTS = [
    "Wohngeld", "Bewohnerparkausweis", "Gewerbe", "Hund", "Baugenehmigung",
    "Sondernutzungserlaubnis", "Kita-Platz", "Meldebescheinigung", "Fundsache",
    "Grabstätte", "Führungszeugnis", "Personalausweis", "Reisepass", "Fahrerlaubnis",
    "Kfz-Zulassung", "Anwohnerparkzone", "Schwerbehindertenausweis", "Wahlschein",
    "Schülerfahrkarte", "Elterngeld", "Unterhaltsvorschuss", "Bildungspaket",
    "Baumfällung", "Grundsteuer", "Zweitwohnungsteuer", "Vergnügungsteuer",
    "Marktstand", "Gaststättenerlaubnis", "Feuerwerk", "Veranstaltung",
    "Plakatierung", "Aufgrabung", "Hausnummer", "Lärmschutz", "Sperrmüll",
    "Biotonne", "Einbürgerung", "Aufenthaltstitel", "Namensänderung", "Eheschließung",
]
SERVICE_ACTIONS = [
    "beantragen", "verlängern", "ändern", "abmelden", "anmelden", "kündigen",
    "Auskunft", "Bescheinigung", "Widerspruch", "Ersatz", "Erlaubnis", "Anzeige",
    "Gebührenbefreiung", "Akteneinsicht", "Rückerstattung",
]
REIFEGRAD_WEIGHTS = [10, 20, 30, 25, 15]
# Online share at the start of the period per Reifegrad (0 = not online at all).
ONLINE_SHARE_START = [0.0, 0.05, 0.15, 0.30, 0.45]

PROJECT_HEADERS = ["Projekt-Nr", "Titel", "Fachbereich", "Kategorie", "Phase", "Start",
                   "Planende", "Fertigstellung", "Ampel", "Ampel-Begründung"]
MILESTONE_HEADERS = ["Projekt-Nr", "Meilenstein", "Plantermin", "Prognose", "Ist-Termin"]
SERVICE_HEADERS = ["OZG-ID", "LeiKa-Schlüssel", "Leistung", "Themenfeld", "Reifegrad"]
USAGE_HEADERS = ["LeiKa-Schlüssel", "Monat", "Online", "Gesamt"]


def read_reference_data(db_path):
    """Department codes and Themenfeld names, sorted so that the order of rows in the
    database does not change the workbook."""
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    except sqlite3.Error as e:
        sys.exit(f"generate.py: cannot open {db_path}: {e}")
    try:
        departments = sorted(r[0] for r in con.execute("SELECT code FROM departments"))
        themenfelder = sorted(r[0] for r in con.execute("SELECT name FROM themenfelder"))
    except sqlite3.Error as e:
        sys.exit(f"generate.py: {db_path} is not a Leitstand database: {e}")
    finally:
        con.close()
    if not departments or not themenfelder:
        sys.exit(f"generate.py: {db_path} has no departments or no Themenfelder "
                 "(load the demo city first: leitstand demo)")
    return departments, themenfelder


def months():
    year, month = LAST_MONTH
    out = []
    for _ in range(MONTHS):
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def make_projects(rng, departments):
    projects = []
    titles = set()
    for i in range(1, PROJECTS + 1):
        title = f"{rng.choice(TITLE_ACTIONS)} {rng.choice(TITLE_OBJECTS)}"
        stage = 2
        base = title
        while title in titles:
            title = f"{base}, Stufe {stage}"
            stage += 1
        titles.add(title)
        phase = rng.choices(PHASES, PHASE_WEIGHTS)[0]
        start = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 1550))
        end = start + dt.timedelta(days=rng.randint(240, 1300))
        ampel = rng.choices(AMPELN, AMPEL_WEIGHTS)[0]
        reason = None
        if ampel != "Grün":
            reason = f"{rng.choice(REASON_CAUSES)}; {rng.choice(REASON_MEASURES)}."
        lo, hi = PHASE_PERCENT[phase]
        projects.append({
            "key": f"BEN-{i:04d}",
            "title": title,
            "department": rng.choice(departments),
            "category": rng.choice(CATEGORIES),
            "phase": phase,
            "start": start,
            "end": end,
            "percent": rng.randint(lo, hi),
            "ampel": ampel,
            "reason": reason,
        })
    return projects


def milestone_counts(rng):
    """How many milestones each project gets: about 14, between 6 and 24, summing to
    exactly MILESTONES."""
    base, extra = divmod(MILESTONES, PROJECTS)
    counts = [base] * PROJECTS
    for j in rng.sample(range(PROJECTS), extra):
        counts[j] += 1
    for _ in range(PROJECTS * 2):
        a, b = rng.randrange(PROJECTS), rng.randrange(PROJECTS)
        if counts[a] > 6 and counts[b] < 24:
            counts[a] -= 1
            counts[b] += 1
    assert sum(counts) == MILESTONES
    return counts


def make_milestones(rng, projects):
    last_actual = AS_OF - dt.timedelta(days=1)
    drift = {"Grün": (-7, 14), "Gelb": (0, 60), "Rot": (30, 150)}
    per_project = []
    for project, count in zip(projects, milestone_counts(rng)):
        span = (project["end"] - project["start"]).days
        # Names in their natural order; long projects get extra steering-committee dates.
        picked = sorted(rng.sample(range(len(MILESTONE_NAMES)), min(count, len(MILESTONE_NAMES))))
        names = [MILESTONE_NAMES[k] for k in picked]
        while len(names) < count:
            names.insert(rng.randint(1, len(names) - 1), "Lenkungskreis-Vorlage")
        rows = []
        for n in range(1, count + 1):
            plan = project["start"] + dt.timedelta(days=span * n // (count + 1))
            lo, hi = drift[project["ampel"]]
            forecast = plan + dt.timedelta(days=rng.randint(lo, hi))
            # The number makes the title unique within the project.
            rows.append([project["key"], f"Meilenstein {n}: {names[n - 1]}", plan, forecast, None])
        per_project.append(rows)

    # Ist-Termin: within each project the earliest milestones whose forecast is past are
    # done, scaled so that about ACTUAL_SHARE of all milestones have one.
    past = [sum(1 for r in rows if r[3] <= last_actual) for rows in per_project]
    scale = min(1.0, ACTUAL_SHARE * MILESTONES / max(1, sum(past)))
    for rows, n_past in zip(per_project, past):
        done = round(n_past * scale)
        for r in rows[:done]:
            r[4] = min(last_actual, r[3] + dt.timedelta(days=rng.randint(-5, 5)))
    return [r for rows in per_project for r in rows]


def make_services(rng, themenfelder):
    names = [f"{o} {a}" for o in SERVICE_OBJECTS for a in SERVICE_ACTIONS]
    assert len(names) >= SERVICES
    rng.shuffle(names)
    services = []
    for i in range(SERVICES):
        services.append({
            # Related services share an OZG-ID, as in the real catalogue.
            "ozg_id": 10_000 + i * 5 // 6,
            # 14 digits, text; the demo's keys always end in 000, these in 001.
            "leika": f"99900{i + 1:06d}001",
            "name": names[i],
            "themenfeld": rng.choice(themenfelder),
            "reifegrad": rng.choices(range(5), REIFEGRAD_WEIGHTS)[0],
        })
    return services


def make_usage(rng, services):
    month_list = months()
    rows = []
    for s in services:
        base = rng.randint(60, 3500)
        growth = rng.uniform(-0.2, 0.4)
        share0 = ONLINE_SHARE_START[s["reifegrad"]]
        share_gain = rng.uniform(0.0, 0.35) if share0 > 0 else 0.0
        for m, month in enumerate(month_list):
            t = m / (MONTHS - 1)
            total = int(base * (1 + growth * t) * rng.uniform(0.85, 1.15))
            total = max(50, min(5000, total))
            share = min(0.95, share0 + share_gain * t + rng.uniform(-0.03, 0.03)) if share0 > 0 else 0.0
            online = max(0, min(total, round(total * share)))
            rows.append([s["leika"], month, online, total])
    return rows


def write_workbook(path, projects, milestones, services, usage):
    wb = Workbook(write_only=True)

    def date_cell(ws, value):
        if value is None:
            return None
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell

    def text_cell(ws, value):
        # Text-formatted cell ("@"), as a key column would be formatted in Excel so that
        # leading digits are never turned into a number.
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "@"
        return cell

    ws = wb.create_sheet("Projekte")
    ws.append(PROJECT_HEADERS)
    for p in projects:
        ws.append([p["key"], p["title"], p["department"], p["category"], p["phase"],
                   date_cell(ws, p["start"]), date_cell(ws, p["end"]), p["percent"],
                   p["ampel"], p["reason"]])

    ws = wb.create_sheet("Meilensteine")
    ws.append(MILESTONE_HEADERS)
    for key, title, plan, forecast, actual in milestones:
        ws.append([key, title, date_cell(ws, plan), date_cell(ws, forecast), date_cell(ws, actual)])

    ws = wb.create_sheet("Leistungen")
    ws.append(SERVICE_HEADERS)
    for s in services:
        ws.append([s["ozg_id"], text_cell(ws, s["leika"]), s["name"], s["themenfeld"], s["reifegrad"]])

    ws = wb.create_sheet("Nutzung")
    ws.append(USAGE_HEADERS)
    for leika, month, online, total in usage:
        ws.append([leika, month, online, total])

    wb.save(path)


def main():
    parser = argparse.ArgumentParser(description="Generate the benchmark workbook for `leitstand import`.")
    parser.add_argument("db_path", help="Leitstand SQLite database with the demo city (file path)")
    parser.add_argument("out", help="output .xlsx")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args()

    db_path = args.db_path.removeprefix("sqlite://")
    started = time.perf_counter()
    departments, themenfelder = read_reference_data(db_path)
    # One generator per sheet, so that changing one sheet's logic leaves the others alone.
    projects = make_projects(random.Random(f"{args.seed}/projekte"), departments)
    milestones = make_milestones(random.Random(f"{args.seed}/meilensteine"), projects)
    services = make_services(random.Random(f"{args.seed}/leistungen"), themenfelder)
    usage = make_usage(random.Random(f"{args.seed}/nutzung"), services)
    write_workbook(args.out, projects, milestones, services, usage)

    with_actual = sum(1 for m in milestones if m[4] is not None)
    rows = len(projects) + len(milestones) + len(services) + len(usage)
    print(f"{args.out}: {len(projects)} Projekte, {len(milestones)} Meilensteine "
          f"({with_actual} mit Ist-Termin), {len(services)} Leistungen, {len(usage)} Nutzung rows "
          f"= {rows} data rows; seed {args.seed}; {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
