//! The one redaction step: every secret the process holds, replaced by
//! `[redacted]` wherever text leaves the process.
//!
//! A server may repeat what it was sent (`Incorrect API key provided:
//! Bearer sk-…`, a 500 page dumping every request header, an answer quoting
//! the key), and a base URL may carry a credential (`https://u:p@host`,
//! `?api_key=…`). So redaction cannot rely on our own messages never naming a
//! secret: every exit point (the error `main` prints, log lines at every
//! verbosity, the `--json` report, the state's `last_error`, the model's
//! answers before they enter the digest, `provider.base_url` and the cache's
//! `endpoint` column) passes its text through [`Redactor::redact`].
//!
//! Two kinds of match:
//! - **Known values**: the API key, `extra_headers` values, the userinfo and
//!   secret-named query values of the base URL (raw and percent-decoded, and
//!   the `Basic` header reqwest makes of the userinfo). A value shorter than
//!   [`MIN_SECRET_LEN`] characters is *not* searched for as bare text: a key
//!   `test` would otherwise redact every `test` of a speech. Such a value is
//!   still caught where a credential sits, by the patterns below.
//! - **Patterns**, whatever the value: URL userinfo, query values whose name
//!   says secret (`key`, `api_key`, `token`, `sig`, …), `Authorization:` /
//!   `api-key:` header lines, `Bearer <token>` (8+ characters with a digit)
//!   and `sk-…` keys (16+ characters after `sk-`).
//!
//! The process-wide set ([`remember`], [`redact`]) exists because logging
//! starts before the settings are read: each chat provider adds its secrets
//! when it is connected, and the log writer and `main` read them.

use std::borrow::Cow;
use std::sync::{LazyLock, RwLock};

use regex::{Captures, Regex};

/// What a secret becomes.
pub(crate) const REDACTED: &str = "[redacted]";

/// Known values shorter than this are not searched for as bare text.
pub(crate) const MIN_SECRET_LEN: usize = 8;

/// The secrets one process (or one provider) must never let out, and the
/// step that removes them from a text. Its `Debug` shows only how many.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Redactor {
    /// Known values, longest first (a secret holding another goes whole).
    values: Vec<String>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} secrets)", self.values.len())
    }
}

impl Redactor {
    /// No known value (the patterns still apply).
    pub(crate) const fn new() -> Redactor {
        Redactor { values: Vec::new() }
    }

    /// Adds a secret value (and its percent-decoded form); one shorter than
    /// [`MIN_SECRET_LEN`] characters is left to the patterns.
    pub(crate) fn add(&mut self, value: &str) {
        let v = value.trim();
        let decoded = percent_decode(v);
        for v in [v, decoded.as_str()] {
            if v.chars().count() >= MIN_SECRET_LEN && !self.values.iter().any(|k| k == v) {
                self.values.push(v.to_owned());
            }
        }
        self.values.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    }

    /// Adds the secrets a URL carries: its userinfo (user and password, and
    /// the `Authorization: Basic` value made of them) and the values of its
    /// secret-named query parameters.
    pub(crate) fn add_url(&mut self, url: &str) {
        let Some((_, rest)) = url.split_once("://") else { return };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if let Some((userinfo, _host)) = rest[..end].rsplit_once('@') {
            let (user, pass) = match userinfo.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (userinfo, None),
            };
            self.add(user);
            if let Some(p) = pass {
                self.add(p);
            }
            // What reqwest sends for a URL with userinfo (RFC 7617).
            let basic = format!(
                "{}:{}",
                percent_decode(user),
                pass.map(percent_decode).unwrap_or_default()
            );
            self.add(&base64(basic.as_bytes()));
        }
        if let Some((_, query)) = rest.split_once('?') {
            let query = query.split('#').next().unwrap_or_default();
            for pair in query.split(['&', ';']) {
                if let Some((name, value)) = pair.split_once('=')
                    && is_secret_name(name)
                {
                    self.add(value);
                }
            }
        }
    }

    /// Adds every value of `other`.
    pub(crate) fn merge(&mut self, other: &Redactor) {
        for v in &other.values {
            self.add(v);
        }
    }

    /// `text` with every known value and every secret-looking pattern
    /// replaced by [`REDACTED`]. Idempotent; borrows when nothing matched.
    pub(crate) fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for v in &self.values {
            if out.contains(v.as_str()) {
                out = Cow::Owned(out.replace(v.as_str(), REDACTED));
            }
        }
        for (re, replace) in PATTERNS.iter() {
            if let Cow::Owned(s) = re.replace_all(&out, |c: &Captures<'_>| replace(c)) {
                out = Cow::Owned(s);
            }
        }
        out
    }
}

