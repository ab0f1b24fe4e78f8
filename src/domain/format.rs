//! Display formats: TT.MM.JJJJ and decimal comma in German, ISO dates and decimal point in
//! English. All user-visible numbers and dates go through here.

use chrono::{Datelike, NaiveDate};

use super::Lang;

pub fn fmt_date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::De => format!("{:02}.{:02}.{:04}", date.day(), date.month(), date.year()),
        Lang::En => date.format("%Y-%m-%d").to_string(),
    }
}

/// A moment in local time: 22.11.2026 14:05. The server's time zone where the server renders the
/// page, the browser's where the browser does (`chrono/wasmbind`); for a city's staff both are
/// the city's.
pub fn fmt_time(time: chrono::DateTime<chrono::Utc>, lang: Lang) -> String {
    let local = time.with_timezone(&chrono::Local);
    match lang {
        Lang::De => local.format("%d.%m.%Y %H:%M").to_string(),
        Lang::En => local.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// The name recorded for a change made in the browser by nobody signed in: Leitstand has no
/// sign-in of its own yet and takes the user from the city's proxy (`Remote-User`). It is
/// stored in German, as the records are; [`fmt_user`] shows it in the page's language.
pub const UNSIGNED_USER: &str = "Web-Oberfläche";

/// Who made a change, as a page shows it: a person's name as recorded, and the placeholder
/// for "nobody signed in" in the page's language.
pub fn fmt_user(name: &str, lang: Lang) -> String {
    match (name, lang) {
        (UNSIGNED_USER, Lang::En) => "web interface".to_string(),
        _ => name.to_string(),
    }
}

/// "von Jürgen Müller" / "by Jürgen Müller", and "über die Web-Oberfläche" / "via the web
/// interface" for nobody signed in, for sentences such as "Hochgeladen am … von …".
pub fn by_user(name: &str, lang: Lang) -> String {
    match (name, lang) {
        (UNSIGNED_USER, _) => lang.t("über die Web-Oberfläche", "via the web interface").to_string(),
        (_, Lang::De) => format!("von {name}"),
        (_, Lang::En) => format!("by {name}"),
    }
}

/// Names as they appear in messages about a file: »Projekte«, »Planende«. The same in both
/// languages, since the names are the file's own.
pub fn fmt_names<S: AsRef<str>>(names: &[S]) -> String {
    names.iter().map(|name| format!("»{}«", name.as_ref())).collect::<Vec<_>>().join(", ")
}

pub fn fmt_opt_date(date: Option<NaiveDate>, lang: Lang) -> String {
    date.map(|d| fmt_date(d, lang)).unwrap_or_else(|| "–".into())
}

/// Integer with thousands separators: 1.234.567 (de) or 1,234,567 (en).
pub fn fmt_int(value: i64, lang: Lang) -> String {
    let sep = match lang {
        Lang::De => '.',
        Lang::En => ',',
    };
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if value < 0 {
        out.insert(0, '-');
    }
    out
}

/// A change with its sign, as shifts in days are shown: "+14", "-3", "0".
pub fn fmt_signed(value: i64, lang: Lang) -> String {
    if value > 0 { format!("+{}", fmt_int(value, lang)) } else { fmt_int(value, lang) }
}

/// Decimal with a fixed number of places: 1.234,5 (de) or 1,234.5 (en).
pub fn fmt_decimal(value: f64, places: usize, lang: Lang) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    let scale = 10f64.powi(places as i32);
    let scaled = (value.abs() * scale).round() as i64;
    let int_part = scaled / scale as i64;
    let frac_part = scaled % scale as i64;
    let sign = if value < 0.0 && scaled != 0 { "-" } else { "" };
    let mut out = format!("{sign}{}", fmt_int(int_part, lang));
    if places > 0 {
        out.push(match lang {
            Lang::De => ',',
            Lang::En => '.',
        });
        out.push_str(&format!("{frac_part:0places$}"));
    }
    out
}

/// Percentage of `part` in `whole`, e.g. "62,5 %"; "–" when there is no whole.
pub fn fmt_share(part: i64, whole: i64, lang: Lang) -> String {
    if whole <= 0 {
        return "–".into();
    }
    format!("{} %", fmt_decimal(part as f64 * 100.0 / whole as f64, 1, lang))
}

/// Money from integer cents: "1.234,56 €" — the euro sign after the amount in both languages,
/// as the city's budget documents write it.
pub fn fmt_cents(cents: i64, lang: Lang) -> String {
    format!("{} €", fmt_decimal(cents as f64 / 100.0, 2, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_formats() {
        let d = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        assert_eq!(fmt_date(d, Lang::De), "31.12.2025");
        assert_eq!(fmt_date(d, Lang::En), "2025-12-31");
        assert_eq!(fmt_int(1_234_567, Lang::De), "1.234.567");
        assert_eq!(fmt_int(-1_000, Lang::En), "-1,000");
        assert_eq!(fmt_int(999, Lang::De), "999");
        assert_eq!(fmt_decimal(1234.5, 1, Lang::De), "1.234,5");
        assert_eq!(fmt_decimal(-0.04, 1, Lang::De), "0,0");
        assert_eq!(fmt_cents(123_456, Lang::De), "1.234,56 €");
        assert_eq!(fmt_share(1, 3, Lang::De), "33,3 %");
        assert_eq!(fmt_share(1, 0, Lang::De), "–");
        assert_eq!(fmt_names(&["Projekte", "Nutzung"]), "»Projekte«, »Nutzung«");
        assert_eq!(fmt_names::<&str>(&[]), "");
    }

    #[test]
    fn users_read_well_in_both_languages() {
        assert_eq!(fmt_user("Jürgen Müller", Lang::En), "Jürgen Müller");
        assert_eq!(fmt_user(UNSIGNED_USER, Lang::De), "Web-Oberfläche");
        assert_eq!(fmt_user(UNSIGNED_USER, Lang::En), "web interface");
        assert_eq!(by_user("Jürgen Müller", Lang::De), "von Jürgen Müller");
        assert_eq!(by_user("jmueller", Lang::En), "by jmueller");
        assert_eq!(by_user(UNSIGNED_USER, Lang::De), "über die Web-Oberfläche");
        assert_eq!(by_user(UNSIGNED_USER, Lang::En), "via the web interface");
    }
}
