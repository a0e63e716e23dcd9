//! The output registry: every file an input can get is one [`Output`] entry,
//! declared in the module that makes it. `--only` names, the spoken twins,
//! the built-in templates (`templates init`, `templates list`) and what
//! `render` remakes are derived from [`outputs`]; the README's output table
//! and `--only` list and the integration tests' list of files are checked
//! against it (the tests in `render`).
//!
//! Adding an output is one new file in this folder holding
//! `pub(super) const OUTPUTS: &[Output]` and one line in the
//! `register_outputs!` call below (the pattern of aichat's `register_client!`).

use std::sync::LazyLock;

use crate::error::Result;
use crate::model::{Digest, Outline, Transcript};
use crate::tts::{self, TtsOptions};

/// What an output is rendered from.
pub(crate) struct Inputs<'a> {
    /// The speech's outline (the transcript reads it).
    pub(crate) outline: &'a Outline,
    /// The user's pronunciation lexicon (empty when none): `transcript.ssml` speaks it.
    pub(crate) lexicon: &'a crate::tts::lexicon::Lexicon,
    /// The digest: the whole template context.
    pub(crate) digest: &'a Digest,
    /// The transcript for a generic engine, made once for the outputs that want it.
    pub(crate) transcript: std::cell::OnceCell<Transcript>,
}

impl Inputs<'_> {
    /// The transcript (made on first use).
    pub(crate) fn transcript(&self) -> &Transcript {
        self.transcript.get_or_init(|| {
            let opts = TtsOptions::for_engine(tts::Engine::Generic, self.digest.meta.lang);
            tts::transcript(self.outline, &opts)
        })
    }
}

/// How an output is made.
#[derive(Clone, Copy)]
pub(crate) enum Make {
    /// A Tera template embedded in the binary (the text), rendered with the
    /// digest; the user's template folder may replace it. An output named
    /// `*.docx` is the `word/document.xml` of a Word document (`render::docx`).
    Template(&'static str),
    /// The spoken form of the template output named here: rendered, the
    /// Markdown stripped, numbers and symbols written out as words.
    Spoken(&'static str),
    /// Made by a function.
    Build(fn(&Inputs<'_>) -> Result<Vec<u8>>),
}

/// One output file.
#[derive(Clone, Copy)]
pub(crate) struct Output {
    /// The file name in the item's folder (`briefing.md`).
    pub(crate) name: &'static str,
    /// A name that selects it with others in `--only` (`transcript`).
    pub(crate) group: Option<&'static str>,
    /// How it is made.
    pub(crate) make: Make,
}

macro_rules! register_outputs {
    ($($module:ident),* $(,)?) => {
        $(mod $module;)*

        static OUTPUTS: LazyLock<Vec<Output>> = LazyLock::new(|| {
            let mut all = Vec::new();
            $(all.extend_from_slice($module::OUTPUTS);)*
            all
        });
    };
}

// Built-in templates first, then the other outputs in the order `--only` lists them.
register_outputs!(templates, digest_json, transcript, spoken);

/// Every registered output, in registry order.
pub(crate) fn outputs() -> &'static [Output] {
    &OUTPUTS
}

/// The built-in templates: (template file name, text), e.g. (`briefing.md.tera`, …).
pub(crate) fn builtin_templates() -> impl Iterator<Item = (String, &'static str)> {
    outputs().iter().filter_map(|o| match o.make {
        Make::Template(text) => Some((format!("{}.tera", o.name), text)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_spoken_twins_have_a_template() {
        let mut names: Vec<&str> = outputs().iter().map(|o| o.name).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "an output registered twice");
        for o in outputs() {
            if let Make::Spoken(of) = o.make {
                assert!(
                    outputs().iter().any(|t| t.name == of && matches!(t.make, Make::Template(_))),
                    "{} speaks `{of}`, which is not a built-in template",
                    o.name
                );
            }
        }
    }

    #[test]
    fn built_in_templates_match_the_templates_folder() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tera"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = builtin_templates().map(|(n, _)| n).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }
}
