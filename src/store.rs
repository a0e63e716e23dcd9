//! One SQLite file per purpose (`rusqlite`, bundled): the API response cache
//! and the scheduled-run state. Schema versioned with `PRAGMA user_version`
//! and forward-only migrations; WAL so that readers never block the writer.
//!
//! Sync by design: callers in async code make short calls (or use
//! `spawn_blocking`).

use std::path::{Path, PathBuf};

use crate::error::StoreError;
use rusqlite::{Connection, OptionalExtension, params};

/// Forward-only migrations; index + 1 is the schema version they produce.
const MIGRATIONS: &[&str] = &[
    // 1: cache and item state.
    "CREATE TABLE cache (
        key TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL,
        model TEXT NOT NULL,
        response TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL DEFAULT 0,
        completion_tokens INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE TABLE items (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        locator TEXT NOT NULL,
        title TEXT,
        content_hash TEXT,
        status TEXT NOT NULL CHECK (status IN ('done', 'failed', 'parked', 'skipped')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        output_dir TEXT,
        first_seen TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE INDEX items_status ON items(status);",
    // 2: finding the item that owns an output folder is a lookup, not a scan.
    "CREATE INDEX items_output_dir ON items(output_dir);",
    // 3: synthesised speech, one row per request (key: the whole request),
    // evicted oldest first (by rowid) above the size cap.
    "CREATE TABLE audio (
        key TEXT PRIMARY KEY,
        engine TEXT NOT NULL,
        bytes BLOB NOT NULL,
        size INTEGER NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );",
    // 4: what a listing page (a `page` source) showed last: its validators
    // for a conditional GET, and its links (JSON) for when it answers 304.
    "CREATE TABLE listings (
        source TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        links TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );",
    // 5: the MinHash signature of each written item's text, so that the
    // same speech from another source is recorded as a duplicate.
    "CREATE TABLE signatures (
        id TEXT PRIMARY KEY,
        output_dir TEXT NOT NULL,
        sig BLOB NOT NULL
    );",
];

/// What the state knows about a listing page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListingState {
    /// The listing's URL (validators of another URL are not sent).
    pub url: String,
    /// `ETag` of its last answer.
    pub etag: Option<String>,
    /// `Last-Modified` of its last answer.
    pub last_modified: Option<String>,
    /// Its links, as JSON.
    pub links: String,
}

/// An open store.
pub(crate) struct Store {
    conn: Connection,
    path: PathBuf,
}

/// What the state knows about one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ItemState {
    /// Stable identity (see `watch`).
    pub id: String,
    /// The name of the source it came from.
    pub source: String,
    /// `done`, `failed`, `parked` or `skipped`.
    pub status: String,
    /// Hash of the content last processed (or tried).
    pub content_hash: Option<String>,
    /// Failed attempts since the last success.
    pub attempts: u32,
    /// The folder written for it.
    pub output_dir: Option<String>,
    /// The last error, for failed and parked items.
    pub last_error: Option<String>,
}

/// An item found done on disk, to be put back into a lost state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Restored {
    /// Its identity, as its folder's owner file names it.
    pub id: String,
    /// Its source's name.
    pub source: String,
    /// Where it was read from (a path or a URL), for reports.
    pub locator: String,
    /// The version it was digested at, when the folder recorded it; `None`
    /// makes the next pass digest it again, into the same folder.
    pub version: Option<String>,
    /// The folder.
    pub output_dir: String,
}

