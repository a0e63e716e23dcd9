//! Reading the command line's inputs (paths, URLs, `-`) into documents, one
//! at a time, so that a failing input is reported and the others still done.

use std::time::Duration;

use tracing::{error, info};

use crate::app::cli::InputArgs;
use crate::app::messages::Report;
use crate::error::{Error, Result, chain};
use crate::ingest::{self, Hint, Source, fetch};
use crate::model::Document;

/// Reads speeches one by one, calling `each` on every document; failures are
/// logged with the input's name and counted.
///
/// # Errors
/// Only a usage error (standard input named twice).
pub(crate) async fn for_each_document(
    input: &InputArgs,
    mut each: impl AsyncFnMut(Document) -> Result<()>,
) -> Result<Report> {
    if input.inputs.iter().filter(|i| *i == "-").count() > 1 {
        return Err(Error::Usage("standard input (`-`) can be given only once".to_owned()));
    }
    let max_bytes = input.max_input_mib * 1024 * 1024;
    let fetch_opts = fetch::FetchOptions {
        timeout: Duration::from_secs(input.fetch_timeout),
        max_bytes,
        ..fetch::FetchOptions::default()
    };
    let mut client: Option<reqwest::Client> = None;
    let mut report = Report::default();
    for arg in &input.inputs {
        let source = Source::parse(arg);
        let outcome = match load(&source, input, &fetch_opts, &mut client).await {
            Ok(doc) => each(doc).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) => report.ok += 1,
            Err(e) => {
                report.failed += 1;
                error!("{}", chain(&e));
            }
        }
    }
    Ok(report)
}

/// Loads one source into a document.
///
/// # Errors
/// Reading, fetching, decoding and empty-input errors, naming the input.
async fn load(
    source: &Source,
    input: &InputArgs,
    fetch_opts: &fetch::FetchOptions,
    client: &mut Option<reqwest::Client>,
) -> Result<Document> {
    let name = source.display();
    let (bytes, mut hint) = match source {
        Source::Url(url) => {
            if client.is_none() {
                *client = Some(fetch::client(fetch_opts)?);
            }
            let c = client.as_ref().ok_or_else(|| Error::Usage("no HTTP client".to_owned()))?;
            let f = fetch::fetch(c, url, fetch_opts).await?;
            (f.bytes, Hint { charset: f.charset, is_html: f.is_html, lang: None })
        }
        other => {
            let src = other.clone();
            let max = fetch_opts.max_bytes;
            tokio::task::spawn_blocking(move || ingest::read_source(&src, max)).await.map_err(
                |e| Error::Read { path: name.clone().into(), source: std::io::Error::other(e) },
            )??
        }
    };
    hint.lang = input.lang;
    let doc = crate::app::pipeline::guarded(&name, || ingest::ingest_bytes(&bytes, &name, &hint))?;
    info!(
        "{}: {} characters ({}), lang {}, title {:?}",
        name,
        doc.meta.chars,
        doc.meta.encoding,
        doc.meta.lang.code(),
        doc.meta.title.as_deref().unwrap_or("-")
    );
    Ok(doc)
}
