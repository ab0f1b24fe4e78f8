//! Identifiers and small value types that carry a format: project keys, OZG-IDs, LeiKa keys,
//! months, percentages. Private fields; construct with `parse`.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A project's stable key such as `DIG-0042`: 3-20 characters of A-Z, 0-9 and `-`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProjectKey(String);

impl ProjectKey {
    pub fn parse(raw: &str) -> Option<ProjectKey> {
        let key = raw.trim().to_uppercase();
        let ok = (3..=20).contains(&key.len())
            && key.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
        ok.then_some(ProjectKey(key))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A milestone's number in Leitstand as the export writes it: its project's key and its
/// running number within the project, from 1 (`DIG-0042/3`). Milestones are only ever appended
/// to a project, so a number never passes to another milestone; that makes it the key by which
/// an import can rename one. The project key in it keeps a row copied into another project's
/// rows, or a department's own numbering (`3`, `M3`), from naming the wrong milestone.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MilestoneNo {
    project: ProjectKey,
    number: u32,
}

impl MilestoneNo {
    /// The number of the milestone stored at `position` (0-based, as in the database).
    pub fn at(project: ProjectKey, position: i64) -> Option<MilestoneNo> {
        let number = u32::try_from(position.checked_add(1)?).ok().filter(|n| *n >= 1)?;
        Some(MilestoneNo { project, number })
    }
    /// `DIG-0042/3`, also with spaces around the slash and in lower case.
    pub fn parse(raw: &str) -> Option<MilestoneNo> {
        let (project, number) = raw.trim().rsplit_once('/')?;
        let number = number.trim();
        // Digits only: `parse` would also take a sign.
        if !(1..=9).contains(&number.len()) || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let number = number.parse::<u32>().ok().filter(|n| *n >= 1)?;
        Some(MilestoneNo { project: ProjectKey::parse(project)?, number })
    }
    pub fn project(&self) -> &ProjectKey {
        &self.project
    }
    /// The running number within the project, from 1.
    pub fn number(&self) -> u32 {
        self.number
    }
    /// The position in the database (0-based).
    pub fn position(&self) -> i64 {
        i64::from(self.number) - 1
    }
}

impl fmt::Display for MilestoneNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.project.as_str(), self.number)
    }
}

/// OZG-ID of an OZG-Leistung: up to 6 digits (e.g. 10000 Elterngeld).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OzgId(String);

