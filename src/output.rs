//! Output folders and files: `<date>-<slug>` naming that never collides,
//! and atomic writes (a temporary file in the same folder, then a rename),
//! so that no reader ever sees a half-written output.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::ingest::Meta;

/// A file-system-safe slug of the title (or the source's file name): letters
/// and digits of any script kept, everything else folded into `-`, at most
/// 40 characters.
pub fn slug(meta: &Meta) -> String {
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
pub fn folder_name(meta: &Meta) -> String {
    format!("{}-{}", meta.date.as_deref().unwrap_or("undated"), slug(meta))
}

/// Picks `dir/name`, or `dir/name-2`, `-3`, … when an earlier input of the
/// same run already took it. `taken` holds the folders of this run.
pub fn unique_folder(dir: &Path, name: &str, taken: &mut Vec<PathBuf>) -> PathBuf {
    let mut candidate = dir.join(name);
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = dir.join(format!("{name}-{n}"));
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed and synced, then renamed over `path`.
///
/// # Errors
/// Any I/O failure; the temporary file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
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

/// Writes a whole output folder atomically: the files go to a temporary
/// folder beside `dir`, which then replaces `dir` by rename. A reader (or a
/// crash) sees the old folder or the new one, never a mix or a half.
///
/// # Errors
/// Any I/O failure; the temporary folder is removed.
pub fn write_folder_atomic(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .map_err(|e| Error::Write { path: parent.to_owned(), source: e })?;
    let tmp = tempfile::Builder::new()
        .prefix(".speechdigest-")
        .tempdir_in(parent)
        .map_err(|e| Error::Write { path: dir.to_owned(), source: e })?;
    for (name, bytes) in files {
        let p = tmp.path().join(name);
        let mut f = std::fs::File::create(&p)
            .map_err(|e| Error::Write { path: dir.join(name), source: e })?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .map_err(|e| Error::Write { path: dir.join(name), source: e })?;
    }
    let staged = tmp.keep();
    let old = parent.join(format!(".speechdigest-old-{}", std::process::id()));
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
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Lang;

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
        let a = unique_folder(Path::new("out"), "2025-x", &mut taken);
        let b = unique_folder(Path::new("out"), "2025-x", &mut taken);
        assert_ne!(a, b);
        assert_eq!(b, Path::new("out/2025-x-2"));
    }

    #[test]
    fn atomic_write_replaces_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b.md");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
