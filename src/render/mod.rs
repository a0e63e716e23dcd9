//! Digest → output strings through Tera 2 templates: the built-ins embedded
//! in the binary, overridden file by file (and extended) from a user folder.
//!
//! Loading follows zola and mdBook: user templates win by name, every
//! built-in stays reachable as `builtin/NAME` so a user file can
//! `{% extends "builtin/briefing.md.tera" %}`, and `.html.tera` / `.xml.tera` /
//! `.docx.tera` templates are autoescaped (Tera's default suffixes never
//! match `*.tera`; its escaping of `&`, `<`, `>`, `"` and `'` as `&amp;`,
//! `&lt;`, `&gt;`, `&quot;`, `&#39;` is valid XML). A template whose output
//! name ends in `.docx` renders `word/document.xml`, packed by [`docx`].
//! Everything is parsed before any work starts, so a broken template fails
//! fast with its name, line and cause.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub(crate) mod assets;
pub(crate) mod docx;
pub(crate) mod outputs;
pub(crate) mod podcast;

use crate::error::{self, Origin, TemplateError};
use crate::model::{Digest, Outline};

/// Loaded templates: the Tera instance and the outputs to write.
pub(crate) struct Templates {
    tera: Arc<tera::Tera>,
    /// Output templates (not `builtin/…`), with their origin, sorted by name.
    pub outputs: Vec<(String, Origin)>,
    /// The bounds every render is held to.
    limits: RenderLimits,
    /// The styles of `--reference-docx`, for the `.docx` outputs.
    reference: Option<Arc<docx::ReferenceStyles>>,
}

/// Bounds on one render: a user template is code (a `for` in a `for` over
/// `range` makes gigabytes), so its output is capped while it is written and
/// the render runs on a worker thread that the caller stops waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RenderLimits {
    /// Largest output of one template, in bytes.
    pub max_output_bytes: usize,
    /// Longest one render may take.
    pub timeout: Duration,
}

impl RenderLimits {
    /// The default cap on one rendered output: 20 MiB (`--max-output-mib`).
    pub(crate) const DEFAULT_MAX_OUTPUT_MIB: u64 = 20;
    /// The default render timeout: 60 s (`--template-timeout`).
    pub(crate) const DEFAULT_TIMEOUT_SECS: u64 = 60;

    /// Limits from the flags' units (MiB, seconds).
    pub(crate) fn new(max_output_mib: u64, timeout_secs: u64) -> RenderLimits {
        let bytes = max_output_mib.saturating_mul(1024 * 1024);
        RenderLimits {
            max_output_bytes: usize::try_from(bytes).unwrap_or(usize::MAX),
            timeout: Duration::from_secs(timeout_secs),
        }
    }
}

impl Default for RenderLimits {
    fn default() -> RenderLimits {
        RenderLimits::new(Self::DEFAULT_MAX_OUTPUT_MIB, Self::DEFAULT_TIMEOUT_SECS)
    }
}

/// Why a bounded render stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    TooLarge,
    TimedOut,
}

/// A writer that refuses to grow past the cap or past the deadline, or once
/// the waiting side has given up: Tera stops at the first refused write.
struct BoundedBuf {
    buf: Vec<u8>,
    limits: RenderLimits,
    deadline: Instant,
    cancel: Arc<AtomicBool>,
    stop: Option<Stop>,
}

