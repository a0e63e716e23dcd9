//! Digest → output strings through Tera 2 templates: the built-ins embedded
//! in the binary, overridden file by file (and extended) from a user folder.
//!
//! Loading follows zola and mdBook: user templates win by name, every
//! built-in stays reachable as `builtin/NAME` so a user file can
//! `{% extends "builtin/briefing.md.tera" %}`, and `.html.tera` / `.xml.tera`
//! templates are autoescaped (Tera's default suffixes never match `*.tera`).
//! Everything is parsed before any work starts, so a broken template fails
//! fast with its name, line and cause.

use std::path::{Path, PathBuf};

pub mod assets;
pub(crate) mod outputs;

use crate::error::{self, Origin, TemplateError};
use crate::model::{Digest, Outline};

/// Loaded templates: the Tera instance and the outputs to write.
pub struct Templates {
    tera: tera::Tera,
    /// Output templates (not `builtin/…`), with their origin, sorted by name.
    pub outputs: Vec<(String, Origin)>,
}

/// Tera's error with its whole chain (its `Display` alone may only say
/// "failed to render"), like [`error::chain`] but leaving out a cause whose
/// text the line already holds (Tera repeats its causes in its messages).
pub(crate) fn tera_detail(e: &tera::Error) -> String {
    let mut all = error::causes(e);
    let mut s = all.next().map(ToString::to_string).unwrap_or_default();
    for c in all {
        let c_s = c.to_string();
        if !s.contains(&c_s) {
            s.push_str(": ");
            s.push_str(&c_s);
        }
    }
    s
}

/// The `*.tera` files of a folder: (file name, text, path). Shared by the
/// output templates and the API prompts, which override the same way.
///
/// # Errors
/// An unreadable folder or file.
pub(crate) fn read_tera_dir(dir: &Path) -> Result<Vec<(String, String, PathBuf)>, TemplateError> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| TemplateError::Folder { path: dir.to_owned(), source: e })?;
    for entry in entries {
        let path =
            entry.map_err(|e| TemplateError::Folder { path: dir.to_owned(), source: e })?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if !name.ends_with(".tera") || !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| TemplateError::Read { path: path.clone(), source: e })?;
        out.push((name, text, path));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Loads the built-in templates and, when given, the user's folder
/// (`*.tera` files; a name equal to a built-in replaces it, a new name adds
/// an output; files starting with `_` are partials, not outputs).
///
/// # Errors
/// An unreadable folder or file, and any template that does not parse.
pub fn load(user_dir: Option<&Path>) -> Result<Templates, TemplateError> {
    let mut user = match user_dir {
        Some(dir) => read_tera_dir(dir)?,
        None => Vec::new(),
    };
    user.sort_by(|a, b| a.0.cmp(&b.0));
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html.tera", ".xml.tera", ".htm.tera"]);
    let mut all: Vec<(String, String)> = Vec::new();
    let mut outputs: Vec<(String, Origin)> = Vec::new();
    for (name, text) in outputs::builtin_templates() {
        all.push((format!("builtin/{name}"), text.to_owned()));
        if !user.iter().any(|(n, ..)| *n == name) {
            all.push((name.clone(), text.to_owned()));
            outputs.push((name, Origin::Builtin));
        }
    }
    for (name, text, path) in &user {
        all.push((name.clone(), text.clone()));
        if !name.starts_with('_') {
            outputs.push((name.clone(), Origin::User(path.clone())));
        }
    }
    outputs.sort_by(|a, b| a.0.cmp(&b.0));
    tera.add_raw_templates(all.iter().map(|(n, t)| (n.as_str(), t.as_str()))).map_err(|e| {
        TemplateError::Parse {
            origins: if user.is_empty() {
                "the built-in templates".to_owned()
            } else {
                user.iter()
                    .map(|(n, _, p)| format!("`{n}` ({})", p.display()))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            detail: tera_detail(&e),
        }
    })?;
    Ok(Templates { tera, outputs })
}

impl Templates {
    /// The output file name of template `name` (`briefing.md.tera` → `briefing.md`).
    pub fn output_name(name: &str) -> &str {
        name.strip_suffix(".tera").unwrap_or(name)
    }

    /// Renders template `name` with `digest` as the whole context.
    ///
    /// # Errors
    /// A failed render (e.g. an undefined variable in a user template).
    pub fn render(&self, name: &str, digest: &Digest) -> Result<String, TemplateError> {
        let origin = self
            .outputs
            .iter()
            .find(|(n, _)| n == name)
            .map_or(Origin::Builtin, |(_, o)| o.clone());
        let ctx = tera::Context::from_serialize(digest).map_err(|e| TemplateError::Render {
            name: name.to_owned(),
            origin: origin.clone(),
            detail: tera_detail(&e),
        })?;
        self.tera.render(name, &ctx).map_err(|e| TemplateError::Render {
            name: name.to_owned(),
            origin,
            detail: tera_detail(&e),
        })
    }

    /// The effective text of template `name` (the user's file or the built-in).
    pub fn source_of(&self, name: &str) -> Option<(String, Origin)> {
        let full = if name.ends_with(".tera") { name.to_owned() } else { format!("{name}.tera") };
        let (_, origin) = self.outputs.iter().find(|(n, _)| *n == full)?;
        match origin {
            Origin::Builtin => {
                crate::render::assets::builtin(&full).map(|t| (t.to_owned(), Origin::Builtin))
            }
            Origin::User(p) => std::fs::read_to_string(p).ok().map(|t| (t, origin.clone())),
        }
    }
}

/// One output file: its name in the item folder and its bytes.
pub type OutputFile = (String, Vec<u8>);

/// Which outputs an input gets: template outputs (built-in or the user's,
/// by template name) and the other registered outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Template names to render (`briefing.md.tera`).
    pub(crate) templates: Vec<String>,
    /// Other registered outputs, by file name (`digest.json`).
    pub(crate) others: Vec<&'static str>,
}

