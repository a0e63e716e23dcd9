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

use crate::assets::TEMPLATES;
use crate::digest::Digest;

/// Where a template comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary.
    Builtin,
    /// A user file.
    User(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Builtin => f.write_str("builtin"),
            Origin::User(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A template problem, with the template's name and origin.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The user's template folder could not be read.
    #[error("cannot read template folder `{}`", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A template could not be read.
    #[error("cannot read template `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Parsing failed (syntax, unknown filter, missing parent).
    #[error("template error in {origins}: {detail}")]
    Parse {
        /// The templates involved and where they come from.
        origins: String,
        /// Tera's report (it names the template, line and column).
        detail: String,
    },
    /// Rendering failed.
    #[error("cannot render template `{name}` ({origin}): {detail}")]
    Render {
        /// The template.
        name: String,
        /// Where it comes from.
        origin: Origin,
        /// Tera's report.
        detail: String,
    },
}

/// Loaded templates: the Tera instance and the outputs to write.
pub struct Templates {
    tera: tera::Tera,
    /// Output templates (not `builtin/…`), with their origin, sorted by name.
    pub outputs: Vec<(String, Origin)>,
}

/// Tera's error with its whole chain (its `Display` alone may only say
/// "failed to render").
pub(crate) fn tera_detail(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut cur = std::error::Error::source(e);
    while let Some(c) = cur {
        let c_s = c.to_string();
        if !s.contains(&c_s) {
            s.push_str(": ");
            s.push_str(&c_s);
        }
        cur = c.source();
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
    for (name, text) in TEMPLATES {
        all.push((format!("builtin/{name}"), (*text).to_owned()));
        if !user.iter().any(|(n, ..)| n == name) {
            all.push(((*name).to_owned(), (*text).to_owned()));
            outputs.push(((*name).to_owned(), Origin::Builtin));
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
                crate::assets::builtin(&full).map(|t| (t.to_owned(), Origin::Builtin))
            }
            Origin::User(p) => std::fs::read_to_string(p).ok().map(|t| (t, origin.clone())),
        }
    }
}
