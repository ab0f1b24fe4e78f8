//! Generator of the demo city: a deterministic, realistic synthetic portfolio built from word
//! lists and a seeded PRNG. Pure code without IO; `db::demo` writes the result.

use chrono::{Datelike, Days, NaiveDate};

use crate::domain::{Ampel, Category, FunctionKind, Month, Phase, TargetMetric};

#[derive(Debug, PartialEq)]
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

#[derive(Debug, PartialEq)]
pub struct DemoDepartment {
    pub code: String,
    pub name: String,
}
#[derive(Debug, PartialEq)]
pub struct DemoPerson {
    pub name: String,
    pub email: String,
    pub phone: String,
}
#[derive(Debug, PartialEq)]
pub struct DemoFunction {
    pub title: String,
    pub kind: FunctionKind,
    pub department: Option<usize>,
    pub person: Option<usize>,
}
#[derive(Debug, PartialEq)]
pub struct DemoGoal {
    pub code: String,
    pub title: String,
    pub description: String,
}
#[derive(Debug, PartialEq)]
pub struct DemoHandlungsfeld {
    pub goal: usize,
    pub code: String,
    pub title: String,
}
#[derive(Debug, PartialEq)]
pub struct DemoStichtag {
    pub report_date: NaiveDate,
    pub closed: bool,
}
#[derive(Debug, PartialEq)]
pub struct DemoLebenslage {
    pub themenfeld: usize,
    pub name: String,
}
#[derive(Debug, PartialEq)]
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
#[derive(Debug, PartialEq)]
pub struct DemoUsage {
    pub month: Month,
    pub online: i64,
    pub total: i64,
}
#[derive(Debug, PartialEq)]
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
#[derive(Debug, PartialEq)]
pub struct DemoMilestone {
    pub title: String,
    pub is_key: bool,
    pub baseline: NaiveDate,
    pub forecast: NaiveDate,
    pub actual: Option<NaiveDate>,
    pub history: Vec<DemoForecast>,
}
#[derive(Debug, PartialEq)]
pub struct DemoForecast {
    pub stichtag: usize,
    pub forecast: NaiveDate,
    pub reached: bool,
    pub reason: String,
}
#[derive(Debug, PartialEq)]
pub struct DemoTarget {
    pub name: String,
    pub metric: TargetMetric,
    pub metric_param: Option<i64>,
    pub target_value: f64,
    pub deadline: NaiveDate,
}

