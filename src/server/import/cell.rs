//! Cell values as read from a spreadsheet, and the tolerant parsers that turn them into typed values.
//!
//! Municipal spreadsheets are typed by hand, exported from other tools and re-saved as CSV, so the same
//! value arrives in many shapes: a date as a formatted date cell, an Excel serial number or one of several
//! text notations; an amount in German or English notation, with or without currency sign. The parsers
//! here accept the shapes that are unambiguous and reject everything else with a German description of
//! what was expected, so the import can tell the user which cell to fix instead of guessing.
//!
//! Every parser returns `Ok(None)` for a blank cell (whether a column is required is the caller's
//! decision) and `Err` for an Excel error value, naming it.

use std::fmt;
use std::ops::RangeInclusive;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};

use crate::api::imports::Msg;
use crate::msg;

/// One cell as read from xlsx/xlsm/ods/xls (via calamine) or CSV.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A plain numeric cell; may be an Excel date serial if the column expects a date.
    Number(f64),
    Bool(bool),
    /// A cell Excel/ODS formatted as date (the reader already converted it).
    Date(NaiveDateTime),
    /// An Excel error value such as "#REF!" or "#DIV/0!".
    Error(String),
}

/// Date system of the workbook: Excel for Windows counts from 1900 (with the Lotus 1900-02-29 bug),
/// old Mac workbooks from 1904.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Epoch {
    #[default]
    Excel1900,
    Excel1904,
}

/// Why a cell could not be read: a sentence fragment saying what is expected, in German and
/// in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// E.g. "ein Datum wie 31.12.2025, 2025-12-31 oder eine Excel-Datumszahl".
    pub expected: Msg,
}

impl CellError {
    fn new((de, en): (&str, &str)) -> Self {
        CellError { expected: Msg::new(de, en) }
    }
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "erwartet: {}", self.expected.de)
    }
}

impl std::error::Error for CellError {}

/// What a column expects, in German and in English.
type Expected = (&'static str, &'static str);

const EXPECTED_TEXT: Expected = ("ein Text oder eine gültige Zahl", "a text or a valid number");
const EXPECTED_DATE: Expected = (
    "ein Datum wie 31.12.2025, 2025-12-31 oder eine Excel-Datumszahl",
    "a date such as 31.12.2025, 2025-12-31 or an Excel date number",
);
const EXPECTED_DECIMAL: Expected = ("eine Zahl wie 1.234,5", "a number such as 1.234,5 or 1,234.5");
const EXPECTED_COUNT: Expected = ("eine ganze Zahl ≥ 0 wie 1.234", "a whole number ≥ 0 such as 1.234");
const EXPECTED_PERCENT: Expected =
    ("ein Prozentwert zwischen 0 und 100 wie 60 % oder 0,6", "a percentage between 0 and 100 such as 60 % or 0.6");
const EXPECTED_BOOLEAN: Expected =
    ("ja oder nein (auch j/n, x, wahr/falsch oder 1/0)", "ja or nein (yes or no; also j/n, x, wahr/falsch or 1/0)");
const EXPECTED_MONTH: Expected =
    ("ein Monat wie 01/2025, 2025-01 oder Januar 2025", "a month such as 01/2025, 2025-01 or Januar 2025");

const EXPECTED_UNAMBIGUOUS: Expected = (
    "eine eindeutige Zahl: ein Komma vor genau drei Ziffern wie in 1,000 trennt im Deutschen die Dezimalstellen, im Englischen die Tausender; schreiben Sie 1.000 oder 1000 für tausend, 1 für eins",
    "an unambiguous number: a comma before exactly three digits as in 1,000 separates decimals in German and thousands in English; write 1000 for a thousand, 1 for one",
);
const EXPECTED_FULL_DATE: Expected = (
    "ein vollständiges Datum wie 31.12.2025; eine Jahreszahl allein genügt nicht",
    "a full date such as 31.12.2025; a year alone is not enough",
);
const EXPECTED_MONTH_WITH_YEAR: Expected = (
    "ein Monat mit Jahr wie 01/2025; eine Monats- oder Jahreszahl allein genügt nicht",
    "a month with its year such as 01/2025; a month or a year alone is not enough",
);

/// Years outside this range are almost certainly typos (or a serial read in the wrong epoch), not data.
const YEARS: RangeInclusive<i32> = 1900..=2200;

/// Largest integer an f64 holds exactly; counts beyond it would silently lose digits.
const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// Characters that separate thousands groups in typed or exported numbers: space, no-break space,
/// narrow no-break space (what Excel and LibreOffice put in with a French/German locale) and thin space.
const SPACE_SEPARATORS: [char; 4] = [' ', '\u{a0}', '\u{202f}', '\u{2009}'];

/// Excel error codes in English and German. CSV exports write them as plain text, so a text cell
/// holding exactly one of them is treated like an error cell.
const ERROR_CODES: [&str; 24] = [
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
    "#WERT!",
    "#BEZUG!",
    "#ZAHL!",
    "#NV",
    "#ÜBERLAUF!",
    "#BERECHNEN!",
    "#FELD!",
    "#BLOCKIERT!",
    "#VERBINDEN!",
];

impl Cell {
    /// Empty, or text consisting of whitespace only (a cell with a stray space counts as empty).
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// How to show the offending value to a user in an error message.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(x) => format_number(*x),
            Cell::Bool(true) => "WAHR".to_owned(),
            Cell::Bool(false) => "FALSCH".to_owned(),
            Cell::Date(dt) => format_date(dt.date()),
            Cell::Error(code) => code.clone(),
        }
    }
}

/// Whether a spreadsheet could take this text for a formula, or split it into more cells, when
/// it opens the file (formula injection): the text begins with a tab or a line break, or, after
/// any spaces and invisible characters, with `=`, `+`, `-` or `@`. Their compatibility forms
/// count too (full-width `＝`, small `﹢`, superscript `⁺`), because some spreadsheets (Apple
/// Numbers) fold those into the plain sign before they parse.
///
/// The CSV export puts an apostrophe before such text, and the CSV reader takes it off again
/// ([`guard_csv_text`], [`unguard_csv_text`]); both use this one test, so the round trip gives
/// the text back unchanged.
pub fn is_formula_like(text: &str) -> bool {
    if text.starts_with(['\t', '\r', '\n']) {
        return true;
    }
    let invisible = |c: char| c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}');
    let Some(first) = text.chars().find(|c| !invisible(*c)) else { return false };
    // Only a sign that folds to the plain sign alone: `≠` decomposes to `=` plus a combining
    // stroke, and no spreadsheet reads that as a formula.
    let mut folded = String::new();
    unicode_normalization::char::decompose_compatible(first, |c| folded.push(c));
    matches!(folded.as_str(), "=" | "+" | "-" | "@")
}

/// The CSV export's form of a text: an apostrophe before text that looks like a formula, and
/// before text that itself starts with an apostrophe, so that [`unguard_csv_text`] can take
/// exactly one off again. (The xlsx export marks such cells with the quote prefix instead.)
pub fn guard_csv_text(text: &str) -> std::borrow::Cow<'_, str> {
    if is_formula_like(text) || text.starts_with('\'') { format!("'{text}").into() } else { text.into() }
}

