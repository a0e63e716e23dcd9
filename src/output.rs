//! Output folders and files: `<date>-<slug>` naming that never collides,
//! and atomic writes (a temporary file in the same folder, then a rename),
//! so that no reader ever sees a half-written output.

use std::convert::Infallible;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::Meta;

/// A file-system-safe slug of the title (or the source's file name): letters
/// and digits of any script kept, everything else folded into `-`, at most
/// 40 characters.
pub(crate) fn slug(meta: &Meta) -> String {
    let base = meta.title.clone().unwrap_or_else(|| {
        Path::new(&meta.source).file_stem().and_then(|s| s.to_str()).unwrap_or("speech").to_owned()
    });
    let mut out = String::new();
    for c in base.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.chars().count() >= 40 {
            break;
        }
    }
    let out = out.trim_matches('-').to_owned();
    if out.is_empty() { "speech".to_owned() } else { out }
}

/// The folder name `<date>-<slug>` (`undated-<slug>` without a date).
pub(crate) fn folder_name(meta: &Meta) -> String {
    format!("{}-{}", meta.date.as_deref().unwrap_or("undated"), slug(meta))
}

/// The hidden file in every output folder that says which input it is for,
/// so that a later run never replaces another speech's folder.
pub(crate) const OWNER_FILE: &str = ".speechdigest-source";

/// Who a source is, for ownership: the canonical path of a file, else the
/// source as given (a URL, `-`).
pub(crate) fn owner_key(source: &str) -> String {
    std::fs::canonicalize(source).map_or_else(|_| source.to_owned(), |p| p.display().to_string())
}

/// The owner recorded in `folder`, if any.
pub(crate) fn owner_of(folder: &Path) -> Option<String> {
    std::fs::read_to_string(folder.join(OWNER_FILE)).ok().map(|s| s.trim_end().to_owned())
}

/// Picks the first of `dir/name`, `dir/name-2`, `-3`, … that no earlier input
/// of the same run took (`taken`) and that `is_usable` accepts, and adds it
/// to `taken`. `is_usable` says whose a folder is (on disk for `build`, in
/// the state store for `watch`); it is not asked about taken folders.
///
/// # Errors
/// The first error of `is_usable`.
pub(crate) fn pick_folder<E>(
    dir: &Path,
    name: &str,
    taken: &mut Vec<PathBuf>,
    mut is_usable: impl FnMut(&Path) -> Result<bool, E>,
) -> Result<PathBuf, E> {
    let mut candidate = dir.join(name);
    let mut n = 2;
    while taken.contains(&candidate) || !is_usable(&candidate)? {
        candidate = dir.join(format!("{name}-{n}"));
        n += 1;
    }
    taken.push(candidate.clone());
    Ok(candidate)
}

/// Picks `dir/name`, or `dir/name-2`, `-3`, … when an earlier input of the
/// same run took it (`taken`) or when the folder belongs to another source
/// (`owner`: see [`owner_key`]); a folder of the same source is reused.
pub(crate) fn unique_folder(
    dir: &Path,
    name: &str,
    taken: &mut Vec<PathBuf>,
    owner: &str,
) -> PathBuf {
    let Ok(folder) = pick_folder(dir, name, taken, |c| {
        Ok::<_, Infallible>(!c.exists() || owner_of(c).as_deref() == Some(owner))
    });
    folder
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed and synced, then renamed over `path`.
///
/// # Errors
/// Any I/O failure; the temporary file is removed.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::Write { path: dir.to_owned(), source: e })?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".speechdigest-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::Write { path: path.to_owned(), source: e })?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::Write { path: path.to_owned(), source: e })?;
    tmp.persist(path).map_err(|e| Error::Write { path: path.to_owned(), source: e.error })?;
    Ok(())
}

/// Where the previous version of `dir` waits while the new one is renamed in.
fn old_copy(dir: &Path) -> PathBuf {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dir.with_file_name(format!(".speechdigest-old-{name}"))
}

/// Puts back a previous version that a crash left aside between the two
/// renames of [`write_folder_atomic`], or removes it when the new one made it.
pub(crate) fn recover(dir: &Path) {
    let old = old_copy(dir);
    if old.is_dir() {
        if dir.exists() {
            let _ = std::fs::remove_dir_all(&old);
        } else {
            let _ = std::fs::rename(&old, dir);
        }
    }
}

