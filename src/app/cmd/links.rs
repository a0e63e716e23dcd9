//! `links`: the article links of a listing page, as a `page` source of
//! `watch` finds them (the same detection and overrides), to check a
//! source before adding it. A URL is fetched as `watch` fetches a listing:
//! with the config's `[http] user_agent`, and only when its site's
//! `robots.txt` allows it (`[http] robots = false` or `--no-robots` to
//! fetch it anyway).

use std::time::Duration;

use crate::app::cli::LinksArgs;
use crate::app::config::Config;
use crate::app::messages::{Report, stdout_line, write_stderr};
use crate::app::watch::Polite;
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
            let http = Config::discover(None)?.map(|(_, c)| c.http).unwrap_or_default();
            let opts = fetch::FetchOptions {
                timeout: Duration::from_secs(args.fetch_timeout),
                user_agent: http.user_agent.clone(),
                ..fetch::FetchOptions::default()
            };
            let client = fetch::client(&opts)?;
            let agent = opts.user_agent.as_deref().unwrap_or(fetch::USER_AGENT);
            let polite = Polite::new(Duration::ZERO, agent);
            if !args.no_robots
                && http.robots.unwrap_or(true)
                && !polite.allowed(&client, &opts, &u).await
            {
                write_stderr(&format!(
                    "links: `robots.txt` of its site disallows `{u}`; not fetched (--no-robots, or `robots = false` on a source, to fetch it anyway)"
                ));
                return Ok(Report { ok: 0, failed: 1 });
            }
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
