//! A lost state rebuilt from the output folders, so that deleting, emptying
//! or moving `state.sqlite` never duplicates the work already on disk.
//!
//! Every folder `watch` writes names its item twice: the owner file
//! (`output::OWNER_FILE`, which `build` and `render` respect too) holds the
//! item's identity, and [`ITEM_FILE`] beside it holds what the state row
//! needs besides: the source, the locator and the version digested. When a
//! pass opens a state that knows no item and finds owned folders, it puts
//! one `done` row back per folder: an item whose version is recorded and
//! unchanged is not digested again; one whose folder predates [`ITEM_FILE`]
//! is digested once more, into the same folder, never into a `-2` one. A
//! state that is not a database is refused as before (`Store::open`): only an
//! empty one is rebuilt, so nothing the user did not lose is overwritten.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tracing::warn;

use super::WatchOptions;
use super::sources::source_name;
use crate::error::{Error, Result};
use crate::output;
use crate::store::{Restored, Store};

/// The hidden file in a `watch` folder with the item's state row.
pub(super) const ITEM_FILE: &str = ".speechdigest-item.json";

/// What [`ITEM_FILE`] holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct ItemRecord {
    /// The item's identity (the same as the owner file's).
    pub id: String,
    /// Its source's name.
    pub source: String,
    /// The path or URL it was read from.
    pub locator: String,
    /// The content hash (files) or version (feeds) it was digested at.
    pub version: String,
}

impl ItemRecord {
    /// The file, to be written with the folder's other files.
    pub(super) fn file(&self) -> Result<(String, Vec<u8>)> {
        let mut bytes = serde_json::to_vec_pretty(self).map_err(Error::Json)?;
        bytes.push(b'\n');
        Ok((ITEM_FILE.to_owned(), bytes))
    }
}

/// When the state knows no item, puts back one `done` row per owned output
/// folder and says so in one warning. Returns how many were put back.
///
/// # Errors
/// A database error.
pub(super) fn restore_if_empty(store: &mut Store, opts: &WatchOptions) -> Result<usize> {
    if !store.has_no_items().map_err(Error::Store)? {
        return Ok(0);
    }
    let names: Vec<String> = opts.sources.iter().map(source_name).collect();
    let mut rows: Vec<Restored> = Vec::new();
    for folder in item_folders(&opts.out_dir, opts.sources.iter().filter_map(|s| s.subdir.as_ref()))
    {
        let Some(owner) = output::owner_of(&folder) else { continue };
        let record = std::fs::read(folder.join(ITEM_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<ItemRecord>(&b).ok());
        if let Some(row) = restored(&folder, &owner, record, &names)
            && !rows.iter().any(|r| r.id == row.id)
        {
            rows.push(row);
        }
    }
    if rows.is_empty() {
        return Ok(0);
    }
    let added = store.restore_done(&rows).map_err(Error::Store)?;
    let redo = rows.iter().filter(|r| r.version.is_none()).count();
    warn!(
        "state `{}` knew no item: rebuilt from {added} output folders{}",
        opts.state_path.display(),
        if redo > 0 {
            format!(
                " ({redo} without a recorded version are digested again into their own folders)"
            )
        } else {
            String::new()
        }
    );
    Ok(added)
}

/// The folders one level under the output folder and under each source's
/// subfolder, in name order; hidden ones (temporaries) left out.
fn item_folders<'a>(out_dir: &Path, subdirs: impl Iterator<Item = &'a PathBuf>) -> Vec<PathBuf> {
    let mut bases = vec![out_dir.to_owned()];
    for d in subdirs {
        let b = out_dir.join(d);
        if !bases.contains(&b) {
            bases.push(b);
        }
    }
    let mut out = Vec::new();
    for base in bases {
        let Ok(rd) = std::fs::read_dir(&base) else { continue };
        let mut dirs: Vec<PathBuf> = rd
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path())
            .collect();
        dirs.sort();
        out.extend(dirs);
    }
    out
}

/// The state row of a folder owned by `owner`: from its record when that
/// names the same item; else from the identity itself when it is one of a
/// configured source's (`file:<source>:…`, `feed:<source>:…`,
/// `url:<source>:…`), without a version; else none (a `build` folder, or a
/// source no longer configured).
fn restored(
    folder: &Path,
    owner: &str,
    record: Option<ItemRecord>,
    sources: &[String],
) -> Option<Restored> {
    let output_dir = folder.display().to_string();
    if let Some(r) = record.filter(|r| r.id == owner) {
        return Some(Restored {
            id: r.id,
            source: r.source,
            locator: r.locator,
            version: Some(r.version),
            output_dir,
        });
    }
    // The longest name wins: sources `a` and `a:b` both prefix `file:a:b:x`.
    let (source, rest) = sources
        .iter()
        .filter_map(|name| {
            ["file", "feed", "url"]
                .iter()
                .find_map(|kind| owner.strip_prefix(&format!("{kind}:{name}:")))
                .map(|rest| (name, rest))
        })
        .max_by_key(|(name, _)| name.len())?;
    Some(Restored {
        id: owner.to_owned(),
        source: source.clone(),
        locator: rest.to_owned(),
        version: None,
        output_dir,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str) -> ItemRecord {
        ItemRecord {
            id: id.to_owned(),
            source: "inbox".to_owned(),
            locator: "/in/a.txt".to_owned(),
            version: "h1".to_owned(),
        }
    }

    #[test]
    fn a_folder_gives_its_row_from_its_record_or_its_identity() {
        let names = ["inbox".to_owned(), "a:b".to_owned(), "a".to_owned()];
        let f = Path::new("out/x");
        let r = restored(f, "file:inbox:a.txt", Some(record("file:inbox:a.txt")), &names).unwrap();
        assert_eq!(
            (r.source.as_str(), r.locator.as_str(), r.version.as_deref()),
            ("inbox", "/in/a.txt", Some("h1"))
        );
        assert_eq!(r.output_dir, "out/x");
        // A record of another item is not this folder's.
        let r = restored(f, "file:inbox:b.txt", Some(record("file:inbox:a.txt")), &names).unwrap();
        assert_eq!((r.locator.as_str(), r.version), ("b.txt", None));
        let r = restored(f, "feed:a:b:guid:1", None, &names).unwrap();
        assert_eq!((r.source.as_str(), r.locator.as_str()), ("a:b", "guid:1"));
        // `build`'s owners and unknown sources are not watch items.
        assert_eq!(restored(f, "/home/me/speech.txt", None, &names), None);
        assert_eq!(restored(f, "file:gone:a.txt", None, &names), None);
    }

    #[test]
    fn records_round_trip() {
        let (name, bytes) = record("feed:f:guid:1").file().unwrap();
        assert_eq!(name, ITEM_FILE);
        assert_eq!(serde_json::from_slice::<ItemRecord>(&bytes).unwrap(), record("feed:f:guid:1"));
    }
}
