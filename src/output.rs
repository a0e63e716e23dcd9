//! Output folders and files: `<date>-<slug>` naming that never collides,
//! and atomic writes (a temporary file in the same folder, then a rename),
//! so that no reader ever sees a half-written output.
//!
//! An output folder is the tool's and the user's at once. Its hidden owner
//! file ([`OWNER_FILE`]) names the input the folder is for and lists the files
//! the tool wrote there (its manifest): a rewrite replaces and removes only
//! those, and moves everything else (notes, a `photos/` folder, FIFOs,
//! symbolic links) into the new version as it is, as rsync keeps what it was
//! not asked to delete. Writers take an OS lock on the folder that holds the
//! output folders, so that two runs into one `-o` take turns; what a killed
//! run leaves is repaired ([`recover`]) or removed
//! ([`remove_stale_temporaries`]).

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use tracing::{debug, warn};

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
/// so that a later run never replaces another speech's folder, and lists
/// the files the tool wrote there (see [`write_folder_keeping`]).
pub(crate) const OWNER_FILE: &str = ".speechdigest-source";

/// Who a source is, for ownership: the canonical path of a file, else the
/// source as given (a URL, `-`).
pub(crate) fn owner_key(source: &str) -> String {
    std::fs::canonicalize(source).map_or_else(|_| source.to_owned(), |p| p.display().to_string())
}

/// The owner recorded in `folder`, if any.
pub(crate) fn owner_of(folder: &Path) -> Option<String> {
    OwnerFile::read(folder).map(|o| o.owner)
}

/// The folders a run has picked so far, and per name the first suffix not
/// yet known to be taken, so that the `n`-th item of one title is named
/// without asking about the `n - 1` folders before it again (a backlog of
/// 3,800 same-title files cost 268 ms CPU an item in SQLite queries and
/// `exists` calls, quadratic in the items).
#[derive(Debug, Default)]
pub(crate) struct Taken {
    folders: std::collections::HashSet<PathBuf>,
    /// `dir/name` → the smallest `n` such that `name`, `name-2` … `name-(n-1)`
    /// are all in `folders` (1: none known).
    next: std::collections::HashMap<PathBuf, u32>,
}

impl Taken {
    /// Whether this run has picked `folder`.
    #[cfg(test)]
    pub(crate) fn contains(&self, folder: &Path) -> bool {
        self.folders.contains(folder)
    }

    /// How many folders this run has picked.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.folders.len()
    }
}

/// `dir/name` for `n = 1`, else `dir/name-n`.
fn suffixed(dir: &Path, name: &str, n: u32) -> PathBuf {
    if n == 1 { dir.join(name) } else { dir.join(format!("{name}-{n}")) }
}

/// Picks the first of `dir/name`, `dir/name-2`, `-3`, … that no earlier input
/// of the same run took (`taken`) and that `is_usable` accepts, and adds it
/// to `taken`. `is_usable` says whose a folder is (on disk for `build`, in
/// the state store for `watch`); it is not asked about taken folders, and
/// the run of taken names at the start of a name's series is skipped at once
/// (a folder refused to one input is asked about again for the next: it may
/// be that one's own).
///
/// # Errors
/// The first error of `is_usable`.
pub(crate) fn pick_folder<E>(
    dir: &Path,
    name: &str,
    taken: &mut Taken,
    mut is_usable: impl FnMut(&Path) -> Result<bool, E>,
) -> Result<PathBuf, E> {
    let key = dir.join(name);
    let first = taken.next.get(&key).copied().unwrap_or(1);
    // `run`: every name before `n` is taken, so `n` may start the next pick.
    let (mut n, mut run) = (first, true);
    loop {
        let candidate = suffixed(dir, name, n);
        if taken.folders.contains(&candidate) {
            n += 1;
            if run {
                taken.next.insert(key.clone(), n);
            }
            continue;
        }
        if is_usable(&candidate)? {
            if run {
                taken.next.insert(key, n + 1);
            }
            taken.folders.insert(candidate.clone());
            return Ok(candidate);
        }
        run = false;
        n += 1;
    }
}

/// Picks `dir/name`, or `dir/name-2`, `-3`, … when an earlier input of the
/// same run took it (`taken`) or when the folder belongs to another source
/// (`owner`: see [`owner_key`]); a folder of the same source is reused.
pub(crate) fn unique_folder(dir: &Path, name: &str, taken: &mut Taken, owner: &str) -> PathBuf {
    let Ok(folder) = pick_folder(dir, name, taken, |c| {
        Ok::<_, Infallible>(!c.exists() || owner_of(c).as_deref() == Some(owner))
    });
    folder
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed and synced, then renamed over `path`. The temporary is locked
/// while it is written, so that [`remove_stale_temporaries`] of another run
/// never takes it for a killed run's leftover.
///
/// # Errors
/// Any I/O failure; the temporary file is removed.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::Write { path: dir.to_owned(), source: e })?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(".tmp");
    // A temporary file is private (0600); the output it becomes is an
    // ordinary file (0666 less the umask, as `create` makes it): a web
    // server publishing `feed.xml`, or a colleague, can read it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp =
        builder.tempfile_in(dir).map_err(|e| Error::Write { path: path.to_owned(), source: e })?;
    // Best effort: a file system without locks still gets the write.
    let _ = tmp.as_file().try_lock();
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::Write { path: path.to_owned(), source: e })?;
    tmp.persist(path).map_err(|e| Error::Write { path: path.to_owned(), source: e.error })?;
    Ok(())
}

