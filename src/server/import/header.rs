//! Recognising a sheet by its header row. Departments name their columns freely ("Plan-Termin",
//! "Basistermin", "Lotsin"), put a title row above the header and merge cells, so headers are
//! compared in a normalised form against a list of synonyms per column, and the header row is
//! searched in the first rows of the sheet.

use super::cell::{self, Cell, Epoch};
use crate::api::imports::Kind;

/// A column Leitstand reads. Each kind uses a subset; the canonical German header is what
/// templates and exports write and what error messages name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    DepartmentCode,
    DepartmentName,
    Function,
    Person,
    Email,
    Phone,
    ProjectKey,
    Title,
    Department,
    Lotse,
    Category,
    Phase,
    Start,
    PlannedEnd,
    Percent,
    Ampel,
    AmpelReason,
    Budget,
    Milestone,
    MilestoneNo,
    IsKey,
    Baseline,
    Forecast,
    Actual,
    Reason,
    OzgId,
    LeikaKey,
    ServiceName,
    Themenfeld,
    Lebenslage,
    Reifegrad,
    OnlineSince,
    Epayment,
    Url,
    Month,
    Online,
    Total,
    Art,
    LeikaType,
    LegalBasis,
    Number,
}

/// One column of a kind: field, canonical header, accepted synonyms (already normalised),
/// whether the sheet must have it.
pub struct ColumnSpec {
    pub field: Field,
    pub header: &'static str,
    synonyms: &'static [&'static str],
    pub required: bool,
}