impl Store {
    /// Opens (creating it and its folder when needed) and migrates the database at `path`.
    ///
    /// # Errors
    /// An unusable file or a schema newer than this program.
    pub(crate) fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Dir { path: dir.to_owned(), source: e })?;
        }
        let sql = |e| StoreError::Sql { path: path.to_owned(), source: e };
        let conn = Connection::open(path).map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(30)).map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sql)?;
        // FULL: a row saying "done" must not outlive a power loss that its
        // output folder did not survive.
        conn.pragma_update(None, "synchronous", "FULL").map_err(sql)?;
        let mut store = Store { conn, path: path.to_owned() };
        store.migrate()?;
        Ok(store)
    }

    fn sql(&self, e: rusqlite::Error) -> StoreError {
        StoreError::Sql { path: self.path.clone(), source: e }
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew { path: self.path.clone(), found: version, known });
        }
        for (i, m) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self
                .conn
                .transaction()
                .map_err(|e| StoreError::Sql { path: self.path.clone(), source: e })?;
            tx.execute_batch(m)
                .map_err(|e| StoreError::Sql { path: self.path.clone(), source: e })?;
            tx.pragma_update(None, "user_version", i as i64 + 1)
                .map_err(|e| StoreError::Sql { path: self.path.clone(), source: e })?;
            tx.commit().map_err(|e| StoreError::Sql { path: self.path.clone(), source: e })?;
        }
        Ok(())
    }

    #[cfg(test)]
    /// The schema version of the open file.
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| self.sql(e))
    }

    /// A cached response for `key`.
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn cache_get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT response FROM cache WHERE key = ?1", params![key], |r| r.get(0))
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Stores a response under `key` (replacing an older one).
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn cache_put(
        &self,
        key: &str,
        endpoint: &str,
        model: &str,
        response: &str,
        tokens: (u32, u32),
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO cache (key, endpoint, model, response, prompt_tokens, completion_tokens) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![key, endpoint, model, response, tokens.0, tokens.1],
            )
            .map(drop)
            .map_err(|e| self.sql(e))
    }

    /// A cached piece of speech for `key`.
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn audio_get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.conn
            .query_row("SELECT bytes FROM audio WHERE key = ?1", params![key], |r| r.get(0))
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Stores a piece of speech under `key`, then removes the oldest pieces
    /// until all of them take at most `cap` bytes (the newest is kept even
    /// when it alone is larger).
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn audio_put(
        &self,
        key: &str,
        engine: &str,
        bytes: &[u8],
        cap: u64,
    ) -> Result<(), StoreError> {
        let sql = |e| self.sql(e);
        self.conn
            .execute(
                "INSERT OR REPLACE INTO audio (key, engine, bytes, size) VALUES (?1, ?2, ?3, ?4)",
                params![key, engine, bytes, bytes.len() as i64],
            )
            .map_err(sql)?;
        let total: i64 = self
            .conn
            .query_row("SELECT COALESCE(SUM(size), 0) FROM audio", [], |r| r.get(0))
            .map_err(sql)?;
        let mut over = total - i64::try_from(cap).unwrap_or(i64::MAX);
        if over <= 0 {
            return Ok(());
        }
        let mut stmt = self
            .conn
            .prepare("SELECT rowid, size FROM audio WHERE key <> ?1 ORDER BY rowid")
            .map_err(sql)?;
        let rows: Vec<(i64, i64)> = stmt
            .query_map(params![key], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql)?
            .collect::<Result<_, _>>()
            .map_err(sql)?;
        for (rowid, size) in rows {
            if over <= 0 {
                break;
            }
            self.conn.execute("DELETE FROM audio WHERE rowid = ?1", params![rowid]).map_err(sql)?;
            over -= size;
        }
        Ok(())
    }

    #[cfg(test)]
    /// The pieces of speech cached, and their bytes.
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn audio_usage(&self) -> Result<(u64, u64), StoreError> {
        self.conn
            .query_row("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM audio", [], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64))
            })
            .map_err(|e| self.sql(e))
    }

    /// The state of item `id`, if seen before.
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn item(&self, id: &str) -> Result<Option<ItemState>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, status, content_hash, attempts, output_dir, last_error, source FROM items WHERE id = ?1",
                params![id],
                item_from_row,
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Records a processed item.
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn mark_done(
        &self,
        id: &str,
        source: &str,
        locator: &str,
        title: Option<&str>,
        hash: &str,
        output_dir: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO items (id, source, locator, title, content_hash, status, attempts, last_error, output_dir)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'done', 0, NULL, ?6)
                 ON CONFLICT(id) DO UPDATE SET source = excluded.source, locator = excluded.locator, title = excluded.title,
                   content_hash = excluded.content_hash, status = 'done', attempts = 0, last_error = NULL,
                   output_dir = excluded.output_dir, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')",
                params![id, source, locator, title, hash, output_dir],
            )
            .map(drop)
            .map_err(|e| self.sql(e))
    }

    /// What the state knows about the listing of source `key`.
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn listing(&self, key: &str) -> Result<Option<ListingState>, StoreError> {
        self.conn
            .query_row(
                "SELECT url, etag, last_modified, links FROM listings WHERE source = ?1",
                params![key],
                |r| {
                    Ok(ListingState {
                        url: r.get(0)?,
                        etag: r.get(1)?,
                        last_modified: r.get(2)?,
                        links: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Records what the listing of source `key` showed.
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn put_listing(&self, key: &str, l: &ListingState) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO listings (source, url, etag, last_modified, links) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![key, l.url, l.etag, l.last_modified, l.links],
            )
            .map(drop)
            .map_err(|e| self.sql(e))
    }

    /// Records an item as seen and not to be processed (a listing's older
    /// links past `backfill`), unless the state knows it already.
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn mark_seen(
        &self,
        id: &str,
        source: &str,
        locator: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT OR IGNORE INTO items (id, source, locator, status) VALUES (?1, ?2, ?3, 'skipped')",
                params![id, source, locator],
            )
            .map(drop)
            .map_err(|e| self.sql(e))
    }

    /// Records the text signature of a written item (see `watch::neardup`).
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn put_signature(
        &self,
        id: &str,
        output_dir: &str,
        sig: &[u8],
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO signatures (id, output_dir, sig) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET output_dir = excluded.output_dir, sig = excluded.sig",
                params![id, output_dir, sig],
            )
            .map(drop)
            .map_err(|e| self.sql(e))
    }

    /// Every recorded signature of an item that is done: (id, source,
    /// folder, signature).
    ///
    /// # Errors
    /// A database error.
    #[allow(clippy::type_complexity)]
    pub(crate) fn signatures(&self) -> Result<Vec<(String, String, String, Vec<u8>)>, StoreError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT s.id, i.source, s.output_dir, s.sig FROM signatures s JOIN items i ON i.id = s.id
                 WHERE i.status = 'done' ORDER BY i.rowid",
            )
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.sql(e))
    }

    /// Records an item as the same speech as another (`note` says which):
    /// seen at `hash`, not digested, no folder of its own. A later version
    /// of it is a candidate again.
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn mark_duplicate(
        &self,
        id: &str,
        source: &str,
        locator: &str,
        hash: &str,
        note: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO items (id, source, locator, content_hash, status, attempts, last_error, output_dir)
                 VALUES (?1, ?2, ?3, ?4, 'skipped', 0, ?5, NULL)
                 ON CONFLICT(id) DO UPDATE SET source = excluded.source, locator = excluded.locator,
                   content_hash = excluded.content_hash, status = 'skipped', attempts = 0,
                   last_error = excluded.last_error, output_dir = NULL,
                   updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')",
                params![id, source, locator, hash, note],
            )
            .map(drop)
            .map_err(|e| self.sql(e))
    }

    /// Records a failed attempt; the item is `parked` once `attempts` reaches `max_attempts`.
    /// Returns the new attempt count.
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn mark_failed(
        &self,
        id: &str,
        source: &str,
        locator: &str,
        hash: Option<&str>,
        error: &str,
        max_attempts: u32,
    ) -> Result<u32, StoreError> {
        let prev = self.item(id)?;
        let attempts = match &prev {
            Some(p) if p.status == "failed" || p.status == "parked" => p.attempts + 1,
            _ => 1,
        };
        let status = if attempts >= max_attempts { "parked" } else { "failed" };
        self.conn
            .execute(
                "INSERT INTO items (id, source, locator, content_hash, status, attempts, last_error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(id) DO UPDATE SET source = excluded.source, locator = excluded.locator,
                   content_hash = excluded.content_hash, status = excluded.status, attempts = excluded.attempts,
                   last_error = excluded.last_error, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')",
                params![id, source, locator, hash, status, attempts, error],
            )
            .map_err(|e| self.sql(e))?;
        Ok(attempts)
    }

    /// The item whose output is `output_dir`, if any.
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn owner_of(&self, output_dir: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT id FROM items WHERE output_dir = ?1 LIMIT 1",
                params![output_dir],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// True when the state knows no item at all: a new file, or one that was
    /// deleted, emptied or moved away (see `watch`'s restore).
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn has_no_items(&self) -> Result<bool, StoreError> {
        self.conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM items)", [], |r| r.get(0))
            .map_err(|e| self.sql(e))
    }

    /// Records items found done on disk (an output folder that names them),
    /// in one transaction; an item the state knows already is left as it is.
    /// Returns how many were added.
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn restore_done(&mut self, items: &[Restored]) -> Result<usize, StoreError> {
        let path = self.path.clone();
        let sql = |e| StoreError::Sql { path: path.clone(), source: e };
        let tx = self.conn.transaction().map_err(sql)?;
        let mut added = 0;
        for it in items {
            added += tx
                .execute(
                    "INSERT INTO items (id, source, locator, content_hash, status, attempts, output_dir)
                     VALUES (?1, ?2, ?3, ?4, 'done', 0, ?5) ON CONFLICT(id) DO NOTHING",
                    params![it.id, it.source, it.locator, it.version, it.output_dir],
                )
                .map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        Ok(added)
    }

    /// Items in a status, for reports.
    ///
    /// # Errors
    /// A database error.
    pub(crate) fn items_with_status(&self, status: &str) -> Result<Vec<ItemState>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, status, content_hash, attempts, output_dir, last_error, source FROM items WHERE status = ?1 ORDER BY id")
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map(params![status], item_from_row).map_err(|e| self.sql(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.sql(e))
    }
}

