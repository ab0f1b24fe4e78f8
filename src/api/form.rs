//! Forms that work with and without JavaScript. With JavaScript an `ActionForm` posts in the
//! background and the page shows the result. Without it the browser posts a plain form; the
//! server answers with a redirect back to the page, carrying in the query string which form
//! was sent, its field errors and the values entered, so nothing typed is lost.

use serde::{Deserialize, Serialize};

use crate::domain::FieldError;
use crate::error::AppError;

/// What a plain form post hands back to the page it came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormEcho {
    /// Which form on the page, e.g. `status` or `m-17` (also the anchor to scroll to).
    pub form: String,
    pub saved: bool,
    pub errors: Vec<FieldError>,
    pub values: Vec<(String, String)>,
}

impl FormEcho {
    pub fn value(&self, field: &str) -> Option<&str> {
        self.values.iter().find(|(k, _)| k == field).map(|(_, v)| v.as_str())
    }

    pub fn errors_for<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a FieldError> + 'a {
        self.errors.iter().filter(move |e| e.field == field)
    }

    /// The query string a redirect carries: `?form=<json>`, percent-encoded.
    pub fn to_query(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        format!("form={}", percent_encode(&json))
    }

    /// Reads the echo from the `form` query parameter; anything malformed is ignored, since a
    /// hand-edited URL must never break the page.
    pub fn from_param(raw: &str) -> Option<FormEcho> {
        serde_json::from_str(raw).ok()
    }

    pub fn from_result<T>(form: &str, values: Vec<(String, String)>, result: &Result<T, AppError>) -> FormEcho {
        FormEcho {
            form: form.to_string(),
            saved: result.is_ok(),
            errors: result.as_ref().err().map(|e| e.field_errors().to_vec()).unwrap_or_default(),
            values: if result.is_ok() { Vec::new() } else { values },
        }
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), so the result is a valid
/// header value and query component.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ErrorCode;

    #[test]
    fn echo_survives_the_query_string() {
        let echo = FormEcho {
            form: "m-3".into(),
            saved: false,
            errors: vec![FieldError::new("forecast_date", ErrorCode::InvalidDate, "31.02.2025 & ü")],
            values: vec![("forecast_date".into(), "31.02.2025 & ü".into())],
        };
        let query = echo.to_query();
        assert!(query.chars().all(|c| c.is_ascii_graphic()));
        let raw = query.strip_prefix("form=").unwrap();
        let decoded = percent_decode(raw);
        assert_eq!(FormEcho::from_param(&decoded), Some(echo));
        assert_eq!(FormEcho::from_param("{kaputt"), None);
    }

    fn percent_decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }
}