const fn col(field: Field, header: &'static str, synonyms: &'static [&'static str], required: bool) -> ColumnSpec {
    ColumnSpec { field, header, synonyms, required }
}

const PROJECT_KEY: &[&str] = &[
    "projektnr",
    "projektnummer",
    "projektid",
    "projektkennung",
    "projektschluessel",
    "kennung",
    "nr",
    "nummer",
    "massnahmennr",
    "massnahmennummer",
    "projectkey",
    "projectid",
    "key",
];
const LEIKA: &[&str] =
    &["leikaschluessel", "leika", "leikakey", "leikaid", "leikanr", "leikanummer", "leistungsschluessel"];
const OZG_ID: &[&str] = &["ozgid", "ozgnr", "ozgnummer", "ozg", "ozgleistungsid", "ozgids"];
const THEMENFELD: &[&str] = &["themenfeld", "themenfelder", "themenbereich"];
const DEPARTMENT: &[&str] =
    &["fachbereich", "fb", "amt", "organisationseinheit", "oe", "abteilung", "department", "bereich"];

/// A city's departments: the list a fresh installation starts from, before any project.
pub const DEPARTMENTS: &[ColumnSpec] = &[
    col(
        Field::DepartmentCode,
        "Kürzel",
        &[
            "kuerzel",
            "fachbereichskuerzel",
            "fbkuerzel",
            "amtskuerzel",
            "kurzbezeichnung",
            "kurzname",
            "fachbereichsnummer",
            "fbnr",
            "code",
        ],
        true,
    ),
    col(
        Field::DepartmentName,
        "Name",
        &[
            "name",
            "bezeichnung",
            "fachbereich",
            "fachbereichsname",
            "fachbereichsbezeichnung",
            "amt",
            "amtsbezeichnung",
            "organisationseinheit",
            "langname",
        ],
        true,
    ),
];

/// The Lotse functions with the person holding each. "Funktion" is required and is no synonym
/// of a project sheet's column, so a project sheet that lacks a column is never taken for one.
pub const LOTSEN: &[ColumnSpec] = &[
    col(
        Field::Function,
        "Funktion",
        &["funktion", "lotsenfunktion", "funktionsbezeichnung", "rolle", "lotsenrolle"],
        true,
    ),
    col(Field::Department, "Fachbereich", DEPARTMENT, false),
    col(
        Field::Person,
        "Person",
        &[
            "person",
            "name",
            "inhaber",
            "inhaberin",
            "stelleninhaber",
            "stelleninhaberin",
            "besetztmit",
            "lotse",
            "lotsin",
            "lotseoderlotsin",
            "lotselotsin",
            "ansprechpartner",
            "ansprechpartnerin",
        ],
        false,
    ),
    col(Field::Email, "E-Mail", &["email", "mail", "emailadresse", "mailadresse"], false),
    col(Field::Phone, "Telefon", &["telefon", "tel", "telefonnummer", "rufnummer", "durchwahl"], false),
];

pub const PROJECTS: &[ColumnSpec] = &[
    col(Field::ProjectKey, "Projekt-Nr", PROJECT_KEY, true),
    col(
        Field::Title,
        "Titel",
        &[
            "titel",
            "projekt",
            "projektname",
            "projekttitel",
            "massnahme",
            "massnahmen",
            "massnahmentitel",
            "bezeichnung",
            "projektbezeichnung",
            "title",
        ],
        true,
    ),
    col(Field::Department, "Fachbereich", DEPARTMENT, false),
    col(
        Field::Lotse,
        "Lotse",
        &[
            "lotse",
            "lotsin",
            "lotseoderlotsin",
            "lotselotsin",
            "lotsein",
            "digitalerlotse",
            "digitalelotsin",
            "verantwortlich",
            "verantwortliche",
            "verantwortlicher",
            "projektverantwortlich",
            "projektverantwortliche",
            "projektverantwortlicher",
            "ansprechpartner",
            "ansprechpartnerin",
        ],
        false,
    ),
    col(Field::Category, "Kategorie", &["kategorie", "projektart", "projektkategorie", "category"], false),
    col(Field::Phase, "Phase", &["phase", "projektphase"], false),
    col(Field::Start, "Start", &["start", "beginn", "startdatum", "projektstart", "projektbeginn"], false),
    col(
        Field::PlannedEnd,
        "Planende",
        &["planende", "ende", "enddatum", "projektende", "geplantesende", "endtermin", "abschlusstermin"],
        false,
    ),
    col(
        Field::Percent,
        "Fertigstellung",
        &[
            "fertigstellung",
            "fertigstellungsgrad",
            "prozent",
            "fortschritt",
            "erledigt",
            "umsetzungsgrad",
            "percentdone",
        ],
        false,
    ),
    col(Field::Ampel, "Ampel", &["ampel", "status", "ampelstatus", "statusampel", "ampelfarbe"], false),
    col(
        Field::AmpelReason,
        "Ampel-Begründung",
        &["ampelbegruendung", "begruendung", "begruendungampel", "statusbegruendung", "begruendungderampel"],
        false,
    ),
    col(Field::Budget, "Budget", &["budget", "budgeteur", "budgetineur", "kosten", "mittel", "budgeteuro"], false),
];

pub const MILESTONES: &[ColumnSpec] = &[
    col(Field::ProjectKey, "Projekt-Nr", PROJECT_KEY, true),
    // Not "Nr.": a department's running number stands under that header.
    col(Field::MilestoneNo, "Meilenstein-Nr", &["meilensteinnr", "meilensteinnummer"], false),
    col(
        Field::Milestone,
        "Meilenstein",
        &["meilenstein", "meilensteine", "meilensteinname", "meilensteinbezeichnung", "meilensteintitel", "milestone"],
        true,
    ),
    col(
        Field::IsKey,
        "Schlüsselmeilenstein",
        &["schluesselmeilenstein", "kernmeilenstein", "keymilestone", "leitmeilenstein"],
        false,
    ),
    col(
        Field::Baseline,
        "Plantermin",
        &[
            "plantermin",
            "basistermin",
            "plandatum",
            "basisdatum",
            "geplant",
            "geplantertermin",
            "baseline",
            "ursprungstermin",
            "solltermin",
        ],
        false,
    ),
    col(
        Field::Forecast,
        "Prognose",
        &["prognose", "prognosetermin", "prognosedatum", "aktuelleprognose", "forecast", "voraussichtlich"],
        false,
    ),
    col(
        Field::Actual,
        "Ist-Termin",
        &["isttermin", "istdatum", "erreichtam", "erreicht", "abgeschlossenam", "ist", "actual"],
        false,
    ),
    col(
        Field::Reason,
        "Begründung",
        &["begruendung", "begruendungprognose", "grund", "kommentar", "bemerkung", "aenderungsgrund"],
        false,
    ),
];

pub const SERVICES: &[ColumnSpec] = &[
    col(Field::OzgId, "OZG-ID", OZG_ID, true),
    col(Field::LeikaKey, "LeiKa-Schlüssel", LEIKA, false),
    col(
        Field::ServiceName,
        "Leistung",
        &["leistung", "leistungsname", "leistungsbezeichnung", "leikaname", "dienstleistung", "name", "bezeichnung"],
        true,
    ),
    col(Field::Themenfeld, "Themenfeld", THEMENFELD, false),
    col(Field::Reifegrad, "Reifegrad", &["reifegrad", "reifegradstufe", "ozgreifegrad", "maturity"], false),
    col(Field::OnlineSince, "Online seit", &["onlineseit", "onlineab", "livegang", "freigeschaltetam"], false),
    col(Field::Epayment, "E-Payment", &["epayment", "epaymentmoeglich", "onlinebezahlung", "bezahlungonline"], false),
    col(Field::Url, "URL", &["url", "link", "onlinelink", "webadresse", "internetadresse"], false),
];

pub const USAGE: &[ColumnSpec] = &[
    col(Field::LeikaKey, "LeiKa-Schlüssel", LEIKA, true),
    col(Field::Month, "Monat", &["monat", "zeitraum", "berichtsmonat", "month"], true),
    col(
        Field::Online,
        "Online",
        &["online", "onlineantraege", "anzahlonline", "onlineanzahl", "davononline", "antraegeonline"],
        true,
    ),
    col(
        Field::Total,
        "Gesamt",
        &["gesamt", "insgesamt", "antraegegesamt", "anzahlgesamt", "alle", "total", "summe"],
        true,
    ),
];

/// Wide usage layout: one row per service and figure (`Art` = online / gesamt), one column
/// per month. The month columns are found by their header, not listed here.
pub const USAGE_WIDE: &[ColumnSpec] = &[
    col(Field::LeikaKey, "LeiKa-Schlüssel", LEIKA, true),
    col(Field::Art, "Art", &["art", "kennzahl", "kanal", "wert"], true),
];

pub const THEMENFELDER: &[ColumnSpec] = &[
    col(Field::Number, "Nr.", &["nr", "nummer", "id"], false),
    col(Field::Themenfeld, "Themenfeld", THEMENFELD, true),
];

pub const OZG_CATALOGUE: &[ColumnSpec] = &[
    col(Field::OzgId, "OZG-ID", OZG_ID, true),
    col(
        Field::ServiceName,
        "OZG-Leistung",
        &["ozgleistung", "leistung", "name", "bezeichnung", "leistungsbuendel"],
        true,
    ),
    col(
        Field::Lebenslage,
        "Lebenslage",
        &["lebenslage", "lebenslagegeschaeftslage", "geschaeftslage", "lebensundgeschaeftslage", "lage"],
        true,
    ),
    col(Field::Themenfeld, "Themenfeld", THEMENFELD, true),
];

pub const LEIKA_CATALOGUE: &[ColumnSpec] = &[
    col(Field::LeikaKey, "LeiKa-Schlüssel", LEIKA, true),
    col(Field::ServiceName, "Leistung", &["leistung", "leistungsname", "leikaleistung", "name", "bezeichnung"], true),
    col(Field::LeikaType, "LeiKa-Typ", &["leikatyp", "typ", "leistungstyp", "servicetype"], true),
    col(Field::OzgId, "OZG-ID", OZG_ID, false),
    col(Field::LegalBasis, "Rechtsgrundlage", &["rechtsgrundlage", "rechtsgrundlagen", "legalbasis"], false),
];

/// The column layout of each kind (the wide usage layout is tried separately).
pub fn specs(kind: Kind) -> &'static [ColumnSpec] {
    match kind {
        Kind::Fachbereiche => DEPARTMENTS,
        Kind::Lotsen => LOTSEN,
        Kind::Projekte => PROJECTS,
        Kind::Meilensteine => MILESTONES,
        Kind::Leistungen => SERVICES,
        Kind::Nutzung => USAGE,
        Kind::Themenfelder => THEMENFELDER,
        Kind::OzgKatalog => OZG_CATALOGUE,
        Kind::LeikaKatalog => LEIKA_CATALOGUE,
    }
}

