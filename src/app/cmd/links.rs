//! `links`: the article links of a listing page, as a `page` source of
//! `watch` finds them (the same detection and overrides), to check a
//! source before adding it.

use std::time::Duration;

use crate::app::cli::LinksArgs;
use crate::app::messages::{Report, stdout_line, write_stderr};
use crate::error::{Error, Result};
use crate::ingest::{self, decode, fetch, listing};

pub(crate) async fn run(args: LinksArgs) -> Result<Report> {
    let re = |r: &Option<String>| {
        r.as_deref()
            .map(regex::Regex::new)
            .transpose()
            .map_err(|e| Error::Usage(format!("a bad regex: {e}")))
    };
    let ov = listing::Overrides {
        selector: args.selector.clone(),
        link_pattern: re(&args.link_pattern)?,
        title_contains: re(&args.title_contains)?,
    };
    let (bytes, charset, base) = match ingest::Source::parse(&args.input) {
        ingest::Source::Url(u) => {
            let opts = fetch::FetchOptions {
                timeout: Duration::from_secs(args.fetch_timeout),
                ..fetch::FetchOptions::default()
            };
            let client = fetch::client(&opts)?;
            let f = fetch::fetch(&client, &u, &opts).await?;
            (f.bytes, f.charset, u)
        }
        ingest::Source::Path(p) => {
            let (bytes, _) =
                ingest::read_source(&ingest::Source::Path(p.clone()), ingest::DEFAULT_MAX_BYTES)?;
            let abs = std::path::absolute(&p).unwrap_or(p);
            let base = url::Url::from_file_path(&abs)
                .map(|u| u.to_string())
                .map_err(|()| Error::Usage(format!("`{}` is not a file path", abs.display())))?;
            (bytes, None, base)
        }
        ingest::Source::Stdin => {
            return Err(Error::Usage("links reads a URL or a file, not standard input".to_owned()));
        }
    };
    let text = decode::decode(&bytes, charset.as_deref())
        .map_err(|p| Error::Decode { input: args.input.clone(), what: format!("{p:?}") })?
        .text;
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let found = listing::detect(&text, &base, &ov, &today).map_err(Error::Usage)?;
    if args.json {
        let json = serde_json::to_string_pretty(&found).map_err(Error::Json)?;
        stdout_line(&json)?;
    } else {
        for l in &found.links {
            stdout_line(&format!("{}\t{}\t{}", l.date.as_deref().unwrap_or("-"), l.title, l.url))?;
        }
        for p in &found.next_pages {
            write_stderr(&format!("next page: {p}"));
        }
        for f in &found.feeds {
            write_stderr(&format!("advertised feed: {f}"));
        }
    }
    if found.links.is_empty() {
        write_stderr(&format!(
            "links: no article links found on `{}` (try --selector or --link-pattern)",
            args.input
        ));
        return Ok(Report { ok: 0, failed: 1 });
    }
    write_stderr(&format!("links: {} article links", found.links.len()));
    Ok(Report { ok: 1, failed: 0 })
}
