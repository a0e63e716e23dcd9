//! `render`: the template outputs and spoken twins of stored digests, remade
//! from `digest.json` alone — no reading, fetching or summarising — so that
//! iterating on templates costs nothing. `watch --rerender` uses the same
//! [`rerender_folder`] for every folder of the state.

use std::path::{Path, PathBuf};

use tracing::{error, info};

use crate::app::cli::RenderArgs;
use crate::app::messages::{Report, write_stdout};
use crate::app::pipeline::guarded;
use crate::digest;
use crate::error::{Error, Result, chain};
use crate::model::Digest;
use crate::output;
use crate::render::{self, OutputFile, Selection, Templates};

/// The file a `digest.json` is stored in, in every item folder.
pub(crate) const DIGEST_FILE: &str = "digest.json";

pub(crate) fn run(args: RenderArgs) -> Result<Report> {
    // Every template is parsed and `--only` checked before the first digest is read.
    let templates = render::load(args.templates.as_deref())?
        .with_limits(args.limits.resolve(None))
        .with_reference_docx(args.word.reference_docx.as_deref())?;
    let selection = Selection::only_from_digest(&args.only, &templates).map_err(Error::Usage)?;
    let mut report = Report::default();
    let mut taken = output::Taken::default();
    for given in &args.digests {
        let outcome = match &args.out {
            None => rerender_folder(&digest_path(given), &templates, &selection),
            Some(dir) => render_elsewhere(given, dir, &templates, &selection, &mut taken),
        };
        match outcome {
            Ok(folder) => {
                report.ok += 1;
                write_stdout(format!("{}\n", folder.display()).as_bytes())?;
            }
            Err(e) => {
                report.failed += 1;
                error!("{}", chain(&e));
            }
        }
    }
    Ok(report)
}

/// The digest a command-line argument names: the file itself, or
/// `digest.json` in a folder.
fn digest_path(given: &Path) -> PathBuf {
    if given.is_dir() { given.join(DIGEST_FILE) } else { given.to_owned() }
}

/// The folder holding `path` (`.` for a bare file name), canonical when it exists.
fn folder_of(path: &Path) -> PathBuf {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_owned())
}

/// Reads the digest at `path` and renders `sel` from it (a panic in a
/// template filter is an error for this digest).
fn rendered(
    path: &Path,
    templates: &Templates,
    sel: &Selection,
) -> Result<(Digest, Vec<OutputFile>)> {
    let digest = digest::read(path)?;
    let files =
        guarded(&path.display().to_string(), || render::rerender_outputs(&digest, templates, sel))?;
    Ok((digest, files))
}

/// Re-renders the digest at `path` into the folder that holds it and
/// returns that folder. Files it does not write (the transcript, digest.json
/// itself, the user's notes) are kept.
///
/// # Errors
/// A missing or invalid digest, a template that fails, a failed write.
pub(crate) fn rerender_folder(
    path: &Path,
    templates: &Templates,
    sel: &Selection,
) -> Result<PathBuf> {
    let (_, files) = rendered(path, templates, sel)?;
    let folder = folder_of(path);
    let owner = output::owner_of(&folder);
    write_files(&folder, &files, owner.as_deref(), templates)?;
    info!("{}: rendered {} files", folder.display(), files.len());
    Ok(folder)
}

/// Renders the digest `given` names into `dir/<the name of its folder>/`
/// (`-2`, … when that folder belongs to another speech or was taken by an
/// earlier digest of this run).
fn render_elsewhere(
    given: &Path,
    dir: &Path,
    templates: &Templates,
    sel: &Selection,
    taken: &mut output::Taken,
) -> Result<PathBuf> {
    let path = digest_path(given);
    let (digest, files) = rendered(&path, templates, sel)?;
    let here = folder_of(&path);
    let name = here
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| output::folder_name(&digest.meta));
    let owner = output::owner_of(&here).unwrap_or_else(|| output::owner_key(&digest.meta.source));
    let folder = output::unique_folder(dir, &name, taken, &owner);
    write_files(&folder, &files, Some(&owner), templates)?;
    info!("{}: rendered {} files into {}", path.display(), files.len(), folder.display());
    Ok(folder)
}

/// Writes `files` into `folder`, keeping every other file. An item folder
/// (one with an owner, and no sub-folders) is replaced whole and atomically,
/// as `build` writes it; any other folder (a user's folder that happens to
/// hold a digest, the working directory) gets each file written atomically,
/// so that nothing else in it is ever moved.
fn write_files(
    folder: &Path,
    files: &[OutputFile],
    owner: Option<&str>,
    templates: &Templates,
) -> Result<()> {
    let has_subfolders = std::fs::read_dir(folder)
        .map(|rd| rd.flatten().any(|e| e.path().is_dir()))
        .unwrap_or(false);
    let is_cwd = std::env::current_dir()
        .ok()
        .and_then(|d| std::fs::canonicalize(d).ok())
        .zip(std::fs::canonicalize(folder).ok())
        .is_some_and(|(cwd, f)| cwd == f);
    match owner {
        Some(owner) if !has_subfolders && !is_cwd => {
            let outputs = Selection::all(templates).file_names();
            output::write_folder_keeping(folder, files, owner, &outputs)
        }
        _ => {
            for (name, bytes) in files {
                output::write_atomic(&folder.join(name), bytes)?;
            }
            Ok(())
        }
    }
}