/// A CSV field as the text it stood for: undoes [`guard_csv_text`]. An apostrophe before any
/// other text was typed by someone and stays.
pub fn unguard_csv_text(field: &str) -> &str {
    match field.strip_prefix('\'') {
        Some(rest) if is_formula_like(rest) || rest.starts_with('\'') => rest,
        _ => field,
    }
}

/// Trimmed text. Numbers typed into text columns (LeiKa keys, project numbers) come back without the
/// ".0" the reader attaches, dates as TT.MM.JJJJ and booleans as ja/nein.
pub fn text(cell: &Cell) -> Result<Option<String>, CellError> {
    let Some(cell) = screen(cell)? else { return Ok(None) };
    match cell {
        Cell::Text(t) => Ok(Some(t.trim().to_owned())),
        Cell::Number(x) if x.is_finite() => Ok(Some(format_text_number(*x))),
        Cell::Bool(b) => Ok(Some(if *b { "ja" } else { "nein" }.to_owned())),
        Cell::Date(dt) => Ok(Some(format_date(dt.date()))),
        _ => Err(CellError::new(EXPECTED_TEXT)),
    }
}

/// A calendar date from a date cell, an Excel serial number (in the workbook's epoch) or text.
/// The time of day, if any, is ignored.
pub fn date(cell: &Cell, epoch: Epoch) -> Result<Option<NaiveDate>, CellError> {
    let Some(cell) = screen(cell)? else { return Ok(None) };
    // As a serial, 2026 is a day in 1905: what was typed is a year.
    if whole_number(cell).is_some_and(|n| YEARS.contains(&n)) {
        return Err(CellError::new(EXPECTED_FULL_DATE));
    }
    let parsed = match cell {
        Cell::Date(dt) => Some(dt.date()),
        Cell::Number(x) => serial_to_date(*x, epoch),
        Cell::Text(t) => parse_date_text(t.trim(), epoch),
        _ => None,
    };
    match parsed {
        Some(d) if YEARS.contains(&d.year()) => Ok(Some(d)),
        _ => Err(CellError::new(EXPECTED_DATE)),
    }
}

/// A number in German ("1.234,5") or English ("1,234.5") notation, optionally with a euro sign.
pub fn decimal(cell: &Cell) -> Result<Option<f64>, CellError> {
    number(cell, EXPECTED_DECIMAL, true)
}

/// A non-negative whole number such as a count of cases or staff.
pub fn count(cell: &Cell) -> Result<Option<u64>, CellError> {
    let Some(v) = number(cell, EXPECTED_COUNT, false)? else { return Ok(None) };
    if v < 0.0 || v.fract() != 0.0 || v > MAX_EXACT_INTEGER {
        return Err(CellError::new(EXPECTED_COUNT));
    }
    Ok(Some(v as u64))
}

/// A percentage in 0..=100.
///
/// With a "%" sign the number is taken as is ("60 %" is 60). Without one, a value <= 1 is read as a
/// fraction, because that is how Excel stores a percent-formatted cell (60 % is the number 0.6), and a
/// value above 1 up to 100 as a percentage ("60" is 60). The consequence: a plain 1 means 100 %, not 1 %;
/// someone meaning 1 % has to write "1 %" or 0,01.
///
/// A number cell between 1 and 2 with decimals is refused: it is what a percent-formatted cell holds for
/// 100,4 % or 150 %, over 100 %, and read as a percentage it would quietly become 1 or 2 %.
pub fn percent(cell: &Cell) -> Result<Option<f64>, CellError> {
    let Some(cell) = screen(cell)? else { return Ok(None) };
    let fail = || CellError::new(EXPECTED_PERCENT);
    let value = match cell {
        Cell::Number(x) if *x > 1.0 && *x < 2.0 => None,
        Cell::Number(x) => fraction_or_percent(*x),
        Cell::Text(t) => {
            let t = t.trim();
            match t.strip_suffix('%') {
                Some(n) => parse_number_text(n.trim_end(), false).filter(|v| (0.0..=100.0).contains(v)),
                None => parse_number_text(t, false).and_then(fraction_or_percent),
            }
        }
        _ => None,
    };
    // Multiplying a fraction by 100 leaves binary noise (0.29 * 100 = 28.999999999999996); no percentage
    // in a spreadsheet is meaningful beyond nine decimals, so round that away. Adding 0.0 turns -0 into 0.
    value.map(|v| Some((v * 1e9).round() / 1e9 + 0.0)).ok_or_else(fail)
}

/// A percentage rounded to the nearest whole percent (60.4 -> 60, 60.5 -> 61).
pub fn whole_percent(cell: &Cell) -> Result<Option<u8>, CellError> {
    Ok(percent(cell)?.map(|p| p.round() as u8))
}

