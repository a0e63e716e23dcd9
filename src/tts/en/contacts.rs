//! English contact details: phone numbers (`123-123-5678`,
//! `+1 (123)-123-5678`, read in digit groups), IP addresses, URLs and e-mail
//! addresses (`a@hotmail.de` → a at hotmail dot DE), and postal addresses
//! (house numbers before a street type, `1428 Elm St.`; state codes and zip
//! codes after `City, `).  Symbol readings, top-level domains, street types
//! and state names are data (`en_symbols.tsv`, `en_tlds.tsv`,
//! `en_streets.tsv`, `en_states.tsv`).
//!
//! Hand-written: no crate verbalises these for speech.

use super::numbers::{Num, cardinal, digits, ordinalize, year};
use super::{En, alpha_run, at, clen, data, dig, digit_run, starts, starts_ci, sub};

impl En<'_> {
    /// URLs, `www.` names, bare domains and e-mail addresses, spelled out.
    pub(super) fn electronic(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let mut e = i;
        while e < c.len() && !c[e].is_whitespace() && !"\"'()<>,;!?`".contains(c[e]) {
            e += 1;
        }
        // trailing dots are sentence punctuation
        while e > i && c[e - 1] == '.' {
            e -= 1;
        }
        let tok = sub(c, i, e);
        if !tok.is_ascii() {
            return None;
        }
        let lower = tok.to_ascii_lowercase();
        let scheme =
            ["http://", "https://", "file://", "ftp://"].iter().find(|s| lower.starts_with(*s));
        let email = tok.contains('@')
            && tok.split('@').count() == 2
            && tok.split('@').all(|p| p.chars().any(|x| x.is_ascii_alphanumeric()))
            && tok.rsplit('@').next().is_some_and(|d| d.contains('.'));
        let domain = {
            let host = tok.split('/').next().unwrap_or("");
            let labels: Vec<&str> = host.split('.').collect();
            labels.len() >= 2
                && labels.iter().all(|l| {
                    !l.is_empty() && l.chars().all(|x| x.is_ascii_alphanumeric() || x == '-')
                })
                && labels.first().is_some_and(|l| l.chars().any(|x| x.is_ascii_alphabetic()))
                && labels
                    .last()
                    .is_some_and(|l| data::EN_TLDS.contains(&l.to_ascii_lowercase().as_str()))
        };
        if scheme.is_none() && !email && !domain && !lower.starts_with("www.") {
            return None;
        }
        let mut words: Vec<String> = Vec::new();
        let mut k = 0usize;
        let tc: Vec<char> = tok.chars().collect();
        if let Some(s) = scheme {
            let name = &s[..s.len() - 3];
            words.push(if name == "file" { "file".into() } else { name.to_ascii_uppercase() });
            words.push("colon".into());
            k = clen(s);
            words.push("slash".into());
            words.push("slash".into());
            while at(&tc, k) == '/' {
                words.push("slash".into());
                k += 1;
            }
        }
        let at_pos = tc.iter().position(|&x| x == '@');
        // last label of the host
        let host_end = {
            let start = at_pos.map(|p| p + 1).unwrap_or(k);
            let mut h = start;
            while h < tc.len() && tc[h] != '/' {
                h += 1;
            }
            h
        };
        let tld_start =
            tc[..host_end].iter().rposition(|&x| x == '.').map(|p| p + 1).unwrap_or(usize::MAX);
        while k < tc.len() {
            let ch = tc[k];
            if ch.is_ascii_alphabetic() {
                let s = k;
                while k < tc.len() && tc[k].is_ascii_alphabetic() {
                    k += 1;
                }
                let w: String = tc[s..k].iter().collect();
                let lw = w.to_ascii_lowercase();
                let known = ["com", "org", "net", "edu", "gov"];
                let out = if s == tld_start
                    && !known.contains(&lw.as_str())
                    && (lw.len() == 2 || email)
                {
                    w.to_ascii_uppercase()
                } else if lw == "www" || lw == "html" || lw == "htm" {
                    lw.to_ascii_uppercase()
                } else if lw == "jpg" {
                    "jpeg".into()
                } else if s > host_end
                    && lw.len() == 2
                    && (scheme.is_some() || email || lower.starts_with("www."))
                {
                    w.to_ascii_uppercase()
                } else {
                    w
                };
                words.push(out);
            } else if ch.is_ascii_digit() {
                let s = k;
                while k < tc.len() && tc[k].is_ascii_digit() {
                    k += 1;
                }
                let d: String = tc[s..k].iter().collect();
                let round = d.len() >= 3 && d.len() <= 4 && d[1..].bytes().all(|b| b == b'0');
                words.push(if d.len() == 1 || round { cardinal(&d, false) } else { digits(&d) });
            } else {
                let mut buf = [0u8; 4];
                let sym: &str = ch.encode_utf8(&mut buf);
                let w = data::EN_SYMBOLS.iter().find(|r| r[0] == sym).map_or("", |r| r[1]);
                if !w.is_empty() {
                    words.push(w.into());
                }
                k += 1;
            }
        }
        let s = words.join(" ");
        self.word(&s);
        Some(e)
    }

    pub(super) fn phone(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let mut k = i;
        let mut groups: Vec<String> = Vec::new();
        let mut plus = None;
        if at(c, k) == '+' {
            let e = digit_run(c, k + 1);
            if e == k + 1 || e - k - 1 > 3 || !matches!(at(c, e), ' ' | '-' | '(') {
                return None;
            }
            plus = Some(sub(c, k + 1, e));
            k = if at(c, e) == '(' { e } else { e + 1 };
        }
        if at(c, k) == '(' {
            let e = digit_run(c, k + 1);
            if e - k - 1 != 3 || at(c, e) != ')' {
                return None;
            }
            groups.push(sub(c, k + 1, e));
            k = e + 1;
            if matches!(at(c, k), ' ' | '-') {
                k += 1;
            }
        }
        let sep_char = if groups.is_empty() { None } else { Some('-') };
        let mut sep: Option<char> = None;
        loop {
            let e = digit_run(c, k);
            if e == k {
                return None;
            }
            groups.push(sub(c, k, e));
            let nx = at(c, e);
            if (nx == '-' || nx == '.') && dig(at(c, e + 1)) && sep.is_none_or(|s| s == nx) {
                sep = Some(nx);
                k = e + 1;
            } else {
                k = e;
                break;
            }
        }
        let _ = sep_char;
        let lens: Vec<usize> = groups.iter().map(String::len).collect();
        let ok = match lens.as_slice() {
            [3, 3, 4, rest @ ..] => rest.len() <= 1,
            [3, 4] => plus.is_some() || i < k && at(c, i) == '(',
            [3, 2, 4] => sep == Some('-'),
            _ => false,
        };
        if !ok || at(c, k).is_ascii_alphanumeric() {
            return None;
        }
        let mut parts = Vec::new();
        if let Some(p) = plus {
            parts.push(format!("plus {}", digits(&p)));
        }
        for g in &groups {
            parts.push(digits(g));
        }
        self.word(&parts.join(", "));
        Some(k)
    }

    pub(super) fn ip(&mut self, i: usize) -> Option<usize> {
        let c = self.c;
        let mut k = i;
        let mut parts = Vec::new();
        for n in 0..4 {
            let e = digit_run(c, k);
            if e == k || e - k > 3 {
                return None;
            }
            parts.push(digits(&sub(c, k, e)));
            k = e;
            if n < 3 {
                if at(c, k) != '.' {
                    return None;
                }
                k += 1;
            }
        }
        if dig(at(c, k)) || (at(c, k) == '.' && dig(at(c, k + 1))) {
            return None;
        }
        self.word(&parts.join(" dot "));
        Some(k)
    }

    /// `..., FL, 95051`: a zip code follows a state code.
    pub(super) fn after_state(&self, i: usize) -> bool {
        let c = self.c;
        let mut k = i;
        while k > 0 && matches!(c[k - 1], ' ' | ',') {
            k -= 1;
        }
        k >= 2
            && k < i
            && data::EN_STATES.iter().any(|[a, _]| starts(c, k - 2, a))
            && !at(c, k.wrapping_sub(3)).is_ascii_alphabetic()
    }

    /// `1428 Elm St.`: a house number, up to four words and a street type.
    pub(super) fn address(&mut self, i: usize, n: &Num) -> Option<usize> {
        let c = self.c;
        if n.int.len() > 5 || at(c, n.end) != ' ' {
            return None;
        }
        let mut k = n.end + 1;
        let mut parts: Vec<String> = Vec::new();
        let dir = |s: &str| match s {
            "N" => Some("North"),
            "S" => Some("South"),
            "E" => Some("East"),
            "W" => Some("West"),
            _ => None,
        };
        let mut words = 0;
        loop {
            let e = if dig(at(c, k)) { digit_run(c, k) } else { alpha_run(c, k) };
            if e == k {
                return None;
            }
            let w = sub(c, k, e);
            let lw = w.to_ascii_lowercase();
            if words > 0
                && let Some([_, full]) = data::EN_STREETS.iter().find(|[a, _]| *a == lw)
            {
                if w.len() > 1 && w.chars().all(|x| x.is_ascii_uppercase()) {
                    return None;
                }
                let nx = at(c, e);
                if nx.is_ascii_alphanumeric() {
                    return None;
                }
                parts.push((*full).to_string());
                let mut end = e;
                if nx == '.' && (e + 1 >= c.len()) {
                    end = e + 1;
                }
                let _ = i;
                let house = house_number(&n.int);
                self.word(&house);
                self.out.push(' ');
                self.out.push_str(&parts.join(" "));
                return Some(end);
            }
            if words == 0
                && let Some(d) = dir(&w)
            {
                parts.push(d.into());
            } else if dig(at(c, k)) {
                let s = sub(c, k, e);
                let se = e + 2;
                if !["st", "nd", "rd", "th"].iter().any(|x| starts_ci(c, e, x)) {
                    return None;
                }
                parts.push(ordinalize(&cardinal(&s, false)));
                words += 1;
                k = se;
                if at(c, k) != ' ' {
                    return None;
                }
                k += 1;
                continue;
            } else if w.chars().next().is_some_and(|x| x.is_ascii_uppercase()) {
                parts.push(w);
                words += 1;
            } else {
                return None;
            }
            if parts.len() > 4 || at(c, e) != ' ' {
                return None;
            }
            k = e + 1;
        }
    }
}