/// A query parameter's name that says its value is a secret: `key`,
/// `api_key`, `api-key`, `apikey`, `access_token`, `sig`, `client_secret`,
/// `X-Amz-Signature`, … (the last `-`/`_`/`.` part of the name decides).
fn is_secret_name(name: &str) -> bool {
    let n = percent_decode(name).to_ascii_lowercase();
    let last = n.rsplit(['-', '_', '.']).next().unwrap_or_default();
    SECRET_NAMES.contains(&last) || SECRET_NAMES.contains(&n.as_str())
}

const SECRET_NAMES: &[&str] = &[
    "key",
    "apikey",
    "token",
    "secret",
    "sig",
    "signature",
    "password",
    "passwd",
    "pwd",
    "auth",
    "credential",
    "credentials",
];

/// What a pattern's match becomes.
type Replace = fn(&Captures<'_>) -> String;

/// The patterns, in the order they apply, each with its replacement.
static PATTERNS: LazyLock<[(Regex, Replace); 5]> = LazyLock::new(|| {
    let re = |s: &str| Regex::new(s).expect("static regex");
    let names = SECRET_NAMES.join("|");
    [
        // `scheme://user:pass@` (an `@` before the first `/`, `?` or `#`).
        (re(r#"(?i)\b([a-z][a-z0-9+.\-]*://)[^/?#@\s"'<>]+@"#), |c| {
            format!("{}{REDACTED}@", &c[1])
        }),
        // `?api_key=…`, `&sig=…`, `&amp;token=…`.
        (re(&format!(r#"(?i)([?&;](?:[a-z0-9]+[_.\-])*(?:{names})=)[^&#\s"'<>]+"#)), |c| {
            format!("{}{REDACTED}", &c[1])
        }),
        // A header line of a dump (`authorization: Bearer …`, `"api-key": "…"`),
        // at the start of a line or after `{` / `,`.
        (
            re(
                r#"(?im)((?:^[ \t]*|[{,][ \t]*)["']?(?:proxy-)?(?:authorization|api-key|x-api-key|x-goog-api-key)["']?[ \t]*[:=][ \t]*["']?(?:(?:bearer|basic|token)[ \t]+)?)[^\s"',;]+"#,
            ),
            |c| format!("{}{REDACTED}", &c[1]),
        ),
        // `Bearer <token>`: 8 characters or more, with a digit (not "Bearer bonds").
        (re(r"\b(Bearer\s+)([A-Za-z0-9._~+/\-]+=*)"), |c| {
            if c[2].len() >= MIN_SECRET_LEN && c[2].bytes().any(|b| b.is_ascii_digit()) {
                format!("{}{REDACTED}", &c[1])
            } else {
                c[0].to_owned()
            }
        }),
        // An OpenAI-style key.
        (re(r"\bsk-[A-Za-z0-9_\-]{16,}"), |_| REDACTED.to_owned()),
    ]
});

/// `%XX` decoded (invalid sequences and non-UTF-8 results kept as they are).
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) =
                (b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// Standard base64 with padding (for the `Basic` value of a URL's userinfo).
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The secrets of every provider connected so far (see the module doc).
static KNOWN: RwLock<Redactor> = RwLock::new(Redactor::new());

/// Adds `r`'s secrets to the process-wide set read by [`redact`].
pub(crate) fn remember(r: &Redactor) {
    KNOWN.write().unwrap_or_else(std::sync::PoisonError::into_inner).merge(r);
}

/// `text` through the process-wide set: every secret of every connected
/// provider, and the patterns.
pub(crate) fn redact(text: &str) -> Cow<'_, str> {
    KNOWN.read().unwrap_or_else(std::sync::PoisonError::into_inner).redact(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-hostile-ECHO-0123456789abcdef";

    fn with(values: &[&str]) -> Redactor {
        let mut r = Redactor::new();
        for v in values {
            r.add(v);
        }
        r
    }

    #[test]
    fn known_values_go_everywhere_and_short_ones_only_in_context() {
        let r = with(&[KEY, "hdr-VALUE-42", "test"]);
        assert_eq!(
            r.redact(&format!("Incorrect API key provided: Bearer {KEY}.")),
            "Incorrect API key provided: Bearer [redacted]."
        );
        assert_eq!(r.redact("x-custom: hdr-VALUE-42\n"), "x-custom: [redacted]\n");
        // A 4-character key is not searched for as bare text ...
        assert_eq!(r.redact("a test of the test suite"), "a test of the test suite");
        // ... but it is where a credential sits.
        assert_eq!(r.redact("authorization: Bearer test"), "authorization: Bearer [redacted]");
        assert_eq!(r.redact("http://u:test@h/v1"), "http://[redacted]@h/v1");
        assert!(matches!(r.redact("nothing here"), Cow::Borrowed(_)));
        assert_eq!(format!("{r:?}"), "Redactor(2 secrets)", "never the values");
    }

    #[test]
    fn a_url_gives_its_userinfo_and_secret_query_values() {
        let mut r = Redactor::new();
        r.add_url("https://user:p%40ss-W0RD-xyz@h.example/v1?api-version=2024-10-21&api_key=QK-123456789&sig=abcdefgh12");
        for secret in ["p%40ss-W0RD-xyz", "p@ss-W0RD-xyz", "QK-123456789", "abcdefgh12"] {
            assert_eq!(r.redact(&format!("<{secret}>")), "<[redacted]>", "{secret}");
        }
        // The Basic header reqwest sends for the userinfo.
        let basic = base64(b"user:p@ss-W0RD-xyz");
        assert_eq!(r.redact(&format!("got {basic}")), "got [redacted]");
        assert!(r.redact("api-version=2024-10-21").contains("2024-10-21"), "not a secret");
    }

    #[test]
    fn patterns_catch_unknown_secrets() {
        let r = Redactor::new();
        let cases = [
            ("see https://bob:hunter2@host/v1 now", "see https://[redacted]@host/v1 now"),
            ("GET /v1?key=abc&api-version=1", "GET /v1?key=[redacted]&api-version=1"),
            ("/x?a=1&amp;access_token=zz9", "/x?a=1&amp;access_token=[redacted]"),
            ("?X-Amz-Signature=f00d", "?X-Amz-Signature=[redacted]"),
            ("authorization: bearer abc", "authorization: bearer [redacted]"),
            ("{\"api-key\": \"abc\"}", "{\"api-key\": \"[redacted]\"}"),
            ("Bearer eyJhbGciOi1234", "Bearer [redacted]"),
            ("key sk-proj-AbCdEfGhIjKlMnOp42 leaked", "key [redacted] leaked"),
        ];
        for (text, want) in cases {
            assert_eq!(r.redact(text), want, "{text}");
        }
    }

    #[test]
    fn ordinary_prose_is_left_alone() {
        let r = with(&[KEY]);
        for text in [
            "The bearer of bad news. Bearer bonds are out. Bearer responsibilities matter.",
            "A task-management risk-assessment framework; sk-learn is a library.",
            "Seek authorization from the council before 2025.",
            "Write to someone@example.org or see https://example.org/a?page=2&q=key",
            "去年全市共查处问题线索1200件，同比增长18%。",
        ] {
            assert_eq!(r.redact(text), text);
        }
    }

    #[test]
    fn redaction_is_idempotent_and_longest_first() {
        let r = with(&["abcdefgh", "abcdefgh-longer"]);
        let once = r.redact("abcdefgh-longer and abcdefgh;\nauthorization: Bearer zz").into_owned();
        assert_eq!(once, "[redacted] and [redacted];\nauthorization: Bearer [redacted]");
        assert_eq!(r.redact(&once), once);
    }

    #[test]
    fn base64_and_percent_decoding() {
        assert_eq!(base64(b"u:p"), "dTpw");
        assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(percent_decode("a%20b%zz%"), "a b%zz%");
    }
}