/// Yes/no from a boolean cell, 1/0, or the usual German and English words; "x" is a ticked box.
pub fn boolean(cell: &Cell) -> Result<Option<bool>, CellError> {
    let Some(cell) = screen(cell)? else { return Ok(None) };
    let parsed = match cell {
        Cell::Bool(b) => Some(*b),
        Cell::Number(x) if *x == 1.0 => Some(true),
        Cell::Number(x) if *x == 0.0 => Some(false),
        Cell::Text(t) => match t.trim().to_lowercase().as_str() {
            "ja" | "j" | "x" | "wahr" | "true" | "yes" | "1" => Some(true),
            "nein" | "n" | "falsch" | "false" | "no" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    };
    parsed.map(Some).ok_or_else(|| CellError::new(EXPECTED_BOOLEAN))
}

/// A month as (year, month 1..=12): "01/2025", "2025-01", "Januar 2025", "Dez 25", any full date, a date
/// cell or an Excel serial number.
pub fn month(cell: &Cell, epoch: Epoch) -> Result<Option<(i32, u32)>, CellError> {
    let Some(cell) = screen(cell)? else { return Ok(None) };
    // As serials, 1 to 12 are days in January 1900 and 2026 is one in 1905: what was typed is a
    // month's number or a year, and the other half is missing.
    if whole_number(cell).is_some_and(|n| (1..=12).contains(&n) || YEARS.contains(&n)) {
        return Err(CellError::new(EXPECTED_MONTH_WITH_YEAR));
    }
    let parsed = match cell {
        Cell::Date(dt) => Some((dt.year(), dt.month())),
        Cell::Number(x) => serial_to_date(*x, epoch).map(|d| (d.year(), d.month())),
        Cell::Text(t) => parse_month_text(t.trim(), epoch),
        _ => None,
    };
    match parsed {
        Some((y, m)) if YEARS.contains(&y) => Ok(Some((y, m))),
        _ => Err(CellError::new(EXPECTED_MONTH)),
    }
}

/// A number cell or digits alone as a whole number (what `date` and `month` would otherwise read
/// as a serial).
fn whole_number(cell: &Cell) -> Option<i32> {
    let value = match cell {
        Cell::Number(x) => *x,
        Cell::Text(t) if t.trim().len() <= 7 && t.trim().bytes().all(|b| b.is_ascii_digit()) => {
            t.trim().parse().ok()?
        }
        _ => return None,
    };
    (value.fract() == 0.0 && (0.0..1e7).contains(&value)).then_some(value as i32)
}

/// Handles what all parsers treat alike: `Ok(None)` for a blank cell, `Err` for an Excel error value
/// (also when it arrives as text from a CSV export), otherwise the cell to parse.
fn screen(cell: &Cell) -> Result<Option<&Cell>, CellError> {
    if cell.is_blank() {
        return Ok(None);
    }
    match cell {
        Cell::Error(code) => Err(excel_error(code.trim())),
        Cell::Text(t) => {
            let upper = t.trim().to_uppercase();
            match ERROR_CODES.iter().find(|c| **c == upper) {
                Some(code) => Err(excel_error(code)),
                None => Ok(Some(cell)),
            }
        }
        _ => Ok(Some(cell)),
    }
}

fn excel_error(code: &str) -> CellError {
    if code.is_empty() {
        CellError::new(("ein Wert statt eines Excel-Fehlers", "a value instead of an Excel error"))
    } else {
        CellError {
            expected: msg!("ein Wert statt des Excel-Fehlers {code}", "a value instead of the Excel error {code}"),
        }
    }
}

/// Shared by `decimal` and `count`, which differ only in the message and in whether a euro sign is fine.
fn number(cell: &Cell, expected: Expected, allow_currency: bool) -> Result<Option<f64>, CellError> {
    let Some(cell) = screen(cell)? else { return Ok(None) };
    let parsed = match cell {
        Cell::Number(x) if x.is_finite() => Some(*x),
        Cell::Text(t) if thousands_or_decimals(t) => return Err(CellError::new(EXPECTED_UNAMBIGUOUS)),
        Cell::Text(t) => parse_number_text(t.trim(), allow_currency),
        _ => None,
    };
    parsed.map(Some).ok_or_else(|| CellError::new(expected))
}

/// Text such as "1,000" or "25,000 €": one comma before exactly three digits, one to three
/// digits before it. German for 1 and 25, English for a thousand and 25.000; neither a count nor
/// an amount in euros is written with three decimals, so the likelier reading is the English
/// one, and taking the German one would store a thousandth without a word. Refused instead.
fn thousands_or_decimals(text: &str) -> bool {
    let mut s = text.trim();
    for sign in ["€", "EUR", "eur", "Eur"] {
        s = s.strip_suffix(sign).unwrap_or(s).trim();
        s = s.strip_prefix(sign).unwrap_or(s).trim();
    }
    let s = s.trim_start_matches(['-', '+', '\u{2212}']);
    s.split_once(',').is_some_and(|(before, after)| {
        (1..=3).contains(&before.len())
            && !before.starts_with('0')
            && after.len() == 3
            && before.bytes().chain(after.bytes()).all(|b| b.is_ascii_digit())
    })
}

/// See `percent` for why a value <= 1 is a fraction.
fn fraction_or_percent(v: f64) -> Option<f64> {
    if !(0.0..=100.0).contains(&v) {
        None
    } else if v <= 1.0 {
        Some(v * 100.0)
    } else {
        Some(v)
    }
}

/// Parses a number in German or English notation. Which separator is the decimal one:
/// - both ',' and '.' occur: the last one;
/// - only ',': once it is a decimal comma (German first, so "1,234" is 1.234), more often thousands;
/// - only '.': more than once thousands; once with exactly three digits after it, one to three before it
///   and no other separator thousands too (German "1.234" = 1234); otherwise a decimal point, because
///   "1234.567" cannot be German grouping.
///
/// Thousands groups are checked (1–3 digits, then groups of exactly 3), so dates, version numbers and
/// similar strings such as "1.2.3" are rejected rather than read as some number.
fn parse_number_text(s: &str, allow_currency: bool) -> Option<f64> {
    let mut s = s.trim();
    if allow_currency {
        for sign in ["€", "EUR", "eur", "Eur"] {
            if let Some(rest) = s.strip_suffix(sign) {
                s = rest.trim_end();
                break;
            }
            if let Some(rest) = s.strip_prefix(sign) {
                s = rest.trim_start();
                break;
            }
        }
    }
    let (negative, s) = match s.chars().next()? {
        '-' | '\u{2212}' => (true, &s[s.chars().next()?.len_utf8()..]),
        '+' => (false, &s[1..]),
        _ => (false, s),
    };
    // Scientific notation, as CSV exports write very large or small numbers ("1,5E+20").
    let (mantissa, exponent) = match s.split_once(['e', 'E']) {
        Some((m, e)) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (m, e.parse::<i32>().ok()?)
        }
        None => (s, 0),
    };
    if !mantissa.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.' || SPACE_SEPARATORS.contains(&c)) {
        return None;
    }
    let commas = mantissa.matches(',').count();
    let dots = mantissa.matches('.').count();
    let spaced = mantissa.contains(SPACE_SEPARATORS);
    // (decimal separator, thousands separator); a space-like thousands separator is written as ' '.
    let (decimal_sep, thousands_sep) = match (commas, dots) {
        (0, 0) => (None, spaced.then_some(' ')),
        (_, 0) if commas == 1 => (Some(','), spaced.then_some(' ')),
        (_, 0) => (None, Some(',')),
        (0, _) if dots > 1 => (None, Some('.')),
        (0, _) => {
            let (before, after) = mantissa.split_once('.')?;
            // German grouping never starts with a 0: "0.125" is a decimal point.
            if after.len() == 3 && (1..=3).contains(&before.len()) && !before.starts_with('0') && !spaced {
                (None, Some('.'))
            } else {
                (Some('.'), spaced.then_some(' '))
            }
        }
        _ => {
            let last = mantissa.rfind([',', '.'])?;
            if mantissa[last..].starts_with(',') { (Some(','), Some('.')) } else { (Some('.'), Some(',')) }
        }
    };
    // Mixing a space with ',' or '.' as thousands separator ("1 234.567,5") is not a notation anyone uses.
    if spaced && thousands_sep != Some(' ') {
        return None;
    }
    let (int_part, frac_part) = match decimal_sep {
        Some(sep) => {
            let (i, f) = mantissa.split_once(sep)?;
            if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (i, f)
        }
        None => (mantissa, ""),
    };
    let int_digits: String = match thousands_sep {
        Some(sep) => {
            let groups: Vec<&str> =
                if sep == ' ' { int_part.split(SPACE_SEPARATORS).collect() } else { int_part.split(sep).collect() };
            let first_ok = (1..=3).contains(&groups[0].len());
            if groups.len() > 1 && !(first_ok && groups[1..].iter().all(|g| g.len() == 3)) {
                return None;
            }
            groups.concat()
        }
        None => int_part.to_owned(),
    };
    if !int_digits.bytes().all(|b| b.is_ascii_digit()) || (int_digits.is_empty() && frac_part.is_empty()) {
        return None;
    }
    let int_digits = if int_digits.is_empty() { "0" } else { &int_digits };
    let sign = if negative { "-" } else { "" };
    let value: f64 = format!("{sign}{int_digits}.{frac_part}0e{exponent}").parse().ok()?;
    value.is_finite().then_some(value)
}