impl Selection {
    /// Every output: all loaded templates and every other registered output.
    pub fn all(templates: &Templates) -> Selection {
        Selection {
            templates: templates.outputs.iter().map(|(n, _)| n.clone()).collect(),
            others: outputs::outputs()
                .iter()
                .filter(|o| !matches!(o.make, outputs::Make::Template(_)))
                .map(|o| o.name)
                .collect(),
        }
    }

    /// The outputs `--only` names, checked against what exists before any
    /// work: a template output by file name, template name or first name
    /// part (`handout` = `handout.md` and `handout.html`); another output by
    /// file name, name less its extension, or group (`transcript`).
    ///
    /// # Errors
    /// An unknown name, with the list of known ones.
    pub fn only(only: &[String], templates: &Templates) -> Result<Selection, String> {
        let all = Selection::all(templates);
        if only.is_empty() {
            return Ok(all);
        }
        let registry = outputs::outputs();
        let mut sel = Selection { templates: Vec::new(), others: Vec::new() };
        for want in only {
            let want = want.trim();
            let others: Vec<&'static str> = all
                .others
                .iter()
                .copied()
                .filter(|name| {
                    let group = registry.iter().find(|o| o.name == *name).and_then(|o| o.group);
                    *name == want
                        || name.rsplit_once('.').map(|(stem, _)| stem) == Some(want)
                        || group == Some(want)
                })
                .collect();
            let hits: Vec<&String> = all
                .templates
                .iter()
                .filter(|n| {
                    let out = Templates::output_name(n);
                    out == want || *n == want || out.split('.').next() == Some(want)
                })
                .collect();
            if hits.is_empty() && others.is_empty() {
                let mut known: Vec<&str> =
                    all.templates.iter().map(|n| Templates::output_name(n)).collect();
                known.extend(all.others.iter().copied());
                return Err(format!(
                    "unknown output `{want}` in --only (known: {})",
                    known.join(", ")
                ));
            }
            sel.templates.extend(hits.into_iter().cloned());
            sel.others.extend(others);
        }
        sel.templates.sort();
        sel.templates.dedup();
        sel.others.sort_unstable();
        sel.others.dedup();
        Ok(sel)
    }
}

/// The files of `sel` for a speech's outline and digest, template outputs
/// first (by name), then the others in registry order. Pure.
///
/// # Errors
/// A template that fails to render, or JSON serialisation.
pub fn render_outputs(
    outline: &Outline,
    digest: &Digest,
    templates: &Templates,
    sel: &Selection,
) -> crate::error::Result<Vec<OutputFile>> {
    let mut files: Vec<OutputFile> = Vec::new();
    for name in &sel.templates {
        files.push((
            Templates::output_name(name).to_owned(),
            templates.render(name, digest)?.into_bytes(),
        ));
    }
    let inputs = outputs::Inputs { outline, digest, transcript: std::cell::OnceCell::new() };
    for out in outputs::outputs() {
        if !sel.others.contains(&out.name) {
            continue;
        }
        let bytes = match out.make {
            outputs::Make::Template(_) => continue,
            outputs::Make::Spoken(of) => {
                let template = format!("{of}.tera");
                if !templates.outputs.iter().any(|(n, _)| *n == template) {
                    continue;
                }
                let md = templates.render(&template, digest)?;
                let opts = crate::tts::TtsOptions::for_engine(
                    crate::tts::Engine::Generic,
                    digest.meta.lang,
                );
                crate::tts::spoken_markdown(&md, digest.meta.lang, &opts.normalize).into_bytes()
            }
            outputs::Make::Build(f) => f(&inputs)?,
        };
        files.push((out.name.to_owned(), bytes));
    }
    Ok(files)
}

/// The roll-up of a `watch` pass: the built-in `watch/rollup.md` template
/// over the digests written in the pass.
///
/// # Errors
/// A template error (a bug: the template is built in).
pub fn rollup(date: &str, digests: &[Digest]) -> Result<String, TemplateError> {
    #[derive(serde::Serialize)]
    struct Rollup<'a> {
        date: &'a str,
        items: &'a [Digest],
    }
    let name = "watch/rollup.md.tera";
    let fail = |e: tera::Error| TemplateError::Render {
        name: name.to_owned(),
        origin: Origin::Builtin,
        detail: tera_detail(&e),
    };
    let mut tera = tera::Tera::new();
    tera.add_raw_template(name, assets::ROLLUP).map_err(fail)?;
    let ctx = tera::Context::from_serialize(&Rollup { date, items: digests }).map_err(fail)?;
    tera.render(name, &ctx).map_err(fail)
}
