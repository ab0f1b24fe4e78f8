//! The user's language. German is the default and the reference; English is second.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    /// Picks the text for this language. Both texts stand side by side at the call site, so a
    /// reader sees the German wording and its English counterpart in one place.
    pub fn t(self, de: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }

    /// Owned variant of [`Lang::t`] for texts built with `format!`.
    pub fn pick(self, de: String, en: String) -> String {
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// Unknown codes fall back to German, the reference language.
    pub fn from_code(code: &str) -> Lang {
        if code.trim().eq_ignore_ascii_case("en") { Lang::En } else { Lang::De }
    }
}

impl Lang {
    /// Reads the `lang` cookie from a `Cookie` request header.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == "lang")
            .map(|(_, value)| Lang::from_code(value))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_and_codes() {
        assert_eq!(Lang::from_cookie_header("a=1; lang=en; b=2"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=fr"), Lang::De);
        assert_eq!(Lang::from_cookie_header(""), Lang::De);
        assert_eq!(Lang::En.t("Ja", "Yes"), "Yes");
    }
}