/// Lower case, umlauts as ae/oe/ue, ß as ss, and nothing but letters and digits: "Plan-
/// Termin", "plantermin" and "Plan Termin" all become "plantermin".
pub fn normalise(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for c in header.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    out
}

/// A header as it is matched: without what people add for the reader, a hint in brackets
/// ("Plantermin (TT.MM.JJJJ)", "Projekt-Nr [Pflicht]") and a unit at the end ("Budget in €",
/// "Fertigstellung in %"), normalised. A thousand-euro unit ("Budget in TEUR") stays, so such a
/// column is listed as not read rather than read a thousand times too small.
fn header_key(header: &str) -> String {
    let mut kept = String::with_capacity(header.len());
    let mut depth = 0usize;
    for c in header.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    let mut words: Vec<&str> = kept.split_whitespace().collect();
    if words.len() > 1 && ["€", "eur", "euro", "%", "prozent"].contains(&words[words.len() - 1].to_lowercase().as_str())
    {
        words.pop();
        if words.len() > 1 && words[words.len() - 1].eq_ignore_ascii_case("in") {
            words.pop();
        }
    }
    match normalise(&words.join(" ")) {
        key if key.is_empty() => normalise(header), // nothing but a hint: the hint is the header
        key => key,
    }
}

/// How a name typed by people (a milestone's title, a service's name) is matched against the
/// stored one: as tolerant as [`normalise`], except that a separator between two digits stays,
/// as a dot. "Go-Live" and "Go Live" are one milestone; "Phase 1.1" and "Phase 11" are two,
/// and an import must not update the one for the other.
pub fn match_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut separated = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        let letter = match c {
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                if separated && c.is_ascii_digit() && out.ends_with(|p: char| p.is_ascii_digit()) {
                    out.push('.');
                }
                separated = false;
                out.push(c);
                continue;
            }
            _ => {
                separated = true;
                continue;
            }
        };
        separated = false;
        out.push_str(letter);
    }
    out
}