fn sync_dir(dir: &Path) {
    // Makes the renames durable; not every file system supports it, and a
    // failure here loses nothing that the next run would not redo.
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Writes a whole output folder atomically: the files go to a temporary
/// folder beside `dir`, which then replaces `dir` by rename. A reader (or a
/// crash) sees the old folder or the new one, never a mix or a half. Files of
/// the old folder that this write does not replace are carried over (an
/// `--only` run, a user's notes). `owner` is written to [`OWNER_FILE`].
///
/// # Errors
/// Any I/O failure; the temporary folder is removed.
pub(crate) fn write_folder_atomic(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    owner: &str,
) -> Result<()> {
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .map_err(|e| Error::Write { path: parent.to_owned(), source: e })?;
    recover(dir);
    let tmp = tempfile::Builder::new()
        .prefix(".speechdigest-")
        .tempdir_in(parent)
        .map_err(|e| Error::Write { path: dir.to_owned(), source: e })?;
    let mut all: Vec<(String, Vec<u8>)> = files.to_vec();
    all.push((OWNER_FILE.to_owned(), format!("{owner}\n").into_bytes()));
    for (name, bytes) in &all {
        let p = tmp.path().join(name);
        let mut f = std::fs::File::create(&p)
            .map_err(|e| Error::Write { path: dir.join(name), source: e })?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .map_err(|e| Error::Write { path: dir.join(name), source: e })?;
    }
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_file() && !all.iter().any(|(n, _)| *n == name) {
                std::fs::copy(e.path(), tmp.path().join(&name))
                    .map_err(|err| Error::Write { path: e.path(), source: err })?;
            }
        }
    }
    sync_dir(tmp.path());
    let staged = tmp.keep();
    let old = old_copy(dir);
    let had_old = dir.exists();
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
        if let Err(e) = std::fs::rename(dir, &old) {
            let _ = std::fs::remove_dir_all(&staged);
            return Err(Error::Write { path: dir.to_owned(), source: e });
        }
    }
    if let Err(e) = std::fs::rename(&staged, dir) {
        if had_old {
            let _ = std::fs::rename(&old, dir);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(Error::Write { path: dir.to_owned(), source: e });
    }
    sync_dir(parent);
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    fn meta(title: Option<&str>, date: Option<&str>, source: &str) -> Meta {
        Meta {
            title: title.map(str::to_owned),
            date: date.map(str::to_owned),
            published: None,
            speaker: None,
            occasion: None,
            outlet: None,
            lang: Lang::Zh,
            source: source.to_owned(),
            source_label: String::new(),
            chars: 0,
            encoding: "UTF-8".to_owned(),
        }
    }

    #[test]
    fn folder_names() {
        assert_eq!(
            folder_name(&meta(Some("2026年北京市政府工作报告"), Some("2026-01-25"), "x")),
            "2026-01-25-2026年北京市政府工作报告"
        );
        assert_eq!(
            folder_name(&meta(Some("Remarks by the President: Hope & Change!"), None, "x")),
            "undated-remarks-by-the-president-hope-change"
        );
        assert_eq!(
            folder_name(&meta(None, Some("1961-05-25"), "/a/kennedy.txt")),
            "1961-05-25-kennedy"
        );
        assert_eq!(slug(&meta(Some("***"), None, "-")), "speech");
    }

    #[test]
    fn unique_folders_never_collide() {
        let mut taken = Vec::new();
        let a = unique_folder(Path::new("out"), "2025-x", &mut taken, "a.txt");
        let b = unique_folder(Path::new("out"), "2025-x", &mut taken, "b.txt");
        assert_ne!(a, b);
        assert_eq!(b, Path::new("out/2025-x-2"));
    }

    #[test]
    fn picked_folders_skip_taken_and_unusable_names() {
        let mut taken = vec![PathBuf::from("out/x")];
        let mut asked = Vec::new();
        let got = pick_folder(Path::new("out"), "x", &mut taken, |p| {
            asked.push(p.to_owned());
            Ok::<_, ()>(p != Path::new("out/x-2"))
        });
        assert_eq!(got, Ok(PathBuf::from("out/x-3")));
        // A taken folder is never asked about.
        assert_eq!(asked, [PathBuf::from("out/x-2"), PathBuf::from("out/x-3")]);
        assert_eq!(taken.last(), Some(&PathBuf::from("out/x-3")));
        assert_eq!(pick_folder(Path::new("out"), "y", &mut taken, |_| Err("store")), Err("store"));
    }

    // Regression: review of stop 7 — another speech's folder was replaced,
    // and `--only` wiped the files it did not write.
    #[test]
    fn folders_belong_to_their_source_and_keep_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let a = unique_folder(out, "undated-report", &mut Vec::new(), "/a.txt");
        write_folder_atomic(&a, &[("briefing.md".to_owned(), b"A".to_vec())], "/a.txt").unwrap();
        std::fs::write(a.join("notes.txt"), "mine").unwrap();
        // Another source never gets the same folder, in a later run too.
        let b = unique_folder(out, "undated-report", &mut Vec::new(), "/b.txt");
        assert_eq!(b, out.join("undated-report-2"));
        // The same source does, and keeps the files it does not rewrite.
        let again = unique_folder(out, "undated-report", &mut Vec::new(), "/a.txt");
        assert_eq!(again, a);
        write_folder_atomic(&a, &[("keypoints.md".to_owned(), b"K".to_vec())], "/a.txt").unwrap();
        for (f, want) in [("briefing.md", "A"), ("keypoints.md", "K"), ("notes.txt", "mine")] {
            assert_eq!(std::fs::read_to_string(a.join(f)).unwrap(), want);
        }
    }

    #[test]
    fn a_crash_between_the_renames_is_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("x");
        write_folder_atomic(&a, &[("f".to_owned(), b"1".to_vec())], "s").unwrap();
        // As if killed after moving the old folder aside, before the new one came in.
        std::fs::rename(&a, old_copy(&a)).unwrap();
        recover(&a);
        assert_eq!(std::fs::read_to_string(a.join("f")).unwrap(), "1");
        assert!(!old_copy(&a).exists());
    }

    #[test]
    fn atomic_write_replaces_whole_files() {
        // (single files; folders are tested below)
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b.md");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