/// House numbers: 1428 → fourteen twenty eight, 123 → one twenty three, 708 → seven zero eight.
fn house_number(d: &str) -> String {
    match d.len() {
        4 => year(d),
        3 => {
            let b = &d[1..];
            let head = digits(&d[..1]);
            if b.starts_with('0') {
                format!("{head} {}", digits(b))
            } else {
                format!("{head} {}", cardinal(b, false))
            }
        }
        _ => cardinal(d, false),
    }
}

#[cfg(test)]
mod tests {
    use crate::tts::en::tests::case;

    #[test]
    fn phones_ips() {
        for (i, e) in [
            ("123-123-5678", "one two three, one two three, five six seven eight"),
            ("+1 (123)-123-5678", "plus one, one two three, one two three, five six seven eight"),
            ("123.123.0.40", "one two three dot one two three dot zero dot four zero"),
        ] {
            case(i, e);
        }
    }

    #[test]
    fn addresses_electronic() {
        for (i, e) in [
            (
                "Nancy lived at 1428 Elm St. It was",
                "Nancy lived at fourteen twenty eight Elm Street. It was",
            ),
            ("Main St.", "Main St."),
            ("a@hotmail.de", "a at hotmail dot DE"),
            ("www.example.com", "WWW dot example dot com"),
            ("https://example.org/a-b", "HTTPS colon slash slash example dot org slash a dash b"),
        ] {
            case(i, e);
        }
    }
}