/// Where each field of a recognised sheet is, and what was left over.
#[derive(Debug, Clone)]
pub struct Layout {
    pub kind: Kind,
    /// Index of the header row (0-based).
    pub header_row: usize,
    pub columns: Vec<(Field, usize)>,
    /// Wide usage layout: month columns with (year, month).
    pub months: Vec<(usize, (i32, u32))>,
    pub ignored: Vec<String>,
}

impl Layout {
    pub fn column(&self, field: Field) -> Option<usize> {
        self.columns.iter().find(|(f, _)| *f == field).map(|(_, c)| *c)
    }
}

/// The result of looking at a sheet.
#[derive(Debug)]
pub enum Detection {
    Found(Layout),
    /// Looks like `kind` but lacks required columns: an error naming them and what was found.
    MissingColumns {
        kind: Kind,
        header_row: usize,
        missing: Vec<&'static str>,
        found: Vec<String>,
    },
    /// Looks like `kind`, but one field stands in two or more columns under the same header
    /// (»Prognose« twice, or »Prognose (alt)« and »Prognose (neu)«): which one holds the data is
    /// a guess, and reading one would drop the other's values with no more than a note.
    DoubledColumns {
        kind: Kind,
        header_row: usize,
        /// The field's canonical header, e.g. "Prognose".
        field: &'static str,
        /// The headers as they stand in the file, in column order.
        headers: Vec<String>,
    },
    /// Not a sheet Leitstand reads (an instructions sheet, an empty sheet, a chart's data).
    NotRecognised {
        found: Vec<String>,
    },
}

pub const HEADER_SEARCH_ROWS: usize = 20;

/// Month columns of the wide usage layout: (column, (year, month)).
type MonthColumns = Vec<(usize, (i32, u32))>;

struct Match {
    columns: Vec<(Field, usize)>,
    missing: Vec<&'static str>,
}

fn match_specs(specs: &[ColumnSpec], headers: &[(usize, String)]) -> Match {
    let mut columns = Vec::new();
    let mut used = Vec::new();
    let mut missing = Vec::new();
    for spec in specs {
        // Synonyms go from the specific to the general, and the most specific header wins:
        // with "Nr." (a running number) and "Projekt-Nr" side by side, the project number
        // is "Projekt-Nr", wherever the two stand.
        let rank = |norm: &str| spec.synonyms.iter().position(|synonym| *synonym == norm);
        let hit = headers
            .iter()
            .filter(|(col, _)| !used.contains(col))
            .filter_map(|(col, norm)| rank(norm).map(|rank| (rank, *col)))
            .min()
            .map(|(_, col)| col);
        match hit {
            Some(col) => {
                used.push(col);
                columns.push((spec.field, col));
            }
            None if spec.required => missing.push(spec.header),
            None => {}
        }
    }
    Match { columns, missing }
}

fn month_header(cell: &Cell, epoch: Epoch) -> Option<(i32, u32)> {
    // Only cells that read as a month on their own count; a plain number such as "2025" or a
    // serial would otherwise turn every numeric header into a month.
    match cell {
        Cell::Text(text) if text.chars().any(|c| c.is_ascii_digit()) && text.trim().len() >= 6 => {
            cell::month(cell, epoch).ok().flatten()
        }
        Cell::Date(_) => cell::month(cell, epoch).ok().flatten(),
        _ => None,
    }
}

