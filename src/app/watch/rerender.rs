//! `watch --rerender`: every folder the state records as done, re-rendered
//! from its `digest.json` with its source's templates (as `render` does);
//! nothing is read, fetched or summarised.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use tracing::error;

use super::WatchOptions;
use super::sources::source_name;
use crate::app::cmd::render::{DIGEST_FILE, rerender_folder};
use crate::error::{Error, Result, chain};
use crate::render::{Selection, Templates};
use crate::store::{RunLock, Store};

/// One folder of a `--rerender` run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RerenderItem {
    /// The item's identity.
    pub(crate) id: String,
    /// The source's name (as recorded in the state).
    pub(crate) source: String,
    /// The folder.
    pub(crate) output_dir: String,
    /// The error, when it failed.
    pub(crate) error: Option<String>,
}

/// What a `--rerender` run did.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct RerenderReport {
    /// Folders re-rendered.
    pub(crate) rerendered: usize,
    /// Folders that failed (missing, invalid digest, template error).
    pub(crate) failed: usize,
    /// Every folder.
    pub(crate) items: Vec<RerenderItem>,
    /// Wall time in milliseconds.
    pub(crate) millis: u128,
}

impl RerenderReport {
    /// `watch --rerender: 12 re-rendered, 0 failed`.
    pub(crate) fn line(&self) -> String {
        format!("watch --rerender: {} re-rendered, {} failed", self.rerendered, self.failed)
    }
}

/// Re-renders every done item's folder with its source's templates
/// (`templates`, in the order of `opts.sources`); `default` are the
/// templates of the items whose source is no longer in the config. Returns the exit code: 0
/// when every folder was re-rendered, 1 when one failed (the others are still
/// done).
///
/// # Errors
/// Only the state database.
pub(crate) fn rerender(
    opts: &WatchOptions,
    templates: &[Arc<Templates>],
    default: &Templates,
) -> Result<u8> {
    let started = Instant::now();
    let Some(_lock) = RunLock::try_acquire(&opts.state_path).map_err(Error::Store)? else {
        crate::app::messages::write_stderr(&format!(
            "watch: another run holds the lock on `{}`; nothing done",
            opts.state_path.display()
        ));
        return Ok(0);
    };
    let mut store = Store::open(&opts.state_path).map_err(Error::Store)?;
    // A lost state knows no folder: put them back first, as a pass would.
    super::restore::restore_if_empty(&mut store, opts)?;
    let default_sel = Selection::all(default).split_digest_only().0;
    let mut report = RerenderReport::default();
    for item in store.items_with_status("done").map_err(Error::Store)? {
        let Some(dir) = item.output_dir.clone() else { continue };
        let (tpl, sel) = match opts.sources.iter().position(|s| source_name(s) == item.source) {
            Some(i) => (templates[i].as_ref(), Selection::all(&templates[i]).split_digest_only().0),
            None => (default, default_sel.clone()),
        };
        let outcome = rerender_folder(&Path::new(&dir).join(DIGEST_FILE), tpl, &sel);
        let error = match outcome {
            Ok(_) => {
                report.rerendered += 1;
                None
            }
            Err(e) => {
                let msg = chain(&e);
                error!("{msg}");
                report.failed += 1;
                Some(msg)
            }
        };
        report.items.push(RerenderItem {
            id: item.id,
            source: item.source,
            output_dir: dir,
            error,
        });
    }
    report.millis = started.elapsed().as_millis();
    if opts.json {
        crate::app::messages::stdout_line(&serde_json::to_string(&report).map_err(Error::Json)?)?;
        crate::app::messages::write_stderr(&report.line());
    } else {
        crate::app::messages::stdout_line(&report.line())?;
    }
    Ok(u8::from(report.failed > 0))
}