/// An `items` row selected as `id, status, content_hash, attempts, output_dir, last_error, source`.
fn item_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ItemState> {
    Ok(ItemState {
        id: r.get(0)?,
        status: r.get(1)?,
        content_hash: r.get(2)?,
        attempts: r.get(3)?,
        output_dir: r.get(4)?,
        last_error: r.get(5)?,
        source: r.get(6)?,
    })
}

/// An exclusive lock held for a whole run (released when dropped or when the
/// process dies: it is an OS file lock, so a killed run never leaves it stuck).
pub(crate) struct RunLock {
    _file: std::fs::File,
}

impl RunLock {
    /// Tries to take the lock next to `state_path` (`<state file>.lock`); `None`
    /// when another run holds it.
    ///
    /// # Errors
    /// When the lock file cannot be created.
    pub(crate) fn try_acquire(state_path: &Path) -> Result<Option<RunLock>, StoreError> {
        let mut lock_path = state_path.as_os_str().to_owned();
        lock_path.push(".lock");
        let lock_path = PathBuf::from(lock_path);
        if let Some(dir) = lock_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Dir { path: dir.to_owned(), source: e })?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| StoreError::Dir { path: lock_path.clone(), source: e })?;
        match file.try_lock() {
            Ok(()) => Ok(Some(RunLock { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(StoreError::Dir { path: lock_path, source: e })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_caches_and_tracks_items() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/state.sqlite");
        let s = Store::open(&p).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        assert_eq!(s.cache_get("k").unwrap(), None);
        s.cache_put("k", "http://x/v1", "m", "{}", (1, 2)).unwrap();
        assert_eq!(s.cache_get("k").unwrap().as_deref(), Some("{}"));
        assert_eq!(s.mark_failed("a", "src", "a.txt", Some("h"), "boom", 2).unwrap(), 1);
        assert_eq!(s.item("a").unwrap().unwrap().status, "failed");
        assert_eq!(s.mark_failed("a", "src", "a.txt", Some("h"), "boom", 2).unwrap(), 2);
        assert_eq!(s.item("a").unwrap().unwrap().status, "parked");
        s.mark_done("a", "src", "a.txt", Some("t"), "h2", "out/x").unwrap();
        let a = s.item("a").unwrap().unwrap();
        assert_eq!(
            (a.status.as_str(), a.attempts, a.content_hash.as_deref()),
            ("done", 0, Some("h2"))
        );
        assert_eq!(s.items_with_status("done").unwrap()[0].source, "src");
        drop(s);
        // Reopening does not migrate again.
        assert_eq!(Store::open(&p).unwrap().schema_version().unwrap(), MIGRATIONS.len() as i64);
    }

    #[test]
    fn a_lost_state_is_restored_without_overwriting_what_it_knows() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("state.sqlite");
        // A 0-byte file is an empty database.
        std::fs::write(&p, b"").unwrap();
        let mut s = Store::open(&p).unwrap();
        assert!(s.has_no_items().unwrap());
        let row = |id: &str, v: Option<&str>| Restored {
            id: id.to_owned(),
            source: "inbox".to_owned(),
            locator: "a.txt".to_owned(),
            version: v.map(str::to_owned),
            output_dir: format!("out/{id}"),
        };
        assert_eq!(s.restore_done(&[row("a", Some("h1")), row("b", None)]).unwrap(), 2);
        assert!(!s.has_no_items().unwrap());
        let a = s.item("a").unwrap().unwrap();
        assert_eq!((a.status.as_str(), a.content_hash.as_deref()), ("done", Some("h1")));
        assert_eq!(s.item("b").unwrap().unwrap().content_hash, None);
        assert_eq!(s.owner_of("out/a").unwrap().as_deref(), Some("a"));
        // Known items keep their state.
        s.mark_failed("c", "inbox", "c.txt", Some("h"), "boom", 3).unwrap();
        assert_eq!(s.restore_done(&[row("a", Some("other")), row("c", None)]).unwrap(), 0);
        assert_eq!(s.item("a").unwrap().unwrap().content_hash.as_deref(), Some("h1"));
        assert_eq!(s.item("c").unwrap().unwrap().status, "failed");
    }

    #[test]
    fn a_corrupt_state_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("state.sqlite");
        std::fs::write(&p, vec![b'x'; 4096]).unwrap();
        let e = Store::open(&p).err().expect("refused");
        assert!(!e.is_environment(), "{e}");
    }

    #[test]
    fn audio_is_cached_under_a_size_cap_oldest_out_first() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("c.sqlite")).unwrap();
        for k in ["a", "b", "c"] {
            s.audio_put(k, "e", &[7; 100], 250).unwrap();
        }
        assert_eq!(s.audio_get("a").unwrap(), None, "the oldest went");
        assert_eq!(s.audio_get("c").unwrap().map(|b| b.len()), Some(100));
        assert_eq!(s.audio_usage().unwrap(), (2, 200));
        s.audio_put("big", "e", &[1; 1000], 250).unwrap();
        assert_eq!(s.audio_usage().unwrap(), (1, 1000), "the newest stays");
    }

    #[test]
    fn run_lock_is_exclusive() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("state.sqlite");
        let first = RunLock::try_acquire(&p).unwrap();
        assert!(first.is_some());
        assert!(RunLock::try_acquire(&p).unwrap().is_none());
        drop(first);
        assert!(RunLock::try_acquire(&p).unwrap().is_some());
    }
}