/// A hint from the sheet name, used to break ties and to tell which kind a sheet with missing
/// columns was meant to be.
fn hinted_kind(sheet_name: &str) -> Option<Kind> {
    let name = normalise(sheet_name);
    [
        ("meilenstein", Kind::Meilensteine),
        ("projekt", Kind::Projekte),
        ("massnahme", Kind::Projekte),
        ("nutzung", Kind::Nutzung),
        ("fallzahl", Kind::Nutzung),
        ("leika", Kind::LeikaKatalog),
        ("ozgleistungen", Kind::OzgKatalog),
        ("ozgkatalog", Kind::OzgKatalog),
        ("themenfeld", Kind::Themenfelder),
        ("leistung", Kind::Leistungen),
        ("fachbereich", Kind::Fachbereiche),
        ("lotse", Kind::Lotsen),
        ("lotsin", Kind::Lotsen),
    ]
    .into_iter()
    .find(|(needle, _)| name.contains(needle))
    .map(|(_, kind)| kind)
}

/// Finds the header row and the kind of a sheet: the first row (within the first 20) in
/// which some kind has all its required columns; among several kinds the one matching the
/// most columns wins, then the one the sheet name suggests.
pub fn detect(sheet_name: &str, rows: &[Vec<Cell>], epoch: Epoch) -> Detection {
    let hint = hinted_kind(sheet_name);
    let mut best_partial: Option<(usize, Kind, Match, usize, Vec<String>)> = None;
    let mut first_headers: Option<Vec<String>> = None;
    for (index, row) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let headers: Vec<(usize, String)> = row
            .iter()
            .enumerate()
            .filter_map(|(col, cell)| match cell {
                Cell::Text(text) => Some((col, header_key(text))),
                _ => None,
            })
            .filter(|(_, norm)| !norm.is_empty())
            .collect();
        if headers.is_empty() {
            continue; // an empty row or a row of numbers above the header
        }
        let shown: Vec<String> = row.iter().filter(|c| !c.is_blank()).map(Cell::display).collect();
        first_headers.get_or_insert_with(|| shown.clone());

        let mut complete: Vec<(Kind, Match, MonthColumns)> = Vec::new();
        for kind in Kind::ALL {
            // A list of Themenfelder has one or two columns; a wider sheet with a Themenfeld
            // column is something else (e.g. services whose OZG-ID header is unknown), and
            // its missing columns must be reported instead.
            if kind == Kind::Themenfelder && headers.len() > 2 && hint != Some(Kind::Themenfelder) {
                continue;
            }
            let matched = match_specs(specs(kind), &headers);
            if matched.missing.is_empty() {
                complete.push((kind, matched, Vec::new()));
            } else if !matched.columns.is_empty() {
                let score = matched.columns.len() + usize::from(hint == Some(kind)) * 2;
                let better = best_partial.as_ref().is_none_or(|(s, ..)| score > *s);
                if better && (score >= 2) {
                    best_partial = Some((score, kind, matched, index, shown.clone()));
                }
            }
        }
        let months: Vec<(usize, (i32, u32))> =
            row.iter().enumerate().filter_map(|(col, cell)| month_header(cell, epoch).map(|m| (col, m))).collect();
        if months.len() >= 2 {
            let wide = match_specs(USAGE_WIDE, &headers);
            if wide.missing.is_empty() {
                complete.push((Kind::Nutzung, wide, months));
            } else if !wide.columns.is_empty() {
                // Month columns beside a known column make a wide usage sheet: say what it
                // lacks (usually "Art") rather than that nothing was recognised.
                let score = wide.columns.len() + 2 + usize::from(hint == Some(Kind::Nutzung)) * 2;
                if best_partial.as_ref().is_none_or(|(s, ..)| score > *s) {
                    best_partial = Some((score, Kind::Nutzung, wide, index, shown.clone()));
                }
            }
        }
        if complete.is_empty() {
            continue;
        }
        complete.sort_by_key(|(kind, matched, months)| {
            let score = matched.columns.len() + months.len().min(1) * 2;
            (std::cmp::Reverse(score), hint != Some(*kind))
        });
        let (kind, matched, months) = complete.swap_remove(0);
        let used: Vec<usize> = matched.columns.iter().map(|(_, c)| *c).chain(months.iter().map(|(c, _)| *c)).collect();
        // A column left over under the same header as a read one is the same field again. (A
        // more general synonym beside a specific one, "Nr." beside "Projekt-Nr", is not.)
        for (field, col) in &matched.columns {
            let Some((_, key)) = headers.iter().find(|(c, _)| c == col) else { continue };
            let twins: Vec<usize> =
                headers.iter().filter(|(c, k)| k == key && !used.contains(c)).map(|(c, _)| *c).collect();
            if !twins.is_empty() {
                let field = specs(kind).iter().chain(USAGE_WIDE).find(|s| s.field == *field).map_or("", |s| s.header);
                let mut cols = twins;
                cols.push(*col);
                cols.sort_unstable();
                let headers = cols.iter().map(|c| row[*c].display()).collect();
                return Detection::DoubledColumns { kind, header_row: index, field, headers };
            }
        }
        let ignored = row
            .iter()
            .enumerate()
            .filter(|(col, cell)| !used.contains(col) && !cell.is_blank())
            .map(|(_, cell)| cell.display())
            .collect();
        return Detection::Found(Layout { kind, header_row: index, columns: matched.columns, months, ignored });
    }
    match best_partial {
        Some((_, kind, matched, header_row, found)) => {
            Detection::MissingColumns { kind, header_row, missing: matched.missing, found }
        }
        None => Detection::NotRecognised { found: first_headers.unwrap_or_default() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_row(cells: &[&str]) -> Vec<Cell> {
        cells.iter().map(|c| if c.is_empty() { Cell::Empty } else { Cell::Text(c.to_string()) }).collect()
    }

    /// The kind, missing columns and found headers of a header row that lacks a required column.
    fn missing_columns(sheet: &str, headers: &[&str]) -> (Kind, Vec<&'static str>, Vec<String>) {
        match detect(sheet, &[text_row(headers)], Epoch::Excel1900) {
            Detection::MissingColumns { kind, missing, found, .. } => (kind, missing, found),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn normalises_case_spaces_breaks_and_umlauts() {
        assert_eq!(normalise("Plan-\nTermin"), "plantermin");
        assert_eq!(normalise(" LeiKa-Schlüssel "), "leikaschluessel");
        assert_eq!(normalise("Maßnahme"), "massnahme");
        assert_eq!(normalise("Ampel-Begruendung"), normalise("Ampel-Begründung"));
    }

    #[test]
    fn match_keys_keep_separators_between_digits_only() {
        assert_eq!(match_key("Go-Live"), match_key("go live"));
        assert_eq!(match_key("Abnahme Bürgerportal"), match_key("Abnahme  Buergerportal"));
        assert_eq!(match_key("Phase 1.1"), "phase1.1");
        assert_ne!(match_key("Phase 1.1"), match_key("Phase 11"));
        assert_eq!(match_key("Phase 1.1"), match_key("Phase 1 - 1"));
        assert_eq!(match_key("Release 2.0 (Pilot)"), "release2.0pilot");
    }

    #[test]
    fn finds_milestones_below_a_title_row_with_synonyms() {
        let rows = vec![
            text_row(&["Fortschrittsbericht FB 61 – Stand 30.09.2026", "", ""]),
            text_row(&["", "", ""]),
            text_row(&["Projektnummer", "MEILENSTEIN", "Basis-\ntermin", "Prognosetermin", "erreicht am", "Notiz"]),
        ];
        let Detection::Found(layout) = detect("Tabelle1", &rows, Epoch::Excel1900) else { panic!("not found") };
        assert_eq!(layout.kind, Kind::Meilensteine);
        assert_eq!(layout.header_row, 2);
        assert_eq!(layout.column(Field::Baseline), Some(2));
        assert_eq!(layout.column(Field::Actual), Some(4));
        assert_eq!(layout.ignored, vec!["Notiz".to_string()]);
    }

    #[test]
    fn project_sheet_with_lotsin_and_massnahme() {
        let rows = vec![text_row(&["Nr.", "Maßnahme", "Lotsin", "Ampel"])];
        let Detection::Found(layout) = detect("Projekte", &rows, Epoch::Excel1900) else { panic!("not found") };
        assert_eq!(layout.kind, Kind::Projekte);
        assert_eq!(layout.column(Field::Lotse), Some(2));
    }

    #[test]
    fn the_most_specific_header_wins_wherever_it_stands() {
        let rows = vec![text_row(&["Nr.", "Projekt-Nr", "Titel", "Bereich", "Fachbereich"])];
        let Detection::Found(layout) = detect("Projekte", &rows, Epoch::Excel1900) else { panic!("not found") };
        assert_eq!(layout.column(Field::ProjectKey), Some(1));
        assert_eq!(layout.column(Field::Department), Some(4));
        assert_eq!(layout.ignored, vec!["Nr.".to_string(), "Bereich".to_string()]);
    }

    /// Organisation sheets by their own words; a project sheet without its title column is
    /// still reported as a project sheet, not taken for a list of Lotsen or departments.
    #[test]
    fn organisation_sheets_and_a_project_sheet_that_lacks_a_column() {
        let rows = vec![text_row(&["Rolle", "Amt", "Stelleninhaberin", "Mail", "Tel."])];
        let Detection::Found(layout) = detect("Tabelle2", &rows, Epoch::Excel1900) else { panic!("not found") };
        assert_eq!(layout.kind, Kind::Lotsen);
        assert_eq!(layout.column(Field::Phone), Some(4));
        let rows = vec![text_row(&["FB-Kürzel", "Bezeichnung"])];
        let Detection::Found(layout) = detect("Tabelle3", &rows, Epoch::Excel1900) else { panic!("not found") };
        assert_eq!(layout.kind, Kind::Fachbereiche);
        let (kind, missing, _) = missing_columns("Projekte", &["Projekt-Nr", "Fachbereich", "Lotsin"]);
        assert_eq!((kind, missing), (Kind::Projekte, vec!["Titel"]));
    }

    #[test]
    fn one_field_under_the_same_header_twice_is_ambiguous() {
        for (headers, doubled) in [
            (
                &["Projekt-Nr", "Meilenstein", "Prognose (alt)", "Plantermin", "Prognose (neu)"][..],
                vec!["Prognose (alt)", "Prognose (neu)"],
            ),
            (&["Projekt-Nr", "Meilenstein", "Prognose", "Prognose"][..], vec!["Prognose", "Prognose"]),
        ] {
            match detect("Termine", &[text_row(headers)], Epoch::Excel1900) {
                Detection::DoubledColumns { kind, header_row, field, headers } => {
                    assert_eq!((kind, header_row, field), (Kind::Meilensteine, 0, "Prognose"));
                    assert_eq!(headers, doubled);
                }
                other => panic!("{headers:?}: {other:?}"),
            }
        }
        // Different synonyms of one field are not doubled: the specific one is read, the other
        // listed as not read.
        let rows = vec![text_row(&["Nr.", "Projekt-Nr", "Titel", "Prognose alt"])];
        let Detection::Found(layout) = detect("Projekte", &rows, Epoch::Excel1900) else { panic!("not found") };
        assert_eq!(layout.column(Field::ProjectKey), Some(1));
        assert_eq!(layout.ignored, vec!["Nr.".to_string(), "Prognose alt".to_string()]);
    }

    #[test]
    fn headers_with_hints_units_and_gender_forms() {
        let rows = vec![text_row(&[
            "Projekt-Nr (Pflicht)",
            "Maßnahmen",
            "Lotse/Lotsin",
            "Fertigstellung in %",
            "Budget in €",
            "Planende [TT.MM.JJJJ]",
        ])];
        let Detection::Found(layout) = detect("Tabelle1", &rows, Epoch::Excel1900) else { panic!("not found") };
        assert_eq!(layout.kind, Kind::Projekte);
        let columns: Vec<usize> =
            [Field::ProjectKey, Field::Title, Field::Lotse, Field::Percent, Field::Budget, Field::PlannedEnd]
                .into_iter()
                .filter_map(|field| layout.column(field))
                .collect();
        assert_eq!(columns, vec![0, 1, 2, 3, 4, 5], "{layout:?}");
        assert!(layout.ignored.is_empty(), "{layout:?}");
        let rows = vec![text_row(&["Projekt-Nr", "Meilensteine", "Plantermin (TT.MM.JJJJ)", "Ansprechpartner/in"])];
        let Detection::Found(layout) = detect("Tabelle2", &rows, Epoch::Excel1900) else { panic!("not found") };
        assert_eq!((layout.kind, layout.column(Field::Baseline)), (Kind::Meilensteine, Some(2)));
        // A thousand-euro column is not taken for euros: listed as not read instead.
        let rows = vec![text_row(&["Projekt-Nr", "Titel", "Budget in TEUR"])];
        let Detection::Found(layout) = detect("Projekte", &rows, Epoch::Excel1900) else { panic!("not found") };
        assert_eq!((layout.column(Field::Budget), layout.ignored.clone()), (None, vec!["Budget in TEUR".to_string()]));
        assert_eq!(header_key("(Pflicht)"), "pflicht");
        assert_eq!(header_key("Prozent"), "prozent");
        assert_eq!(header_key("Fertigstellung in Prozent"), "fertigstellung");
    }

    #[test]
    fn missing_required_column_names_it_and_the_found_headers() {
        let (kind, missing, found) = missing_columns("Meilensteine", &["Projekt-Nr", "Prognose", "Plantermin"]);
        assert_eq!(kind, Kind::Meilensteine);
        assert_eq!(missing, vec!["Meilenstein"]);
        assert_eq!(found, vec!["Projekt-Nr", "Prognose", "Plantermin"]);
    }

    #[test]
    fn wide_usage_layout_with_month_columns() {
        let rows = vec![text_row(&["LeiKa-Schlüssel", "Leistung", "Art", "01/2026", "02/2026", "März 2026"])];
        let Detection::Found(layout) = detect("Nutzung", &rows, Epoch::Excel1900) else { panic!("not found") };
        assert_eq!(layout.kind, Kind::Nutzung);
        assert_eq!(layout.months, vec![(3, (2026, 1)), (4, (2026, 2)), (5, (2026, 3))]);
    }

    #[test]
    fn wide_usage_layout_without_art_names_it() {
        let (kind, missing, _) = missing_columns("Tabelle1", &["LeiKa-Schlüssel", "Leistung", "01/2026", "02/2026"]);
        assert_eq!(kind, Kind::Nutzung);
        assert_eq!(missing, vec!["Art"]);
    }

    #[test]
    fn synonyms_departments_use() {
        let headers = |row: &[&str]| match detect("Tabelle1", &[text_row(row)], Epoch::Excel1900) {
            Detection::Found(layout) => layout,
            other => panic!("{row:?}: {other:?}"),
        };
        let projects = headers(&["Projektnummer", "Projektname", "Verantwortlich", "Fachbereich"]);
        assert_eq!(projects.kind, Kind::Projekte);
        assert_eq!((projects.column(Field::Title), projects.column(Field::Lotse)), (Some(1), Some(2)));
        let projects = headers(&["Projekt-Nr.", "Projekt", "Lotse"]);
        assert_eq!((projects.column(Field::Title), projects.column(Field::Lotse)), (Some(1), Some(2)));
        let milestones = headers(&["Projekt-Nr", "Meilenstein", "Plan-Termin", "Prognose", "Ist-Termin"]);
        assert_eq!(milestones.kind, Kind::Meilensteine);
        assert_eq!(
            (milestones.column(Field::Baseline), milestones.column(Field::Forecast), milestones.column(Field::Actual)),
            (Some(2), Some(3), Some(4))
        );
        let milestones = headers(&["Projekt-Nr", "Meilenstein", "Plantermin", "Prognosetermin", "erreicht am"]);
        assert_eq!((milestones.column(Field::Forecast), milestones.column(Field::Actual)), (Some(3), Some(4)));
    }

    #[test]
    fn real_catalogue_headers() {
        let ozg = vec![text_row(&["OZG-ID", "OZG-Leistung", "Lebenslage", "Themenfeld"])];
        let leika = vec![text_row(&["LeiKa-Schlüssel", "Leistung", "LeiKa-Typ", "OZG-ID", "Rechtsgrundlage"])];
        let tf = vec![text_row(&["Nr.", "Themenfeld"])];
        let kind = |name: &str, rows: &[Vec<Cell>]| match detect(name, rows, Epoch::Excel1900) {
            Detection::Found(l) => l.kind,
            other => panic!("{other:?}"),
        };
        assert_eq!(kind("OZG-Leistungen", &ozg), Kind::OzgKatalog);
        assert_eq!(kind("LeiKa-Leistungen", &leika), Kind::LeikaKatalog);
        assert_eq!(kind("Themenfelder", &tf), Kind::Themenfelder);
    }

    #[test]
    fn federal_dashboard_csv_columns_are_city_services() {
        let rows = vec![text_row(&[
            "leika_key",
            "leika_name",
            "ars",
            "ars_name",
            "url",
            "online_status",
            "aktiv",
            "art_flaechendeckung",
            "datenstand_pvog_import",
            "ozgid",
        ])];
        let Detection::Found(layout) = detect("dashboard", &rows, Epoch::Excel1900) else { panic!("not found") };
        assert_eq!(layout.kind, Kind::Leistungen);
        assert!(layout.ignored.contains(&"ars_name".to_string()));
    }

    #[test]
    fn a_services_sheet_with_an_unknown_id_header_is_not_a_themenfeld_list() {
        let headers = ["OZG-Kennung", "LeiKa-Schlüssel", "Leistung", "Themenfeld", "Reifegrad"];
        let (kind, missing, _) = missing_columns("Tabelle1", &headers);
        assert_eq!(kind, Kind::Leistungen);
        assert_eq!(missing, vec!["OZG-ID"]);
    }

    #[test]
    fn instructions_sheet_is_not_recognised() {
        let rows = vec![text_row(&["So füllen Sie die Vorlage aus"]), text_row(&["1. Tragen Sie ..."])];
        assert!(matches!(detect("Anleitung", &rows, Epoch::Excel1900), Detection::NotRecognised { .. }));
    }
}
