//! The embedded defaults besides the output templates (those are in the
//! output registry, `outputs/templates.rs`): the API prompts
//! (`prompts/*.tera`) and the `watch` roll-up.

/// The roll-up newsletter of a `watch` pass (context: `date`, `items` — the digests).
pub(crate) const ROLLUP: &str = include_str!("../../templates/watch/rollup.md.tera");

/// Built-in prompts: (name, text). `section.*` summarises one section,
/// `reduce.*` writes the overview, newsletter lines and questions; `zh` or
/// `en` after the speech's language. The line `=== user ===` separates the
/// system message from the user message.
pub(crate) const PROMPTS: &[(&str, &str)] = &[
    ("section.zh.tera", include_str!("../../prompts/section.zh.tera")),
    ("section.en.tera", include_str!("../../prompts/section.en.tera")),
    ("reduce.zh.tera", include_str!("../../prompts/reduce.zh.tera")),
    ("reduce.en.tera", include_str!("../../prompts/reduce.en.tera")),
];

/// The built-in template called `name` (with or without `builtin/` and `.tera`).
pub(crate) fn builtin(name: &str) -> Option<&'static str> {
    let name = name.strip_prefix("builtin/").unwrap_or(name);
    super::outputs::builtin_templates()
        .find(|(n, _)| n == name || n.strip_suffix(".tera") == Some(name))
        .map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_match_the_prompts_folder() {
        let mut prompts: Vec<String> =
            std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
        prompts.sort();
        let mut embedded: Vec<String> = PROMPTS.iter().map(|(n, _)| (*n).to_owned()).collect();
        embedded.sort();
        assert_eq!(prompts, embedded);
        assert_eq!(
            builtin("briefing.md").map(str::len),
            builtin("builtin/briefing.md.tera").map(str::len)
        );
    }
}
