//! What a pass reports: per item and in total, as a line or as JSON.

use serde::Serialize;

/// What happened to one item in a pass.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ItemReport {
    /// The item's identity.
    pub id: String,
    /// The source's name.
    pub source: String,
    /// `new`, `updated`, `failed`, `duplicate` (the same speech as the
    /// folder `output_dir` has), or `retry` (an environment fault: no
    /// attempt counted; unchanged items are only counted).
    pub status: String,
    /// The output folder, when written.
    pub output_dir: Option<String>,
    /// The error, when failed.
    pub error: Option<String>,
    /// True when the item has now failed too often and is parked.
    pub parked: bool,
}

/// The report of one pass.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct PassReport {
    /// Items processed for the first time.
    pub new: usize,
    /// Items reprocessed because their content changed.
    pub updated: usize,
    /// Items seen before and unchanged.
    pub unchanged: usize,
    /// Items that failed in this pass.
    pub failed: usize,
    /// Items parked earlier and not retried.
    pub parked: usize,
    /// Items left for a later pass (`--max-items`, shutdown, a pass stopped by an environment fault).
    pub deferred: usize,
    /// Links of listing pages recorded as seen without processing (past `backfill`).
    pub seen: usize,
    /// New items that are the same speech as one written before (from
    /// another source): recorded, not digested (`items[]` names its folder).
    pub duplicates: usize,
    /// What a pass wants said about its sources (a feed followed instead of a listing).
    pub notes: Vec<String>,
    /// Sources that could not be read (a feed down, a folder missing).
    pub source_errors: Vec<String>,
    /// Environment faults (a full or read-only output folder, a provider or
    /// server that does not answer): not counted against any item, which is
    /// retried next pass.
    pub environment: Vec<String>,
    /// Processed and failed items.
    pub items: Vec<ItemReport>,
    /// Wall time of the pass in milliseconds.
    pub millis: u128,
}

impl PassReport {
    /// `watch: 2 new, 0 updated, 10 unchanged, 1 failed`.
    pub(super) fn line(&self) -> String {
        let mut s = format!(
            "watch: {} new, {} updated, {} unchanged, {} failed",
            self.new, self.updated, self.unchanged, self.failed
        );
        if self.parked > 0 {
            s.push_str(&format!(", {} parked", self.parked));
        }
        if self.deferred > 0 {
            s.push_str(&format!(", {} deferred", self.deferred));
        }
        if self.seen > 0 {
            s.push_str(&format!(", {} recorded as seen (backfill)", self.seen));
        }
        if self.duplicates > 0 {
            s.push_str(&format!(", {} duplicates of speeches already digested", self.duplicates));
        }
        if !self.source_errors.is_empty() {
            s.push_str(&format!(", {} source errors", self.source_errors.len()));
        }
        if !self.environment.is_empty() {
            s.push_str(&format!(
                ", {} retried next pass (environment errors)",
                self.environment.len()
            ));
        }
        for n in &self.notes {
            s.push_str(&format!("; {n}"));
        }
        s
    }

    /// Failures of this pass (parked items were reported when they failed).
    pub(crate) fn has_failures(&self) -> bool {
        self.failed > 0 || !self.source_errors.is_empty() || !self.environment.is_empty()
    }
}