impl Write for BoundedBuf {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.buf.len().saturating_add(data.len()) > self.limits.max_output_bytes {
            self.stop = Some(Stop::TooLarge);
        } else if self.cancel.load(Ordering::Relaxed) || Instant::now() >= self.deadline {
            self.stop = Some(Stop::TimedOut);
        }
        if self.stop.is_some() {
            return Err(std::io::Error::other("render stopped at its limit"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders `name` on a worker thread within `limits`. The message names the
/// limit and its flag; a render past its time is abandoned (its next write
/// fails, and a loop that never writes ends with the process).
fn render_bounded(
    tera: &Arc<tera::Tera>,
    name: &str,
    ctx: tera::Context,
    limits: RenderLimits,
) -> Result<String, String> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let cancel = Arc::new(AtomicBool::new(false));
    let worker = {
        let tera = Arc::clone(tera);
        let name = name.to_owned();
        let cancel = Arc::clone(&cancel);
        move || {
            let mut out = BoundedBuf {
                buf: Vec::new(),
                limits,
                deadline: Instant::now() + limits.timeout,
                cancel,
                stop: None,
            };
            let result = tera.render_to(&name, &ctx, &mut out);
            let _ = tx.send(match (result, out.stop) {
                (_, Some(stop)) => Err(Err(stop)),
                (Ok(()), None) => Ok(out.buf),
                (Err(e), None) => Err(Ok(tera_detail(&e))),
            });
        }
    };
    if let Err(e) = std::thread::Builder::new().name("render".to_owned()).spawn(worker) {
        return Err(format!("cannot start a render thread: {e}"));
    }
    let too_large = || {
        format!(
            "the output is larger than {} MiB (raise it with --max-output-mib)",
            limits.max_output_bytes / (1024 * 1024)
        )
    };
    let timed_out = || {
        format!(
            "rendering took longer than {} s (raise it with --template-timeout)",
            limits.timeout.as_secs()
        )
    };
    match rx.recv_timeout(limits.timeout) {
        Ok(Ok(bytes)) => String::from_utf8(bytes).map_err(|e| e.to_string()),
        Ok(Err(Ok(detail))) => Err(detail),
        Ok(Err(Err(Stop::TooLarge))) => Err(too_large()),
        Ok(Err(Err(Stop::TimedOut))) => Err(timed_out()),
        Err(_) => {
            cancel.store(true, Ordering::Relaxed);
            Err(timed_out())
        }
    }
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
pub(crate) fn load(user_dir: Option<&Path>) -> Result<Templates, TemplateError> {
    let mut user = match user_dir {
        Some(dir) => read_tera_dir(dir)?,
        None => Vec::new(),
    };
    user.sort_by(|a, b| a.0.cmp(&b.0));
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html.tera", ".xml.tera", ".htm.tera", ".docx.tera"]);
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
    Ok(Templates {
        tera: Arc::new(tera),
        outputs,
        limits: RenderLimits::default(),
        reference: None,
    })
}

impl Templates {
    /// The same templates, held to `limits`.
    #[must_use]
    pub(crate) fn with_limits(mut self, limits: RenderLimits) -> Templates {
        self.limits = limits;
        self
    }

    /// The same templates, whose `.docx` outputs take the styles of the
    /// `.docx` at `path` (by name) instead of the built-in ones.
    ///
    /// # Errors
    /// A file that is missing, unreadable or not a `.docx`.
    pub(crate) fn with_reference_docx(
        mut self,
        path: Option<&Path>,
    ) -> Result<Templates, TemplateError> {
        self.reference = match path {
            Some(p) => Some(Arc::new(docx::ReferenceStyles::read(p)?)),
            None => None,
        };
        Ok(self)
    }

    /// Renders template `name` as its output file's bytes: the text, or for
    /// a `.docx` output the Word document around it.
    ///
    /// # Errors
    /// A failed render.
    fn render_file(&self, name: &str, digest: &Digest) -> Result<Vec<u8>, TemplateError> {
        let text = self.render(name, digest)?;
        if !docx::is_docx(Templates::output_name(name)) {
            return Ok(text.into_bytes());
        }
        let package = docx::Package {
            lang: digest.meta.lang,
            title: &digest.title,
            generator: &digest.generator,
            reference: self.reference.as_deref(),
        };
        docx::pack(&text, &package).map_err(|detail| TemplateError::Render {
            name: name.to_owned(),
            origin: self
                .outputs
                .iter()
                .find(|(n, _)| n == name)
                .map_or(Origin::Builtin, |(_, o)| o.clone()),
            detail,
        })
    }

    /// The output file name of template `name` (`briefing.md.tera` → `briefing.md`).
    pub(crate) fn output_name(name: &str) -> &str {
        name.strip_suffix(".tera").unwrap_or(name)
    }

    /// Renders template `name` with `digest` as the whole context.
    ///
    /// # Errors
    /// A failed render (e.g. an undefined variable in a user template).
    pub(crate) fn render(&self, name: &str, digest: &Digest) -> Result<String, TemplateError> {
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
        render_bounded(&self.tera, name, ctx, self.limits).map_err(|detail| TemplateError::Render {
            name: name.to_owned(),
            origin,
            detail,
        })
    }

    /// The effective text of template `name` (the user's file or the built-in).
    pub(crate) fn source_of(&self, name: &str) -> Option<(String, Origin)> {
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
pub(crate) type OutputFile = (String, Vec<u8>);

/// Which outputs an input gets: template outputs (built-in or the user's,
/// by template name) and the other registered outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Selection {
    /// Template names to render (`briefing.md.tera`).
    pub(crate) templates: Vec<String>,
    /// Other registered outputs, by file name (`digest.json`).
    pub(crate) others: Vec<&'static str>,
}

impl Selection {
    /// Every output: all loaded templates and every other registered output.
    pub(crate) fn all(templates: &Templates) -> Selection {
        Selection {
            templates: templates.outputs.iter().map(|(n, _)| n.clone()).collect(),
            others: outputs::outputs()
                .iter()
                .filter(|o| !matches!(o.make, outputs::Make::Template(_)))
                .map(|o| o.name)
                .collect(),
        }
    }

    /// The file names of this selection's outputs (`briefing.md`,
    /// `digest.json`, a user template's `slides.txt`): what an output folder
    /// may hold of the tool's (see `output::write_folder_keeping`).
    pub(crate) fn file_names(&self) -> Vec<String> {
        let templates = self.templates.iter().map(|n| Templates::output_name(n).to_owned());
        templates.chain(self.others.iter().map(|n| (*n).to_owned())).collect()
    }

    /// The part of this selection a stored digest alone makes: the template
    /// outputs and the spoken twins. The other outputs are made by `build`
    /// (`digest.json` is the digest itself; the transcript files need the
    /// speech's outline) and are returned second, by file name.
    pub(crate) fn split_digest_only(&self) -> (Selection, Vec<&'static str>) {
        let (keep, drop): (Vec<&'static str>, Vec<&'static str>) =
            self.others.iter().copied().partition(|name| {
                outputs::outputs().iter().any(|o| {
                    o.name == *name
                        && matches!(o.make, outputs::Make::Spoken(_) | outputs::Make::Template(_))
                })
            });
        (Selection { templates: self.templates.clone(), others: keep }, drop)
    }

    /// What `render` makes: [`Selection::only`] less what needs the speech.
    /// With no `--only`, everything a digest makes; an output named in
    /// `--only` that needs the speech is an error.
    ///
    /// # Errors
    /// An unknown name, or one that `render` cannot make.
    pub(crate) fn only_from_digest(
        only: &[String],
        templates: &Templates,
    ) -> Result<Selection, String> {
        let (sel, needs_speech) = Selection::only(only, templates)?.split_digest_only();
        if !only.is_empty() && !needs_speech.is_empty() {
            return Err(format!(
                "`{}` cannot be re-rendered from digest.json (made from the speech by `build`); \
                 render makes the template outputs and the spoken twins",
                needs_speech.join("`, `")
            ));
        }
        if sel.templates.is_empty() && sel.others.is_empty() {
            return Err("nothing to render: no template outputs selected".to_owned());
        }
        Ok(sel)
    }

    /// The outputs `--only` names, checked against what exists before any
    /// work: a template output by file name, template name or first name
    /// part (`handout` = `handout.md` and `handout.html`); another output by
    /// file name, name less its extension, or group (`transcript`).
    ///
    /// # Errors
    /// An unknown name, with the list of known ones.
    pub(crate) fn only(only: &[String], templates: &Templates) -> Result<Selection, String> {
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
pub(crate) fn render_outputs(
    outline: &Outline,
    digest: &Digest,
    templates: &Templates,
    sel: &Selection,
    lexicon: &crate::tts::lexicon::Lexicon,
) -> crate::error::Result<Vec<OutputFile>> {
    render_files(Some((outline, lexicon)), digest, templates, sel)
}

/// The files of `sel` that a stored digest alone makes (the template
/// outputs and their spoken twins; see [`Selection::split_digest_only`]), for
/// `render` and `watch --rerender`. Pure.
///
/// # Errors
/// A template that fails to render.
pub(crate) fn rerender_outputs(
    digest: &Digest,
    templates: &Templates,
    sel: &Selection,
) -> crate::error::Result<Vec<OutputFile>> {
    render_files(None, digest, templates, sel)
}

/// [`render_outputs`] with or without the outline: without it, the outputs
/// made from the outline are left out.
fn render_files(
    outline: Option<(&Outline, &crate::tts::lexicon::Lexicon)>,
    digest: &Digest,
    templates: &Templates,
    sel: &Selection,
) -> crate::error::Result<Vec<OutputFile>> {
    let mut files: Vec<OutputFile> = Vec::new();
    for name in &sel.templates {
        files.push((Templates::output_name(name).to_owned(), templates.render_file(name, digest)?));
    }
    let inputs = outline.map(|(outline, lexicon)| outputs::Inputs {
        outline,
        lexicon,
        digest,
        transcript: std::cell::OnceCell::new(),
    });
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
                // The Markdown output itself when it was made above; else render it.
                let md = match files.iter().find(|(n, _)| n == of) {
                    Some((_, b)) => String::from_utf8_lossy(b).into_owned(),
                    None => templates.render(&template, digest)?,
                };
                let opts = crate::tts::TtsOptions::for_engine(
                    crate::tts::Engine::Generic,
                    digest.meta.lang,
                );
                crate::tts::spoken_markdown(&md, digest.meta.lang, &opts.normalize).into_bytes()
            }
            outputs::Make::Build(f) => match &inputs {
                Some(i) => f(i)?,
                None => continue,
            },
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
pub(crate) fn rollup(date: &str, digests: &[Digest]) -> Result<String, TemplateError> {
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

#[cfg(test)]
mod tests {
    //! The output registry against what lists outputs elsewhere: the
    //! README's table and `--only` list, the integration tests' list, and
    //! what `render` remakes.

    use super::outputs;

    /// The cells of the README's output table (the one under `build`): file
    /// names (column 1) and the `render` column (column 3).
    fn readme_output_rows() -> Vec<(Vec<String>, String)> {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let mut lines = readme.lines().skip_while(|l| !l.starts_with("| file |"));
        assert!(lines.next().is_some(), "README.md has no `| file | … |` output table");
        lines
            .skip(1)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
                let names = cells[0].split('`').skip(1).step_by(2).map(str::to_owned).collect();
                (names, cells.get(2).copied().unwrap_or("").to_owned())
            })
            .collect()
    }

    #[test]
    fn the_readme_output_table_lists_exactly_the_registered_outputs() {
        let rows = readme_output_rows();
        let mut documented: Vec<String> = rows.iter().flat_map(|(n, _)| n.clone()).collect();
        documented.sort();
        let mut registered: Vec<String> =
            outputs::outputs().iter().map(|o| o.name.to_owned()).collect();
        registered.sort();
        assert_eq!(documented, registered, "README.md's output table vs the registry");
        // Its `render` column says which outputs a stored digest alone remakes.
        for (names, render) in &rows {
            for name in names {
                let o = outputs::outputs().iter().find(|o| o.name == name).unwrap();
                let remade =
                    matches!(o.make, outputs::Make::Template(_) | outputs::Make::Spoken(_));
                assert_eq!(render == "yes", remade, "README: `render` column of {name}");
            }
        }
    }

    #[test]
    fn the_readme_only_list_names_every_output() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let line = readme
            .lines()
            .find_map(|l| l.trim_start().strip_prefix("- `--only "))
            .expect("README.md documents `--only LIST`");
        let list: Vec<String> =
            line.split('`').next().unwrap().split(',').map(str::to_owned).collect();
        let templates = super::load(None).unwrap();
        let mut covered: Vec<String> = Vec::new();
        for name in &list {
            let sel = super::Selection::only(std::slice::from_ref(name), &templates)
                .unwrap_or_else(|e| panic!("README's --only list: {e}"));
            covered.extend(sel.templates.iter().map(|t| t.trim_end_matches(".tera").to_owned()));
            covered.extend(sel.others.iter().map(|o| (*o).to_owned()));
        }
        for o in outputs::outputs() {
            assert!(covered.iter().any(|c| c == o.name), "README's --only list misses {}", o.name);
        }
    }

    #[test]
    fn the_integration_tests_list_every_output() {
        let src =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli/build.rs"))
                .unwrap();
        let start = src.find("const OUTPUTS: [&str;").expect("tests/cli/build.rs: const OUTPUTS");
        let body = &src[start..];
        let body = &body[body.find("= [").unwrap()..body.find("];").unwrap()];
        let mut listed: Vec<&str> = body.split('"').skip(1).step_by(2).collect();
        listed.sort_unstable();
        let mut registered: Vec<&str> = outputs::outputs().iter().map(|o| o.name).collect();
        registered.sort_unstable();
        assert_eq!(listed, registered, "tests/cli/build.rs OUTPUTS vs the registry");
    }

    #[test]
    fn render_remakes_what_the_digest_alone_makes() {
        let templates = super::load(None).unwrap();
        let (sel, needs_speech) = super::Selection::all(&templates).split_digest_only();
        assert_eq!(sel.others, ["briefing.tts.txt", "newsletter.tts.txt"]);
        assert_eq!(needs_speech, ["digest.json", "transcript.txt", "transcript.ssml"]);
        assert_eq!(sel.templates.len(), outputs::builtin_templates().count());
        let only = |names: &[&str]| {
            let names: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
            super::Selection::only_from_digest(&names, &templates)
        };
        assert!(only(&["transcript"]).unwrap_err().contains("cannot be re-rendered"));
        assert!(only(&["digest"]).is_err());
        assert!(only(&["briefing"]).unwrap().others.is_empty());
        assert_eq!(only(&["briefing.tts"]).unwrap().others, ["briefing.tts.txt"]);
    }
}