/// SplitMix64: tiny, fast and stable across versions, so the same date gives the same city.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn range(&mut self, from: i64, to: i64) -> i64 {
        from + self.below((to - from + 1).max(1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const DEPARTMENTS: &[(&str, &str)] = &[
    ("FB 10", "Zentrale Dienste und Personal"),
    ("FB 11", "Informationstechnik und Digitalisierung"),
    ("FB 20", "Finanzen und Steuern"),
    ("FB 30", "Recht und Ordnung"),
    ("FB 32", "Bürgerservice und Standesamt"),
    ("FB 37", "Feuerwehr und Bevölkerungsschutz"),
    ("FB 40", "Schule und Bildung"),
    ("FB 41", "Kultur und Weiterbildung"),
    ("FB 50", "Soziales und Senioren"),
    ("FB 51", "Jugend und Familie"),
    ("FB 53", "Gesundheit"),
    ("FB 61", "Stadtplanung"),
    ("FB 63", "Bauaufsicht und Denkmalschutz"),
    ("FB 66", "Tiefbau und Verkehr"),
    ("FB 70", "Umwelt und Klimaschutz"),
];

const FIRST_NAMES: &[&str] = &[
    "Anna", "Jörg", "Sabine", "Thomas", "Katrin", "Michael", "Özlem", "Stefan", "Birgit", "Andreas", "Julia",
    "Frank", "Nicole", "Markus", "Claudia", "Jürgen", "Sandra", "Dirk", "Petra", "Christian", "Melanie", "Uwe",
    "Stefanie", "Ralf", "Yasemin", "Tobias", "Daniela", "Heike", "Sven", "Lena", "Björn", "Anja",
];
const LAST_NAMES: &[&str] = &[
    "Müller", "Schmitz", "Becker", "Hoffmann", "Schäfer", "Koch", "Weber", "Wagner", "Krüger", "Jansen",
    "Hermes", "Peters", "Schulte", "Kaya", "Lehmann", "Brandt", "Vogel", "Bäcker", "Heinen", "Dahmen",
    "Kleinschmidt", "Rütten", "Öztürk", "Wolters", "Görtz", "Thelen", "Lange", "Fuchs",
];

const GOALS: &[(&str, &str, &str)] = &[
    ("Z1", "Medienbruchfreie Verwaltung bis 2025", "Alle Verwaltungsleistungen sind online und ohne Medienbruch bearbeitbar."),
    ("Z2", "Antragsarme Verwaltung bis 2030", "Daten werden nur einmal erhoben (Once-Only); viele Leistungen kommen ohne Antrag aus."),
    ("Z3", "Digital kompetente Belegschaft", "Beschäftigte nutzen digitale Werkzeuge sicher und gestalten den Wandel mit."),
];
const FIELDS: &[(usize, &str, &str)] = &[
    (0, "HF 1.1", "Online-Services für Bürgerinnen und Bürger"),
    (0, "HF 1.2", "Elektronische Akte und Vorgangsbearbeitung"),
    (0, "HF 1.3", "E-Payment und E-Rechnung"),
    (1, "HF 2.1", "Once-Only und Registermodernisierung"),
    (1, "HF 2.2", "Proaktive Leistungen"),
    (2, "HF 3.1", "Qualifizierung und Change-Management"),
    (2, "HF 3.2", "Digitale Infrastruktur und Arbeitsplatz"),
];

/// Project title stems per category; combined with objects to give unique, plausible titles.
const OZG_OBJECTS: &[&str] = &[
    "Anwohnerparkausweis", "Gewerbeanmeldung", "Hundesteuer", "Wohngeld", "Führerscheinumtausch",
    "Kfz-Abmeldung", "Urkundenbestellung", "Sondernutzungserlaubnis", "Elterngeld-Beratung", "Kita-Platzvergabe",
    "Baumfällgenehmigung", "Schwerbehindertenausweis", "Meldebescheinigung", "Fundsachen", "Sperrmüllanmeldung",
    "Bewohnerparken", "Gaststättenerlaubnis", "Marktzulassung", "Veranstaltungsanzeige", "Schülerfahrkosten",
    "Bildung und Teilhabe", "Einbürgerungsantrag", "Aufenthaltstitel", "Wahlschein", "Führungszeugnis",
    "Hausnummernvergabe", "Grundsteuer-Erklärung", "Fischereischein", "Waffenbesitzkarte", "Bauvoranfrage",
    "Abwassergebühren", "Tagespflege-Erlaubnis", "Unterhaltsvorschuss", "Beistandschaft", "Hilfe zur Pflege",
];
const OZG_PREFIXES: &[&str] = &["Online-Antrag", "Digitaler Antrag", "Ende-zu-Ende-Digitalisierung", "Online-Dienst"];
const OTHER_TITLES: &[(Category, &str)] = &[
    (Category::EAkte, "eAkte-Einführung"),
    (Category::EAkte, "Scan-Strategie und Altaktendigitalisierung"),
    (Category::EAkte, "Digitaler Posteingang"),
    (Category::Prozess, "E-Rechnung Eingangsworkflow"),
    (Category::Prozess, "Prozessanalyse und Neugestaltung"),
    (Category::Prozess, "Digitale Gremienarbeit"),
    (Category::Prozess, "Terminmanagement online"),
    (Category::Infrastruktur, "Ausstattung mobiles Arbeiten"),
    (Category::Infrastruktur, "Fachverfahren-Migration"),
    (Category::Infrastruktur, "Schnittstelle zum Serviceportal"),
    (Category::Qualifizierung, "Schulungsreihe Digitale Kompetenz"),
    (Category::Qualifizierung, "Lotsen-Netzwerk und Sprechstunden"),
];
const SPECIAL_TITLES: &[(Category, &str)] = &[
    (Category::Ozg, "Digitaler Bauantrag"),
    (Category::Prozess, "Chatbot Bürgerservice"),
    (Category::Infrastruktur, "Bürgerkoffer mobiles Bürgerbüro"),
    (Category::Prozess, "E-Payment mit QR-Code, Kreditkarte und SEPA-Mandat"),
    (Category::EAkte, "Digitalisierung der Steuerakten (101.000 Akten)"),
    (Category::EAkte, "Digitalisierung der Grundsteuerakten (85.000 Akten)"),
];

const MILESTONE_TITLES: &[&str] = &[
    "Projektauftrag erteilt",
    "Ist-Analyse abgeschlossen",
    "Soll-Prozess abgestimmt",
    "Vergabe abgeschlossen",
    "Technische Umsetzung fertig",
    "Test und Abnahme",
    "Schulung der Beschäftigten",
    "Pilotbetrieb gestartet",
    "Produktivbetrieb",
];

const SLIP_REASONS: &[&str] = &[
    "Lieferverzug Fachverfahren",
    "Personalengpass im Fachbereich",
    "Abhängigkeit zu Landeslösung (EfA)",
    "Vergabeverfahren verlängert",
    "Abstimmung mit dem Personalrat läuft",
    "Datenschutz-Folgenabschätzung nachgefordert",
];
const EARLY_REASONS: &[&str] = &["Nachnutzung einer EfA-Lösung", "Zusätzliche Kapazität des Dienstleisters"];
const YELLOW_REASONS: &[&str] = &[
    "Meilenstein verschoben; Gegenmaßnahme mit dem Dienstleister vereinbart.",
    "Personalengpass im Fachbereich; Unterstützung durch die Stabsstelle angefragt.",
    "Schnittstelle verzögert sich; Übergangslösung in Prüfung.",
];
const RED_REASONS: &[&str] = &[
    "Zieltermin ohne Entscheidung des Verwaltungsvorstands nicht erreichbar.",
    "Haushaltsmittel fehlen; Eskalation an die Kämmerei.",
    "Landeslösung (EfA) nicht verfügbar; Entscheidung über Eigenentwicklung nötig.",
];

const THEMENFELDER: &[&str] = &[
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
const LEBENSLAGEN: &[&[&str]] = &[
    &["Arbeitslosigkeit", "Ruhestand", "Beschäftigung", "Berufsanerkennung"],
    &["Bauen", "Wohnen", "Umzug", "Immobilien"],
    &["Schule", "Studium", "Weiterbildung", "Ausbildungsförderung"],
    &["Einreise", "Aufenthalt", "Einbürgerung", "Integration"],
    &["Ehrenamt", "Jagd und Fischerei", "Vereine", "Waffen"],
    &["Geburt", "Kinderbetreuung", "Ehe und Partnerschaft", "Unterhalt", "Pflegefamilie"],
    &["Forschungsförderung", "Wirtschaftsförderung", "Kulturförderung"],
    &["Pflege", "Behinderung", "Infektionsschutz", "Gesundheitsberufe"],
    &["Kfz", "Führerschein", "Parken", "Reisen", "ÖPNV"],
    &["Meldewesen", "Ausweise und Dokumente", "Wahlen", "Urkunden"],
    &["Sicherheit und Ordnung", "Fundsachen", "Veranstaltungen", "Justiz"],
    &["Kommunale Steuern", "Gebühren", "Grundsteuer"],
    &["Abfall", "Wasser", "Natur und Baumschutz", "Immissionsschutz"],
    &["Gründung", "Gewerbe", "Gastronomie", "Handwerk und Märkte"],
];
const SERVICE_OBJECTS: &[&str] = &[
    "Anwohnerparkausweis", "Hundesteuer", "Gewerbe", "Führerschein", "Fahrzeug", "Meldebescheinigung",
    "Personalausweis", "Reisepass", "Geburtsurkunde", "Eheurkunde", "Sterbeurkunde", "Wohngeld", "Kita-Platz",
    "Elterngeld", "Unterhaltsvorschuss", "Baugenehmigung", "Bauvorbescheid", "Abbruchgenehmigung",
    "Baumfällung", "Sperrmüll", "Biotonne", "Sondernutzung", "Veranstaltung", "Gaststättenerlaubnis",
    "Marktstand", "Fundsache", "Wahlschein", "Führungszeugnis", "Aufenthaltstitel", "Einbürgerung",
    "Fischereischein", "Waffenschein", "Grundsteuer", "Zweitwohnungsteuer", "Vergnügungssteuer",
    "Schwerbehindertenausweis", "Pflegewohngeld", "Schülerbeförderung", "Bildungspaket", "Hausnummer",
    "Sondernutzung Gehweg", "Halteverbotszone", "Umzugsmeldung", "Tagespflegeerlaubnis", "Spielgerät",
    "Feuerwerk", "Lärmschutz", "Kanalanschluss",
];
const SERVICE_VERBS: &[&str] =
    &["beantragen", "verlängern", "ändern", "abmelden", "anmelden", "Auskunft", "Ersatz beantragen", "Bescheinigung anfordern", "Widerspruch einlegen", "Kosten erstatten lassen", "Anzeige"];

pub fn generate(today: NaiveDate) -> DemoCity {
    let seed = u64::from(today.num_days_from_ce().unsigned_abs());
    let mut rng = Rng(0x4C45_4954 ^ seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let departments: Vec<DemoDepartment> =
        DEPARTMENTS.iter().map(|(code, name)| DemoDepartment { code: (*code).into(), name: (*name).into() }).collect();
    let (people, functions) = people_and_functions(&mut rng, departments.len());
    let goals = GOALS
        .iter()
        .map(|(code, title, description)| DemoGoal { code: (*code).into(), title: (*title).into(), description: (*description).into() })
        .collect();
    let handlungsfelder = FIELDS
        .iter()
        .map(|(goal, code, title)| DemoHandlungsfeld { goal: *goal, code: (*code).into(), title: (*title).into() })
        .collect();
    let stichtage = stichtage(today);
    let themenfelder: Vec<String> = THEMENFELDER.iter().map(|t| (*t).to_string()).collect();
    let lebenslagen: Vec<DemoLebenslage> = LEBENSLAGEN
        .iter()
        .enumerate()
        .flat_map(|(t, names)| names.iter().map(move |n| DemoLebenslage { themenfeld: t, name: (*n).into() }))
        .collect();
    let services = services(&mut rng, today, &lebenslagen);
    let projects = projects(&mut rng, today, &departments, &functions, &stichtage, services.len());
    let targets = vec![
        DemoTarget {
            name: "Alle OZG-Leistungen ab Reifegrad 3".into(),
            metric: TargetMetric::ReifegradShare,
            metric_param: Some(3),
            target_value: 100.0,
            deadline: ymd(2025, 12, 31),
        },
        DemoTarget {
            name: "eAkte in allen Fachbereichen".into(),
            metric: TargetMetric::EAkteDepartments,
            metric_param: None,
            target_value: departments.len() as f64,
            deadline: ymd(2025, 12, 31),
        },
        DemoTarget {
            name: "Nutzungsquote mindestens 60 %".into(),
            metric: TargetMetric::UsageRate,
            metric_param: None,
            target_value: 60.0,
            deadline: ymd(2026, 12, 31),
        },
    ];
    DemoCity { departments, people, functions, goals, handlungsfelder, stichtage, themenfelder, lebenslagen, services, projects, targets }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        date.checked_add_days(Days::new(days as u64)).unwrap_or(date)
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs())).unwrap_or(date)
    }
}

fn ascii(text: &str) -> String {
    text.to_lowercase()
        .replace('ä', "ae")
        .replace('ö', "oe")
        .replace('ü', "ue")
        .replace('ß', "ss")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Two or three Lotsen per department (a few vacant), a sponsor per department, the staff unit.
fn people_and_functions(rng: &mut Rng, departments: usize) -> (Vec<DemoPerson>, Vec<DemoFunction>) {
    let mut people = Vec::new();
    let mut functions = Vec::new();
    let mut new_person = |rng: &mut Rng| {
        let first = rng.pick(FIRST_NAMES);
        let last = rng.pick(LAST_NAMES);
        let n = people.len();
        people.push(DemoPerson {
            name: format!("{first} {last}"),
            email: format!("{}.{}{}@stadt.example", ascii(first), ascii(last), if n > 40 { n.to_string() } else { String::new() }),
            phone: format!("+49 2151 86-{}", 1000 + n * 7),
        });
        n
    };
    for d in 0..departments {
        let code = DEPARTMENTS[d].0;
        let lotsen = if d % 3 == 0 { 3 } else { 2 };
        for i in 0..lotsen {
            let person = if rng.chance(12) { None } else { Some(new_person(rng)) };
            let title = if i == 0 { format!("Lotse {code}") } else { format!("Lotse {code} ({})", i + 1) };
            functions.push(DemoFunction { title, kind: FunctionKind::Lotse, department: Some(d), person });
        }
        let person = Some(new_person(rng));
        functions.push(DemoFunction { title: format!("Fachbereichsleitung {code}"), kind: FunctionKind::Sponsor, department: Some(d), person });
    }
    let person = Some(new_person(rng));
    functions.push(DemoFunction { title: "Leitung Stabsstelle Digitalisierung".into(), kind: FunctionKind::Stabsstelle, department: None, person });
    (people, functions)
}

/// Twelve monthly reporting dates on the 1st; the latest, in the current month, is open.
fn stichtage(today: NaiveDate) -> Vec<DemoStichtag> {
    let current = Month::of(today);
    (0..12)
        .rev()
        .map(|back| DemoStichtag { report_date: current.plus(-back).first_day(), closed: back != 0 })
        .collect()
}

fn services(rng: &mut Rng, today: NaiveDate, lebenslagen: &[DemoLebenslage]) -> Vec<DemoService> {
    let mut services = Vec::new();
    let this_month = Month::of(today);
    for i in 0..520usize {
        let object = SERVICE_OBJECTS[i % SERVICE_OBJECTS.len()];
        let verb = SERVICE_VERBS[(i / SERVICE_OBJECTS.len()) % SERVICE_VERBS.len()];
        let name = format!("{object} – {verb}");
        let lebenslage = (i * 7 + 3) % lebenslagen.len();
        let reifegrad = match rng.below(100) {
            0..=7 => 0,
            8..=19 => 1,
            20..=49 => 2,
            50..=84 => 3,
            _ => 4,
        };
        let online_since = (reifegrad >= 2).then(|| add_days(today, -rng.range(60, 1400)));
        let leika_key = (!rng.chance(5)).then(|| format!("99{:03}{:03}{:06}", 10 + i / 40, i % 1000, 100_000 + i));
        let mut usage = Vec::new();
        if let Some(since) = online_since {
            let volume = *rng.pick(&[10, 40, 120, 400, 1200, 5000]) as f64;
            let final_rate = 0.35 + rng.below(50) as f64 / 100.0;
            for back in (1..=24).rev() {
                let month = this_month.plus(-back);
                if month < Month::of(since) {
                    continue;
                }
                let progress = (25 - back) as f64 / 24.0;
                let rate = (final_rate * (0.45 + 0.55 * progress)).min(0.97);
                let total = ((volume * (0.8 + rng.below(40) as f64 / 100.0)).round() as i64).max(1);
                let online = ((total as f64) * rate).round() as i64;
                usage.push(DemoUsage { month, online: online.min(total), total });
            }
        }
        services.push(DemoService {
            ozg_id: format!("{}", 10000 + (i * 11) % 575),
            leika_key,
            url: online_since.map(|_| format!("https://service.stadt.example/leistungen/{}-{i}", ascii(object))),
            name,
            themenfeld: lebenslagen[lebenslage].themenfeld,
            lebenslage: Some(lebenslage),
            reifegrad,
            online_since,
            epayment: reifegrad >= 3 && rng.chance(70),
            usage,
        });
    }
    services
}

/// How a milestone's forecasts move from Stichtag to Stichtag.
#[derive(Clone, Copy, PartialEq)]
enum Trend {
    Flat,
    Slipping,
    Early,
    ZigZag,
}

fn projects(
    rng: &mut Rng,
    today: NaiveDate,
    departments: &[DemoDepartment],
    functions: &[DemoFunction],
    stichtage: &[DemoStichtag],
    service_count: usize,
) -> Vec<DemoProject> {
    let mut projects = Vec::new();
    for i in 0..360usize {
        let department = (i * 5 + i / 15) % departments.len();
        let (category, title) = project_title(i, departments);
        let lotsen: Vec<usize> = functions
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == FunctionKind::Lotse && f.department == Some(department))
            .map(|(n, _)| n)
            .collect();
        let lotse = if rng.chance(4) { None } else { Some(*rng.pick(&lotsen)) };
        let sponsor = functions.iter().position(|f| f.kind == FunctionKind::Sponsor && f.department == Some(department));
        let start = add_days(today, -rng.range(-120, 1300));
        let duration = rng.range(240, 1100);
        let planned_end = add_days(start, duration);
        let trend_roll = rng.below(100);
        let project_trend = match trend_roll {
            0..=54 => Trend::Flat,
            55..=79 => Trend::Slipping,
            80..=89 => Trend::Early,
            _ => Trend::ZigZag,
        };
        let stopped = rng.chance(2);
        let count = 6 + rng.below(4) as usize;
        let milestones: Vec<DemoMilestone> = (0..count)
            .map(|m| {
                let baseline = add_days(start, duration * (m as i64 + 1) / count as i64);
                let trend = if rng.chance(70) { project_trend } else { Trend::Flat };
                milestone(rng, today, start, baseline, trend, MILESTONE_TITLES[m.min(MILESTONE_TITLES.len() - 1)], m, stichtage, stopped)
            })
            .collect();
        let reached = milestones.iter().filter(|m| m.actual.is_some()).count();
        let phase = if stopped {
            Phase::Gestoppt
        } else if reached == count {
            Phase::Abgeschlossen
        } else if start > today {
            if rng.chance(50) { Phase::Idee } else { Phase::Planung }
        } else {
            match reached * 4 / count {
                0 => Phase::Planung,
                1 | 2 => Phase::Umsetzung,
                _ => Phase::Einfuehrung,
            }
        };
        let percent_done = ((reached * 100 / count) as u8).max(if start <= today { 5 } else { 0 }).min(100);
        let slipping = milestones.iter().any(|m| m.actual.is_none() && m.forecast > add_days(m.baseline, 45));
        let ampel = if phase == Phase::Abgeschlossen {
            Ampel::Gruen
        } else {
            let roll = rng.below(100);
            match (slipping, roll) {
                (true, 0..=39) | (false, 0..=5) => Ampel::Rot,
                (true, 40..=89) | (false, 6..=20) => Ampel::Gelb,
                _ => Ampel::Gruen,
            }
        };
        let ampel_reason = match ampel {
            Ampel::Gruen => String::new(),
            Ampel::Gelb => (*rng.pick(YELLOW_REASONS)).to_string(),
            Ampel::Rot => (*rng.pick(RED_REASONS)).to_string(),
        };
        let services = if category == Category::Ozg {
            let n = 1 + rng.below(3) as usize;
            let first = rng.below(service_count as u64) as usize;
            (0..n).map(|k| (first + k * 37) % service_count).collect()
        } else {
            Vec::new()
        };
        projects.push(DemoProject {
            key: format!("DIG-{:04}", i + 1),
            description: format!(
                "{title}: Der Fachbereich {} digitalisiert den Vorgang von der Antragstellung bis zur Ablage, abgestimmt mit der Stabsstelle Digitalisierung.",
                departments[department].code
            ),
            benefit: match category {
                Category::Ozg => "Bürgerinnen und Bürger erledigen das Anliegen online, ohne Behördengang; die Sachbearbeitung erhält strukturierte Daten.".into(),
                Category::EAkte => "Akten sind jederzeit und ortsunabhängig verfügbar; Papierablage und Suchzeiten entfallen.".into(),
                Category::Qualifizierung => "Beschäftigte nutzen die neuen Werkzeuge sicher; die Akzeptanz der Digitalisierung steigt.".into(),
                _ => "Durchlaufzeiten sinken, Medienbrüche entfallen, und Daten müssen nur einmal erfasst werden.".into(),
            },
            title,
            department,
            lotse,
            sponsor,
            handlungsfeld: Some(match category {
                Category::Ozg => if i % 4 == 0 { 3 } else { 0 },
                Category::EAkte => 1,
                Category::Prozess => if i % 3 == 0 { 2 } else { 4 },
                Category::Infrastruktur => 6,
                Category::Qualifizierung => 5,
            }),
            category,
            phase,
            start,
            planned_end,
            percent_done,
            budget_cents: rng.chance(70).then(|| rng.range(15_000, 2_500_000) * 100),
            ampel,
            ampel_reason,
            milestones,
            services,
        });
    }
    projects
}

fn project_title(i: usize, departments: &[DemoDepartment]) -> (Category, String) {
    if i < SPECIAL_TITLES.len() {
        let (category, title) = SPECIAL_TITLES[i];
        return (category, title.to_string());
    }
    if i % 2 == 0 {
        let object = OZG_OBJECTS[(i / 2) % OZG_OBJECTS.len()];
        let prefix = OZG_PREFIXES[(i / 2 / OZG_OBJECTS.len()) % OZG_PREFIXES.len()];
        (Category::Ozg, format!("{prefix} {object}"))
    } else {
        let (category, stem) = OTHER_TITLES[(i / 2) % OTHER_TITLES.len()];
        let department = &departments[(i / 2 / OTHER_TITLES.len() + i) % departments.len()];
        (category, format!("{stem} {} {}", department.code, department.name))
    }
}

/// One milestone and its forecast history over the Stichtage. Invariants: forecasts of an open
/// milestone lie on or after the Stichtag that recorded them; an actual date lies before today
/// and only Stichtage on or after it record the milestone as reached.
#[allow(clippy::too_many_arguments)]
fn milestone(
    rng: &mut Rng,
    today: NaiveDate,
    start: NaiveDate,
    baseline: NaiveDate,
    trend: Trend,
    title: &str,
    position: usize,
    stichtage: &[DemoStichtag],
    stopped: bool,
) -> DemoMilestone {
    let mut forecast = baseline;
    let mut history = Vec::new();
    let mut actual = None;
    for (s, stichtag) in stichtage.iter().enumerate() {
        let date = stichtag.report_date;
        if date < start {
            continue;
        }
        let mut reason = String::new();
        if !history.is_empty() {
            let step = match trend {
                Trend::Flat => 0,
                Trend::Slipping if rng.chance(45) => rng.range(14, 56),
                Trend::Early if rng.chance(30) => -rng.range(7, 21),
                Trend::ZigZag if rng.chance(60) => if rng.chance(50) { rng.range(14, 42) } else { -rng.range(14, 35) },
                _ => 0,
            };
            if step != 0 {
                forecast = add_days(forecast, step).max(start);
                reason = if step > 0 { (*rng.pick(SLIP_REASONS)).to_string() } else { (*rng.pick(EARLY_REASONS)).to_string() };
            }
        }
        // A forecast that has come due is reached at the Stichtag, unless the project is stopped.
        if forecast < date && !stopped {
            let reached_on = forecast.max(start);
            actual = Some(reached_on);
            history.push(DemoForecast { stichtag: s, forecast: reached_on, reached: true, reason });
            break;
        }
        // Open milestones never show a forecast before the Stichtag that recorded them.
        forecast = forecast.max(date);
        history.push(DemoForecast { stichtag: s, forecast, reached: false, reason });
    }
    // Between the last Stichtag and today: reached if due, except ~3 % left overdue on purpose.
    if actual.is_none() && forecast < today && !stopped && !rng.chance(3) {
        actual = Some(forecast.max(start));
    }
    DemoMilestone {
        title: title.to_string(),
        is_key: position == 0 || title == "Produktivbetrieb",
        baseline,
        forecast: actual.unwrap_or(forecast),
        actual,
        history,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn check(today: NaiveDate) {
        let city = generate(today);
        assert!(city.projects.len() >= 350);
        assert!(city.departments.len() >= 12);
        assert!(city.handlungsfelder.len() >= 6);
        assert!(city.functions.iter().filter(|f| f.kind == FunctionKind::Lotse).count() >= 30);
        assert!(city.functions.iter().any(|f| f.kind == FunctionKind::Lotse && f.person.is_none()));
        assert!(city.stichtage.len() >= 8);
        assert!(city.stichtage.iter().all(|s| s.report_date <= today));
        assert_eq!(city.stichtage.iter().filter(|s| !s.closed).count(), 1);
        assert!(city.services.len() >= 500);
        assert_eq!(city.themenfelder.len(), 14);
        assert_eq!(city.targets.len(), 3);
        let milestones: Vec<&DemoMilestone> = city.projects.iter().flat_map(|p| &p.milestones).collect();
        assert!(milestones.len() >= 2500);
        let reached = milestones.iter().filter(|m| m.actual.is_some()).count();
        assert!(reached * 100 / milestones.len() >= 25, "many milestones reached");
        let keys: HashSet<_> = city.projects.iter().map(|p| &p.key).collect();
        assert_eq!(keys.len(), city.projects.len());
        let titles: HashSet<_> = city.functions.iter().map(|f| &f.title).collect();
        assert_eq!(titles.len(), city.functions.len());
        let leika: Vec<_> = city.services.iter().filter_map(|s| s.leika_key.as_ref()).collect();
        assert_eq!(leika.iter().collect::<HashSet<_>>().len(), leika.len());
        assert!(leika.iter().all(|k| k.len() == 14 && k.starts_with("99")));
        assert!(leika.len() < city.services.len(), "some services lack a LeiKa key");
        for p in &city.projects {
            assert!(p.start <= p.planned_end);
            assert_eq!(p.ampel == Ampel::Gruen, p.ampel_reason.is_empty(), "{}", p.key);
            assert!(p.percent_done <= 100);
            for m in &p.milestones {
                assert!(m.baseline >= p.start && m.forecast >= p.start);
                if let Some(actual) = m.actual {
                    assert!(actual <= today && actual >= p.start, "{} reached in the future", p.key);
                    assert_eq!(m.forecast, actual);
                }
                for h in &m.history {
                    let date = city.stichtage[h.stichtag].report_date;
                    assert!(date >= p.start);
                    if h.reached {
                        assert_eq!(Some(h.forecast), m.actual);
                        assert!(h.forecast <= date);
                    } else {
                        assert!(h.forecast >= date, "{}: open forecast before its Stichtag", p.key);
                    }
                }
            }
        }
        for s in &city.services {
            assert_eq!(s.online_since.is_some(), s.reifegrad >= 2);
            assert!(s.usage.iter().all(|u| u.online <= u.total && u.total > 0));
            if s.reifegrad >= 2 {
                assert!(!s.usage.is_empty() || s.online_since.is_some_and(|d| Month::of(d) >= Month::of(today).plus(-1)));
            }
        }
        let red = city.projects.iter().filter(|p| p.ampel == Ampel::Rot).count();
        let yellow = city.projects.iter().filter(|p| p.ampel == Ampel::Gelb).count();
        assert!(red > 10 && yellow > 30 && red < yellow);
    }

    #[test]
    fn demo_city_meets_the_brief() {
        check(ymd(2026, 11, 22));
        check(ymd(2025, 3, 15));
    }

    #[test]
    fn same_date_same_city() {
        assert_eq!(generate(ymd(2026, 11, 22)), generate(ymd(2026, 11, 22)));
        assert_ne!(generate(ymd(2026, 11, 22)).projects[10], generate(ymd(2026, 10, 22)).projects[10]);
    }
}
