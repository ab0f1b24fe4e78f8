//! The demo city: a deterministic, synthetic municipality (departments, functions, strategy,
//! Stichtage, OZG catalogue with usage, 360 projects with milestone histories), pure code.

use std::collections::HashSet;
use std::f64::consts::TAU;

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

use crate::domain::{Ampel, Category, FunctionKind, Month, Phase, TargetMetric};

#[derive(Clone, Debug, PartialEq)]
pub struct DemoCity {
    pub departments: Vec<DemoDepartment>,
    pub people: Vec<DemoPerson>,
    pub functions: Vec<DemoFunction>,
    pub goals: Vec<DemoGoal>,
    pub handlungsfelder: Vec<DemoHandlungsfeld>,
    pub stichtage: Vec<DemoStichtag>,
    pub themenfelder: Vec<String>,
    pub lebenslagen: Vec<DemoLebenslage>,
    pub services: Vec<DemoService>,
    pub projects: Vec<DemoProject>,
    pub targets: Vec<DemoTarget>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoDepartment {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoPerson {
    pub name: String,
    pub email: String,
    pub phone: String,
}

/// `department` and `person` index into [`DemoCity::departments`] and [`DemoCity::people`].
#[derive(Clone, Debug, PartialEq)]
pub struct DemoFunction {
    pub title: String,
    pub kind: FunctionKind,
    pub department: Option<usize>,
    pub person: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoGoal {
    pub code: String,
    pub title: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoHandlungsfeld {
    pub goal: usize,
    pub code: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoStichtag {
    pub report_date: NaiveDate,
    pub closed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoLebenslage {
    pub themenfeld: usize,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoService {
    pub ozg_id: String,
    pub leika_key: Option<String>,
    pub name: String,
    pub themenfeld: usize,
    pub lebenslage: Option<usize>,
    pub reifegrad: i64,
    pub online_since: Option<NaiveDate>,
    pub epayment: bool,
    pub url: Option<String>,
    pub usage: Vec<DemoUsage>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoUsage {
    pub month: Month,
    pub online: i64,
    pub total: i64,
}

/// `lotse` and `sponsor` index into [`DemoCity::functions`], `services` into
/// [`DemoCity::services`].
#[derive(Clone, Debug, PartialEq)]
pub struct DemoProject {
    pub key: String,
    pub title: String,
    pub description: String,
    pub benefit: String,
    pub department: usize,
    pub lotse: Option<usize>,
    pub sponsor: Option<usize>,
    pub handlungsfeld: Option<usize>,
    pub category: Category,
    pub phase: Phase,
    pub start: NaiveDate,
    pub planned_end: NaiveDate,
    pub percent_done: u8,
    pub budget_cents: Option<i64>,
    pub ampel: Ampel,
    pub ampel_reason: String,
    pub milestones: Vec<DemoMilestone>,
    pub services: Vec<usize>,
}

/// The milestone's position in the database is its index in [`DemoProject::milestones`].
#[derive(Clone, Debug, PartialEq)]
pub struct DemoMilestone {
    pub title: String,
    pub is_key: bool,
    pub baseline: NaiveDate,
    pub forecast: NaiveDate,
    pub actual: Option<NaiveDate>,
    pub history: Vec<DemoForecast>,
}

/// One point of the milestone trend analysis; `stichtag` indexes [`DemoCity::stichtage`].
#[derive(Clone, Debug, PartialEq)]
pub struct DemoForecast {
    pub stichtag: usize,
    pub forecast: NaiveDate,
    pub reached: bool,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DemoTarget {
    pub name: String,
    pub metric: TargetMetric,
    pub metric_param: Option<i64>,
    pub target_value: f64,
    pub deadline: NaiveDate,
}

/// `today` is the reference date; the same `today` always gives the same city.
pub fn generate(today: NaiveDate) -> DemoCity {
    let (people, functions, staff) = staff();
    let (goals, handlungsfelder) = strategy();
    let stichtage = stichtage(today);
    let (themenfelder, lebenslagen, catalogue) = catalogue(today);
    let projects = projects(&Context {
        today,
        stichtage: stichtage.iter().map(|s| s.report_date).collect(),
        staff: &staff,
        catalogue: &catalogue,
    });
    DemoCity {
        departments: departments(),
        people,
        functions,
        goals,
        handlungsfelder,
        stichtage,
        themenfelder,
        lebenslagen,
        services: catalogue.services,
        projects,
        targets: targets(DEPARTMENTS.len()),
    }
}

// ---------------------------------------------------------------------------------------------
// Randomness and small helpers

/// Every stream starts from this seed, so the city never depends on the clock or the platform.
const SEED: u64 = 0x4C65_6974_7374_616E;
const STREAM_STAFF: u64 = 1;
const STREAM_SERVICES: u64 = 2;
const STREAM_PROJECTS: u64 = 3;

const PROJECT_COUNT: usize = 360;
const STICHTAG_COUNT: i32 = 12;
const USAGE_MONTHS: i32 = 24;
/// The repository tests edit the first projects; these always run and have open milestones.
const SHOWCASE_PROJECTS: usize = 8;
/// Share of milestones whose Lotse stops reporting shortly before they fall due (overdue).
const STALE_CHANCE: f64 = 0.2;

/// SplitMix64: tiny and good enough for synthetic data; separate streams per part of the city
/// keep names and the catalogue stable when the project generator changes. The randomised
/// import test (`tests/import.rs`, mangled files) draws from it too, with a seed it names.
pub struct Rng(u64);

impl Rng {
    fn new(stream: u64) -> Rng {
        Rng::seeded(SEED ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// The same seed gives the same draws: a failure that names its seed replays.
    pub fn seeded(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`; an empty range yields `lo`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + (self.next_u64() % span) as i64
    }

    fn months(&mut self, lo: i32, hi: i32) -> i32 {
        self.range(i64::from(lo), i64::from(hi)) as i32
    }

    /// Uniform in `0..len`.
    pub fn index(&mut self, len: usize) -> usize {
        (self.next_u64() % len.max(1) as u64) as usize
    }

    /// Uniform in `0.0..1.0`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    /// Callers pass non-empty lists (the constant word lists of this module).
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// Index drawn with the given relative weights (at least one positive).
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut roll = self.range(0, i64::from(total) - 1);
        for (index, weight) in weights.iter().enumerate() {
            if roll < i64::from(*weight) {
                return index;
            }
            roll -= i64::from(*weight);
        }
        weights.len().saturating_sub(1)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }
}

fn plus_days(date: NaiveDate, days: i64) -> NaiveDate {
    date + TimeDelta::days(days)
}

/// Plans name working days.
fn working_day(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => plus_days(date, -1),
        Weekday::Sun => plus_days(date, 1),
        _ => date,
    }
}

fn fixed_date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a fixed calendar date is valid")
}

/// E-mail addresses and URLs are ASCII: umlauts become ae/oe/ue, ß becomes ss.
fn transliterate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            'ß' => out.push_str("ss"),
            _ => out.push(c),
        }
    }
    out
}

/// Lower-case ASCII words joined by hyphens: "Hundesteuer Anmeldung" → "hundesteuer-anmeldung".
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in transliterate(text).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

// ---------------------------------------------------------------------------------------------
// Departments and the people in their functions

struct DepartmentSpec {
    code: &'static str,
    name: &'static str,
    /// The name used in titles: "eAkte-Einführung Fachbereich Steuern".
    short: &'static str,
    /// Relative share of the portfolio.
    weight: u32,
    /// OZG Themenfelder whose services the department runs.
    themenfelder: &'static [&'static str],
    /// Projects every city of this size runs (title, category, OZG object to link); they come
    /// first, generated titles fill the rest.
    flagships: &'static [(&'static str, Category, &'static str)],
    /// Work areas and file stocks that generated titles name.
    topics: &'static [&'static str],
    /// Specialist software, by generic name.
    systems: &'static [&'static str],
}

const DEPARTMENTS: &[DepartmentSpec] = &[
    DepartmentSpec {
        code: "FB 11",
        name: "Personal und Organisation",
        short: "Personal",
        weight: 18,
        themenfelder: &[],
        flagships: &[
            ("Digitale Personalakte", Category::EAkte, ""),
            ("E-Recruiting-Portal", Category::Prozess, ""),
            ("Digitale Zeiterfassung", Category::Prozess, ""),
            ("Lernplattform der Stadtverwaltung", Category::Qualifizierung, ""),
            ("Schulung Digitale Kompetenz für Führungskräfte", Category::Qualifizierung, ""),
        ],
        topics: &[
            "Stellenbesetzung",
            "Reisekostenabrechnung",
            "Fortbildungsverwaltung",
            "Beihilfe",
            "Urlaubsanträge",
            "Organisationsuntersuchungen",
        ],
        systems: &["Personalmanagementsystem", "Bewerbermanagementsystem", "Zeitwirtschaftssystem"],
    },
    DepartmentSpec {
        code: "FB 12",
        name: "Informationstechnik",
        short: "IT",
        weight: 22,
        themenfelder: &[],
        flagships: &[
            ("Anbindung an das Nutzerkonto BundID", Category::Infrastruktur, ""),
            ("Zentrale Formularplattform", Category::Infrastruktur, ""),
            ("WLAN in allen Verwaltungsgebäuden", Category::Infrastruktur, ""),
            ("Mobiles Arbeiten: Notebook-Rollout", Category::Infrastruktur, ""),
            ("E-Payment-Plattform für alle Online-Dienste", Category::Infrastruktur, ""),
            ("Digitaler Posteingang mit zentraler Scanstelle", Category::Prozess, ""),
            ("Informationssicherheits-Managementsystem", Category::Infrastruktur, ""),
        ],
        topics: &[
            "IT-Service-Management",
            "Softwareverteilung",
            "Rechteverwaltung",
            "Druckerkonsolidierung",
            "Telefonie",
            "Rechenzentrumsbetrieb",
        ],
        systems: &["Dokumentenmanagementsystem", "Ticketsystem", "Telefonanlage", "Verzeichnisdienst"],
    },
    DepartmentSpec {
        code: "FB 20",
        name: "Finanzen und Steuern",
        short: "Steuern",
        weight: 30,
        themenfelder: &["Steuern & Zoll"],
        flagships: &[
            ("E-Rechnung Eingangsworkflow", Category::Prozess, ""),
            ("eAkte-Einführung Fachbereich Steuern", Category::EAkte, ""),
            ("Digitalisierung der Steuerakten (101.000 Akten)", Category::EAkte, ""),
            ("Digitalisierung der Grundsteuerakten (85.000 Akten)", Category::EAkte, ""),
            ("Online-Zahlung per QR-Code auf Bescheiden", Category::Prozess, ""),
            ("Hundesteuer online an- und abmelden", Category::Ozg, "Hundesteuer"),
        ],
        topics: &[
            "Gewerbesteuer",
            "Grundsteuer",
            "Vergnügungssteuer",
            "Mahnwesen",
            "Vollstreckung",
            "Haushaltsplanung",
            "Anlagenbuchhaltung",
            "Zahlungsverkehr",
        ],
        systems: &["Finanzverfahren", "Steuerverfahren", "Kassenverfahren"],
    },
    DepartmentSpec {
        code: "FB 31",
        name: "Umwelt und Klimaschutz",
        short: "Umwelt",
        weight: 18,
        themenfelder: &["Umwelt"],
        flagships: &[
            ("Digitales Baumkataster", Category::Infrastruktur, ""),
            ("Online-Mängelmelder für wilde Müllkippen", Category::Ozg, "Wilde Müllablagerung"),
            ("Klimaschutz-Monitoring", Category::Prozess, ""),
        ],
        topics: &[
            "Immissionsschutz",
            "Wasserrecht",
            "Bodenschutz",
            "Baumschutzsatzung",
            "Klimaanpassung",
            "Abfallberatung",
        ],
        systems: &["Umweltinformationssystem", "Altlastenkataster", "Baumkataster"],
    },
    DepartmentSpec {
        code: "FB 32",
        name: "Ordnung und Gewerbe",
        short: "Ordnung",
        weight: 30,
        themenfelder: &["Recht & Ordnung", "Unternehmensführung & -entwicklung", "Engagement & Hobby"],
        flagships: &[
            ("Digitaler Bußgeldworkflow", Category::Prozess, ""),
            ("Mobile Datenerfassung Verkehrsüberwachung", Category::Infrastruktur, ""),
            ("Online-Gewerbeanmeldung", Category::Ozg, "Gewerbeanzeige"),
            ("eAkte-Einführung Fachbereich Ordnung", Category::EAkte, ""),
        ],
        topics: &[
            "Gewerbeangelegenheiten",
            "Gaststättenerlaubnisse",
            "Verkehrsüberwachung",
            "Fundbüro",
            "Veranstaltungsgenehmigungen",
            "Sondernutzungen",
            "Ordnungswidrigkeiten",
        ],
        systems: &["Gewerbeverfahren", "Bußgeldverfahren", "Fundsachenverwaltung"],
    },
    DepartmentSpec {
        code: "FB 33",
        name: "Bürgerservice und Standesamt",
        short: "Bürgerservice",
        weight: 36,
        themenfelder: &["Querschnitt", "Mobilität & Reisen", "Ein- & Auswanderung"],
        flagships: &[
            ("Chatbot Bürgerservice", Category::Prozess, ""),
            ("Bürgerkoffer mobiles Bürgerbüro", Category::Infrastruktur, ""),
            ("Online-Terminvergabe Bürgerbüro", Category::Prozess, ""),
            ("Online-Antrag Anwohnerparkausweis", Category::Ozg, "Anwohnerparkausweis"),
            ("Internetbasierte Fahrzeugzulassung (i-Kfz)", Category::Ozg, "Kfz-Zulassung"),
            ("Selbstbedienungsterminal für Passfotos", Category::Infrastruktur, ""),
            ("Digitales Wartemanagement", Category::Infrastruktur, ""),
        ],
        topics: &[
            "Meldewesen",
            "Pass- und Ausweiswesen",
            "Kfz-Zulassung",
            "Führerscheinstelle",
            "Standesamt",
            "Beglaubigungen",
            "Terminmanagement",
        ],
        systems: &["Meldeverfahren", "Zulassungsverfahren", "Standesamtsverfahren", "Terminsystem"],
    },
    DepartmentSpec {
        code: "FB 37",
        name: "Feuerwehr und Zivilschutz",
        short: "Feuerwehr",
        weight: 16,
        themenfelder: &[],
        flagships: &[
            ("Digitale Einsatzdokumentation", Category::Prozess, ""),
            ("Tablets für Einsatzfahrzeuge", Category::Infrastruktur, ""),
            ("Digitale Brandverhütungsschau", Category::Prozess, ""),
            ("Warn-App und Sirenensteuerung", Category::Infrastruktur, ""),
        ],
        topics: &[
            "Einsatzberichte",
            "Atemschutzwerkstatt",
            "Brandschutzbedarfsplanung",
            "Gerätewartung",
            "Ausbildung der Freiwilligen Feuerwehr",
        ],
        systems: &["Einsatzleitsystem", "Feuerwehrverwaltungsprogramm"],
    },
    DepartmentSpec {
        code: "FB 40",
        name: "Schule und Weiterbildung",
        short: "Schule",
        weight: 24,
        themenfelder: &["Bildung"],
        flagships: &[
            ("Digitalpakt Schule: Endgeräte für Schülerinnen und Schüler", Category::Infrastruktur, ""),
            ("Glasfaseranbindung aller Schulen", Category::Infrastruktur, ""),
            ("Online-Schulanmeldung", Category::Ozg, "Schulanmeldung"),
            ("Medienentwicklungsplan", Category::Qualifizierung, ""),
        ],
        topics: &[
            "Schulanmeldung",
            "Schülerbeförderung",
            "Schulentwicklungsplanung",
            "Lernmittel",
            "Offener Ganztag",
            "Volkshochschule",
        ],
        systems: &["Schulverwaltungssoftware", "Lernplattform", "Kursverwaltung der Volkshochschule"],
    },
    DepartmentSpec {
        code: "FB 41",
        name: "Kultur und Stadtbibliothek",
        short: "Kultur",
        weight: 16,
        themenfelder: &["Engagement & Hobby", "Forschung & Förderung"],
        flagships: &[
            ("Onleihe der Stadtbibliothek", Category::Infrastruktur, ""),
            ("Online-Ticketing Stadtmuseum", Category::Prozess, ""),
            ("Digitalisierung Stadtarchiv", Category::EAkte, ""),
        ],
        topics: &["Kulturförderung", "Stadtarchiv", "Museumssammlung", "Musikschule", "Veranstaltungsmanagement"],
        systems: &["Bibliothekssystem", "Archivsoftware", "Musikschulverwaltung"],
    },
    DepartmentSpec {
        code: "FB 50",
        name: "Soziales und Wohnen",
        short: "Soziales",
        weight: 30,
        themenfelder: &["Arbeit & Ruhestand", "Bauen & Wohnen"],
        flagships: &[
            ("Online-Antrag Wohngeld", Category::Ozg, "Wohngeld"),
            ("Digitale Wohngeldakte", Category::EAkte, ""),
            ("Fallmanagement Eingliederungshilfe", Category::Prozess, ""),
            ("Digitale Sozialhilfeakte", Category::EAkte, ""),
        ],
        topics: &[
            "Grundsicherung",
            "Hilfe zur Pflege",
            "Eingliederungshilfe",
            "Wohngeld",
            "Unterbringung Wohnungsloser",
            "Seniorenberatung",
        ],
        systems: &["Sozialhilfeverfahren", "Wohngeldverfahren"],
    },
    DepartmentSpec {
        code: "FB 51",
        name: "Jugend und Familie",
        short: "Jugend",
        weight: 28,
        themenfelder: &["Familie & Kind"],
        flagships: &[
            ("Kita-Navigator: Online-Platzvergabe", Category::Ozg, "Kita-Platz"),
            ("eAkte im Allgemeinen Sozialen Dienst", Category::EAkte, ""),
            ("Elterngeld digital", Category::Ozg, "Elterngeld"),
            ("Mobile Fallbearbeitung im Sozialen Dienst", Category::Infrastruktur, ""),
        ],
        topics: &[
            "Kindertagesbetreuung",
            "Unterhaltsvorschuss",
            "Elterngeld",
            "Jugendhilfeplanung",
            "Beistandschaften",
            "Kinderschutz",
        ],
        systems: &["Jugendhilfeverfahren", "Kita-Verwaltung"],
    },
    DepartmentSpec {
        code: "FB 53",
        name: "Gesundheit",
        short: "Gesundheit",
        weight: 16,
        themenfelder: &["Gesundheit"],
        flagships: &[
            ("Anbindung an das Meldeportal DEMIS", Category::Infrastruktur, ""),
            ("Digitale Schuleingangsuntersuchung", Category::Prozess, ""),
            ("Fallmanagement Infektionsschutz", Category::Prozess, ""),
        ],
        topics: &[
            "Infektionsschutz",
            "Schuleingangsuntersuchungen",
            "Trinkwasserüberwachung",
            "Amtsärztliche Gutachten",
            "Heimaufsicht",
        ],
        systems: &["Gesundheitsamtssoftware", "Meldesoftware"],
    },
    DepartmentSpec {
        code: "FB 61",
        name: "Stadtplanung",
        short: "Stadtplanung",
        weight: 18,
        themenfelder: &[],
        flagships: &[
            ("Bauleitplanung mit XPlanung", Category::Prozess, ""),
            ("Online-Bürgerbeteiligung Bauleitplanung", Category::Prozess, ""),
            ("3D-Stadtmodell", Category::Infrastruktur, ""),
            ("Geoportal der Stadt", Category::Infrastruktur, ""),
        ],
        topics: &["Bauleitplanung", "Städtebauförderung", "Verkehrsplanung", "Bodenordnung", "Vermessung"],
        systems: &["Geoinformationssystem", "Beteiligungsplattform"],
    },
    DepartmentSpec {
        code: "FB 63",
        name: "Bauaufsicht und Denkmalschutz",
        short: "Bauaufsicht",
        weight: 24,
        themenfelder: &["Bauen & Wohnen"],
        flagships: &[
            ("Digitaler Bauantrag", Category::Ozg, "Baugenehmigung"),
            ("Digitalisierung der Bauakten", Category::EAkte, ""),
            ("Online-Auskunft Baulastenverzeichnis", Category::Ozg, "Baulastenverzeichnis"),
        ],
        topics: &["Baugenehmigungen", "Bauüberwachung", "Denkmalschutz", "Baulasten", "Wohnungsaufsicht"],
        systems: &["Bauaufsichtsverfahren", "Bauaktenarchiv"],
    },
    DepartmentSpec {
        code: "FB 66",
        name: "Tiefbau und Verkehr",
        short: "Tiefbau",
        weight: 18,
        themenfelder: &["Mobilität & Reisen"],
        flagships: &[
            ("Digitales Aufbruchmanagement", Category::Prozess, ""),
            ("Digitale Baustellenkoordination", Category::Prozess, ""),
            ("Straßenzustandserfassung mit Sensorfahrzeug", Category::Infrastruktur, ""),
        ],
        topics: &[
            "Straßenunterhaltung",
            "Aufbruchgenehmigungen",
            "Straßenbeleuchtung",
            "Verkehrslenkung",
            "Winterdienst",
            "Brückenprüfung",
        ],
        systems: &["Straßendatenbank", "Baustelleninformationssystem"],
    },
];

fn departments() -> Vec<DemoDepartment> {
    DEPARTMENTS.iter().map(|d| DemoDepartment { code: d.code.to_string(), name: d.name.to_string() }).collect()
}

const FEMALE_NAMES: &[&str] = &[
    "Anna",
    "Sabine",
    "Claudia",
    "Petra",
    "Julia",
    "Katharina",
    "Stefanie",
    "Andrea",
    "Nicole",
    "Birgit",
    "Monika",
    "Susanne",
    "Laura",
    "Lena",
    "Miriam",
    "Jana",
    "Kerstin",
    "Anja",
    "Heike",
    "Sandra",
    "Christina",
    "Melanie",
    "Tanja",
    "Ulrike",
    "Sarah",
    "Annika",
    "Anna-Lena",
    "Özlem",
    "Elif",
    "Jördis",
];

const MALE_NAMES: &[&str] = &[
    "Thomas",
    "Michael",
    "Andreas",
    "Stefan",
    "Frank",
    "Markus",
    "Christian",
    "Jörg",
    "Matthias",
    "Sven",
    "Tobias",
    "Daniel",
    "Jan",
    "Dirk",
    "Ralf",
    "Uwe",
    "Oliver",
    "Björn",
    "Patrick",
    "Sebastian",
    "Kai",
    "Jens",
    "Martin",
    "Florian",
    "Lukas",
    "Hendrik",
    "Mehmet",
    "Emre",
    "Karl-Heinz",
    "Jürgen",
];

const SURNAMES: &[&str] = &[
    "Müller",
    "Schmitz",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Janssen",
    "Hendricks",
    "Yilmaz",
    "Kaya",
    "Nowak",
];

/// The project's lookup of functions per department.
struct Staff {
    lotsen: Vec<Vec<usize>>,
    sponsors: Vec<usize>,
}

#[derive(Default)]
struct Roster {
    people: Vec<DemoPerson>,
    taken: HashSet<String>,
}

impl Roster {
    /// Adds a person whose name is not on the roster yet; returns the index and whether the
    /// title is female ("Lotsin").
    fn hire(&mut self, rng: &mut Rng, extension: usize) -> (usize, bool) {
        // Thousands of name combinations for a few dozen people: the loop ends quickly.
        loop {
            let female = rng.chance(0.55);
            let first = if female { rng.pick(FEMALE_NAMES) } else { rng.pick(MALE_NAMES) };
            let last = rng.pick(SURNAMES);
            let name = format!("{first} {last}");
            if self.taken.insert(name.clone()) {
                self.people.push(DemoPerson {
                    name,
                    email: format!("{}.{}@stadt.example", slug(first), slug(last)),
                    phone: format!("+49 2151 86-{extension:04}"),
                });
                return (self.people.len() - 1, female);
            }
        }
    }
}

fn staff() -> (Vec<DemoPerson>, Vec<DemoFunction>, Staff) {
    let mut rng = Rng::new(STREAM_STAFF);
    let mut roster = Roster::default();
    let (head, _) = roster.hire(&mut rng, 1000);
    let mut functions = vec![DemoFunction {
        title: "Leitung Stabsstelle Digitalisierung".to_string(),
        kind: FunctionKind::Stabsstelle,
        department: None,
        person: Some(head),
    }];
    for (title, extension) in [("Datenschutzbeauftragte/r", 1010), ("Informationssicherheitsbeauftragte/r", 1020)] {
        let (person, _) = roster.hire(&mut rng, extension);
        functions.push(DemoFunction {
            title: title.to_string(),
            kind: FunctionKind::Sonstige,
            department: None,
            person: Some(person),
        });
    }
    let mut staff = Staff { lotsen: Vec::new(), sponsors: Vec::new() };
    for (department, spec) in DEPARTMENTS.iter().enumerate() {
        let extension = 2000 + 100 * department;
        let (head, _) = roster.hire(&mut rng, extension);
        staff.sponsors.push(functions.len());
        functions.push(DemoFunction {
            title: format!("Fachbereichsleitung {}", spec.code),
            kind: FunctionKind::Sponsor,
            department: Some(department),
            person: Some(head),
        });
        let count = if spec.weight >= 28 { 3 } else { 2 };
        let mut lotsen = Vec::new();
        for n in 1..=count {
            // A few posts are vacant: the function keeps its projects until it is filled again.
            let vacant = n == count && department % 5 == 3;
            let person = (!vacant).then(|| roster.hire(&mut rng, extension + 10 * n));
            let role = match person {
                Some((_, true)) => "Lotsin",
                Some(_) => "Lotse",
                None => "Lotse/Lotsin",
            };
            let suffix = if n == 1 { String::new() } else { format!(" ({n})") };
            lotsen.push(functions.len());
            functions.push(DemoFunction {
                title: format!("{role} {}{suffix}", spec.code),
                kind: FunctionKind::Lotse,
                department: Some(department),
                person: person.map(|(index, _)| index),
            });
        }
        staff.lotsen.push(lotsen);
    }
    (roster.people, functions, staff)
}

// ---------------------------------------------------------------------------------------------
// Strategy, Stichtage and programme targets

const GOALS: &[(&str, &str, &str)] = &[
    (
        "Z1",
        "Medienbruchfreie Verwaltung bis 2025",
        "Alle Verwaltungsleistungen sind online erreichbar und werden ohne Medienbruch bis in die Akte bearbeitet.",
    ),
    (
        "Z2",
        "Antragsarme Verwaltung bis 2030",
        "Daten liegen einmal vor und werden mit Einwilligung wiederverwendet; viele Leistungen kommen ohne Antrag aus.",
    ),
    (
        "Z3",
        "Digitale Kompetenz und moderne Arbeitsplätze",
        "Beschäftigte arbeiten mit zeitgemäßer Ausstattung und gehen sicher mit digitalen Werkzeugen um.",
    ),
];

const HANDLUNGSFELDER: &[(usize, &str, &str)] = &[
    (0, "HF 1.1", "Online-Zugang zu allen Verwaltungsleistungen (OZG)"),
    (0, "HF 1.2", "eAkte in allen Fachbereichen"),
    (0, "HF 1.3", "E-Payment und E-Rechnung"),
    (1, "HF 2.1", "Once-Only und Registermodernisierung"),
    (1, "HF 2.2", "Digitale und automatisierte Prozesse"),
    (2, "HF 3.1", "Qualifizierung und Kulturwandel"),
    (2, "HF 3.2", "IT-Infrastruktur und mobiles Arbeiten"),
];
const HF_OZG: usize = 0;
const HF_EAKTE: usize = 1;
const HF_PAYMENT: usize = 2;
const HF_ONCE_ONLY: usize = 3;
const HF_PROCESSES: usize = 4;
const HF_SKILLS: usize = 5;
const HF_INFRASTRUCTURE: usize = 6;

fn strategy() -> (Vec<DemoGoal>, Vec<DemoHandlungsfeld>) {
    let goals = GOALS
        .iter()
        .map(|&(code, title, description)| DemoGoal {
            code: code.to_string(),
            title: title.to_string(),
            description: description.to_string(),
        })
        .collect();
    let fields = HANDLUNGSFELDER
        .iter()
        .map(|&(goal, code, title)| DemoHandlungsfeld { goal, code: code.to_string(), title: title.to_string() })
        .collect();
    (goals, fields)
}

/// Monthly reporting dates on the 1st, the last one (current month) still open.
fn stichtage(today: NaiveDate) -> Vec<DemoStichtag> {
    let current = Month::of(today);
    (0..STICHTAG_COUNT)
        .map(|i| DemoStichtag {
            report_date: current.plus(i + 1 - STICHTAG_COUNT).first_day(),
            closed: i + 1 < STICHTAG_COUNT,
        })
        .collect()
}

fn targets(departments: usize) -> Vec<DemoTarget> {
    vec![
        DemoTarget {
            name: "Alle OZG-Leistungen ab Reifegrad 3".to_string(),
            metric: TargetMetric::ReifegradShare,
            metric_param: Some(3),
            target_value: 100.0,
            deadline: fixed_date(2025, 12, 31),
        },
        DemoTarget {
            name: "eAkte in allen Fachbereichen".to_string(),
            metric: TargetMetric::EAkteDepartments,
            metric_param: None,
            target_value: departments as f64,
            deadline: fixed_date(2025, 12, 31),
        },
        DemoTarget {
            name: "Nutzungsquote mindestens 60 %".to_string(),
            metric: TargetMetric::UsageRate,
            metric_param: None,
            target_value: 60.0,
            deadline: fixed_date(2026, 12, 31),
        },
    ]
}

// ---------------------------------------------------------------------------------------------
// OZG catalogue: Themenfelder → Lebenslagen → objects × Verrichtungen (LeiKa services)

/// The LeiKa "Verrichtungen" an object is offered with; each becomes one service.
#[derive(Clone, Copy)]
enum Kind {
    Genehmigung,
    Anmeldung,
    Steuer,
    Abgabe,
    Bescheinigung,
    Leistung,
    Auskunft,
    Kfz,
    Fuehrerschein,
    Dokument,
    Platz,
    Meldung,
    /// The object's name is the service's name.
    Einzeln,
}

impl Kind {
    fn actions(self) -> &'static [&'static str] {
        match self {
            Kind::Genehmigung => &["Erteilung", "Verlängerung", "Änderung", "Rücknahme"],
            Kind::Anmeldung => &["Anmeldung", "Abmeldung", "Ummeldung"],
            Kind::Steuer => &["Anmeldung", "Abmeldung", "Ermäßigung", "Befreiung"],
            Kind::Abgabe => &["Festsetzung", "Stundung", "Erlass", "Ratenzahlung"],
            Kind::Bescheinigung => &["Ausstellung", "Ersatzausstellung"],
            Kind::Leistung => &["Bewilligung", "Weiterbewilligung", "Änderungsmitteilung"],
            Kind::Auskunft => &["Auskunft", "Einsichtnahme"],
            Kind::Kfz => &["Neuzulassung", "Außerbetriebsetzung", "Umschreibung", "Wiederzulassung", "Adressänderung"],
            Kind::Fuehrerschein => &["Ersterteilung", "Umtausch", "Ersatz bei Verlust", "Verlängerung"],
            Kind::Dokument => &["Beantragung", "Verlängerung", "Verlustanzeige"],
            Kind::Platz => &["Vormerkung", "Kündigung"],
            Kind::Meldung => &["Meldung"],
            Kind::Einzeln => &[""],
        }
    }
}

struct ThemenfeldSpec {
    name: &'static str,
    lebenslagen: &'static [LebenslageSpec],
}

struct LebenslageSpec {
    name: &'static str,
    objects: &'static [(&'static str, Kind)],
}

const fn feld(name: &'static str, lebenslagen: &'static [LebenslageSpec]) -> ThemenfeldSpec {
    ThemenfeldSpec { name, lebenslagen }
}

const fn lage(name: &'static str, objects: &'static [(&'static str, Kind)]) -> LebenslageSpec {
    LebenslageSpec { name, objects }
}

/// The 14 OZG Themenfelder with their Lebens- and Geschäftslagen; the objects are services a
/// city of 230,000 offers itself.
const THEMENFELDER: &[ThemenfeldSpec] = &[
    feld(
        "Arbeit & Ruhestand",
        &[
            lage(
                "(Drohender) Arbeitsplatzverlust & -suche",
                &[
                    ("Arbeitsgelegenheit mit Mehraufwandsentschädigung", Kind::Einzeln),
                    ("Kommunale Beschäftigungsförderung", Kind::Leistung),
                ],
            ),
            lage(
                "Altersvorsorge",
                &[
                    ("Rentenantrag über das Versicherungsamt", Kind::Einzeln),
                    ("Kontenklärung Rentenversicherung", Kind::Einzeln),
                ],
            ),
            lage("Arbeitsplatzwechsel", &[("Bescheinigung über Versicherungszeiten", Kind::Einzeln)]),
            lage(
                "Finanzielle Existenzsicherung/Unterstützung bei finanziellen Problemen",
                &[
                    ("Grundsicherung im Alter und bei Erwerbsminderung", Kind::Leistung),
                    ("Hilfe zum Lebensunterhalt", Kind::Leistung),
                    ("Bildung und Teilhabe", Kind::Leistung),
                    ("Sozialpass", Kind::Dokument),
                    ("Übernahme von Bestattungskosten", Kind::Einzeln),
                    ("Schuldnerberatung", Kind::Einzeln),
                ],
            ),
            lage(
                "Rente & Soziale Entschädigung",
                &[("Soziale Entschädigung", Kind::Leistung), ("Landesblindengeld", Kind::Leistung)],
            ),
        ],
    ),
    feld(
        "Bauen & Wohnen",
        &[
            lage(
                "Bauen & Immobilien",
                &[
                    ("Baugenehmigung", Kind::Genehmigung),
                    ("Abbruchgenehmigung", Kind::Genehmigung),
                    ("Bauvorbescheid", Kind::Genehmigung),
                    ("Denkmalrechtliche Erlaubnis", Kind::Genehmigung),
                    ("Werbeanlage", Kind::Genehmigung),
                    ("Baulastenverzeichnis", Kind::Auskunft),
                    ("Abgeschlossenheitsbescheinigung", Kind::Bescheinigung),
                    ("Negativattest Vorkaufsrecht", Kind::Bescheinigung),
                    ("Hausnummernzuteilung", Kind::Einzeln),
                ],
            ),
            lage(
                "Hausbau & Immobilienerwerb",
                &[
                    ("Bodenrichtwertauskunft", Kind::Einzeln),
                    ("Liegenschaftskarte", Kind::Auskunft),
                    ("Grundstücksentwässerung", Kind::Genehmigung),
                    ("Kanalanschluss", Kind::Genehmigung),
                    ("Wohnraumförderung", Kind::Leistung),
                    ("Grundstücksteilung", Kind::Genehmigung),
                ],
            ),
            lage(
                "Wohnen & Umzug",
                &[
                    ("Wohnsitzmeldung", Kind::Anmeldung),
                    ("Wohngeld", Kind::Leistung),
                    ("Wohnberechtigungsschein", Kind::Dokument),
                    ("Zweckentfremdung von Wohnraum", Kind::Genehmigung),
                    ("Sperrmüllabholung", Kind::Einzeln),
                    ("Abfallbehälter", Kind::Anmeldung),
                    ("Wohnungsgeberbestätigung", Kind::Einzeln),
                    ("Auskunft aus dem Mietspiegel", Kind::Einzeln),
                ],
            ),
        ],
    ),
    feld(
        "Bildung",
        &[
            lage(
                "Berufsausbildung",
                &[
                    ("Aufstiegs-BAföG", Kind::Leistung),
                    ("Anerkennung ausländischer Berufsqualifikationen", Kind::Einzeln),
                ],
            ),
            lage(
                "Schule",
                &[
                    ("Schulanmeldung", Kind::Einzeln),
                    ("Schülerfahrkosten", Kind::Leistung),
                    ("Schulwechsel", Kind::Einzeln),
                    ("Offener Ganztag", Kind::Platz),
                    ("Lernmittelfreiheit", Kind::Einzeln),
                    ("Beurlaubung vom Unterricht", Kind::Einzeln),
                    ("Schulbegleitung", Kind::Leistung),
                    ("Schulbescheinigung", Kind::Bescheinigung),
                ],
            ),
            lage("Studium", &[("BAföG", Kind::Leistung)]),
            lage(
                "Weiterbildung",
                &[
                    ("Volkshochschulkurs", Kind::Anmeldung),
                    ("Bildungsurlaub", Kind::Bescheinigung),
                    ("Bildungsscheck", Kind::Leistung),
                ],
            ),
        ],
    ),
    feld(
        "Ein- & Auswanderung",
        &[
            lage(
                "Auswanderung",
                &[("Abmeldung ins Ausland", Kind::Einzeln), ("Lebensbescheinigung für Auslandsrenten", Kind::Einzeln)],
            ),
            lage(
                "Einwanderung",
                &[
                    ("Aufenthaltstitel", Kind::Dokument),
                    ("Niederlassungserlaubnis", Kind::Genehmigung),
                    ("Einbürgerung", Kind::Einzeln),
                    ("Verpflichtungserklärung", Kind::Einzeln),
                    ("Blaue Karte EU", Kind::Dokument),
                    ("Duldung", Kind::Bescheinigung),
                    ("Staatsangehörigkeitsausweis", Kind::Dokument),
                ],
            ),
        ],
    ),
    feld(
        "Engagement & Hobby",
        &[
            lage("Bootsbesitz", &[("Bootsliegeplatz", Kind::Platz)]),
            lage(
                "Engagement & Beteiligung",
                &[
                    ("Ehrenamtskarte", Kind::Dokument),
                    ("Bürgerantrag nach der Gemeindeordnung", Kind::Einzeln),
                    ("Amtsblattveröffentlichung", Kind::Einzeln),
                    ("Vereinsförderung", Kind::Leistung),
                    ("Baumpatenschaft", Kind::Anmeldung),
                    ("Jugendleitercard", Kind::Dokument),
                ],
            ),
            lage("Fischen & Jagen", &[("Fischereischein", Kind::Dokument), ("Jagdschein", Kind::Dokument)]),
            lage(
                "Tierhaltung",
                &[
                    ("Hundesteuer", Kind::Steuer),
                    ("Hundehaltung nach Landeshundegesetz", Kind::Anmeldung),
                    ("Erlaubnis zur Haltung gefährlicher Hunde", Kind::Genehmigung),
                    ("Sachkundebescheinigung Hundehaltung", Kind::Bescheinigung),
                ],
            ),
            lage(
                "Veranstaltung durchführen",
                &[
                    ("Veranstaltungsgenehmigung", Kind::Genehmigung),
                    ("Sondernutzung für Veranstaltungen", Kind::Genehmigung),
                    ("Plakatierung", Kind::Genehmigung),
                    ("Ausnahmegenehmigung Feuerwerk", Kind::Einzeln),
                ],
            ),
            lage(
                "Sport & Freizeit",
                &[
                    ("Sporthallennutzung", Kind::Platz),
                    ("Schwimmkurs", Kind::Anmeldung),
                    ("Sportförderung", Kind::Leistung),
                ],
            ),
        ],
    ),
    feld(
        "Familie & Kind",
        &[
            lage(
                "Adoption & Pflegekinder",
                &[("Adoptionsvermittlung", Kind::Einzeln), ("Pflegegeld für Pflegekinder", Kind::Leistung)],
            ),
            lage(
                "Eheschließung",
                &[
                    ("Anmeldung der Eheschließung", Kind::Einzeln),
                    ("Eheurkunde", Kind::Bescheinigung),
                    ("Namenserklärung", Kind::Einzeln),
                    ("Ehefähigkeitszeugnis", Kind::Bescheinigung),
                ],
            ),
            lage(
                "Geburt",
                &[
                    ("Geburtsurkunde", Kind::Bescheinigung),
                    ("Elterngeld", Kind::Leistung),
                    ("Vaterschaftsanerkennung", Kind::Einzeln),
                    ("Kinderreisepass", Kind::Dokument),
                    ("Geburtsanzeige", Kind::Einzeln),
                ],
            ),
            lage(
                "Kinderbetreuung",
                &[
                    ("Kita-Platz", Kind::Platz),
                    ("Kindertagespflege", Kind::Leistung),
                    ("Elternbeitrag Kindertagesbetreuung", Kind::Abgabe),
                    ("Ferienbetreuung", Kind::Anmeldung),
                ],
            ),
            lage(
                "Scheidung",
                &[
                    ("Trennungs- und Scheidungsberatung", Kind::Einzeln),
                    ("Namensänderung nach Scheidung", Kind::Einzeln),
                ],
            ),
            lage(
                "Trennung mit Kind",
                &[
                    ("Unterhaltsvorschuss", Kind::Leistung),
                    ("Beistandschaft", Kind::Einzeln),
                    ("Sorgeerklärung", Kind::Einzeln),
                    ("Umgangsberatung", Kind::Einzeln),
                ],
            ),
        ],
    ),
    feld(
        "Forschung & Förderung",
        &[
            lage(
                "Finanzierung & Förderung",
                &[
                    ("Kulturförderung", Kind::Leistung),
                    ("Gründungszuschuss der Wirtschaftsförderung", Kind::Leistung),
                    ("Denkmalförderung", Kind::Leistung),
                    ("Förderprogramm Fassadenbegrünung", Kind::Leistung),
                ],
            ),
            lage(
                "Forschung & Entwicklung",
                &[("Benutzung des Stadtarchivs", Kind::Einzeln), ("Reproduktion von Archivgut", Kind::Einzeln)],
            ),
        ],
    ),
    feld(
        "Gesundheit",
        &[
            lage(
                "Behinderung",
                &[
                    ("Schwerbehindertenausweis", Kind::Dokument),
                    ("Parkausweis für Menschen mit Behinderung", Kind::Genehmigung),
                    ("Eingliederungshilfe", Kind::Leistung),
                ],
            ),
            lage(
                "Gesundheitsvorsorge",
                &[
                    ("Schuleingangsuntersuchung", Kind::Einzeln),
                    ("Impfberatung", Kind::Einzeln),
                    ("Trinkwasseruntersuchung", Kind::Einzeln),
                    ("Belehrung nach dem Infektionsschutzgesetz", Kind::Bescheinigung),
                ],
            ),
            lage(
                "Krankheit",
                &[
                    ("Meldung meldepflichtiger Krankheiten", Kind::Einzeln),
                    ("Amtsärztliches Gutachten", Kind::Einzeln),
                    ("Krankenhilfe", Kind::Leistung),
                    ("Heilpraktikererlaubnis", Kind::Genehmigung),
                ],
            ),
            lage(
                "Pflege",
                &[
                    ("Hilfe zur Pflege", Kind::Leistung),
                    ("Pflegewohngeld", Kind::Leistung),
                    ("Beschwerde bei der Heimaufsicht", Kind::Einzeln),
                ],
            ),
            lage(
                "Tod",
                &[
                    ("Sterbeurkunde", Kind::Bescheinigung),
                    ("Sterbefallanzeige", Kind::Einzeln),
                    ("Grabnutzungsrecht", Kind::Genehmigung),
                    ("Bestattung auf städtischen Friedhöfen", Kind::Einzeln),
                    ("Leichenpass", Kind::Einzeln),
                ],
            ),
        ],
    ),
    feld(
        "Mobilität & Reisen",
        &[
            lage(
                "Auslandsaufenthalt",
                &[
                    ("Reisepass", Kind::Dokument),
                    ("Personalausweis", Kind::Dokument),
                    ("Internationaler Führerschein", Kind::Einzeln),
                    ("Vorläufiger Reisepass", Kind::Einzeln),
                ],
            ),
            lage(
                "Führerschein",
                &[
                    ("Führerschein", Kind::Fuehrerschein),
                    ("Fahrerlaubnis zur Fahrgastbeförderung", Kind::Genehmigung),
                    ("Karteikartenabschrift", Kind::Einzeln),
                ],
            ),
            lage(
                "Kfz-Besitz",
                &[
                    ("Kfz-Zulassung", Kind::Kfz),
                    ("Anwohnerparkausweis", Kind::Genehmigung),
                    ("Wunschkennzeichen", Kind::Einzeln),
                    ("Feinstaubplakette", Kind::Einzeln),
                    ("Halterauskunft", Kind::Einzeln),
                    ("Saisonkennzeichen", Kind::Einzeln),
                    ("Kurzzeitkennzeichen", Kind::Einzeln),
                    ("Parkerleichterung für Handwerksbetriebe", Kind::Genehmigung),
                    ("Ausnahmegenehmigung Umweltzone", Kind::Genehmigung),
                ],
            ),
            lage(
                "Logistik & Transport",
                &[
                    ("Großraum- und Schwertransport", Kind::Genehmigung),
                    ("Sondernutzung öffentlicher Straßen", Kind::Genehmigung),
                    ("Verkehrsrechtliche Anordnung", Kind::Genehmigung),
                    ("Halteverbotszone für Umzüge", Kind::Genehmigung),
                    ("Taxikonzession", Kind::Genehmigung),
                    ("Aufbruchgenehmigung", Kind::Genehmigung),
                ],
            ),
            lage(
                "Mobilität im Alltag",
                &[
                    ("Auskunft zu abgeschleppten Fahrzeugen", Kind::Einzeln),
                    ("Fahrradbox", Kind::Platz),
                    ("Sozialticket", Kind::Leistung),
                    ("Carsharing-Stellplatz", Kind::Genehmigung),
                ],
            ),
        ],
    ),
    feld(
        "Querschnitt",
        &[
            lage(
                "Querschnitt Bürger",
                &[
                    ("Meldebescheinigung", Kind::Bescheinigung),
                    ("Melderegister", Kind::Auskunft),
                    ("Übermittlungssperre", Kind::Einzeln),
                    ("Amtliche Beglaubigung", Kind::Einzeln),
                    ("Fundsachenauskunft", Kind::Einzeln),
                    ("Lebensbescheinigung", Kind::Einzeln),
                    ("Terminvereinbarung Bürgerbüro", Kind::Einzeln),
                    ("Informationsfreiheitsanfrage", Kind::Einzeln),
                    ("Anregungen und Beschwerden", Kind::Einzeln),
                    ("Briefwahlunterlagen", Kind::Einzeln),
                    ("Wahlhelfende", Kind::Anmeldung),
                ],
            ),
            lage(
                "Querschnitt Unternehmen",
                &[
                    ("Registrierung Unternehmenskonto", Kind::Einzeln),
                    ("Gewerbezentralregisterauskunft", Kind::Einzeln),
                    ("Unbedenklichkeitsbescheinigung", Kind::Bescheinigung),
                    ("E-Rechnung an die Stadtverwaltung", Kind::Einzeln),
                ],
            ),
        ],
    ),
    feld(
        "Recht & Ordnung",
        &[
            lage(
                "Gerichtliche und außergerichtliche Verfahren",
                &[
                    ("Schlichtung bei der Schiedsperson", Kind::Einzeln),
                    ("Vollstreckungsauftrag", Kind::Einzeln),
                    ("Widerspruch gegen einen Bescheid", Kind::Einzeln),
                ],
            ),
            lage(
                "Naturkatastrophen",
                &[
                    ("Hochwasserhilfe", Kind::Leistung),
                    ("Sandsackausgabe", Kind::Einzeln),
                    ("Unwetterschaden", Kind::Meldung),
                ],
            ),
            lage(
                "Rechtsverstöße - Anzeigen und Hilfen für Opfer",
                &[
                    ("Anzeige einer Ordnungswidrigkeit", Kind::Einzeln),
                    ("Anhörung im Verwarnungsgeldverfahren", Kind::Einzeln),
                    ("Bußgeldverfahren", Kind::Auskunft),
                    ("Lärmbelästigung", Kind::Meldung),
                ],
            ),
            lage(
                "Weitere Leistungen",
                &[
                    ("Führungszeugnis", Kind::Einzeln),
                    ("Waffenbesitzkarte", Kind::Dokument),
                    ("Fundtier", Kind::Meldung),
                    ("Namensänderung", Kind::Einzeln),
                    ("Spielhallenerlaubnis", Kind::Genehmigung),
                    ("Bewachungsgewerbe", Kind::Genehmigung),
                    ("Sprengstofferlaubnis", Kind::Genehmigung),
                ],
            ),
        ],
    ),
    feld(
        "Steuern & Zoll",
        &[
            lage("Auslandsgeschäft", &[("Beglaubigung für den Auslandsgebrauch", Kind::Einzeln)]),
            lage(
                "Steuererklärung",
                &[
                    ("Gewerbesteuer", Kind::Abgabe),
                    ("Vergnügungssteuer", Kind::Steuer),
                    ("Beherbergungsabgabe", Kind::Steuer),
                ],
            ),
            lage(
                "Steuern & Abgaben",
                &[
                    ("Grundsteuer", Kind::Abgabe),
                    ("Zweitwohnungsteuer", Kind::Steuer),
                    ("Straßenreinigungsgebühren", Kind::Abgabe),
                    ("Abfallgebühren", Kind::Abgabe),
                    ("Erschließungsbeitrag", Kind::Abgabe),
                    ("SEPA-Lastschriftmandat", Kind::Einzeln),
                ],
            ),
        ],
    ),
    feld(
        "Umwelt",
        &[
            lage(
                "Abfall & Umweltschutz",
                &[
                    ("Wilde Müllablagerung", Kind::Meldung),
                    ("Baumfällgenehmigung", Kind::Genehmigung),
                    ("Containerstellplatz", Kind::Genehmigung),
                    ("Schadstoffannahme", Kind::Einzeln),
                    ("Grünschnittannahme", Kind::Einzeln),
                    ("Biotonne", Kind::Anmeldung),
                    ("Gewässerbenutzung", Kind::Genehmigung),
                    ("Anzeige einer Brunnenbohrung", Kind::Einzeln),
                ],
            ),
            lage(
                "Anlagen & Stoffe",
                &[
                    ("Immissionsschutzrechtliche Genehmigung", Kind::Genehmigung),
                    ("Anlage mit wassergefährdenden Stoffen", Kind::Anmeldung),
                    ("Kleinkläranlage", Kind::Genehmigung),
                    ("Altlastenauskunft", Kind::Einzeln),
                    ("Anzeige von Asbestsanierungen", Kind::Einzeln),
                    ("Ausnahme vom Baulärmschutz", Kind::Genehmigung),
                ],
            ),
            lage(
                "Klima & Energie",
                &[
                    ("Förderprogramm Photovoltaik", Kind::Leistung),
                    ("Förderung von Lastenrädern", Kind::Leistung),
                    ("Energieberatung", Kind::Einzeln),
                    ("Zuschuss zur Dachbegrünung", Kind::Leistung),
                ],
            ),
        ],
    ),
    feld(
        "Unternehmensführung & -entwicklung",
        &[
            lage(
                "Arbeitgeber sein",
                &[
                    ("Ausnahmebewilligung Sonn- und Feiertagsarbeit", Kind::Einzeln),
                    ("Ausnahme für die Beschäftigung Jugendlicher", Kind::Einzeln),
                ],
            ),
            lage("Arbeitssicherheit", &[("Vorankündigung einer Baustelle", Kind::Einzeln)]),
            lage(
                "Aus-, Weiterbildung & Sachkunde",
                &[("Unterrichtungsnachweis Gaststättengewerbe", Kind::Bescheinigung)],
            ),
            lage(
                "Ausschreibungen & öffentliche Aufträge",
                &[("Teilnahme an Vergabeverfahren", Kind::Einzeln), ("Präqualifizierung", Kind::Einzeln)],
            ),
            lage("Geschäftsauflösung & Unternehmensübergang", &[("Anzeige der Betriebsaufgabe", Kind::Einzeln)]),
            lage(
                "Statistik- & Berichtspflichten",
                &[("Meldung zur Gewerbestatistik", Kind::Einzeln), ("Meldung zur Baustatistik", Kind::Einzeln)],
            ),
            lage(
                "Unternehmensstart & Gewerbezulassung",
                &[
                    ("Gewerbeanzeige", Kind::Anmeldung),
                    ("Gaststättenerlaubnis", Kind::Genehmigung),
                    ("Reisegewerbekarte", Kind::Dokument),
                    ("Makler- und Bauträgererlaubnis", Kind::Genehmigung),
                    ("Pfandleiherlaubnis", Kind::Genehmigung),
                    ("Zulassung zum Wochenmarkt", Kind::Genehmigung),
                    ("Außengastronomie", Kind::Genehmigung),
                    ("Stellvertretungserlaubnis", Kind::Genehmigung),
                    ("Geeignetheitsbestätigung für Spielgeräte", Kind::Bescheinigung),
                    ("Versteigerergewerbe", Kind::Genehmigung),
                    ("Gestattung eines vorübergehenden Gaststättenbetriebs", Kind::Einzeln),
                ],
            ),
            lage(
                "Veranstaltungen",
                &[
                    ("Marktfestsetzung", Kind::Genehmigung),
                    ("Spezialmarkt", Kind::Einzeln),
                    ("Sperrzeitverkürzung", Kind::Genehmigung),
                ],
            ),
        ],
    ),
];

fn themenfeld_index(name: &str) -> Option<usize> {
    THEMENFELDER.iter().position(|t| t.name == name)
}

/// The services with what the project generator needs to link them.
struct Catalogue {
    services: Vec<DemoService>,
    /// Per service: its object, the OZG-Leistung whose Verrichtungen the services are.
    object_of: Vec<usize>,
    /// Per object: its name and its services.
    objects: Vec<&'static str>,
    members: Vec<Vec<usize>>,
    /// Per Themenfeld: its services.
    by_themenfeld: Vec<Vec<usize>>,
}

fn catalogue(today: NaiveDate) -> (Vec<String>, Vec<DemoLebenslage>, Catalogue) {
    let mut rng = Rng::new(STREAM_SERVICES);
    let mut themenfelder = Vec::new();
    let mut lebenslagen = Vec::new();
    let mut catalogue = Catalogue {
        services: Vec::new(),
        object_of: Vec::new(),
        objects: Vec::new(),
        members: Vec::new(),
        by_themenfeld: vec![Vec::new(); THEMENFELDER.len()],
    };
    for (themenfeld, field) in THEMENFELDER.iter().enumerate() {
        themenfelder.push(field.name.to_string());
        for situation in field.lebenslagen {
            let lebenslage = lebenslagen.len();
            lebenslagen.push(DemoLebenslage { themenfeld, name: situation.name.to_string() });
            for &(object, kind) in situation.objects {
                catalogue.add_object(&mut rng, today, object, kind, (themenfeld, lebenslage));
            }
        }
    }
    (themenfelder, lebenslagen, catalogue)
}

impl Catalogue {
    fn add_object(&mut self, rng: &mut Rng, today: NaiveDate, object: &'static str, kind: Kind, place: (usize, usize)) {
        let (themenfeld, lebenslage) = place;
        let index = self.objects.len();
        self.objects.push(object);
        self.members.push(Vec::new());
        // All services of one object share an OZG-ID, as LeiKa services do in the real catalogue.
        let ozg_id = (10_000 + 5 * index / 2 + rng.index(2)).to_string();
        for (position, action) in kind.actions().iter().enumerate() {
            let name = if action.is_empty() { object.to_string() } else { format!("{object} {action}") };
            let leika = format!("99{:03}{:03}{:03}000", 10 + index, themenfeld + 1, position + 1);
            let mut service = DemoService {
                ozg_id: ozg_id.clone(),
                // A few services lack their LeiKa key: a case for the data-quality worklist.
                leika_key: (!rng.chance(0.05)).then_some(leika),
                name,
                themenfeld,
                lebenslage: (!rng.chance(0.02)).then_some(lebenslage),
                reifegrad: 0,
                online_since: None,
                epayment: false,
                url: None,
                usage: Vec::new(),
            };
            go_online(&mut service, rng, today);
            let service_index = self.services.len();
            self.services.push(service);
            self.object_of.push(index);
            self.members[index].push(service_index);
            self.by_themenfeld[themenfeld].push(service_index);
        }
    }
}

/// Maturity, online date, payment, address and usage of one service.
fn go_online(service: &mut DemoService, rng: &mut Rng, today: NaiveDate) {
    service.reifegrad = rng.weighted(&[7, 15, 30, 33, 15]) as i64;
    if service.reifegrad < 2 {
        return;
    }
    // Online at least two months ago, so every online service has usage figures.
    let since = plus_days(today, -rng.range(60, 6 * 365));
    service.online_since = Some(since);
    service.epayment = rng.chance(if service.reifegrad >= 3 { 0.65 } else { 0.08 });
    service.url = Some(format!("https://service.stadt.example/leistungen/{}", slug(&service.name)));
    service.usage = usage_series(rng, today, since, service.reifegrad);
}

/// Monthly counts of the last 24 complete months since the service went online: the online
/// share rises along a saturating curve, volumes swing with the seasons.
fn usage_series(rng: &mut Rng, today: NaiveDate, since: NaiveDate, reifegrad: i64) -> Vec<DemoUsage> {
    let current = Month::of(today);
    let window_start = current.plus(-USAGE_MONTHS);
    let first = window_start.max(Month::of(since));
    let months: Vec<Month> =
        (1..=USAGE_MONTHS).rev().map(|back| current.plus(-back)).filter(|month| *month >= first).collect();
    // 10 to 5,000 cases a month, log-uniform: a few big services, many small ones.
    let volume = (10f64.ln() + rng.unit() * 500f64.ln()).exp();
    let (low, high) = match reifegrad {
        2 => (0.28, 0.58),
        3 => (0.42, 0.80),
        _ => (0.55, 0.88),
    };
    let final_rate = rng.between(low, high);
    // A service online before the window has already won part of its users.
    let first_rate =
        if Month::of(since) < window_start { final_rate * rng.between(0.45, 0.8) } else { rng.between(0.04, 0.18) };
    let last = months.len().saturating_sub(1).max(1) as f64;
    months
        .iter()
        .enumerate()
        .map(|(i, &month)| {
            let progress = (1.0 - (-3.0 * i as f64 / last).exp()) / (1.0 - (-3.0f64).exp());
            let rate = (first_rate + (final_rate - first_rate) * progress) * rng.between(0.97, 1.03);
            let season = 1.0 + 0.12 * (f64::from(month.first_day().month()) * TAU / 12.0).cos();
            let total = (volume * season * rng.between(0.9, 1.1)).round().max(1.0) as i64;
            let online = (total as f64 * rate.min(1.0)).round() as i64;
            DemoUsage { month, online: online.min(total), total }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Projects

const OZG_TITLES: &[&str] = &[
    "Online-Antrag {o}",
    "Digitalisierung {o}",
    "EfA-Nachnutzung {o}",
    "Online-Dienst {o}",
    "{o} online mit E-Payment",
    "Reifegrad 3 für {o}",
    "Medienbruchfreie Bearbeitung {o}",
];
const EAKTE_TITLES: &[&str] = &[
    "eAkte-Einführung Fachbereich {d}",
    "eAkte {t}",
    "Digitalisierung Bestandsakten {t}",
    "Ersetzendes Scannen {t}",
    "eAkte-Anbindung {s}",
];
const PROCESS_TITLES: &[&str] = &[
    "Digitaler Workflow {t}",
    "Prozessoptimierung {t}",
    "Medienbruchfreie Bearbeitung {t}",
    "Automatisierte Bescheiderstellung {t}",
    "Digitale Vorgangsbearbeitung {t}",
    "Once-Only-Datenabruf {t}",
    "E-Payment {t}",
];
const INFRASTRUCTURE_TITLES: &[&str] = &[
    "Ablösung {s}",
    "Migration {s} ins Rechenzentrum",
    "Schnittstelle {s} zur eAkte",
    "Mobile Endgeräte Fachbereich {d}",
    "Modernisierung {s}",
    "Cloud-Betrieb {s}",
];
const TRAINING_TITLES: &[&str] = &[
    "Schulung Digitale Kompetenz Fachbereich {d}",
    "Schulungsreihe {s}",
    "E-Learning {t}",
    "Change-Management {t}",
    "Digitallotsen-Netzwerk Fachbereich {d}",
    "Workshopreihe Prozessdenken Fachbereich {d}",
];

const OZG_DESCRIPTIONS: &[&str] = &[
    "Die Leistung „{o}“ wird als Online-Dienst mit Anmeldung über das Nutzerkonto angeboten. Nachweise werden digital hochgeladen und ohne Medienbruch an das Fachverfahren übergeben.",
    "Für „{o}“ wird die EfA-Lösung des Landes nachgenutzt und an das Fachverfahren der Stadt angebunden.",
    "Das bisherige PDF-Formular zu „{o}“ wird durch einen geführten Online-Antrag mit E-Payment ersetzt.",
    "„{o}“ soll Reifegrad 3 erreichen: Antrag, Nachweise und Bezahlung laufen vollständig online.",
];
const OZG_BENEFITS: &[&str] = &[
    "Bürgerinnen und Bürger stellen den Antrag rund um die Uhr ohne Behördengang.",
    "Geführte Eingaben vermeiden Rückfragen; die Sachbearbeitung tippt keine Papieranträge mehr ab.",
    "Kürzere Bearbeitungszeiten und ein Bescheid, der digital zugestellt wird.",
    "Antragstellende sehen den Bearbeitungsstand jederzeit online.",
];
const EAKTE_DESCRIPTIONS: &[&str] = &[
    "Die Vorgänge im Bereich {t} werden in die eAkte überführt; neue Vorgänge entstehen nur noch digital.",
    "Der Papierbestand zu {t} wird von einem Scandienstleister digitalisiert und revisionssicher in der eAkte abgelegt.",
    "Das {s} wird an die eAkte angebunden, damit Dokumente ohne Ausdruck in die Akte gelangen.",
];
const EAKTE_BENEFITS: &[&str] = &[
    "Akten sind an jedem Arbeitsplatz und im mobilen Arbeiten verfügbar.",
    "Archivflächen werden frei, Suchzeiten und Aktentransporte entfallen.",
    "Vertretungen und Auskünfte gelingen, ohne auf die Papierakte zu warten.",
];
const PROCESS_DESCRIPTIONS: &[&str] = &[
    "Der Ablauf {t} wird aufgenommen, vereinfacht und als digitaler Workflow umgesetzt.",
    "Medienbrüche im Ablauf {t} werden beseitigt; Freigaben und Unterschriften erfolgen elektronisch.",
    "Für {t} werden Standardfälle automatisiert geprüft und Bescheide aus den vorhandenen Daten erzeugt.",
];
const PROCESS_BENEFITS: &[&str] = &[
    "Durchlaufzeiten sinken, der Bearbeitungsstand ist jederzeit nachvollziehbar.",
    "Doppelerfassungen entfallen; Beschäftigte gewinnen Zeit für schwierige Fälle.",
    "Einheitliche Abläufe erleichtern Vertretung und Einarbeitung.",
];
const INFRASTRUCTURE_DESCRIPTIONS: &[&str] = &[
    "Die technische Grundlage ({s}) wird beschafft, eingerichtet und in den Regelbetrieb übergeben.",
    "Das {s} wird modernisiert und künftig im kommunalen Rechenzentrum betrieben.",
];
const INFRASTRUCTURE_BENEFITS: &[&str] = &[
    "Stabile und sichere IT als Voraussetzung für digitale Verfahren.",
    "Beschäftigte arbeiten ortsunabhängig mit zeitgemäßer Ausstattung.",
    "Weniger Störungen und geringere Betriebskosten durch standardisierte Technik.",
];
const TRAINING_DESCRIPTIONS: &[&str] = &[
    "Beschäftigte im Fachbereich {d} werden in Präsenz- und E-Learning-Formaten im Umgang mit digitalen Werkzeugen geschult.",
    "Ein Netzwerk von Multiplikatorinnen und Multiplikatoren begleitet den Wandel im Fachbereich {d}.",
];
const TRAINING_BENEFITS: &[&str] = &[
    "Sicherer Umgang mit den neuen Werkzeugen und mehr Akzeptanz für Veränderungen.",
    "Fragen werden im Fachbereich selbst beantwortet; der IT-Service wird entlastet.",
];

/// Milestone sequences in plan order; a project keeps the first and last and a subset between.
const OZG_STEPS: &[&str] = &[
    "Projektauftrag erteilt",
    "Ist-Prozess erhoben",
    "Soll-Prozess abgestimmt",
    "EfA-Angebot des Landes geprüft",
    "Online-Formular erstellt",
    "Anbindung Fachverfahren",
    "Anbindung E-Payment",
    "Datenschutz-Folgenabschätzung abgeschlossen",
    "Nutzertest durchgeführt",
    "Go-live Online-Dienst",
    "Evaluation Nutzungsquote",
    "Projektabschluss",
];
const EAKTE_STEPS: &[&str] = &[
    "Projektauftrag erteilt",
    "Aktenplan abgestimmt",
    "Scan-Konzept erstellt",
    "Vergabe Scandienstleistung",
    "Pilotbereich eingerichtet",
    "Schulung Pilotbereich",
    "Bestandsakten digitalisiert",
    "Anbindung Fachverfahren",
    "Rollout im Fachbereich",
    "Papierakte abgelöst",
    "Projektabschluss",
];
const PROCESS_STEPS: &[&str] = &[
    "Projektauftrag erteilt",
    "Prozessaufnahme abgeschlossen",
    "Schwachstellenanalyse",
    "Soll-Prozess freigegeben",
    "Workflow modelliert",
    "Personalrat beteiligt",
    "Testbetrieb",
    "Schulung der Beschäftigten",
    "Produktivstart",
    "Projektabschluss",
];
const INFRASTRUCTURE_STEPS: &[&str] = &[
    "Projektauftrag erteilt",
    "Anforderungen erhoben",
    "Leistungsbeschreibung fertig",
    "Vergabe erteilt",
    "Lieferung und Installation",
    "Sicherheitskonzept freigegeben",
    "Datenmigration",
    "Abnahmetest",
    "Produktivbetrieb",
    "Projektabschluss",
];
const TRAINING_STEPS: &[&str] = &[
    "Projektauftrag erteilt",
    "Bedarfsanalyse",
    "Schulungskonzept",
    "Trainerinnen und Trainer gewonnen",
    "Pilotschulung",
    "E-Learning-Modul online",
    "Schulungswelle 1",
    "Schulungswelle 2",
    "Evaluation",
    "Projektabschluss",
];
/// Besides the last one, these steps are the milestones leadership watches.
const KEY_STEPS: &[&str] = &[
    "Go-live Online-Dienst",
    "Rollout im Fachbereich",
    "Papierakte abgelöst",
    "Produktivstart",
    "Produktivbetrieb",
    "Schulungswelle 1",
];

const SLIP_REASONS: &[&str] = &[
    "Lieferverzug Fachverfahren",
    "Personalengpass",
    "Abhängigkeit zu Landeslösung (EfA)",
    "Vergabeverfahren verzögert",
    "Beteiligung des Personalrats dauert an",
    "Datenschutz-Folgenabschätzung noch offen",
    "Schnittstelle zum Fachverfahren fehlerhaft",
    "Priorisierung zugunsten gesetzlicher Pflichtaufgaben",
    "Fördermittelbescheid steht aus",
    "Dienstleister hat den Termin verschoben",
    "Krankheitsbedingter Ausfall im Projektteam",
    "Technische Probleme bei der Datenmigration",
    "Zusätzliche Anforderungen aus dem Fachbereich",
    "Haushaltssperre",
];
const EARLY_REASONS: &[&str] = &[
    "Dienstleister liefert früher",
    "Pilotbereich schneller als geplant",
    "Abstimmung früher abgeschlossen",
    "Landeslösung vereinfacht das Verfahren",
    "Zusätzliche Kapazität im Projektteam",
    "Test ohne Nacharbeiten abgeschlossen",
];
/// When a forecast moved only because it may not lie before the project start.
const FALLBACK_REASON: &str = "Terminanpassung nach Abstimmung im Projektteam";
const RISKS: &[&str] = &[
    "Personalengpass im Fachbereich: Termine sind noch haltbar, der Puffer ist aufgebraucht.",
    "Budget für das Folgejahr noch nicht beschlossen; die Umsetzung ab Januar ist gefährdet.",
    "Abhängigkeit zu Landeslösung (EfA): Liefertermin des Landes noch unbestätigt.",
    "Geringe Akzeptanz im Fachbereich; zusätzliche Schulungen werden geplant.",
    "Schnittstelle zum Fachverfahren noch nicht getestet; Risiko für den Go-live.",
];
const START_RISKS: &[&str] = &[
    "Projektstart gefährdet: Finanzierung im Haushalt noch nicht gesichert.",
    "Projektstart gefährdet: Projektleitung noch nicht benannt.",
];
const STOP_REASONS: &[&str] = &[
    "Projekt gestoppt: Die EfA-Lösung des Landes ersetzt die Eigenentwicklung.",
    "Projekt gestoppt: Fördermittel wurden nicht bewilligt.",
    "Projekt ruht: Der Verwaltungsvorstand hat zugunsten gesetzlicher Pflichtaufgaben priorisiert.",
    "Projekt gestoppt: Der Hersteller hat das Fachverfahren abgekündigt.",
    "Projekt ruht bis zur Neubesetzung der Projektleitung.",
];

/// What the project generator reads.
struct Context<'a> {
    today: NaiveDate,
    stichtage: Vec<NaiveDate>,
    staff: &'a Staff,
    catalogue: &'a Catalogue,
}

/// What earlier projects used up: titles, linked services, flagship projects.
struct Ledger {
    titles: HashSet<String>,
    linked: HashSet<usize>,
    next_flagship: Vec<usize>,
}

/// Where a project stands in its life, chosen before its dates.
#[derive(Clone, Copy, PartialEq)]
enum Stage {
    Active,
    Completed,
    Future,
}

/// How a project's forecasts move from Stichtag to Stichtag (the shape of its MTA lines).
#[derive(Clone, Copy, PartialEq)]
enum Health {
    OnPlan,
    Early,
    Slipping,
    SlippingBadly,
    ZigZag,
}

struct Schedule {
    stage: Stage,
    start: NaiveDate,
    planned_end: NaiveDate,
}

/// Project-wide shift of all forecasts against the baseline at each Stichtag, in days, with
/// the reason given where it changed.
struct Trend {
    shift: Vec<i64>,
    reason: Vec<&'static str>,
}

/// What every milestone of one project shares.
struct Course<'a> {
    start: NaiveDate,
    /// First Stichtag on or after the start; `None` for projects not started yet.
    first: Option<usize>,
    trend: &'a Trend,
}

/// A milestone's own change of plan from one Stichtag on.
#[derive(Clone, Copy)]
struct Detour {
    from: usize,
    days: i64,
    reason: &'static str,
}

struct PlannedMilestone {
    title: &'static str,
    is_key: bool,
    baseline: NaiveDate,
}

struct Tracked {
    forecast: NaiveDate,
    actual: Option<NaiveDate>,
    history: Vec<DemoForecast>,
}

#[derive(Clone, Copy)]
struct Wording {
    object: &'static str,
    topic: &'static str,
    system: &'static str,
}

impl Wording {
    fn fill(&self, template: &str, department: &str) -> String {
        template
            .replace("{o}", self.object)
            .replace("{t}", self.topic)
            .replace("{s}", self.system)
            .replace("{d}", department)
    }
}

fn projects(ctx: &Context) -> Vec<DemoProject> {
    let mut rng = Rng::new(STREAM_PROJECTS);
    let order = department_order(&mut rng);
    // Flagship titles are reserved from the start, so no generated title can take one.
    let flagships = DEPARTMENTS.iter().flat_map(|d| d.flagships.iter().map(|&(title, _, _)| title.to_string()));
    let mut ledger =
        Ledger { titles: flagships.collect(), linked: HashSet::new(), next_flagship: vec![0; DEPARTMENTS.len()] };
    order
        .iter()
        .enumerate()
        .map(|(index, &department)| project(&mut rng, ctx, &mut ledger, index, department))
        .collect()
}

/// Departments in random order, each as often as its weight asks.
fn department_order(rng: &mut Rng) -> Vec<usize> {
    let total: u32 = DEPARTMENTS.iter().map(|d| d.weight).sum();
    let mut order = Vec::with_capacity(PROJECT_COUNT);
    for (department, spec) in DEPARTMENTS.iter().enumerate() {
        let share = PROJECT_COUNT * spec.weight as usize / total as usize;
        order.extend(std::iter::repeat_n(department, share));
    }
    // Rounding down leaves a few projects; they go to the departments in turn.
    let mut department = 0;
    while order.len() < PROJECT_COUNT {
        order.push(department);
        department = (department + 1) % DEPARTMENTS.len();
    }
    rng.shuffle(&mut order);
    order
}

fn project(rng: &mut Rng, ctx: &Context, ledger: &mut Ledger, index: usize, department: usize) -> DemoProject {
    let spec = &DEPARTMENTS[department];
    let showcase = index < SHOWCASE_PROJECTS;
    let flagship = spec.flagships.get(ledger.next_flagship[department]).copied();
    if flagship.is_some() {
        ledger.next_flagship[department] += 1;
    }
    let category = match flagship {
        Some((_, category, _)) => category,
        None => pick_category(rng, spec),
    };
    let services = if category == Category::Ozg {
        let hint = flagship.map_or("", |(_, _, object)| object);
        link_services(rng, ctx.catalogue, spec, hint, &mut ledger.linked)
    } else {
        Vec::new()
    };
    let object = services.first().map_or("", |&s| ctx.catalogue.objects[ctx.catalogue.object_of[s]]);
    let preferred = flagship.map(|(title, _, _)| title);
    let (title, wording) = name_project(rng, spec, category, object, preferred, &mut ledger.titles);
    let (description, benefit) = describe(rng, category, spec, &wording);

    let schedule = plan_schedule(rng, ctx.today, showcase);
    let health = pick_health(rng, schedule.stage);
    let count = ctx.stichtage.len();
    let first = ctx.stichtage.iter().position(|&s| s >= schedule.start);
    let started_before_window = ctx.stichtage.first().is_some_and(|&s| schedule.start < s);
    let trend = plan_trend(rng, health, first.unwrap_or(count), count, started_before_window);
    let course = Course { start: schedule.start, first, trend: &trend };
    let may_go_stale = schedule.stage == Stage::Active && !showcase;
    let milestones: Vec<DemoMilestone> = plan_milestones(rng, category, schedule.start, schedule.planned_end)
        .into_iter()
        .map(|step| milestone(rng, ctx, &course, step, may_go_stale))
        .collect();

    let reached = milestones.iter().filter(|m| m.actual.is_some()).count();
    let phase = derive_phase(rng, schedule.stage, reached, milestones.len(), showcase);
    let percent_done = derive_percent(rng, phase, reached, milestones.len());
    let (ampel, ampel_reason) = derive_ampel(rng, phase, schedule.stage, health, &trend, &milestones);
    let lotse = if !showcase && rng.chance(0.03) { None } else { Some(rng.pick(&ctx.staff.lotsen[department])) };
    let sponsor = rng.chance(0.95).then_some(ctx.staff.sponsors[department]);
    let handlungsfeld = pick_handlungsfeld(rng, category);
    let budget_cents = budget(rng, category);
    DemoProject {
        key: format!("DIG-{:04}", index + 1),
        title,
        description,
        benefit,
        department,
        lotse,
        sponsor,
        handlungsfeld,
        category,
        phase,
        start: schedule.start,
        planned_end: schedule.planned_end,
        percent_done,
        budget_cents,
        ampel,
        ampel_reason,
        milestones,
        services,
    }
}

/// OZG services only where the department runs services; elsewhere internal work dominates.
fn pick_category(rng: &mut Rng, spec: &DepartmentSpec) -> Category {
    let ozg = if spec.themenfelder.is_empty() { 0 } else { 55 };
    let categories =
        [Category::Ozg, Category::EAkte, Category::Prozess, Category::Infrastruktur, Category::Qualifizierung];
    categories[rng.weighted(&[ozg, 11, 16, 9, 9])]
}

/// One to three services, preferring ones no other project has taken; siblings of the same
/// OZG-Leistung come along, as real OZG projects bundle them.
fn link_services(
    rng: &mut Rng,
    catalogue: &Catalogue,
    spec: &DepartmentSpec,
    hint: &str,
    linked: &mut HashSet<usize>,
) -> Vec<usize> {
    let mut pool: Vec<usize> = spec
        .themenfelder
        .iter()
        .filter_map(|&name| themenfeld_index(name))
        .flat_map(|t| catalogue.by_themenfeld[t].iter().copied())
        .collect();
    if pool.is_empty() {
        pool = (0..catalogue.services.len()).collect();
    }
    let hinted = catalogue.objects.iter().position(|&o| o == hint).and_then(|o| catalogue.members[o].first().copied());
    let primary = hinted.unwrap_or_else(|| fresh_service(rng, &pool, linked));
    let extra = rng.weighted(&[50, 35, 15]);
    let mut services = vec![primary];
    let siblings = &catalogue.members[catalogue.object_of[primary]];
    services.extend(siblings.iter().copied().filter(|&s| s != primary).take(extra));
    linked.extend(services.iter().copied());
    services
}

/// A service from the pool, preferring one that no project links yet.
fn fresh_service(rng: &mut Rng, pool: &[usize], linked: &HashSet<usize>) -> usize {
    let mut candidate = rng.pick(pool);
    for _ in 0..8 {
        if !linked.contains(&candidate) {
            break;
        }
        candidate = rng.pick(pool);
    }
    candidate
}

fn title_templates(category: Category) -> &'static [&'static str] {
    match category {
        Category::Ozg => OZG_TITLES,
        Category::EAkte => EAKTE_TITLES,
        Category::Prozess => PROCESS_TITLES,
        Category::Infrastruktur => INFRASTRUCTURE_TITLES,
        Category::Qualifizierung => TRAINING_TITLES,
    }
}

/// A title no other project has (flagship titles are reserved in `taken` beforehand), and the
/// words it was built from, which the description reuses.
fn name_project(
    rng: &mut Rng,
    spec: &DepartmentSpec,
    category: Category,
    object: &'static str,
    preferred: Option<&'static str>,
    taken: &mut HashSet<String>,
) -> (String, Wording) {
    let templates = title_templates(category);
    let mut wording = Wording { object, topic: rng.pick(spec.topics), system: rng.pick(spec.systems) };
    if let Some(title) = preferred {
        return (title.to_string(), wording);
    }
    for _ in 0..12 {
        let title = wording.fill(rng.pick(templates), spec.short);
        if taken.insert(title.clone()) {
            return (title, wording);
        }
        wording = Wording { object, topic: rng.pick(spec.topics), system: rng.pick(spec.systems) };
    }
    // Every try collided: a numbered stage keeps the title unique.
    let base = wording.fill(rng.pick(templates), spec.short);
    let mut stage = 2;
    loop {
        let title = format!("{base} – Stufe {stage}");
        if taken.insert(title.clone()) {
            return (title, wording);
        }
        stage += 1;
    }
}

fn describe(rng: &mut Rng, category: Category, spec: &DepartmentSpec, wording: &Wording) -> (String, String) {
    let (descriptions, benefits) = match category {
        Category::Ozg => (OZG_DESCRIPTIONS, OZG_BENEFITS),
        Category::EAkte => (EAKTE_DESCRIPTIONS, EAKTE_BENEFITS),
        Category::Prozess => (PROCESS_DESCRIPTIONS, PROCESS_BENEFITS),
        Category::Infrastruktur => (INFRASTRUCTURE_DESCRIPTIONS, INFRASTRUCTURE_BENEFITS),
        Category::Qualifizierung => (TRAINING_DESCRIPTIONS, TRAINING_BENEFITS),
    };
    (wording.fill(rng.pick(descriptions), spec.short), wording.fill(rng.pick(benefits), spec.short))
}

/// Start and planned end; every project starts on the 1st of a month, so no project starts
/// between the last Stichtag and `today`.
fn plan_schedule(rng: &mut Rng, today: NaiveDate, showcase: bool) -> Schedule {
    let month = Month::of(today);
    let stage = if showcase {
        Stage::Active
    } else {
        [Stage::Active, Stage::Completed, Stage::Future][rng.weighted(&[81, 11, 8])]
    };
    let (start, end) = match stage {
        Stage::Active if showcase => (-rng.months(4, 18), rng.months(6, 18)),
        Stage::Active => {
            let ahead = rng.months(2, 24);
            (-rng.months((6 - ahead).max(1), 30), ahead)
        }
        Stage::Completed => {
            let ended = rng.months(2, 20);
            (-(ended + rng.months(6, 24)), -ended)
        }
        Stage::Future => {
            let begins = rng.months(1, 8);
            (begins, begins + rng.months(9, 30))
        }
    };
    Schedule {
        stage,
        start: month.plus(start).first_day(),
        planned_end: plus_days(month.plus(end).first_day(), rng.range(0, 27)),
    }
}

/// Finished projects were mostly well run; the weights are tuned to an Ampel mix of about
/// 60 % green, 28 % yellow and 12 % red.
fn pick_health(rng: &mut Rng, stage: Stage) -> Health {
    let weights: &[u32] = if stage == Stage::Completed { &[60, 12, 20, 0, 8] } else { &[53, 7, 20, 11, 9] };
    [Health::OnPlan, Health::Early, Health::Slipping, Health::SlippingBadly, Health::ZigZag][rng.weighted(weights)]
}

fn plan_trend(rng: &mut Rng, health: Health, first: usize, count: usize, started_before_window: bool) -> Trend {
    let mut shift = vec![0; count];
    let mut reason = vec![""; count];
    // Troubled projects that began before the window have slipped before it, too.
    let mut current = match health {
        Health::Slipping if started_before_window => 7 * rng.range(0, 3),
        Health::SlippingBadly if started_before_window => 7 * rng.range(2, 6),
        _ => 0,
    };
    let mut went_up_last = false;
    for k in first..count {
        if k > first {
            let step = next_step(rng, health, current, &mut went_up_last);
            if step != 0 {
                current += step;
                reason[k] = if step > 0 { rng.pick(SLIP_REASONS) } else { rng.pick(EARLY_REASONS) };
            }
        }
        shift[k] = current;
    }
    Trend { shift, reason }
}

/// The change of the project's shift at one Stichtag, in days.
fn next_step(rng: &mut Rng, health: Health, current: i64, went_up_last: &mut bool) -> i64 {
    match health {
        Health::OnPlan => 0,
        Health::Early => {
            if current > -42 && rng.chance(0.15) {
                -7 * rng.range(1, 4)
            } else {
                0
            }
        }
        Health::Slipping => {
            if rng.chance(0.2) {
                7 * rng.range(2, 6)
            } else {
                0
            }
        }
        Health::SlippingBadly => {
            if rng.chance(0.35) {
                7 * rng.range(3, 8)
            } else {
                0
            }
        }
        Health::ZigZag => {
            if !rng.chance(0.45) {
                return 0;
            }
            let days = 7 * rng.range(2, 5);
            let step = if *went_up_last { -days } else { days };
            *went_up_last = !*went_up_last;
            step
        }
    }
}

fn milestone_steps(category: Category) -> &'static [&'static str] {
    match category {
        Category::Ozg => OZG_STEPS,
        Category::EAkte => EAKTE_STEPS,
        Category::Prozess => PROCESS_STEPS,
        Category::Infrastruktur => INFRASTRUCTURE_STEPS,
        Category::Qualifizierung => TRAINING_STEPS,
    }
}

/// Six to nine milestones spread over the project, the last one on the planned end.
fn plan_milestones(rng: &mut Rng, category: Category, start: NaiveDate, end: NaiveDate) -> Vec<PlannedMilestone> {
    let steps = milestone_steps(category);
    let count = rng.range(6, 9) as usize;
    // Keep the first and last step and a random, ordered choice of the steps between.
    let mut middle: Vec<usize> = (1..steps.len() - 1).collect();
    rng.shuffle(&mut middle);
    middle.truncate(count - 2);
    middle.sort_unstable();
    let chosen = std::iter::once(0).chain(middle).chain(std::iter::once(steps.len() - 1));
    let span = (end - start).num_days();
    let jitter = (span / (4 * count as i64)).min(10);
    let mut previous = start;
    chosen
        .enumerate()
        .map(|(position, step)| {
            let last = position + 1 == count;
            let raw = if last {
                end
            } else {
                let planned = plus_days(start, span * (position as i64 + 1) / count as i64);
                working_day(plus_days(planned, rng.range(-jitter, jitter)))
            };
            let baseline = raw.max(plus_days(previous, 7)).min(end);
            previous = baseline;
            let title = steps[step];
            PlannedMilestone { title, is_key: last || KEY_STEPS.contains(&title), baseline }
        })
        .collect()
}

fn milestone(
    rng: &mut Rng,
    ctx: &Context,
    course: &Course,
    step: PlannedMilestone,
    may_go_stale: bool,
) -> DemoMilestone {
    let detour = plan_detour(rng, course.first, ctx.stichtage.len());
    let stale = may_go_stale && rng.chance(STALE_CHANCE);
    let tracked = track(rng, ctx, course, step.baseline, detour, stale);
    DemoMilestone {
        title: step.title.to_string(),
        is_key: step.is_key,
        baseline: step.baseline,
        forecast: tracked.forecast,
        actual: tracked.actual,
        history: tracked.history,
    }
}

/// Some milestones move on their own once, against the project's trend.
fn plan_detour(rng: &mut Rng, first: Option<usize>, count: usize) -> Option<Detour> {
    let first = first?;
    if first + 2 > count || !rng.chance(0.15) {
        return None;
    }
    let weeks = rng.range(-3, 6);
    let days = 7 * if weeks == 0 { 2 } else { weeks };
    let reason = if days > 0 { rng.pick(SLIP_REASONS) } else { rng.pick(EARLY_REASONS) };
    let from = first + 1 + rng.index(count - first - 1);
    Some(Detour { from, days, reason })
}

/// Walks the Stichtage from the project start: an open milestone reports a forecast after the
/// Stichtag; once the forecast has come, the milestone is reached, on a date since the
/// previous Stichtag, and its line ends on the diagonal.
fn track(
    rng: &mut Rng,
    ctx: &Context,
    course: &Course,
    baseline: NaiveDate,
    detour: Option<Detour>,
    stale: bool,
) -> Tracked {
    let Some(first) = course.first else {
        return Tracked { forecast: baseline, actual: None, history: Vec::new() };
    };
    let count = ctx.stichtage.len();
    let mut history: Vec<DemoForecast> = Vec::new();
    for k in first..count {
        let date = ctx.stichtage[k];
        let own = detour.filter(|d| k >= d.from).map_or(0, |d| d.days);
        let forecast = plus_days(baseline, course.trend.shift[k] + own).max(course.start);
        if forecast > date {
            push_open(&mut history, k, forecast, change_reason(course.trend, detour, k));
            continue;
        }
        if stale && k + 3 >= count {
            // The Lotse stopped reporting: the forecast stands and slides into the past.
            let frozen = forecast.min(plus_days(date, -1)).max(course.start);
            for j in k..count {
                push_open(&mut history, j, frozen, FALLBACK_REASON);
            }
            return Tracked { forecast: frozen, actual: None, history };
        }
        let floor = if k == first { course.start } else { plus_days(ctx.stichtage[k - 1], 1) };
        let actual = forecast.max(floor);
        history.push(DemoForecast { stichtag: k, forecast: actual, reached: true, reason: String::new() });
        return Tracked { forecast: actual, actual: Some(actual), history };
    }
    // Still open: a forecast the calendar has overtaken since the last Stichtag is moved on.
    if let Some(last) = history.last_mut()
        && last.forecast < ctx.today
    {
        last.forecast = plus_days(ctx.today, 7 * rng.range(1, 6));
        last.reason = rng.pick(SLIP_REASONS).to_string();
    }
    let forecast = history.last().map_or(baseline, |h| h.forecast);
    Tracked { forecast, actual: None, history }
}

fn change_reason(trend: &Trend, detour: Option<Detour>, k: usize) -> &'static str {
    match detour {
        Some(own) if own.from == k => own.reason,
        _ if !trend.reason[k].is_empty() => trend.reason[k],
        _ => FALLBACK_REASON,
    }
}

/// Appends an open forecast; only a changed date carries a reason.
fn push_open(history: &mut Vec<DemoForecast>, stichtag: usize, forecast: NaiveDate, reason: &str) {
    let changed = history.last().is_some_and(|h| h.forecast != forecast);
    let reason = if changed { reason } else { "" };
    history.push(DemoForecast { stichtag, forecast, reached: false, reason: reason.to_string() });
}

fn derive_phase(rng: &mut Rng, stage: Stage, reached: usize, total: usize, showcase: bool) -> Phase {
    if stage == Stage::Future {
        return if rng.chance(0.5) { Phase::Idee } else { Phase::Planung };
    }
    if reached == total {
        return Phase::Abgeschlossen;
    }
    if !showcase && stage == Stage::Active && rng.chance(0.035) {
        return Phase::Gestoppt;
    }
    let share = reached as f64 / total as f64;
    if reached == 0 {
        Phase::Planung
    } else if share < 0.5 {
        Phase::Umsetzung
    } else if share < 0.8 {
        Phase::Einfuehrung
    } else {
        Phase::Betrieb
    }
}

/// Percent done follows the reached milestones plus some work towards the next one.
fn derive_percent(rng: &mut Rng, phase: Phase, reached: usize, total: usize) -> u8 {
    match phase {
        Phase::Abgeschlossen => 100,
        Phase::Idee => 0,
        _ if reached == 0 => rng.range(0, 8) as u8,
        _ => {
            let base = (100 * reached / total) as i64;
            (base + rng.range(-3, 9)).clamp(1, 97) as u8
        }
    }
}

fn derive_ampel(
    rng: &mut Rng,
    phase: Phase,
    stage: Stage,
    health: Health,
    trend: &Trend,
    milestones: &[DemoMilestone],
) -> (Ampel, String) {
    match phase {
        Phase::Abgeschlossen => return (Ampel::Gruen, String::new()),
        Phase::Gestoppt => {
            let ampel = if rng.chance(0.6) { Ampel::Rot } else { Ampel::Gelb };
            return (ampel, rng.pick(STOP_REASONS).to_string());
        }
        _ => {}
    }
    if stage == Stage::Future {
        return if health == Health::SlippingBadly {
            (Ampel::Gelb, rng.pick(START_RISKS).to_string())
        } else {
            (Ampel::Gruen, String::new())
        };
    }
    let ampel = match health {
        Health::OnPlan => {
            if rng.chance(0.1) {
                Ampel::Gelb
            } else {
                Ampel::Gruen
            }
        }
        Health::Early => Ampel::Gruen,
        Health::Slipping => Ampel::Gelb,
        Health::SlippingBadly => Ampel::Rot,
        Health::ZigZag => {
            if rng.chance(0.25) {
                Ampel::Rot
            } else {
                Ampel::Gelb
            }
        }
    };
    let next = milestones.iter().find(|m| m.actual.is_none());
    let title = next.map_or("Projektabschluss", |m| m.title.as_str());
    let slip_days = next.map_or(0, |m| (m.forecast - m.baseline).num_days());
    let cause = trend.reason.iter().rev().find(|r| !r.is_empty()).copied().unwrap_or_else(|| rng.pick(SLIP_REASONS));
    let reason = explain(rng, (ampel, health), cause, title, slip_days);
    (ampel, reason)
}

/// The reason text for a yellow or red Ampel, naming the cause and the milestone it delays.
fn explain(rng: &mut Rng, status: (Ampel, Health), cause: &str, milestone: &str, slip_days: i64) -> String {
    let weeks = slip_days / 7;
    let delay = if weeks == 1 { "1 Woche".to_string() } else { format!("{weeks} Wochen") };
    match status {
        (Ampel::Gruen, _) => String::new(),
        (Ampel::Gelb, Health::ZigZag) => format!(
            "Prognosen schwanken von Stichtag zu Stichtag ({cause}); der Terminplan wird mit dem Fachbereich neu abgestimmt."
        ),
        (Ampel::Rot, Health::ZigZag) => format!(
            "Terminplanung nicht belastbar ({cause}); Eskalation an die Stabsstelle, Entscheidung über den Projektumfang nötig."
        ),
        _ if weeks < 1 => rng.pick(RISKS).to_string(),
        (Ampel::Gelb, _) => {
            format!("{cause}: Meilenstein „{milestone}“ verschiebt sich um {delay}; Gegenmaßnahmen sind eingeleitet.")
        }
        (Ampel::Rot, _) => format!(
            "{cause}: Meilenstein „{milestone}“ liegt {delay} hinter dem Basistermin; ohne Entscheidung der Verwaltungsführung ist der Termin nicht zu halten."
        ),
    }
}

fn pick_handlungsfeld(rng: &mut Rng, category: Category) -> Option<usize> {
    // A few projects are not yet assigned to the strategy: a case for the worklist.
    if rng.chance(0.05) {
        return None;
    }
    Some(match category {
        Category::Ozg => {
            if rng.chance(0.8) {
                HF_OZG
            } else {
                HF_ONCE_ONLY
            }
        }
        Category::EAkte => HF_EAKTE,
        Category::Prozess => [HF_PROCESSES, HF_ONCE_ONLY, HF_PAYMENT][rng.weighted(&[60, 20, 20])],
        Category::Infrastruktur => HF_INFRASTRUCTURE,
        Category::Qualifizierung => HF_SKILLS,
    })
}

/// Budgets, where known, spread log-uniformly over what such projects cost, in whole 500 €.
fn budget(rng: &mut Rng, category: Category) -> Option<i64> {
    if !rng.chance(0.7) {
        return None;
    }
    let (low, high): (f64, f64) = match category {
        Category::Ozg => (20_000.0, 400_000.0),
        Category::EAkte => (50_000.0, 900_000.0),
        Category::Prozess => (15_000.0, 300_000.0),
        Category::Infrastruktur => (80_000.0, 2_500_000.0),
        Category::Qualifizierung => (15_000.0, 120_000.0),
    };
    let euros = (low.ln() + rng.unit() * (high / low).ln()).exp();
    Some((euros / 500.0).round() as i64 * 500 * 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository tests' reference date and one in the middle of the programme.
    const DATES: [(i32, u32, u32); 2] = [(2026, 11, 22), (2025, 3, 15)];

    fn cities() -> Vec<(NaiveDate, DemoCity)> {
        DATES
            .iter()
            .map(|&(year, month, day)| {
                let today = fixed_date(year, month, day);
                (today, generate(today))
            })
            .collect()
    }

    fn share(part: usize, whole: usize) -> f64 {
        part as f64 / whole.max(1) as f64
    }

    fn all_unique<T: std::hash::Hash + Eq>(items: impl IntoIterator<Item = T>) -> bool {
        let mut seen = HashSet::new();
        items.into_iter().all(|item| seen.insert(item))
    }

    #[test]
    fn the_same_day_gives_the_same_city() {
        for (today, city) in cities() {
            let again = generate(today);
            assert_eq!(format!("{city:?}"), format!("{again:?}"));
            assert_eq!(city, again);
        }
        let late = generate(fixed_date(2026, 11, 22));
        let early = generate(fixed_date(2025, 3, 15));
        assert_eq!(late.departments, early.departments, "names do not depend on the date");
        assert_ne!(late.stichtage, early.stichtage);
    }

    #[test]
    fn text_becomes_ascii_slugs() {
        assert_eq!(slug("Hundesteuer Anmeldung"), "hundesteuer-anmeldung");
        assert_eq!(slug("Übermittlungssperre"), "uebermittlungssperre");
        assert_eq!(slug("Großraum- und Schwertransport Erteilung"), "grossraum-und-schwertransport-erteilung");
        assert_eq!(slug("Anna-Lena"), "anna-lena");
    }

    #[test]
    fn departments_functions_and_people() {
        let city = generate(fixed_date(2026, 11, 22));
        assert!(city.departments.len() >= 12);
        assert!(all_unique(city.departments.iter().map(|d| &d.code)));
        assert!(all_unique(city.functions.iter().map(|f| &f.title)));
        let lotsen: Vec<&DemoFunction> = city.functions.iter().filter(|f| f.kind == FunctionKind::Lotse).collect();
        assert!(lotsen.len() >= 30);
        let vacant = lotsen.iter().filter(|f| f.person.is_none()).count();
        assert!((1..=5).contains(&vacant), "{vacant} vacant Lotsen posts");
        for (department, d) in city.departments.iter().enumerate() {
            let of = |kind: FunctionKind| {
                city.functions.iter().filter(|f| f.kind == kind && f.department == Some(department)).count()
            };
            assert!((2..=3).contains(&of(FunctionKind::Lotse)), "{}", d.code);
            assert_eq!(of(FunctionKind::Sponsor), 1, "{}", d.code);
        }
        for f in &lotsen {
            let code = &city.departments[f.department.expect("a Lotse belongs to a department")].code;
            assert!(f.title.starts_with("Lots") && f.title.contains(code.as_str()), "{}", f.title);
        }
        assert_eq!(city.functions.iter().filter(|f| f.kind == FunctionKind::Stabsstelle).count(), 1);
        for f in &city.functions {
            assert!(f.department.is_none_or(|d| d < city.departments.len()));
            assert!(f.person.is_none_or(|p| p < city.people.len()));
        }
        assert!(all_unique(city.people.iter().map(|p| &p.email)));
        for person in &city.people {
            let (local, domain) = person.email.split_once('@').expect("an e-mail address");
            assert_eq!(domain, "stadt.example");
            let ascii = local.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '-');
            assert!(ascii && local.contains('.'), "{}", person.email);
            let extension = person.phone.strip_prefix("+49 2151 86-").expect("the city's phone prefix");
            assert!(extension.len() == 4 && extension.chars().all(|c| c.is_ascii_digit()), "{}", person.phone);
        }
    }

    #[test]
    fn strategy_and_programme_targets() {
        let city = generate(fixed_date(2026, 11, 22));
        assert!((2..=3).contains(&city.goals.len()));
        assert!(city.handlungsfelder.len() >= 6);
        assert!(all_unique(city.goals.iter().map(|g| &g.code)));
        assert!(all_unique(city.handlungsfelder.iter().map(|h| &h.code)));
        assert!(city.handlungsfelder.iter().all(|h| h.goal < city.goals.len()));
        for (goal, g) in city.goals.iter().enumerate() {
            assert!(city.handlungsfelder.iter().any(|h| h.goal == goal), "{}", g.code);
        }
        let [reifegrad, eakte, usage] = &city.targets[..] else {
            panic!("three programme targets, got {}", city.targets.len());
        };
        assert_eq!(
            (reifegrad.name.as_str(), reifegrad.metric, reifegrad.metric_param, reifegrad.deadline),
            ("Alle OZG-Leistungen ab Reifegrad 3", TargetMetric::ReifegradShare, Some(3), fixed_date(2025, 12, 31))
        );
        assert!((reifegrad.target_value - 100.0).abs() < 1e-9);
        assert_eq!(
            (eakte.name.as_str(), eakte.metric, eakte.metric_param, eakte.deadline),
            ("eAkte in allen Fachbereichen", TargetMetric::EAkteDepartments, None, fixed_date(2025, 12, 31))
        );
        assert!((eakte.target_value - city.departments.len() as f64).abs() < 1e-9);
        assert_eq!(
            (usage.name.as_str(), usage.metric, usage.metric_param, usage.deadline),
            ("Nutzungsquote mindestens 60 %", TargetMetric::UsageRate, None, fixed_date(2026, 12, 31))
        );
        assert!((usage.target_value - 60.0).abs() < 1e-9);
    }

    #[test]
    fn stichtage_are_monthly_and_only_the_last_is_open() {
        for (today, city) in cities() {
            let stichtage = &city.stichtage;
            assert!(stichtage.len() >= 8);
            assert!(stichtage.iter().all(|s| s.report_date <= today && s.report_date.day() == 1));
            for pair in stichtage.windows(2) {
                assert_eq!(Month::of(pair[0].report_date).plus(1), Month::of(pair[1].report_date));
            }
            let (last, earlier) = stichtage.split_last().expect("Stichtage exist");
            assert!(!last.closed && earlier.iter().all(|s| s.closed));
            let month = Month::of(last.report_date);
            assert!(month == Month::of(today) || month == Month::of(today).plus(-1));
        }
    }

    #[test]
    fn word_lists_refer_to_existing_entries() {
        let city = generate(fixed_date(2026, 11, 22));
        let flagships = DEPARTMENTS.iter().flat_map(|d| d.flagships.iter().map(|&(title, _, _)| title));
        assert!(all_unique(flagships));
        for spec in DEPARTMENTS {
            assert!(spec.themenfelder.iter().all(|&name| themenfeld_index(name).is_some()), "{}", spec.code);
            for &(title, category, object) in spec.flagships {
                assert_eq!(category == Category::Ozg, !object.is_empty(), "{title}");
                let known = THEMENFELDER
                    .iter()
                    .flat_map(|t| t.lebenslagen)
                    .flat_map(|l| l.objects)
                    .any(|&(name, _)| name == object);
                assert!(object.is_empty() || known, "{object}");
                assert!(city.projects.iter().any(|p| p.title == title), "{title}");
            }
        }
    }

    #[test]
    fn catalogue_of_themenfelder_lebenslagen_and_services() {
        let names = [
            "Arbeit & Ruhestand",
            "Bauen & Wohnen",
            "Bildung",
            "Ein- & Auswanderung",
            "Engagement & Hobby",
            "Familie & Kind",
            "Forschung & Förderung",
            "Gesundheit",
            "Mobilität & Reisen",
            "Querschnitt",
            "Recht & Ordnung",
            "Steuern & Zoll",
            "Umwelt",
            "Unternehmensführung & -entwicklung",
        ];
        for (today, city) in cities() {
            assert_eq!(city.themenfelder, names);
            assert!((55..=60).contains(&city.lebenslagen.len()));
            assert!(all_unique(city.lebenslagen.iter().map(|l| (l.themenfeld, &l.name))));
            for themenfeld in 0..city.themenfelder.len() {
                assert!(city.lebenslagen.iter().any(|l| l.themenfeld == themenfeld));
            }
            let services = &city.services;
            assert!(services.len() >= 500);
            assert!(all_unique(services.iter().map(|s| &s.name)));
            assert!(all_unique(services.iter().filter_map(|s| s.leika_key.as_ref())));
            assert!(all_unique(services.iter().filter_map(|s| s.url.as_ref())));
            let without_key = services.iter().filter(|s| s.leika_key.is_none()).count();
            assert!((0.02..=0.09).contains(&share(without_key, services.len())), "{without_key} without LeiKa key");
            let ozg_ids: HashSet<&String> = services.iter().map(|s| &s.ozg_id).collect();
            assert!(ozg_ids.len() < services.len(), "several services share an OZG-ID");
            for s in services {
                assert!(s.ozg_id.len() == 5 && s.ozg_id.chars().all(|c| c.is_ascii_digit()), "{}", s.ozg_id);
                if let Some(key) = &s.leika_key {
                    assert!(key.len() == 14 && key.starts_with("99") && key.chars().all(|c| c.is_ascii_digit()));
                }
                assert!(s.themenfeld < city.themenfelder.len());
                if let Some(lebenslage) = s.lebenslage {
                    assert_eq!(city.lebenslagen[lebenslage].themenfeld, s.themenfeld, "{}", s.name);
                }
                assert!((0..=4).contains(&s.reifegrad));
                let online = s.reifegrad >= 2;
                assert_eq!(s.online_since.is_some(), online, "{}", s.name);
                assert!(s.online_since.is_none_or(|since| since <= today));
                assert_eq!(s.url.is_some(), online, "{}", s.name);
                let prefix = "https://service.stadt.example/leistungen/";
                assert!(s.url.as_ref().is_none_or(|url| url.starts_with(prefix)));
            }
            let level = |reifegrad: i64| services.iter().filter(|s| s.reifegrad == reifegrad).count();
            assert!((0..=4).all(|reifegrad| level(reifegrad) > 0));
            assert!(level(2) + level(3) > services.len() / 2);
            assert!(level(4) >= 30 && level(0) + level(1) >= 50);
            let paying = services.iter().filter(|s| s.epayment).count();
            let paying_mature = services.iter().filter(|s| s.epayment && s.reifegrad >= 3).count();
            assert!(paying > 0 && share(paying_mature, paying) >= 0.8);
        }
    }

    #[test]
    fn usage_rises_and_stays_consistent() {
        let rate = |usage: &[DemoUsage]| {
            let online: i64 = usage.iter().map(|u| u.online).sum();
            let total: i64 = usage.iter().map(|u| u.total).sum();
            online as f64 / total as f64
        };
        for (today, city) in cities() {
            let current = Month::of(today);
            let (mut online_services, mut series, mut rising, mut final_in_band) = (0, 0, 0, 0);
            let (mut smallest, mut largest) = (i64::MAX, 0);
            for s in &city.services {
                let Some(since) = s.online_since else {
                    assert!(s.usage.is_empty(), "{}", s.name);
                    continue;
                };
                let expected: Vec<Month> =
                    (1..=24).rev().map(|back| current.plus(-back)).filter(|m| *m >= Month::of(since)).collect();
                let months: Vec<Month> = s.usage.iter().map(|u| u.month).collect();
                assert_eq!(months, expected, "{}", s.name);
                assert!(!s.usage.is_empty(), "{}", s.name);
                assert!(s.usage.iter().all(|u| (1..=7_000).contains(&u.total) && (0..=u.total).contains(&u.online)));
                online_services += 1;
                let mean = s.usage.iter().map(|u| u.total).sum::<i64>() / s.usage.len() as i64;
                smallest = smallest.min(mean);
                largest = largest.max(mean);
                let n = s.usage.len();
                if n >= 6 {
                    series += 1;
                    rising += usize::from(rate(&s.usage[n - 3..]) > rate(&s.usage[..3]));
                }
                final_in_band += usize::from((0.4..=0.8).contains(&rate(&s.usage[n - 1..])));
            }
            assert!(share(rising, series) >= 0.85, "{rising} of {series} services rising");
            assert!(share(final_in_band, online_services) >= 0.6, "{final_in_band} of {online_services}");
            assert!(smallest < 50 && largest > 2_000, "volumes {smallest}..{largest}");
        }
    }

    #[test]
    fn portfolio_of_projects() {
        for (_, city) in cities() {
            let projects = &city.projects;
            assert!(projects.len() >= 350);
            assert_eq!(projects[0].key, "DIG-0001");
            assert!(all_unique(projects.iter().map(|p| &p.key)));
            assert!(all_unique(projects.iter().map(|p| &p.title)));
            let key_chars = |key: &str| key.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
            assert!(projects.iter().all(|p| (3..=20).contains(&p.key.len()) && key_chars(&p.key)));
            for (department, d) in city.departments.iter().enumerate() {
                assert!(projects.iter().filter(|p| p.department == department).count() >= 10, "{}", d.code);
            }
            let count = |category: Category| projects.iter().filter(|p| p.category == category).count();
            let ozg = count(Category::Ozg);
            assert!(Category::ALL.iter().all(|&c| c == Category::Ozg || (count(c) > 0 && count(c) < ozg)));
            for p in projects {
                assert!(!p.title.is_empty() && !p.description.is_empty() && !p.benefit.is_empty(), "{}", p.key);
                assert!(p.start <= p.planned_end, "{}", p.key);
                assert!(p.department < city.departments.len());
                if let Some(lotse) = p.lotse {
                    let f = &city.functions[lotse];
                    assert!(f.kind == FunctionKind::Lotse && f.department == Some(p.department), "{}", p.key);
                }
                if let Some(sponsor) = p.sponsor {
                    let f = &city.functions[sponsor];
                    assert!(f.kind == FunctionKind::Sponsor && f.department == Some(p.department), "{}", p.key);
                }
                assert!(p.handlungsfeld.is_none_or(|h| h < city.handlungsfelder.len()));
                assert!(all_unique(&p.services) && p.services.iter().all(|&s| s < city.services.len()));
                if p.category == Category::Ozg {
                    assert!((1..=3).contains(&p.services.len()), "{}", p.key);
                } else {
                    assert!(p.services.is_empty(), "{}", p.key);
                }
                if let Some(cents) = p.budget_cents {
                    assert!((1_500_000..=250_000_000).contains(&cents), "{}: {cents}", p.key);
                }
            }
            let budgets = projects.iter().filter(|p| p.budget_cents.is_some()).count();
            assert!((0.6..=0.8).contains(&share(budgets, projects.len())));
            assert!(projects.iter().any(|p| p.lotse.is_none()), "a project without Lotse for the worklist");
        }
    }

    /// Checks every date rule of one milestone; returns whether it is overdue.
    fn check_milestone(city: &DemoCity, today: NaiveDate, project: &DemoProject, m: &DemoMilestone) -> bool {
        let label = format!("{} „{}“", project.key, m.title);
        let date_of = |h: &DemoForecast| city.stichtage[h.stichtag].report_date;
        assert!(m.baseline >= project.start && m.forecast >= project.start, "{label}");
        // One entry per Stichtag, from the first Stichtag on or after the project start.
        let first = city.stichtage.iter().position(|s| s.report_date >= project.start);
        if let Some(entry) = m.history.first() {
            assert_eq!(Some(entry.stichtag), first, "{label}");
        }
        assert!(m.history.windows(2).all(|w| w[1].stichtag == w[0].stichtag + 1), "{label}");
        assert!(m.history.iter().all(|h| date_of(h) >= project.start && h.forecast >= project.start), "{label}");
        if project.start <= today {
            assert!(!m.history.is_empty(), "{label}");
        }
        if let Some(last) = m.history.last() {
            assert_eq!(m.forecast, last.forecast, "{label}");
        }
        let (open, closing) = match m.history.split_last() {
            Some((last, earlier)) if last.reached => (earlier, Some(last)),
            _ => (&m.history[..], None),
        };
        assert!(open.iter().all(|h| !h.reached), "{label}");
        // A changed forecast always says why.
        for pair in open.windows(2) {
            assert!(pair[1].forecast == pair[0].forecast || !pair[1].reason.is_empty(), "{label}");
        }
        match (m.actual, closing) {
            (Some(actual), Some(last)) => {
                assert!((project.start..=today).contains(&actual), "{label}");
                assert!(last.forecast == actual && date_of(last) >= actual, "{label}");
                assert!(open.iter().all(|h| h.forecast > date_of(h)), "{label}");
                false
            }
            (None, None) => {
                let overdue = m.forecast < today;
                if !overdue {
                    assert!(open.iter().all(|h| h.forecast >= date_of(h)), "{label}");
                }
                overdue
            }
            _ => panic!("{label}: actual date and reached entry disagree"),
        }
    }

    #[test]
    fn milestone_dates_are_consistent() {
        for (today, city) in cities() {
            let milestones: usize = city.projects.iter().map(|p| p.milestones.len()).sum();
            assert!(milestones >= 2_500, "{milestones} milestones");
            let (mut overdue, mut reached) = (0, 0);
            for project in &city.projects {
                assert!((6..=9).contains(&project.milestones.len()), "{}", project.key);
                assert!(project.milestones.iter().any(|m| m.is_key), "{}", project.key);
                assert!(project.milestones.windows(2).all(|w| w[0].baseline <= w[1].baseline), "{}", project.key);
                for m in &project.milestones {
                    overdue += usize::from(check_milestone(&city, today, project, m));
                    reached += usize::from(m.actual.is_some());
                }
            }
            assert!((0.35..=0.6).contains(&share(reached, milestones)), "{reached} of {milestones} reached");
            assert!(overdue > 0 && share(overdue, milestones) <= 0.04, "{overdue} overdue");
            let overdue_in_running_projects = city
                .projects
                .iter()
                .filter(|p| p.phase != Phase::Gestoppt)
                .flat_map(|p| &p.milestones)
                .filter(|m| m.actual.is_none() && m.forecast < today)
                .count();
            assert!(overdue_in_running_projects > 0);
        }
    }

    #[test]
    fn trends_are_flat_rising_falling_and_zigzag() {
        for (_, city) in cities() {
            // Flat, rising, falling, zig-zag lines of the milestone trend analysis.
            let mut shapes = [0usize; 4];
            for m in city.projects.iter().flat_map(|p| &p.milestones) {
                let open: Vec<NaiveDate> = m.history.iter().filter(|h| !h.reached).map(|h| h.forecast).collect();
                if open.len() < 2 {
                    continue;
                }
                let up = open.windows(2).any(|w| w[1] > w[0]);
                let down = open.windows(2).any(|w| w[1] < w[0]);
                let shape = match (up, down) {
                    (false, false) => 0,
                    (true, false) => 1,
                    (false, true) => 2,
                    (true, true) => 3,
                };
                shapes[shape] += 1;
            }
            let [flat, rising, falling, zigzag] = shapes;
            assert!(flat > rising && rising > zigzag, "{shapes:?}");
            assert!(falling >= 20 && zigzag >= 20, "{shapes:?}");
        }
    }

    #[test]
    fn phases_and_percent_follow_the_milestones() {
        for (today, city) in cities() {
            let projects = &city.projects;
            for p in projects {
                let reached = p.milestones.iter().filter(|m| m.actual.is_some()).count();
                let total = p.milestones.len();
                if p.start > today {
                    let early = matches!(p.phase, Phase::Idee | Phase::Planung);
                    assert!(early && reached == 0 && p.percent_done <= 10, "{}", p.key);
                } else if p.phase == Phase::Abgeschlossen {
                    assert!(reached == total && p.percent_done == 100, "{}", p.key);
                } else {
                    assert!(reached < total, "{}: all milestones reached in phase {:?}", p.key, p.phase);
                    let expected = (100 * reached / total) as i64;
                    let percent = i64::from(p.percent_done);
                    assert!(percent < 100 && (percent - expected).abs() <= 12, "{}: {percent} %", p.key);
                }
            }
            let with = |phase: Phase| projects.iter().filter(|p| p.phase == phase).count();
            assert!((0.05..=0.16).contains(&share(with(Phase::Abgeschlossen), projects.len())));
            assert!((1..=20).contains(&with(Phase::Gestoppt)));
            assert!(with(Phase::Idee) + with(Phase::Planung) > 0);
            assert!(with(Phase::Umsetzung) > with(Phase::Betrieb));
        }
    }

    #[test]
    fn ampel_mix_reasons_and_slips_agree() {
        for (today, city) in cities() {
            let projects = &city.projects;
            for p in projects {
                assert_eq!(p.ampel == Ampel::Gruen, p.ampel_reason.trim().is_empty(), "{}", p.key);
            }
            let with = |ampel: Ampel| share(projects.iter().filter(|p| p.ampel == ampel).count(), projects.len());
            let mix = [with(Ampel::Gruen), with(Ampel::Gelb), with(Ampel::Rot)];
            assert!((0.45..=0.75).contains(&mix[0]), "{mix:?}");
            assert!((0.15..=0.40).contains(&mix[1]), "{mix:?}");
            assert!((0.06..=0.20).contains(&mix[2]), "{mix:?}");
            // Mean slip of the next open milestone of running projects, per colour.
            let slip = |ampel: Ampel| {
                let days: Vec<i64> = projects
                    .iter()
                    .filter(|p| p.ampel == ampel && p.start <= today)
                    .filter(|p| !matches!(p.phase, Phase::Abgeschlossen | Phase::Gestoppt))
                    .filter_map(|p| p.milestones.iter().find(|m| m.actual.is_none()))
                    .map(|m| (m.forecast - m.baseline).num_days())
                    .collect();
                days.iter().sum::<i64>() as f64 / days.len().max(1) as f64
            };
            let (gruen, gelb, rot) = (slip(Ampel::Gruen), slip(Ampel::Gelb), slip(Ampel::Rot));
            assert!(rot > gelb && gelb > gruen + 14.0, "mean slip in days: {gruen} / {gelb} / {rot}");
        }
    }

    #[test]
    fn the_first_projects_are_running_with_open_milestones() {
        for (today, city) in cities() {
            for p in &city.projects[..SHOWCASE_PROJECTS] {
                assert!(p.start <= today && p.phase != Phase::Gestoppt && p.lotse.is_some(), "{}", p.key);
                assert!(p.milestones.iter().any(|m| m.actual.is_none() && m.forecast > today), "{}", p.key);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The reporting cycle of the past Stichtage

const STREAM_REPORTS: u64 = 4;

/// The state a closed demo Stichtag froze, derived from the milestone histories: what the
/// Lotsen would have reported then. Indices point into [`DemoCity`].
#[derive(Clone, Debug, PartialEq)]
pub struct FrozenStichtag {
    pub projects: Vec<FrozenProject>,
    /// (project, milestone, forecast, actual date)
    pub milestones: Vec<(usize, usize, NaiveDate, Option<NaiveDate>)>,
    /// (service, Reifegrad)
    pub services: Vec<(usize, i64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FrozenProject {
    pub project: usize,
    pub phase: Phase,
    pub ampel: Ampel,
    pub ampel_reason: String,
    pub percent_done: u8,
    pub summary: String,
    pub next_steps: String,
    pub decisions_needed: String,
    pub risks: String,
}

/// A demo Sachstand of the open Stichtag, in the state the cycle has reached.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenReport {
    pub report: FrozenProject,
    pub state: crate::domain::ReportState,
}

impl DemoCity {
    /// What Stichtag `k` froze. The last closed Stichtag reports the projects' current Ampel;
    /// earlier ones derive it from how far the open milestones had slipped, never worse than
    /// now, so the Ampel history leads up to today's state.
    pub fn frozen(&self, k: usize) -> FrozenStichtag {
        let date = self.stichtage[k].report_date;
        let latest_closed = self.stichtage.iter().rposition(|s| s.closed) == Some(k);
        let mut milestones = Vec::new();
        let mut projects = Vec::new();
        for (pi, p) in self.projects.iter().enumerate() {
            if p.start > date {
                continue;
            }
            let mut states = Vec::new();
            for (mi, m) in p.milestones.iter().enumerate() {
                if let Some(h) = m.history.iter().rev().find(|h| h.stichtag <= k) {
                    let actual = h.reached.then_some(h.forecast);
                    milestones.push((pi, mi, h.forecast, actual));
                    states.push((m, h.forecast, actual));
                }
            }
            let reached = states.iter().filter(|(_, _, a)| a.is_some()).count();
            let worst = states
                .iter()
                .filter(|(_, _, actual)| actual.is_none())
                .map(|(m, forecast, _)| ((*forecast - m.baseline).num_days(), m.title.as_str()))
                .max();
            let report = if latest_closed {
                self.report_of(pi, p.ampel, p.ampel_reason.clone(), p.percent_done, &states)
            } else {
                let derived = match worst {
                    Some((days, _)) if days > 60 => Ampel::Rot,
                    Some((days, _)) if days > 14 => Ampel::Gelb,
                    _ => Ampel::Gruen,
                };
                let ampel = derived.min(p.ampel);
                let reason = match (ampel, worst) {
                    (Ampel::Gruen, _) => String::new(),
                    _ if ampel == p.ampel => p.ampel_reason.clone(),
                    (_, Some((days, title))) => format!("Meilenstein „{title}“ um {days} Tage verschoben."),
                    (_, None) => p.ampel_reason.clone(),
                };
                let share = if p.milestones.is_empty() { 0 } else { reached * 100 / p.milestones.len() };
                let percent = (share as u8).min(p.percent_done);
                self.report_of(pi, ampel, reason, percent, &states)
            };
            projects.push(report);
        }
        let services = self
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let later = s.online_since.is_some_and(|since| since > date);
                (i, if later && s.reifegrad >= 3 { 2 } else { s.reifegrad })
            })
            .collect();
        FrozenStichtag { projects, milestones, services }
    }

    fn report_of(
        &self,
        project: usize,
        ampel: Ampel,
        ampel_reason: String,
        percent_done: u8,
        states: &[(&DemoMilestone, NaiveDate, Option<NaiveDate>)],
    ) -> FrozenProject {
        let p = &self.projects[project];
        let reached = states.iter().filter(|(_, _, a)| a.is_some()).count();
        let next = states.iter().filter(|(_, _, a)| a.is_none()).min_by_key(|(_, forecast, _)| *forecast);
        let phase =
            if p.phase == Phase::Abgeschlossen && reached < p.milestones.len() { Phase::Einfuehrung } else { p.phase };
        FrozenProject {
            project,
            phase,
            ampel,
            summary: format!(
                "{} von {} Meilensteinen erreicht; Fertigstellungsgrad {percent_done} %.",
                reached,
                p.milestones.len()
            ),
            next_steps: next
                .map(|(m, forecast, _)| {
                    format!("Nächster Meilenstein: {} (Prognose {}).", m.title, forecast.format("%d.%m.%Y"))
                })
                .unwrap_or_default(),
            decisions_needed: if ampel == Ampel::Rot {
                "Entscheidung der Lenkungsgruppe über Priorität und zusätzliche Ressourcen.".to_string()
            } else {
                String::new()
            },
            risks: ampel_reason.clone(),
            ampel_reason,
            percent_done,
        }
    }

    /// The open Stichtag half-way through its cycle: most running projects have reported,
    /// some reports await approval, a few drafts and returns, the rest still missing.
    pub fn open_reports(&self) -> Vec<OpenReport> {
        use crate::domain::ReportState;
        let Some(k) = self.stichtage.iter().position(|s| !s.closed) else { return Vec::new() };
        let mut rng = Rng::new(STREAM_REPORTS);
        let date = self.stichtage[k].report_date;
        let mut reports = Vec::new();
        for (pi, p) in self.projects.iter().enumerate() {
            // The showcase projects stay without a report: tests and the tour start from them.
            if pi < SHOWCASE_PROJECTS || matches!(p.phase, Phase::Abgeschlossen | Phase::Gestoppt) || p.start > date {
                continue;
            }
            let state = match rng.weighted(&[45, 20, 8, 5, 22]) {
                0 => ReportState::Freigegeben,
                1 => ReportState::Eingereicht,
                2 => ReportState::Entwurf,
                3 => ReportState::Zurueckgegeben,
                _ => continue,
            };
            let states: Vec<_> = p.milestones.iter().map(|m| (m, m.actual.unwrap_or(m.forecast), m.actual)).collect();
            let report = self.report_of(pi, p.ampel, p.ampel_reason.clone(), p.percent_done, &states);
            reports.push(OpenReport { report, state });
        }
        reports
    }
}