/// The prefix of everything the tool leaves beside its outputs while it
/// writes them (and a killed run leaves behind).
const TEMP_PREFIX: &str = ".speechdigest-";

/// The line of the owner file after which its manifest lists the files the
/// tool wrote, one a line.
const MANIFEST_HEADER: &str =
    "[written by speechdigest: a later run replaces or removes these files and keeps all else]";

/// What a folder's [`OWNER_FILE`] says.
#[derive(Debug, PartialEq, Eq)]
struct OwnerFile {
    /// Whose the folder is (see [`owner_key`]; `watch` writes its item ids).
    owner: String,
    /// The files the tool wrote there; `None` in an owner file from before
    /// manifests (speechdigest 0.1 wrote the owner alone).
    files: Option<BTreeSet<String>>,
}

impl OwnerFile {
    fn parse(text: &str) -> OwnerFile {
        let marker = format!("\n{MANIFEST_HEADER}\n");
        match text.find(&marker) {
            Some(at) => OwnerFile {
                owner: text[..at].trim_end().to_owned(),
                files: Some(
                    text[at + marker.len()..]
                        .lines()
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned)
                        .collect(),
                ),
            },
            None => OwnerFile { owner: text.trim_end().to_owned(), files: None },
        }
    }

    fn text(&self) -> String {
        let mut s = format!("{}\n{MANIFEST_HEADER}\n", self.owner);
        for f in self.files.iter().flatten() {
            s.push_str(f);
            s.push('\n');
        }
        s
    }

    fn read(folder: &Path) -> Option<OwnerFile> {
        fs::read_to_string(folder.join(OWNER_FILE)).ok().map(|t| OwnerFile::parse(&t))
    }
}

/// Whether a file name can stand on a line of the manifest.
fn listable(name: &str) -> bool {
    !name.is_empty() && name != OWNER_FILE && !name.contains(['\n', '\r', '/'])
}

/// Whether an entry of an output folder is the tool's: the owner file, or a
/// regular file (not a symbolic link, not a folder) that `listed` names.
/// Everything else is the user's and is never removed.
fn is_generated(name: &OsStr, kind: fs::FileType, listed: &BTreeSet<String>) -> bool {
    name == OWNER_FILE || (kind.is_file() && name.to_str().is_some_and(|n| listed.contains(n)))
}

