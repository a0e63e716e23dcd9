//! `robots.txt` → may this agent fetch this path. Pure.
//!
//! Hand-written, the minimal reader of RFC 9309: the group of the longest
//! `User-agent` token our agent's name contains (else `*`), its `Allow` and
//! `Disallow` rules with `*` and a final `$`, the longest match winning and
//! `Allow` winning a tie. `texting_robots` does this and more but is not in
//! the build (it would add `nom`, `bstr` and `lazy_static` for these forty lines).

/// A group: its agents' names, its `(allow, pattern)` rules.
type Group = (Vec<String>, Vec<(bool, String)>);

/// The rules of one agent's group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rules {
    /// `(allow, pattern)`, in file order.
    rules: Vec<(bool, String)>,
}

impl Rules {
    /// The rules for `agent` (a product token such as `speechdigest`) in `text`.
    pub(crate) fn parse(text: &str, agent: &str) -> Rules {
        let agent = agent.to_ascii_lowercase();
        // (the group's agents, its rules)
        let mut groups: Vec<Group> = Vec::new();
        let mut open = false; // the last line was a User-agent line
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else { continue };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            match key.as_str() {
                "user-agent" => {
                    if !open || groups.is_empty() {
                        groups.push((Vec::new(), Vec::new()));
                    }
                    if let Some(g) = groups.last_mut() {
                        g.0.push(value.to_ascii_lowercase());
                    }
                    open = true;
                }
                "allow" | "disallow" => {
                    open = false;
                    if let Some(g) = groups.last_mut()
                        && !value.is_empty()
                    {
                        g.1.push((key == "allow", value.to_owned()));
                    }
                }
                _ => open = false,
            }
        }
        let score = |names: &[String]| {
            names
                .iter()
                .filter(|n| n.as_str() != "*" && agent.contains(n.as_str()))
                .map(String::len)
                .max()
        };
        let best = groups
            .iter()
            .filter_map(|(names, rules)| score(names).map(|s| (s, rules)))
            .max_by_key(|(s, _)| *s)
            .map(|(_, r)| r.clone())
            .or_else(|| {
                let star: Vec<(bool, String)> = groups
                    .iter()
                    .filter(|(names, _)| names.iter().any(|n| n == "*"))
                    .flat_map(|(_, r)| r.clone())
                    .collect();
                Some(star)
            });
        Rules { rules: best.unwrap_or_default() }
    }

    /// May `path` (with its query) be fetched.
    pub(crate) fn allowed(&self, path: &str) -> bool {
        let mut best: Option<(usize, bool)> = None;
        for (allow, pat) in &self.rules {
            if matches(pat, path) {
                let len = pat.len();
                if best.is_none_or(|(l, a)| len > l || (len == l && *allow && !a)) {
                    best = Some((len, *allow));
                }
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// A robots pattern against a path: a prefix, with `*` for any run and a final `$`.
fn matches(pat: &str, path: &str) -> bool {
    let (pat, anchored) = match pat.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pat, false),
    };
    let parts: Vec<&str> = pat.split('*').collect();
    let Some(mut rest) = path.strip_prefix(parts[0]) else { return false };
    let last = parts.len() - 1;
    if last == 0 {
        return !anchored || rest.is_empty();
    }
    for part in &parts[1..last] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    if anchored { rest.ends_with(parts[last]) } else { rest.contains(parts[last]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_longest_match() {
        let txt = "User-agent: *\nDisallow: /admin/\nDisallow: /*.pdf$\n\nUser-agent: badbot\nUser-agent: speechdigest\nDisallow: /private\nAllow: /private/ok\n";
        let ours = Rules::parse(txt, "speechdigest/0.1");
        assert!(!ours.allowed("/private/x.html"));
        assert!(ours.allowed("/private/ok/1.html"));
        assert!(ours.allowed("/admin/"));
        let other = Rules::parse(txt, "otherbot");
        assert!(!other.allowed("/admin/a"));
        assert!(!other.allowed("/files/a.pdf"));
        assert!(other.allowed("/files/a.pdf?x=1"));
        assert!(other.allowed("/ldjh/index.html"));
        assert!(Rules::parse("", "x").allowed("/"));
        assert!(!Rules::parse("User-agent: *\nDisallow: /", "x").allowed("/a"));
        assert!(Rules::parse("User-agent: *\nDisallow:", "x").allowed("/a"));
    }
}