/// Converts an Excel serial day number to a date; the fractional part (time of day) is ignored.
fn serial_to_date(serial: f64, epoch: Epoch) -> Option<NaiveDate> {
    // The upper bound only keeps the cast safe; the year check below does the real limiting.
    if !serial.is_finite() || !(0.0..1e7).contains(&serial) {
        return None;
    }
    let n = serial.floor() as u64;
    let d = match epoch {
        // Excel (copying Lotus 1-2-3) counts a 29 February 1900 that never existed as serial 60, so
        // serials from 61 on are one day ahead of a plain count; serial 0 shows as "00.01.1900".
        Epoch::Excel1900 => match n {
            0 | 60 => return None,
            1..=59 => NaiveDate::from_ymd_opt(1899, 12, 31)?.checked_add_days(Days::new(n))?,
            _ => NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(n))?,
        },
        Epoch::Excel1904 => NaiveDate::from_ymd_opt(1904, 1, 1)?.checked_add_days(Days::new(n))?,
    };
    YEARS.contains(&d.year()).then_some(d)
}

/// Date text: a serial written as digits, "31.12.2025", "31.12.25", "31/12/2025", "2025-12-31", each
/// optionally followed by a time ("2025-12-31T00:00:00", "31.12.2025 14:30").
fn parse_date_text(s: &str, epoch: Epoch) -> Option<NaiveDate> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        // Long digit strings cannot be serials of years up to 2200; cut them off before parsing.
        return if s.len() <= 7 { serial_to_date(s.parse::<u32>().ok()?.into(), epoch) } else { None };
    }
    let (date_part, time_part) = match s.split_once(char::is_whitespace) {
        Some((d, t)) => (d, Some(t.trim())),
        None => match s.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (s, None),
        },
    };
    if time_part.is_some_and(|t| !is_time(t)) {
        return None;
    }
    let sep = date_part.chars().find(|c| matches!(c, '.' | '-' | '/'))?;
    let parts: Vec<&str> = date_part.split(sep).collect();
    let [a, b, c] = parts[..] else { return None };
    if ![a, b, c].iter().all(|p| !p.is_empty() && p.bytes().all(|x| x.is_ascii_digit())) {
        return None;
    }
    let (year, month, day) = if a.len() == 4 && b.len() <= 2 && c.len() <= 2 {
        (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?)
    } else if a.len() <= 2 && b.len() <= 2 && (c.len() == 4 || c.len() == 2) {
        (expand_year(c)?, b.parse().ok()?, a.parse().ok()?)
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A time of day after a date: "14:30", "00:00:00", "00:00:00.000", optionally with a trailing "Z".
fn is_time(s: &str) -> bool {
    let s = s.strip_suffix(['Z', 'z']).unwrap_or(s);
    let parts: Vec<&str> = s.split(':').collect();
    let number_below = |p: &str, limit: u32, max_len: usize| {
        !p.is_empty()
            && p.len() <= max_len
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse().is_ok_and(|v: u32| v < limit)
    };
    let seconds_ok = |p: &str| {
        let (whole, frac) = p.split_once(['.', ',']).unwrap_or((p, "0"));
        // 60 allows a leap second.
        number_below(whole, 61, 2) && !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit())
    };
    match parts[..] {
        [h, m] => number_below(h, 24, 2) && number_below(m, 60, 2),
        [h, m, sec] => number_below(h, 24, 2) && number_below(m, 60, 2) && seconds_ok(sec),
        _ => false,
    }
}

/// Two-digit years are read as 20yy: the data in these imports is about the present and near future.
fn expand_year(digits: &str) -> Option<i32> {
    let y: i32 = digits.parse().ok()?;
    match digits.len() {
        2 => Some(2000 + y),
        4 => Some(y),
        _ => None,
    }
}

/// Month text: "2025-01", "01/2025", "01.2025", "Januar 2025", "Jan. 25", or any full date.
fn parse_month_text(s: &str, epoch: Epoch) -> Option<(i32, u32)> {
    if s.starts_with(char::is_alphabetic) {
        let name_end = s.find(|c: char| !c.is_alphabetic()).unwrap_or(s.len());
        let month = month_from_name(&s[..name_end])?;
        let rest = s[name_end..].strip_prefix('.').unwrap_or(&s[name_end..]);
        let year = rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | '\''));
        if !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some((expand_year(year)?, month));
    }
    // Digits alone are rejected: in a month column "2025" is far more likely a year than a serial.
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some((a, b)) = s.split_once(['-', '/', '.'])
        && !b.contains(['-', '/', '.'])
        && !a.is_empty()
        && !b.is_empty()
        && a.bytes().chain(b.bytes()).all(|x| x.is_ascii_digit())
    {
        let (year, month) = match (a.len(), b.len()) {
            (4, 1..=2) => (a.parse().ok()?, b.parse().ok()?),
            (1..=2, 4) => (b.parse().ok()?, a.parse().ok()?),
            _ => return None,
        };
        return (1..=12).contains(&month).then_some((year, month));
    }
    parse_date_text(s, epoch).map(|d| (d.year(), d.month()))
}