impl OzgId {
    pub fn parse(raw: &str) -> Option<OzgId> {
        let id = raw.trim();
        let ok = (1..=6).contains(&id.len()) && id.chars().all(|c| c.is_ascii_digit());
        ok.then(|| OzgId(id.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// LeiKa key: 14 digits starting with 99 (e.g. 99012001000000).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LeikaKey(String);

impl LeikaKey {
    pub fn parse(raw: &str) -> Option<LeikaKey> {
        let key = raw.trim();
        let ok = key.len() == 14 && key.starts_with("99") && key.chars().all(|c| c.is_ascii_digit());
        ok.then(|| LeikaKey(key.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A work e-mail address: one `@` with text on both sides, a dot in the domain part, no
/// spaces, at most 200 characters. Checked loosely on purpose: it catches a name or a phone
/// number in the wrong column, and leaves the rest to the city's mail system.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Option<Email> {
        let address = raw.trim().trim_start_matches("mailto:");
        let (local, domain) = address.split_once('@')?;
        let ok = address.chars().count() <= 200
            && !local.is_empty()
            && !domain.contains('@')
            && domain.split('.').count() >= 2
            && domain.split('.').all(|part| !part.is_empty())
            && !address.chars().any(char::is_whitespace);
        ok.then(|| Email(address.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A work telephone number as people write it ("0221 221-12345", "+49 (221) 221 12345"):
/// digits with spaces, `+`, `/`, `-`, `(` and `)`, at least three digits, at most 50 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Option<Phone> {
        let number = raw.trim();
        let ok = number.chars().count() <= 50
            && number.chars().filter(char::is_ascii_digit).count() >= 3
            && number.chars().all(|c| c.is_ascii_digit() || " +/-()".contains(c));
        ok.then(|| Phone(number.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A calendar month, stored as `'YYYY-MM'` text so that both databases group by it alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    pub fn parse(raw: &str) -> Option<Month> {
        let (y, m) = raw.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        (1..=12).contains(&month).then_some(Month { year, month })
    }
    pub fn of(date: NaiveDate) -> Month {
        Month { year: date.year(), month: date.month() }
    }
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("month is always valid")
    }
    /// The month `n` months later (or earlier for negative `n`).
    pub fn plus(self, n: i32) -> Month {
        let index = self.year * 12 + self.month as i32 - 1 + n;
        Month { year: index.div_euclid(12), month: index.rem_euclid(12) as u32 + 1 }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Percent done, 0 to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Percent(u8);

impl Percent {
    /// Accepts "60", "60 %", "60%"; rejects anything outside 0-100.
    pub fn parse(raw: &str) -> Option<Percent> {
        let digits = raw.trim().trim_end_matches('%').trim();
        let value: u8 = digits.parse().ok()?;
        (value <= 100).then_some(Percent(value))
    }
    pub fn new(value: u8) -> Option<Percent> {
        (value <= 100).then_some(Percent(value))
    }
    pub fn value(self) -> u8 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_contacts() {
        assert_eq!(Email::parse(" anna.schmidt@stadt.example ").unwrap().as_str(), "anna.schmidt@stadt.example");
        assert_eq!(Email::parse("mailto:a@b.de").unwrap().as_str(), "a@b.de");
        for bad in ["Anna Schmidt", "a@b", "@stadt.de", "a@@b.de", "a b@stadt.de", "a@stadt..de", "0221 12345"] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(Phone::parse("+49 (221) 221-12345").unwrap().as_str(), "+49 (221) 221-12345");
        assert!(Phone::parse("0221/221 0").is_some());
        for bad in ["12", "anna@stadt.de", "Durchwahl 12345", &"1".repeat(51)] {
            assert!(Phone::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn milestone_numbers_name_their_project() {
        let no = MilestoneNo::parse(" dig-0042 / 03 ").unwrap();
        assert_eq!((no.project().as_str(), no.number(), no.position()), ("DIG-0042", 3, 2));
        assert_eq!(no.to_string(), "DIG-0042/3");
        assert_eq!(MilestoneNo::at(ProjectKey::parse("DIG-0042").unwrap(), 2), Some(no));
        assert!(MilestoneNo::at(ProjectKey::parse("DIG-0042").unwrap(), -1).is_none());
        for foreign in
            ["3", "M3", "DIG-0042", "DIG-0042/0", "DIG-0042/-1", "DIG-0042/3a", "DIG 42/3", "/3", "DIG-0042/1234567890"]
        {
            assert!(MilestoneNo::parse(foreign).is_none(), "{foreign}");
        }
    }

    #[test]
    fn keys_and_months() {
        assert_eq!(ProjectKey::parse(" dig-0042 ").unwrap().as_str(), "DIG-0042");
        assert!(ProjectKey::parse("x").is_none());
        assert!(ProjectKey::parse("DIG 1").is_none());
        assert!(LeikaKey::parse("99012001000000").is_some());
        assert!(LeikaKey::parse("12012001000000").is_none());
        assert!(LeikaKey::parse("9901200100000").is_none());
        assert!(OzgId::parse("10000").is_some());
        assert!(OzgId::parse("10a00").is_none());
        let m = Month::parse("2025-12").unwrap();
        assert_eq!(m.plus(1).to_string(), "2026-01");
        assert_eq!(m.plus(-12).to_string(), "2024-12");
        assert!(Month::parse("2025-13").is_none());
        assert!(Month::parse("2025-1").is_none());
        assert_eq!(Percent::parse("60 %").unwrap().value(), 60);
        assert!(Percent::parse("101").is_none());
        assert!(Percent::parse("-1").is_none());
    }
}