/// The entries of `dir`, by name, with their kinds (symbolic links not followed).
fn entries(dir: &Path) -> std::io::Result<Vec<(OsString, fs::FileType)>> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir)? {
        let e = e?;
        out.push((e.file_name(), e.file_type()?));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// An OS lock on a folder that holds output folders, held while one of them
/// is written: two runs into one `-o` take turns instead of renaming over
/// each other. It locks the folder itself (no lock file to leave behind),
/// and the OS releases it when a run dies. Where a folder cannot be locked
/// (not every platform or file system can), the write goes on unlocked.
struct DirLock {
    _dir: Option<File>,
}

impl DirLock {
    /// Locks `dir`, waiting (and saying so once) while another run holds it.
    fn acquire(dir: &Path) -> DirLock {
        let Ok(f) = File::open(dir) else {
            debug!("`{}` cannot be opened to lock it; writing without a lock", dir.display());
            return DirLock { _dir: None };
        };
        match f.try_lock() {
            Ok(()) => DirLock { _dir: Some(f) },
            Err(fs::TryLockError::WouldBlock) => {
                warn!("`{}` is being written by another speechdigest run; waiting", dir.display());
                match f.lock() {
                    Ok(()) => DirLock { _dir: Some(f) },
                    Err(e) => {
                        debug!("`{}`: {e}; writing without a lock", dir.display());
                        DirLock { _dir: None }
                    }
                }
            }
            Err(fs::TryLockError::Error(e)) => {
                debug!("`{}` cannot be locked ({e}); writing without a lock", dir.display());
                DirLock { _dir: None }
            }
        }
    }
}

/// `dir`'s hidden sibling `.speechdigest-<what>-<name>`.
fn sibling(dir: &Path, what: &str) -> PathBuf {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dir.with_file_name(format!("{TEMP_PREFIX}{what}-{name}"))
}

/// Where the new version of `dir` is staged before it is renamed in.
fn new_copy(dir: &Path) -> PathBuf {
    sibling(dir, "new")
}

/// Where the previous version of `dir` waits while the new one is renamed in.
fn old_copy(dir: &Path) -> PathBuf {
    sibling(dir, "old")
}

/// Repairs what a run killed inside [`write_folder_keeping`] left of `dir`,
/// so that `dir` is the old version or the new one, with every file of the
/// user's (call it holding the [`DirLock`] of `dir`'s parent):
/// - a staged new version beside a whole `dir` (killed before the swap): the
///   user's entries already moved into it go back, then it goes;
/// - a complete staged version and no `dir` (killed between the two
///   renames): it is renamed in;
/// - an old version beside `dir` (killed after the swap): the user's entries
///   still in it are moved into `dir`, then it goes; without `dir` (a run of
///   speechdigest 0.1 killed between its renames), it is put back.
fn recover(dir: &Path) {
    let staged = new_copy(dir);
    if is_real_dir(&staged) {
        if exists(dir) {
            rollback(dir, &staged);
        } else if staged.join(OWNER_FILE).is_file() {
            if let Err(e) = fs::rename(&staged, dir) {
                warn!("cannot move `{}` to `{}`: {e}", staged.display(), dir.display());
            }
        } else {
            // Killed while the files of a first version were written: all
            // of them are the tool's (the user's entries move in only after
            // the owner file is there).
            let _ = fs::remove_dir_all(&staged);
        }
    }
    let old = old_copy(dir);
    if is_real_dir(&old) {
        if exists(dir) {
            sweep(&old, dir);
        } else if let Err(e) = fs::rename(&old, dir) {
            warn!("cannot move `{}` back to `{}`: {e}", old.display(), dir.display());
        }
    }
}

/// Undoes a write that did not reach its swap: the entries of the user's
/// that were moved into `staged` go back to `dir`, then `staged` goes. When
/// one cannot go back, `staged` is kept (and said so): nothing of the
/// user's is ever removed.
fn rollback(dir: &Path, staged: &Path) {
    let Some(of) = OwnerFile::read(staged) else {
        // Nothing of the user's moves in before the owner file is there.
        let _ = fs::remove_dir_all(staged);
        return;
    };
    let listed = of.files.unwrap_or_default();
    let Ok(list) = entries(staged) else {
        warn!("`{}` is kept: it cannot be read", staged.display());
        return;
    };
    let mut kept = false;
    for (name, kind) in list {
        if is_generated(&name, kind, &listed) {
            continue;
        }
        checkpoint();
        let to = dir.join(&name);
        if exists(&to) || fs::rename(staged.join(&name), &to).is_err() {
            kept = true;
        }
    }
    if kept {
        warn!(
            "`{}` is kept: it holds files that could not be put back into `{}`",
            staged.display(),
            dir.display()
        );
    } else {
        let _ = fs::remove_dir_all(staged);
    }
}

/// Finishes a swap: the entries of the old version `old` that are not the
/// tool's (made by the user while the new one was written, or left by a run
/// killed after its swap) are moved into the new version `dir`, then `old`
/// goes with the old generated files. A user's folder that the new version
/// has a name for keeps `old` (and is said).
fn sweep(old: &Path, dir: &Path) {
    // An old version from before manifests: the new one's names are the tool's.
    let listed = OwnerFile::read(old)
        .and_then(|o| o.files)
        .or_else(|| OwnerFile::read(dir).and_then(|o| o.files))
        .unwrap_or_default();
    let Ok(list) = entries(old) else {
        warn!("`{}` is kept: it cannot be read", old.display());
        return;
    };
    let mut kept = false;
    for (name, kind) in list {
        if is_generated(&name, kind, &listed) {
            continue;
        }
        let to = dir.join(&name);
        if exists(&to) {
            // The new version writes this name: it replaces a file or a
            // link, never a folder.
            kept |= kind.is_dir();
            continue;
        }
        checkpoint();
        if fs::rename(old.join(&name), &to).is_err() {
            kept = true;
        }
    }
    if kept {
        warn!(
            "`{}` is kept: it holds files that could not be moved into `{}`",
            old.display(),
            dir.display()
        );
    } else {
        let _ = fs::remove_dir_all(old);
    }
}

/// A moment where a test may kill the write: a panic that runs none of the
/// cleanup after it, as `kill -9` would (see the tests' `killed_at`).
#[cfg(test)]
fn checkpoint() {
    tests::KILL_AT.with(|k| match k.get() {
        Some(0) => {
            k.set(None);
            std::panic::resume_unwind(Box::new("killed"));
        }
        Some(n) => k.set(Some(n - 1)),
        None => {}
    });
}

#[cfg(not(test))]
fn checkpoint() {}

fn sync_dir(dir: &Path) {
    // Makes the renames durable; not every file system supports it, and a
    // failure here loses nothing that the next run would not redo.
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// The parent of an output folder (`.` for a bare name).
fn parent_of(dir: &Path) -> &Path {
    dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Writes a whole output folder atomically (see [`write_folder_keeping`]):
/// `files` are every file this run makes for the input, so generated files
/// of the old version that it does not write are stale and go.
///
/// # Errors
/// As [`write_folder_keeping`].
#[cfg(test)]
pub(crate) fn write_folder_atomic(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    owner: &str,
) -> Result<()> {
    write_folder_keeping(dir, files, owner, &[])
}

/// Writes an output folder atomically: the new version is staged in a
/// hidden folder beside `dir`, which then replaces `dir` by rename; a reader
/// (or a crash, after [`recover`]) sees the old version or the new one, never
/// a mix or a half. `owner` and the manifest of the files written go to
/// [`OWNER_FILE`].
///
/// What the old version held is sorted by its manifest:
/// - the files it lists (the tool's) are replaced by `files`; those this
///   write does not make are kept when `outputs` names them (an `--only`
///   run, `render`), and removed otherwise (stale: an output no longer made);
/// - everything else is the user's (notes, a `photos/` folder, FIFOs,
///   symbolic links) and is moved into the new version as it is, never
///   copied or followed; a user's folder in the place of an output is an
///   error, not replaced.
///
/// An old version from before manifests (speechdigest 0.1) counts a regular
/// file as the tool's when its name is one of `files` or `outputs`; nothing
/// else in it is removed.
///
/// The write holds the [`DirLock`] of `dir`'s parent.
///
/// # Errors
/// Any I/O failure; the old version is left as it was, with the user's files.
pub(crate) fn write_folder_keeping(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    owner: &str,
    outputs: &[String],
) -> Result<()> {
    let parent = parent_of(dir);
    fs::create_dir_all(parent).map_err(|e| Error::Write { path: parent.to_owned(), source: e })?;
    let _lock = DirLock::acquire(parent);
    write_folder_locked(dir, files, owner, outputs)
}

/// The [`DirLock`] of a folder that holds output folders, taken once by a
/// caller that names several of them and writes them at once (`watch
/// --jobs`): names are claimed under it, and each write under it
/// ([`HeldDir::write_folder`]) may run on its own thread, because every
/// write touches only its own folder and that folder's hidden siblings.
pub(crate) struct HeldDir {
    dir: PathBuf,
    _lock: DirLock,
}

impl HeldDir {
    /// Makes `dir` if need be and locks it, waiting while another run holds it.
    ///
    /// # Errors
    /// `dir` cannot be made.
    pub(crate) fn lock(dir: &Path) -> Result<HeldDir> {
        fs::create_dir_all(dir).map_err(|e| Error::Write { path: dir.to_owned(), source: e })?;
        Ok(HeldDir { dir: dir.to_owned(), _lock: DirLock::acquire(dir) })
    }

    /// Whether `folder` is an output folder directly under the locked folder.
    pub(crate) fn holds(&self, folder: &Path) -> bool {
        parent_of(folder) == self.dir
    }

    /// [`write_folder_keeping`] of `folder` with every file the item has
    /// (`files`: the old version's others are stale), which must be directly
    /// under the locked folder, without taking the lock again.
    ///
    /// # Errors
    /// As [`write_folder_keeping`]; a folder elsewhere is an internal error.
    pub(crate) fn write_folder(
        &self,
        folder: &Path,
        files: &[(String, Vec<u8>)],
        owner: &str,
    ) -> Result<()> {
        if !self.holds(folder) {
            return Err(Error::Internal {
                input: folder.display().to_string(),
                what: format!("not a folder of the locked `{}`", self.dir.display()),
            });
        }
        write_folder_locked(folder, files, owner, &[])
    }

    /// [`remove_folder`] of a folder directly under the locked folder,
    /// without taking the lock again.
    pub(crate) fn remove_folder(&self, folder: &Path) {
        if self.holds(folder) {
            remove_folder_locked(folder);
        }
    }
}

/// The tool's hidden records in a folder (`.speechdigest-item.json`, the
/// state's own copy of its row): a partial write (`render`, an `--only` run)
/// keeps them as it keeps the outputs it could make; never stale.
fn is_record(name: &str) -> bool {
    name.starts_with(".speechdigest-") && name.ends_with(".json")
}

/// Writes the folder of an input under `dir`: [`unique_folder`] and
/// [`write_folder_keeping`] under one [`DirLock`], so that two runs into
/// one `dir` never take one new folder for two inputs. Returns the folder.
///
/// # Errors
/// As [`write_folder_keeping`].
pub(crate) fn write_new_folder(
    dir: &Path,
    name: &str,
    taken: &mut Taken,
    owner: &str,
    files: &[(String, Vec<u8>)],
    outputs: &[String],
) -> Result<PathBuf> {
    fs::create_dir_all(dir).map_err(|e| Error::Write { path: dir.to_owned(), source: e })?;
    let _lock = DirLock::acquire(dir);
    let Ok(folder) = pick_folder(dir, name, taken, |c| {
        // A folder a killed run set aside is itself again before it is judged.
        recover(c);
        Ok::<_, Infallible>(!exists(c) || owner_of(c).as_deref() == Some(owner))
    });
    write_folder_locked(&folder, files, owner, outputs)?;
    Ok(folder)
}

/// [`write_folder_keeping`], the lock held.
fn write_folder_locked(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    owner: &str,
    outputs: &[String],
) -> Result<()> {
    let werr = |path: PathBuf, source: std::io::Error| Error::Write { path, source };
    recover(dir);
    let had_old = match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => true,
        Ok(_) => {
            return Err(werr(
                dir.to_owned(),
                std::io::Error::other("a file or a symbolic link is in the folder's place"),
            ));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(werr(dir.to_owned(), e)),
    };
    let written: BTreeSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let old_entries =
        if had_old { entries(dir).map_err(|e| werr(dir.to_owned(), e))? } else { Vec::new() };
    let listed: BTreeSet<String> = match OwnerFile::read(dir).and_then(|o| o.files) {
        Some(f) => f,
        None => outputs.iter().cloned().chain(written.iter().map(|n| (*n).to_owned())).collect(),
    };
    for (name, kind) in &old_entries {
        if kind.is_dir() && name.to_str().is_some_and(|n| written.contains(n)) {
            return Err(werr(
                dir.join(name),
                std::io::Error::other("a folder has this output's name; it is not replaced"),
            ));
        }
    }
    let staged = new_copy(dir);
    fs::create_dir(&staged).map_err(|e| werr(staged.clone(), e))?;
    let staging = (|| -> Result<()> {
        for (name, bytes) in files {
            checkpoint();
            write_synced(&staged.join(name), bytes).map_err(|e| werr(dir.join(name), e))?;
        }
        let mut manifest: BTreeSet<String> =
            written.iter().filter(|n| listable(n)).map(|n| (*n).to_owned()).collect();
        // The old version's outputs that this run could make but was not
        // asked to: carried over (linked, else copied), still the tool's.
        for (name, kind) in &old_entries {
            let Some(n) = name.to_str() else { continue };
            if kind.is_file()
                && listed.contains(n)
                && !written.contains(n)
                && (outputs.iter().any(|o| o == n) || is_record(n))
            {
                let (from, to) = (dir.join(name), staged.join(name));
                fs::hard_link(&from, &to)
                    .or_else(|_| fs::copy(&from, &to).map(|_| ()))
                    .map_err(|e| werr(from.clone(), e))?;
                manifest.insert(n.to_owned());
            }
        }
        // The owner file last, renamed in: complete or absent.
        let of = OwnerFile { owner: owner.to_owned(), files: Some(manifest) };
        let tmp = staged.join(format!("{TEMP_PREFIX}owner.tmp"));
        write_synced(&tmp, of.text().as_bytes()).map_err(|e| werr(dir.join(OWNER_FILE), e))?;
        checkpoint();
        fs::rename(&tmp, staged.join(OWNER_FILE)).map_err(|e| werr(dir.join(OWNER_FILE), e))?;
        checkpoint();
        sync_dir(&staged);
        Ok(())
    })();
    if let Err(e) = staging {
        let _ = fs::remove_dir_all(&staged);
        return Err(e);
    }
    if !had_old {
        checkpoint();
        if let Err(e) = fs::rename(&staged, dir) {
            let _ = fs::remove_dir_all(&staged);
            return Err(werr(dir.to_owned(), e));
        }
        sync_dir(parent_of(dir));
        return Ok(());
    }
    // The user's entries move into the new version, as they are.
    for (name, kind) in &old_entries {
        if is_generated(name, *kind, &listed) || name.to_str().is_some_and(|n| written.contains(n))
        {
            continue;
        }
        checkpoint();
        if let Err(e) = fs::rename(dir.join(name), staged.join(name)) {
            rollback(dir, &staged);
            return Err(werr(dir.join(name), e));
        }
    }
    sync_dir(&staged);
    sync_dir(dir);
    let old = old_copy(dir);
    checkpoint();
    if let Err(e) = fs::rename(dir, &old) {
        rollback(dir, &staged);
        return Err(werr(dir.to_owned(), e));
    }
    checkpoint();
    if let Err(e) = fs::rename(&staged, dir) {
        let _ = fs::rename(&old, dir);
        rollback(dir, &staged);
        return Err(werr(dir.to_owned(), e));
    }
    sync_dir(parent_of(dir));
    checkpoint();
    sweep(&old, dir);
    Ok(())
}

/// Removes an output folder the tool no longer uses (the old folder of a
/// revised item): its generated files and owner file go, and the folder with
/// them unless it holds files of the user's, which stay (and are said). In
/// a folder from before manifests, every regular file is taken for the
/// tool's (as speechdigest 0.1 removed the whole folder); folders, links
/// and FIFOs stay.
pub(crate) fn remove_folder(dir: &Path) {
    let _lock = DirLock::acquire(parent_of(dir));
    remove_folder_locked(dir);
}

/// [`remove_folder`], the lock held.
fn remove_folder_locked(dir: &Path) {
    recover(dir);
    let of = OwnerFile::read(dir);
    let legacy = of.as_ref().is_none_or(|o| o.files.is_none());
    let listed = of.and_then(|o| o.files).unwrap_or_default();
    let Ok(list) = entries(dir) else { return };
    let mut kept = false;
    for (name, kind) in list {
        if is_generated(&name, kind, &listed) || (legacy && kind.is_file()) {
            let _ = fs::remove_file(dir.join(&name));
        } else {
            kept = true;
        }
    }
    if kept {
        warn!("`{}` is kept: it holds files of yours", dir.display());
    } else {
        let _ = fs::remove_dir(dir);
    }
}

/// Repairs or removes what killed runs left in `dir` (a folder that holds
/// output folders): a staged or set-aside version is [`recover`]ed, and other
/// temporaries (`.speechdigest-XXXXXX` folders of speechdigest 0.1, the
/// `.tmp` files of [`write_atomic`]) are removed when they are older than
/// `older_than` (the start of this run) and no live run holds them. It holds
/// the [`DirLock`] of `dir`, under which every staged folder is made, and a
/// temporary file is skipped while its writer holds its lock. Shared by
/// `build` and `watch`.
pub(crate) fn remove_stale_temporaries(dir: &Path, older_than: SystemTime) {
    let stale = |e: &fs::DirEntry| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX);
    let Ok(rd) = fs::read_dir(dir) else { return };
    if !rd.flatten().any(|e| stale(&e)) {
        return;
    }
    let _lock = DirLock::acquire(dir);
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten().filter(stale) {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        let rest = &name[TEMP_PREFIX.len()..];
        if let Some(target) = rest.strip_prefix("new-").or_else(|| rest.strip_prefix("old-")) {
            recover(&dir.join(target));
            continue;
        }
        let Ok(md) = fs::symlink_metadata(&path) else { continue };
        if md.modified().map_or(true, |t| t >= older_than) {
            // Made during this run: maybe by another one that is still going.
            continue;
        }
        let removed = if md.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            if md.is_file()
                && File::open(&path)
                    .is_ok_and(|f| matches!(f.try_lock(), Err(fs::TryLockError::WouldBlock)))
            {
                continue;
            }
            fs::remove_file(&path)
        };
        match removed {
            Ok(()) => debug!("removed the stale `{}`", path.display()),
            Err(err) => debug!("cannot remove the stale `{}`: {err}", path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    thread_local! {
        /// How many [`checkpoint`]s a write passes before it is killed.
        pub(super) static KILL_AT: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
    }

    /// Runs `f`, killed at its `n`-th checkpoint; true when it was killed.
    fn killed_at(n: usize, f: impl FnOnce()) -> bool {
        KILL_AT.with(|k| k.set(Some(n)));
        let killed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err();
        KILL_AT.with(|k| k.set(None));
        killed
    }

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| (*s).to_owned()).collect()
    }

    fn files(v: &str, n: &[&str]) -> Vec<(String, Vec<u8>)> {
        n.iter().map(|s| ((*s).to_owned(), v.as_bytes().to_vec())).collect()
    }

    /// What a folder holds, entry by entry (links not followed), owner file aside.
    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (name, kind) in entries(dir).unwrap() {
            let p = dir.join(&name);
            let name = name.to_string_lossy().into_owned();
            let what = if kind.is_symlink() {
                format!("-> {}", fs::read_link(&p).unwrap().display())
            } else if kind.is_dir() {
                format!("dir {:?}", tree(&p))
            } else if kind.is_file() {
                if name == OWNER_FILE {
                    continue;
                }
                fs::read_to_string(&p).unwrap()
            } else {
                "special".to_owned()
            };
            out.push((name, what));
        }
        out
    }

    fn hidden_leftovers(dir: &Path) -> Vec<String> {
        entries(dir)
            .unwrap()
            .into_iter()
            .map(|(n, _)| n.to_string_lossy().into_owned())
            .filter(|n| n.starts_with(TEMP_PREFIX))
            .collect()
    }

    /// `mkfifo path`; false where there is no `mkfifo`.
    fn mkfifo(path: &Path) -> bool {
        std::process::Command::new("mkfifo").arg(path).status().is_ok_and(|s| s.success())
    }

    /// An output folder at version 1 (`a.md`, `b.md`, `old.mp3` written by
    /// the tool) with the user's entries beside them.
    #[cfg(unix)]
    fn folder_with_users_files(out: &Path) -> PathBuf {
        let x = out.join("x");
        let v1 = files("1", &["a.md", "b.md", "old.mp3"]);
        write_folder_keeping(&x, &v1, "src", &names(&["a.md", "b.md", "old.mp3"])).unwrap();
        fs::write(x.join("notes.txt"), "mine").unwrap();
        fs::create_dir(x.join("photos")).unwrap();
        fs::write(x.join("photos/p.jpg"), "jpg").unwrap();
        std::os::unix::fs::symlink("notes.txt", x.join("link.txt")).unwrap();
        std::os::unix::fs::symlink("photos", x.join("dirlink")).unwrap();
        std::os::unix::fs::symlink("/nowhere", x.join("dangling")).unwrap();
        mkfifo(&x.join("pipe"));
        x
    }

    /// Version 2 of that folder: `a.md` rewritten, `b.md` not asked for
    /// (kept), `old.mp3` no longer an output (stale: removed).
    #[cfg(unix)]
    fn write_v2(x: &Path) -> Result<()> {
        write_folder_keeping(x, &files("2", &["a.md"]), "src", &names(&["a.md", "b.md"]))
    }

    #[test]
    fn the_owner_file_holds_a_manifest_and_reads_the_old_form() {
        let of = OwnerFile {
            owner: "/a/b.txt".to_owned(),
            files: Some(names(&["briefing.md", "digest.json"]).into_iter().collect()),
        };
        assert_eq!(OwnerFile::parse(&of.text()), of);
        assert_eq!(
            OwnerFile::parse("/a/b.txt\n"),
            OwnerFile { owner: "/a/b.txt".to_owned(), files: None }
        );
        let empty = OwnerFile { owner: "feed:x:1".to_owned(), files: Some(BTreeSet::new()) };
        assert_eq!(OwnerFile::parse(&empty.text()), empty);
        assert!(!listable(OWNER_FILE) && !listable("a\nb") && listable("slides.txt"));
    }

    // Regression: issue 12, item 4 (`photos/`, FIFOs and links were deleted,
    // links to files became copies; stale outputs stayed forever).
    #[test]
    #[cfg(unix)]
    fn a_rewrite_keeps_the_users_entries_and_removes_stale_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let x = folder_with_users_files(dir.path());
        let fifo = x.join("pipe").exists();
        let mut want = tree(&x);
        write_v2(&x).unwrap();
        want.retain(|(n, _)| n != "old.mp3");
        want.iter_mut().filter(|(n, _)| n == "a.md").for_each(|e| e.1 = "2".to_owned());
        assert_eq!(tree(&x), want);
        assert!(fs::symlink_metadata(x.join("link.txt")).unwrap().file_type().is_symlink());
        assert_eq!(fifo, want.iter().any(|(n, w)| n == "pipe" && w == "special"));
        assert!(hidden_leftovers(dir.path()).is_empty());
        let of = OwnerFile::read(&x).unwrap();
        assert_eq!(of.files, Some(names(&["a.md", "b.md"]).into_iter().collect()));
    }

    #[test]
    #[cfg(unix)]
    fn a_users_folder_in_an_outputs_place_is_an_error_and_nothing_moves() {
        let dir = tempfile::tempdir().unwrap();
        let x = folder_with_users_files(dir.path());
        fs::remove_file(x.join("a.md")).unwrap();
        fs::create_dir(x.join("a.md")).unwrap();
        let before = tree(&x);
        let err = write_v2(&x).unwrap_err();
        assert!(matches!(err, Error::Write { ref path, .. } if path.ends_with("a.md")), "{err}");
        assert_eq!(tree(&x), before);
        assert!(hidden_leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_folder_from_before_manifests_loses_only_files_named_like_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let x = dir.path().join("x");
        fs::create_dir(&x).unwrap();
        for (f, t) in [(OWNER_FILE, "src\n"), ("a.md", "1"), ("b.md", "1"), ("notes.txt", "n")] {
            fs::write(x.join(f), t).unwrap();
        }
        // `b.md` is an output this run does not write: kept, and the tool's from now on.
        write_folder_keeping(&x, &files("2", &["a.md"]), "src", &names(&["a.md", "b.md"])).unwrap();
        let want = [("a.md", "2"), ("b.md", "1"), ("notes.txt", "n")];
        let want: Vec<(String, String)> =
            want.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect();
        assert_eq!(tree(&x), want);
        assert_eq!(owner_of(&x).as_deref(), Some("src"));
        let listed = OwnerFile::read(&x).unwrap().files.unwrap();
        assert_eq!(listed, names(&["a.md", "b.md"]).into_iter().collect());
    }

    // A kill -9 at any moment of a rewrite (and again at any moment of the
    // repair) leaves, once repaired, the old version or the new one, with
    // every entry of the user's as it was.
    #[test]
    #[cfg(unix)]
    fn a_rewrite_killed_at_any_moment_is_repaired_to_one_version_with_the_users_files() {
        let mut n = 0;
        let mut versions = BTreeSet::new();
        loop {
            let dir = tempfile::tempdir().unwrap();
            let x = folder_with_users_files(dir.path());
            let v1 = tree(&x);
            let killed = killed_at(n, || drop(write_v2(&x)));
            let mut v2 = v1.clone();
            v2.retain(|(n, _)| n != "old.mp3");
            v2.iter_mut().filter(|(n, _)| n == "a.md").for_each(|e| e.1 = "2".to_owned());
            // The repair itself killed at every moment, then repaired again.
            let mut m = 0;
            while killed && killed_at(m, || recover(&x)) {
                m += 1;
            }
            recover(&x);
            let got = tree(&x);
            assert!(got == v1 || got == v2, "killed at {n}: {got:?}");
            versions.insert(got == v2);
            assert!(hidden_leftovers(dir.path()).is_empty(), "killed at {n}");
            // And the next write goes through.
            write_v2(&x).unwrap();
            assert_eq!(tree(&x), v2, "after a kill at {n}");
            if !killed {
                break;
            }
            n += 1;
        }
        assert!(n > 8, "only {n} moments");
        assert_eq!(versions.len(), 2, "both versions are seen");
    }

    #[test]
    fn two_writers_of_one_folder_take_turns() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().to_owned();
        let writers: Vec<_> = (0..2)
            .map(|i| {
                let out = out.clone();
                std::thread::spawn(move || {
                    for round in 0..20 {
                        let v = format!("{i}-{round}");
                        let folder = write_new_folder(
                            &out,
                            "x",
                            &mut Taken::default(),
                            "src",
                            &files(&v, &["a.md", "b.md"]),
                            &[],
                        )
                        .unwrap();
                        assert_eq!(folder, out.join("x"));
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        // One version, never a mix.
        assert_eq!(fs::read(out.join("x/a.md")).unwrap(), fs::read(out.join("x/b.md")).unwrap());
        assert!(hidden_leftovers(&out).is_empty());
    }

    #[test]
    fn stale_temporaries_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        fs::create_dir(out.join(".speechdigest-AbC123")).unwrap();
        fs::write(out.join(".speechdigest-AbC123/briefing.md"), "half").unwrap();
        fs::write(out.join(".speechdigest-x1.tmp"), "half").unwrap();
        let live = File::create(out.join(".speechdigest-x2.tmp")).unwrap();
        live.lock().unwrap();
        // A complete staged version whose swap was cut short, its old one set aside.
        fs::create_dir(out.join(".speechdigest-new-y")).unwrap();
        fs::write(out.join(".speechdigest-new-y/a.md"), "2").unwrap();
        let of = OwnerFile {
            owner: "s".to_owned(),
            files: Some(names(&["a.md"]).into_iter().collect()),
        };
        fs::write(out.join(".speechdigest-new-y").join(OWNER_FILE), of.text()).unwrap();
        fs::create_dir(out.join(".speechdigest-old-y")).unwrap();
        fs::write(out.join(".speechdigest-old-y/a.md"), "1").unwrap();
        fs::write(out.join(".speechdigest-old-y").join(OWNER_FILE), of.text()).unwrap();
        fs::write(out.join(".speechdigest-old-y/notes.txt"), "mine").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        remove_stale_temporaries(out, SystemTime::now());
        assert_eq!(hidden_leftovers(out), [".speechdigest-x2.tmp"]);
        assert_eq!(fs::read_to_string(out.join("y/a.md")).unwrap(), "2");
        assert_eq!(fs::read_to_string(out.join("y/notes.txt")).unwrap(), "mine");
        drop(live);
        // Younger than the run: maybe another run's, kept.
        let before = SystemTime::now() - std::time::Duration::from_secs(3600);
        remove_stale_temporaries(out, before);
        assert_eq!(hidden_leftovers(out), [".speechdigest-x2.tmp"]);
        remove_stale_temporaries(out, SystemTime::now() + std::time::Duration::from_secs(1));
        assert!(hidden_leftovers(out).is_empty());
    }

    #[test]
    #[cfg(unix)]
    fn a_folder_no_longer_used_keeps_only_the_users_files() {
        let dir = tempfile::tempdir().unwrap();
        let x = folder_with_users_files(dir.path());
        remove_folder(&x);
        let left: Vec<String> = tree(&x).into_iter().map(|(n, _)| n).collect();
        assert!(!left.iter().any(|n| n.ends_with(".md") || n == "old.mp3"), "{left:?}");
        assert!(left.contains(&"photos".to_owned()) && left.contains(&"notes.txt".to_owned()));
        assert!(owner_of(&x).is_none());
        let y = dir.path().join("y");
        write_folder_atomic(&y, &files("1", &["a.md"]), "s").unwrap();
        remove_folder(&y);
        assert!(!y.exists());
    }

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
        let mut taken = Taken::default();
        let a = unique_folder(Path::new("out"), "2025-x", &mut taken, "a.txt");
        let b = unique_folder(Path::new("out"), "2025-x", &mut taken, "b.txt");
        assert_ne!(a, b);
        assert_eq!(b, Path::new("out/2025-x-2"));
    }

    #[test]
    fn picked_folders_skip_taken_and_unusable_names() {
        let mut taken = Taken::default();
        taken.folders.insert(PathBuf::from("out/x"));
        let mut asked = Vec::new();
        let got = pick_folder(Path::new("out"), "x", &mut taken, |p| {
            asked.push(p.to_owned());
            Ok::<_, ()>(p != Path::new("out/x-2"))
        });
        assert_eq!(got, Ok(PathBuf::from("out/x-3")));
        // A taken folder is never asked about.
        assert_eq!(asked, [PathBuf::from("out/x-2"), PathBuf::from("out/x-3")]);
        assert!(taken.contains(Path::new("out/x-3")));
        assert_eq!(pick_folder(Path::new("out"), "y", &mut taken, |_| Err("store")), Err("store"));
    }

    // Regression: issue 16 — `pick_folder` asked about every earlier
    // same-title folder again for each new item (quadratic in the items).
    #[test]
    fn a_series_of_one_name_is_picked_in_linear_time() {
        let mut taken = Taken::default();
        let mut asked = 0;
        for i in 0..2_000u32 {
            let got = pick_folder(Path::new("out"), "x", &mut taken, |_| {
                asked += 1;
                Ok::<_, ()>(true)
            })
            .unwrap();
            assert_eq!(got, suffixed(Path::new("out"), "x", i + 1));
        }
        assert_eq!(asked, 2_000, "one question per pick");
        assert_eq!(taken.len(), 2_000);
        // A name of another title that looks like a suffix is taken too.
        let clash = pick_folder(Path::new("out"), "x-2001", &mut taken, |_| Ok::<_, ()>(true));
        assert_eq!(clash, Ok(PathBuf::from("out/x-2001")));
        let next = pick_folder(Path::new("out"), "x", &mut taken, |_| Ok::<_, ()>(true));
        assert_eq!(next, Ok(PathBuf::from("out/x-2002")));
    }

    /// A folder refused to one input (another's) is asked about again for
    /// the next, whose own it may be.
    #[test]
    fn a_refused_folder_is_asked_about_again() {
        let mut taken = Taken::default();
        let x2 = PathBuf::from("out/x-2");
        let first = pick_folder(Path::new("out"), "x", &mut taken, |p| Ok::<_, ()>(p != x2));
        assert_eq!(first, Ok(PathBuf::from("out/x")));
        let second = pick_folder(Path::new("out"), "x", &mut taken, |p| Ok::<_, ()>(p != x2));
        assert_eq!(second, Ok(PathBuf::from("out/x-3")));
        // The owner of `x-2` comes last and gets it.
        let owner = pick_folder(Path::new("out"), "x", &mut taken, |_| Ok::<_, ()>(true));
        assert_eq!(owner, Ok(x2));
    }

    // Regression: review of stop 7 — another speech's folder was replaced,
    // and `--only` wiped the files it did not write.
    #[test]
    fn folders_belong_to_their_source_and_keep_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let outputs = names(&["briefing.md", "keypoints.md"]);
        let a = unique_folder(out, "undated-report", &mut Taken::default(), "/a.txt");
        write_folder_atomic(&a, &[("briefing.md".to_owned(), b"A".to_vec())], "/a.txt").unwrap();
        std::fs::write(a.join("notes.txt"), "mine").unwrap();
        // Another source never gets the same folder, in a later run too.
        let b = unique_folder(out, "undated-report", &mut Taken::default(), "/b.txt");
        assert_eq!(b, out.join("undated-report-2"));
        // The same source does, and keeps the files it does not rewrite.
        let again = unique_folder(out, "undated-report", &mut Taken::default(), "/a.txt");
        assert_eq!(again, a);
        let only_k = [("keypoints.md".to_owned(), b"K".to_vec())];
        write_folder_keeping(&a, &only_k, "/a.txt", &outputs).unwrap();
        for (f, want) in [("briefing.md", "A"), ("keypoints.md", "K"), ("notes.txt", "mine")] {
            assert_eq!(std::fs::read_to_string(a.join(f)).unwrap(), want);
        }
    }

    #[test]
    fn a_crash_between_the_renames_is_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("x");
        write_folder_atomic(&a, &[("f".to_owned(), b"1".to_vec())], "s").unwrap();
        // As speechdigest 0.1 left it when killed after moving the old folder
        // aside, before the new one came in.
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
        // An output is an ordinary file, not a private temporary.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let plain = dir.path().join("plain");
            std::fs::write(&plain, b"x").unwrap();
            let mode = |f: &Path| std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&p), mode(&plain), "as `fs::write` makes it, under this umask");
            std::fs::remove_file(&plain).unwrap();
        }
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