/// German and English month names and their usual abbreviations, including the Austrian "Jänner" and
/// the "Maerz" typed on keyboards without umlauts.
fn month_from_name(name: &str) -> Option<u32> {
    let m = match name.to_lowercase().as_str() {
        "januar" | "jan" | "jänner" | "jän" | "january" => 1,
        "februar" | "feb" | "febr" | "feber" | "february" => 2,
        "märz" | "maerz" | "marz" | "mrz" | "mär" | "mar" | "march" => 3,
        "april" | "apr" => 4,
        "mai" | "may" => 5,
        "juni" | "jun" | "june" => 6,
        "juli" | "jul" | "july" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "oktober" | "okt" | "october" | "oct" => 10,
        "november" | "nov" => 11,
        "dezember" | "dez" | "december" | "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn format_date(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

/// Numbers in text columns: integral values with all their digits (identifiers must not be rounded or
/// shown in scientific notation), others like `format_number`.
fn format_text_number(x: f64) -> String {
    if x == 0.0 {
        "0".to_owned()
    } else if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format_number(x)
    }
}

/// A number as Excel's "General" format shows it to a German user: at most 15 significant digits (what
/// Excel itself keeps), decimal comma, no trailing zeros, scientific notation only for extreme magnitudes.
fn format_number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "∞" } else { "-∞" }.to_owned();
    }
    if x == 0.0 {
        return "0".to_owned();
    }
    // Let the standard library do the rounding to 15 significant digits, then place the comma ourselves.
    let sci = format!("{:.14e}", x.abs());
    let Some((mantissa, exp)) = sci.split_once('e') else { return sci };
    let Ok(exp) = exp.parse::<i32>() else { return sci };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let sign = if x < 0.0 { "-" } else { "" };
    if !(-9..15).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let comma = if rest.is_empty() { "" } else { "," };
        return format!("{sign}{first}{comma}{rest}E{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
    if exp < 0 {
        let zeros = "0".repeat((-exp - 1) as usize);
        return format!("{sign}0,{zeros}{digits}");
    }
    let int_len = exp as usize + 1;
    if digits.len() <= int_len {
        format!("{sign}{digits}{}", "0".repeat(int_len - digits.len()))
    } else {
        format!("{sign}{},{}", &digits[..int_len], &digits[int_len..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    fn n(x: f64) -> Cell {
        Cell::Number(x)
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn dt(y: i32, m: u32, d: u32, h: u32, min: u32) -> Cell {
        Cell::Date(ymd(y, m, d).and_hms_opt(h, min, 0).unwrap())
    }

    fn err(expected: Expected) -> CellError {
        CellError::new(expected)
    }

    const E1900: Epoch = Epoch::Excel1900;
    const E1904: Epoch = Epoch::Excel1904;

    // ---- Cell helpers ----

    #[test]
    fn blank_cells() {
        assert!(Cell::Empty.is_blank());
        assert!(t("").is_blank());
        assert!(t("  \t\n ").is_blank());
        assert!(t("\u{a0}").is_blank());
        assert!(!t(" x ").is_blank());
        assert!(!n(0.0).is_blank());
        assert!(!Cell::Bool(false).is_blank());
        assert!(!Cell::Error("#NV".into()).is_blank());
    }

    #[test]
    fn formula_like_texts() {
        for text in [
            "=HYPERLINK(\"http://x\")",
            "+49 221 1234",
            "-5",
            "@SUMME(A1)",
            "\tA",
            "\rA",
            "\nA",
            "  =1+1",
            "\u{a0}=1+1",
            "\u{200b}@A1",
            "\u{feff}-1",
            "\u{3000}+1",
            "＝1+1",
            "＋1",
            "－1",
            "＠A1",
            "﹦1",
            "⁺1",
            "₌1",
        ] {
            assert!(is_formula_like(text), "{text:?}");
        }
        for text in ["", "   ", "Antrag = online", "Ämter", "'=1", "1-2", "−1", "#NV", "ﾃ", "Ⅻ", "≠1", " ≠ 1"]
        {
            assert!(!is_formula_like(text), "{text:?}");
        }
    }

    #[test]
    fn csv_guard_round_trips() {
        let texts = ["=1", " =1", "＝1", "'abc", "'=1", "'", "''", "\u{200b}@x", "≠1", "Amt", "", "\tA"];
        for text in texts {
            let guarded = guard_csv_text(text);
            assert_eq!(unguard_csv_text(&guarded), text, "{guarded:?}");
            assert_eq!(guarded.starts_with('\''), is_formula_like(text) || text.starts_with('\''), "{text:?}");
        }
        // Typed by someone, not by the export: the apostrophe stays.
        assert_eq!(unguard_csv_text("'abc"), "'abc");
    }

    #[test]
    fn display_values() {
        assert_eq!(t(" as is ").display(), " as is ");
        assert_eq!(Cell::Empty.display(), "");
        assert_eq!(n(99012001000000.0).display(), "99012001000000");
        assert_eq!(n(10513.0).display(), "10513");
        assert_eq!(n(-3.0).display(), "-3");
        assert_eq!(n(-0.0).display(), "0");
        assert_eq!(n(1234.5).display(), "1234,5");
        assert_eq!(n(0.1 + 0.2).display(), "0,3");
        assert_eq!(n(0.05).display(), "0,05");
        assert_eq!(n(1.0 / 3.0).display(), "0,333333333333333");
        assert_eq!(n(123_456_789.123_456_78).display(), "123456789,123457");
        assert_eq!(n(1.5e20).display(), "1,5E+20");
        assert_eq!(n(1e-12).display(), "1E-12");
        assert_eq!(n(f64::NAN).display(), "NaN");
        assert_eq!(dt(2025, 3, 7, 13, 5).display(), "07.03.2025");
        assert_eq!(Cell::Bool(true).display(), "WAHR");
        assert_eq!(Cell::Bool(false).display(), "FALSCH");
        assert_eq!(Cell::Error("#REF!".into()).display(), "#REF!");
    }

    #[test]
    fn error_display_and_excel_errors() {
        assert_eq!(err(EXPECTED_DECIMAL).to_string(), "erwartet: eine Zahl wie 1.234,5");
        let e = Cell::Error("#REF!".into());
        let expected = err(("ein Wert statt des Excel-Fehlers #REF!", "a value instead of the Excel error #REF!"));
        assert_eq!(text(&e), Err(expected.clone()));
        assert_eq!(date(&e, E1900), Err(expected.clone()));
        assert_eq!(decimal(&e), Err(expected.clone()));
        assert_eq!(count(&e), Err(expected.clone()));
        assert_eq!(percent(&e), Err(expected.clone()));
        assert_eq!(whole_percent(&e), Err(expected.clone()));
        assert_eq!(boolean(&e), Err(expected.clone()));
        assert_eq!(month(&e, E1900), Err(expected));
        assert_eq!(
            decimal(&Cell::Error("#DIV/0!".into())),
            Err(err(("ein Wert statt des Excel-Fehlers #DIV/0!", "a value instead of the Excel error #DIV/0!")))
        );
        assert_eq!(
            decimal(&Cell::Error(String::new())),
            Err(err(("ein Wert statt eines Excel-Fehlers", "a value instead of an Excel error")))
        );
        // Error codes exported to CSV as text.
        assert_eq!(
            decimal(&t(" #NV ")),
            Err(err(("ein Wert statt des Excel-Fehlers #NV", "a value instead of the Excel error #NV")))
        );
        assert_eq!(
            text(&t("#bezug!")),
            Err(err(("ein Wert statt des Excel-Fehlers #BEZUG!", "a value instead of the Excel error #BEZUG!")))
        );
        assert_eq!(
            date(&t("#N/A"), E1900),
            Err(err(("ein Wert statt des Excel-Fehlers #N/A", "a value instead of the Excel error #N/A")))
        );
    }

    #[test]
    fn blank_gives_none_everywhere() {
        for c in [Cell::Empty, t(""), t("   "), t("\n\u{202f}")] {
            assert_eq!(text(&c), Ok(None));
            assert_eq!(date(&c, E1900), Ok(None));
            assert_eq!(decimal(&c), Ok(None));
            assert_eq!(count(&c), Ok(None));
            assert_eq!(percent(&c), Ok(None));
            assert_eq!(whole_percent(&c), Ok(None));
            assert_eq!(boolean(&c), Ok(None));
            assert_eq!(month(&c, E1904), Ok(None));
        }
    }

    // ---- text ----

    #[test]
    fn text_values() {
        assert_eq!(text(&t("  Bauamt \n")), Ok(Some("Bauamt".into())));
        assert_eq!(text(&t(" Zeile 1\nZeile 2 ")), Ok(Some("Zeile 1\nZeile 2".into())));
        assert_eq!(text(&n(99012001000000.0)), Ok(Some("99012001000000".into())));
        assert_eq!(text(&n(10513.0)), Ok(Some("10513".into())));
        assert_eq!(text(&n(1234567890123456.0)), Ok(Some("1234567890123456".into())));
        assert_eq!(text(&n(-0.0)), Ok(Some("0".into())));
        assert_eq!(text(&n(-7.0)), Ok(Some("-7".into())));
        assert_eq!(text(&n(12.5)), Ok(Some("12,5".into())));
        assert_eq!(text(&n(0.1 + 0.2)), Ok(Some("0,3".into())));
        assert_eq!(text(&dt(2025, 12, 31, 0, 0)), Ok(Some("31.12.2025".into())));
        assert_eq!(text(&Cell::Bool(true)), Ok(Some("ja".into())));
        assert_eq!(text(&Cell::Bool(false)), Ok(Some("nein".into())));
        assert_eq!(text(&n(f64::NAN)), Err(err(EXPECTED_TEXT)));
        assert_eq!(text(&n(f64::INFINITY)), Err(err(EXPECTED_TEXT)));
    }

    // ---- date ----

    #[test]
    fn date_serials_1900() {
        assert_eq!(date(&n(1.0), E1900), Ok(Some(ymd(1900, 1, 1))));
        assert_eq!(date(&n(59.0), E1900), Ok(Some(ymd(1900, 2, 28))));
        assert_eq!(date(&n(60.0), E1900), Err(err(EXPECTED_DATE)));
        assert_eq!(date(&n(61.0), E1900), Ok(Some(ymd(1900, 3, 1))));
        assert_eq!(date(&n(45657.0), E1900), Ok(Some(ymd(2024, 12, 31))));
        assert_eq!(date(&n(45657.75), E1900), Ok(Some(ymd(2024, 12, 31))));
        assert_eq!(date(&n(0.0), E1900), Err(err(EXPECTED_DATE)));
        assert_eq!(date(&n(0.5), E1900), Err(err(EXPECTED_DATE)));
        assert_eq!(date(&n(-1.0), E1900), Err(err(EXPECTED_DATE)));
        assert_eq!(date(&n(1e300), E1900), Err(err(EXPECTED_DATE)));
        assert_eq!(date(&n(f64::NAN), E1900), Err(err(EXPECTED_DATE)));
        assert_eq!(date(&n(f64::NEG_INFINITY), E1900), Err(err(EXPECTED_DATE)));
        // 2200-12-31 is the last accepted day.
        let last = (ymd(2200, 12, 31) - ymd(1899, 12, 30)).num_days() as f64;
        assert_eq!(date(&n(last), E1900), Ok(Some(ymd(2200, 12, 31))));
        assert_eq!(date(&n(last + 1.0), E1900), Err(err(EXPECTED_DATE)));
    }

    #[test]
    fn date_serials_1904() {
        assert_eq!(date(&n(0.0), E1904), Ok(Some(ymd(1904, 1, 1))));
        assert_eq!(date(&n(1.0), E1904), Ok(Some(ymd(1904, 1, 2))));
        assert_eq!(date(&n(44195.0), E1904), Ok(Some(ymd(2024, 12, 31))));
        assert_eq!(date(&n(-1.0), E1904), Err(err(EXPECTED_DATE)));
        assert_eq!(date(&t("44195"), E1904), Ok(Some(ymd(2024, 12, 31))));
    }

    #[test]
    fn date_cells_and_text() {
        let d = Some(ymd(2025, 12, 31));
        assert_eq!(date(&dt(2025, 12, 31, 17, 45), E1900), Ok(d));
        for s in [
            "31.12.2025",
            "31.12.25",
            "2025-12-31",
            "2025-12-31T00:00:00",
            "2025-12-31 00:00:00",
            "2025-12-31T23:59:59.123Z",
            "31.12.2025 14:30",
            "31/12/2025",
            " 31.12.2025 ",
        ] {
            assert_eq!(date(&t(s), E1900), Ok(d), "{s}");
        }
        assert_eq!(date(&t("1.2.2025"), E1900), Ok(Some(ymd(2025, 2, 1))));
        assert_eq!(date(&t("01.02.99"), E1900), Ok(Some(ymd(2099, 2, 1))));
        assert_eq!(date(&t("45657"), E1900), Ok(Some(ymd(2024, 12, 31))));
        assert_eq!(date(&t("2025-1-5"), E1900), Ok(Some(ymd(2025, 1, 5))));
    }

    #[test]
    fn date_rejects() {
        for s in [
            "31.02.2025",
            "29.02.2025",
            "32.01.2025",
            "12/31/2025",
            "2025-13-01",
            "31.12.1899",
            "01.01.2201",
            "31.12.2025 25:00",
            "2025-12-31Tmorgen",
            "31.12",
            "31.12.2025.1",
            "31-12/2025",
            "heute",
            "60",
            "0",
            "12345678",
            "45657,5",
            "1.1.202",
        ] {
            assert_eq!(date(&t(s), E1900), Err(err(EXPECTED_DATE)), "{s}");
        }
        assert_eq!(date(&Cell::Bool(true), E1900), Err(err(EXPECTED_DATE)));
        assert_eq!(date(&dt(1899, 12, 31, 12, 0), E1900), Err(err(EXPECTED_DATE)));
        assert_eq!(date(&t("29.02.2024"), E1900), Ok(Some(ymd(2024, 2, 29))));
        // A year alone is not read as a serial (2026 would be a day in 1905).
        for cell in [n(2026.0), t("2026"), n(1900.0), n(2200.0)] {
            assert_eq!(date(&cell, E1900), Err(err(EXPECTED_FULL_DATE)), "{cell:?}");
        }
        assert_eq!(date(&n(2201.0), E1900), Ok(Some(ymd(1906, 1, 9))));
    }

    // ---- decimal ----

    #[test]
    fn decimal_values() {
        let cases: &[(&str, f64)] = &[
            ("1.234,5", 1234.5),
            ("1234,5", 1234.5),
            ("1 234,5", 1234.5),
            ("1\u{a0}234,5", 1234.5),
            ("1\u{202f}234,5", 1234.5),
            ("1,234.5", 1234.5),
            ("1234.5", 1234.5),
            ("-12", -12.0),
            ("+12", 12.0),
            ("\u{2212}12", -12.0),
            ("12 €", 12.0),
            ("12,50 €", 12.5),
            ("€ 12", 12.0),
            ("-12,50 €", -12.5),
            ("€ -12", -12.0),
            ("12 EUR", 12.0),
            ("1.234", 1234.0),
            ("0.125", 0.125),
            ("0.500", 0.5),
            ("-0.125", -0.125),
            ("1.234.567", 1234567.0),
            ("1,234,567", 1234567.0),
            ("1.234.567,89", 1234567.89),
            ("1,234,567.89", 1234567.89),
            ("1 234 567", 1234567.0),
            ("1 234.5", 1234.5),
            ("1 234.567", 1234.567),
            ("0.5", 0.5),
            ("12.34", 12.34),
            ("1234.567", 1234.567),
            ("12.3456", 12.3456),
            (",5", 0.5),
            ("0", 0.0),
            ("1,5E+3", 1500.0),
            ("2e-2", 0.02),
        ];
        for (s, v) in cases {
            assert_eq!(decimal(&t(s)), Ok(Some(*v)), "{s}");
        }
        assert_eq!(decimal(&n(12.25)), Ok(Some(12.25)));
        assert_eq!(decimal(&n(-3.0)), Ok(Some(-3.0)));
    }

    #[test]
    fn decimal_rejects() {
        for s in [
            "abc",
            "NaN",
            "inf",
            "-inf",
            "infinity",
            "1e999",
            "12,",
            "12.",
            ".",
            ",",
            "-",
            "€",
            "1.2.3",
            "1,2,3",
            "1.2,5",
            "12.34.56,7",
            "1,234,5",
            "1,2.3.4",
            "1 234.567,5",
            "12  34",
            "1 23",
            "12 $",
            "12 € €",
            "--12",
            "1-2",
            "0x10",
            "1_000",
            "12 %",
            "31.12.2025",
        ] {
            assert_eq!(decimal(&t(s)), Err(err(EXPECTED_DECIMAL)), "{s}");
        }
        assert_eq!(decimal(&n(f64::NAN)), Err(err(EXPECTED_DECIMAL)));
        assert_eq!(decimal(&n(f64::INFINITY)), Err(err(EXPECTED_DECIMAL)));
        assert_eq!(decimal(&Cell::Bool(true)), Err(err(EXPECTED_DECIMAL)));
        assert_eq!(decimal(&dt(2025, 1, 1, 0, 0)), Err(err(EXPECTED_DECIMAL)));
    }

    // ---- count ----

    #[test]
    fn count_values() {
        assert_eq!(count(&t("1.234")), Ok(Some(1234)));
        assert_eq!(count(&t("1 234")), Ok(Some(1234)));
        assert_eq!(count(&t("0")), Ok(Some(0)));
        assert_eq!(count(&t("-0")), Ok(Some(0)));
        assert_eq!(count(&t("12,0")), Ok(Some(12)));
        assert_eq!(count(&n(42.0)), Ok(Some(42)));
        assert_eq!(count(&n(12.5)), Err(err(EXPECTED_COUNT)));
        assert_eq!(count(&t("12,5")), Err(err(EXPECTED_COUNT)));
        assert_eq!(count(&n(-1.0)), Err(err(EXPECTED_COUNT)));
        assert_eq!(count(&t("-3")), Err(err(EXPECTED_COUNT)));
        assert_eq!(count(&t("viele")), Err(err(EXPECTED_COUNT)));
        assert_eq!(count(&t("12 €")), Err(err(EXPECTED_COUNT)));
        assert_eq!(count(&n(1e300)), Err(err(EXPECTED_COUNT)));
        assert_eq!(count(&Cell::Bool(true)), Err(err(EXPECTED_COUNT)));
        // "1,000" is a thousand in English and 1 in German: refused, not stored as 1.
        for s in ["1,000", "25,000", " 100,000 ", "-1,000"] {
            assert_eq!(count(&t(s)), Err(err(EXPECTED_UNAMBIGUOUS)), "{s}");
        }
        assert_eq!(count(&t("1,000.0")), Ok(Some(1000)));
        assert_eq!(count(&t("1.000")), Ok(Some(1000)));
    }

    #[test]
    fn amounts_with_a_comma_before_three_digits_are_ambiguous() {
        for s in ["1,234", "25,000 €", "€ 25,000", "-1,250 EUR", "999,999"] {
            assert_eq!(decimal(&t(s)), Err(err(EXPECTED_UNAMBIGUOUS)), "{s}");
        }
        // Other digits around the comma leave one reading.
        let cases: [(&str, f64); 5] =
            [("0,125", 0.125), ("1234,567", 1234.567), ("1,23", 1.23), ("1,2345", 1.2345), ("25.000,00 €", 25000.0)];
        for (s, v) in cases {
            assert_eq!(decimal(&t(s)), Ok(Some(v)), "{s}");
        }
    }

    // ---- percent ----

    #[test]
    fn percent_values() {
        let cases: &[(Cell, f64)] = &[
            (t("60 %"), 60.0),
            (t("60%"), 60.0),
            (t("60,5 %"), 60.5),
            (t("0,5 %"), 0.5),
            (t("1 %"), 1.0),
            (t("100 %"), 100.0),
            (t("0 %"), 0.0),
            (t("0,6"), 60.0),
            (t("60"), 60.0),
            (t("1"), 100.0),
            (t("0"), 0.0),
            (t("-0"), 0.0),
            (n(0.6), 60.0),
            (n(1.0), 100.0),
            (n(0.0), 0.0),
            (n(0.01), 1.0),
            (n(0.29), 29.0),
            (n(0.605), 60.5),
            (n(60.0), 60.0),
            (n(100.0), 100.0),
            (n(2.5), 2.5),
            (t("1,5"), 1.5),
        ];
        for (c, v) in cases {
            assert_eq!(percent(c), Ok(Some(*v)), "{c:?}");
        }
        // 1,5 and 1,004 are what Excel stores for 150 % and 100,4 % in a percent-formatted cell.
        for c in [
            n(1.5),
            n(1.004),
            t("101"),
            t("101 %"),
            t("-5 %"),
            t("-0,1"),
            n(100.5),
            n(-0.2),
            t("viel"),
            t("60 % %"),
            t("%"),
        ] {
            assert_eq!(percent(&c), Err(err(EXPECTED_PERCENT)), "{c:?}");
        }
        for c in [t("6%0"), t("12 €"), n(f64::NAN), Cell::Bool(true), dt(2025, 1, 1, 0, 0)] {
            assert_eq!(percent(&c), Err(err(EXPECTED_PERCENT)), "{c:?}");
        }
    }

    #[test]
    fn whole_percent_values() {
        assert_eq!(whole_percent(&t("60,4 %")), Ok(Some(60)));
        assert_eq!(whole_percent(&t("60,5 %")), Ok(Some(61)));
        assert_eq!(whole_percent(&n(0.604)), Ok(Some(60)));
        assert_eq!(whole_percent(&n(1.0)), Ok(Some(100)));
        assert_eq!(whole_percent(&t("0,2 %")), Ok(Some(0)));
        assert_eq!(whole_percent(&t("101 %")), Err(err(EXPECTED_PERCENT)));
    }

    // ---- boolean ----

    #[test]
    fn boolean_values() {
        for s in ["ja", "JA", " Ja ", "j", "x", "X", "wahr", "WAHR", "true", "True", "yes", "1"] {
            assert_eq!(boolean(&t(s)), Ok(Some(true)), "{s}");
        }
        for s in ["nein", "NEIN", "n", "falsch", "FALSCH", "false", "no", "0"] {
            assert_eq!(boolean(&t(s)), Ok(Some(false)), "{s}");
        }
        assert_eq!(boolean(&Cell::Bool(true)), Ok(Some(true)));
        assert_eq!(boolean(&Cell::Bool(false)), Ok(Some(false)));
        assert_eq!(boolean(&n(1.0)), Ok(Some(true)));
        assert_eq!(boolean(&n(0.0)), Ok(Some(false)));
        for c in [n(2.0), n(0.5), n(f64::NAN), t("vielleicht"), t("2"), t("jein"), dt(2025, 1, 1, 0, 0)] {
            assert_eq!(boolean(&c), Err(err(EXPECTED_BOOLEAN)), "{c:?}");
        }
    }

    // ---- month ----

    #[test]
    fn month_values() {
        let jan = Some((2025, 1));
        for s in [
            "2025-01",
            "2025-1",
            "2025/01",
            "01/2025",
            "1/2025",
            "01.2025",
            "Jan 2025",
            "jan 2025",
            "Januar 2025",
            "JANUAR 2025",
            "Jan. 2025",
            "Jan.2025",
            "Jänner 2025",
            "January 2025",
            "Jan 25",
            "Jan-2025",
            "2025-01-15",
            "15.01.2025",
            "15.1.25",
            "2025-01-15T00:00:00",
        ] {
            assert_eq!(month(&t(s), E1900), Ok(jan), "{s}");
        }
        for s in ["März 2025", "MÄRZ 2025", "Maerz 2025", "Mrz 2025", "Mär 2025", "March 2025", "Mar 2025"] {
            assert_eq!(month(&t(s), E1900), Ok(Some((2025, 3))), "{s}");
        }
        assert_eq!(month(&t("Dez 25"), E1900), Ok(Some((2025, 12))));
        assert_eq!(month(&t("Okt. 2024"), E1900), Ok(Some((2024, 10))));
        assert_eq!(month(&t("May 2025"), E1900), Ok(Some((2025, 5))));
        assert_eq!(month(&dt(2025, 7, 31, 12, 0), E1900), Ok(Some((2025, 7))));
        assert_eq!(month(&n(45657.0), E1900), Ok(Some((2024, 12))));
        assert_eq!(month(&n(44195.0), E1904), Ok(Some((2024, 12))));
    }

    #[test]
    fn month_rejects() {
        for s in [
            "2025-13",
            "13/2025",
            "00/2025",
            "2025-00",
            "Foo 2025",
            "Januar",
            "Januar 2025 x",
            "Januar 202",
            "01/1899",
            "01/2201",
            "Jan 1899",
            "45657",
            "01/25",
            "1.5",
            "31.02.2025",
            "2025-01-01-01",
        ] {
            assert_eq!(month(&t(s), E1900), Err(err(EXPECTED_MONTH)), "{s}");
        }
        assert_eq!(month(&n(60.0), E1900), Err(err(EXPECTED_MONTH)));
        // A month's number or a year alone is not read as a serial (1 would be January 1900).
        for cell in [n(1.0), n(12.0), n(2025.0), t("3"), t("2025"), t(" 2026 ")] {
            assert_eq!(month(&cell, E1900), Err(err(EXPECTED_MONTH_WITH_YEAR)), "{cell:?}");
        }
        assert_eq!(month(&n(f64::NAN), E1900), Err(err(EXPECTED_MONTH)));
        assert_eq!(month(&Cell::Bool(true), E1900), Err(err(EXPECTED_MONTH)));
    }

    // ---- properties ----

    const GERMAN_MONTHS: [&str; 12] = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ];

    fn any_date(from: NaiveDate) -> impl Strategy<Value = NaiveDate> {
        let span = (ymd(2200, 12, 31) - from).num_days() as u64;
        (0..=span).prop_map(move |days| from + Days::new(days))
    }

    /// Groups the digits of `n` in threes with `sep`, e.g. 1234567 -> "1.234.567".
    fn grouped(n: u64, sep: char) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    fn any_float() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(-0.0),
            -1e6..1e6f64,
        ]
    }

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[0-9.,:/ TZe%€+\\-\u{a0}\u{202f}#A-Za-zä]{0,24}"]
    }

    proptest! {
        #[test]
        fn serial_1900_round_trip(d in any_date(ymd(1900, 3, 1))) {
            // Independent of the implementation: Excel's day 0 for dates from March 1900 on is 1899-12-30.
            let serial = (d - ymd(1899, 12, 30)).num_days() as f64;
            prop_assume!(!(1900.0..=2200.0).contains(&serial), "read as a year");
            prop_assert_eq!(date(&n(serial), E1900), Ok(Some(d)));
            prop_assert_eq!(date(&n(serial + 0.999), E1900), Ok(Some(d)));
        }

        #[test]
        fn serial_1904_round_trip(d in any_date(ymd(1904, 1, 1))) {
            let serial = (d - ymd(1904, 1, 1)).num_days() as f64;
            prop_assume!(!(1900.0..=2200.0).contains(&serial), "read as a year");
            prop_assert_eq!(date(&n(serial), E1904), Ok(Some(d)));
        }

        #[test]
        fn date_text_round_trip(d in any_date(ymd(1900, 1, 1))) {
            let german = format!("{:02}.{:02}.{}", d.day(), d.month(), d.year());
            let iso = format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
            prop_assert_eq!(date(&t(&german), E1900), Ok(Some(d)));
            prop_assert_eq!(date(&t(&iso), E1904), Ok(Some(d)));
            prop_assert_eq!(date(&t(&format!("{iso}T00:00:00")), E1900), Ok(Some(d)));
        }

        #[test]
        fn count_round_trip(v in 0u64..1_000_000_000_000) {
            prop_assert_eq!(count(&t(&grouped(v, '.'))), Ok(Some(v)));
            prop_assert_eq!(count(&t(&grouped(v, '\u{a0}'))), Ok(Some(v)));
            prop_assert_eq!(count(&t(&v.to_string())), Ok(Some(v)));
            prop_assert_eq!(count(&n(v as f64)), Ok(Some(v)));
        }

        #[test]
        fn decimal_round_trip(cents in -100_000_000_000i64..100_000_000_000) {
            let value = cents as f64 / 100.0;
            let sign = if cents < 0 { "-" } else { "" };
            let (whole, frac) = (cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
            let german = format!("{sign}{},{frac:02}", grouped(whole, '.'));
            let english = format!("{sign}{}.{frac:02}", grouped(whole, ','));
            for s in [german, english] {
                let parsed = decimal(&t(&s)).unwrap().unwrap();
                prop_assert!((parsed - value).abs() <= 1e-6 * value.abs().max(1.0), "{} -> {}", s, parsed);
            }
        }

        #[test]
        fn percent_round_trip(p in 0u8..=100) {
            let expected = Some(f64::from(p));
            prop_assert_eq!(percent(&t(&format!("{p} %"))), Ok(expected));
            prop_assert_eq!(percent(&t(&format!("{p}%"))), Ok(expected));
            // As Excel stores a percent-formatted cell: 1 % is the fraction 0.01.
            prop_assert_eq!(percent(&n(f64::from(p) / 100.0)), Ok(expected));
            prop_assert_eq!(whole_percent(&n(f64::from(p) / 100.0)), Ok(Some(p)));
        }

        #[test]
        fn month_round_trip(y in 1900i32..=2200, m in 1u32..=12) {
            let expected = Ok(Some((y, m)));
            prop_assert_eq!(month(&t(&format!("{m:02}/{y}")), E1900), expected.clone());
            prop_assert_eq!(month(&t(&format!("{y}-{m:02}")), E1900), expected.clone());
            prop_assert_eq!(month(&t(&format!("{} {y}", GERMAN_MONTHS[m as usize - 1])), E1900), expected);
        }

        #[test]
        fn parsers_never_panic(s in any_text(), x in any_float()) {
            for c in [Cell::Text(s), Cell::Number(x)] {
                let _ = c.display();
                let _ = text(&c);
                let _ = date(&c, E1900);
                let _ = date(&c, E1904);
                let _ = decimal(&c);
                let _ = count(&c);
                let _ = percent(&c);
                let _ = whole_percent(&c);
                let _ = boolean(&c);
                let _ = month(&c, E1900);
                let _ = month(&c, E1904);
            }
        }
    }
}
