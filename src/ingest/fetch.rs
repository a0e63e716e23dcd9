//! The only network code of ingest: an HTTP(S) GET with a timeout, a size cap
//! and a user agent, returning the body bytes and the declared charset; and
//! the one HTTP client set-up, which the chat API client uses too.

use std::time::Duration;

use crate::error::{Error, FetchFailure, Result};

/// Options for fetching a page.
#[derive(Debug, Clone)]
pub(crate) struct FetchOptions {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Largest body accepted, in bytes.
    pub max_bytes: u64,
    /// Follow redirects to private and loopback addresses even when the first
    /// URL is public.
    pub allow_private: bool,
    /// Hosts whose redirects may go to private and loopback addresses (the
    /// hosts of the sources with `allow_private = true`).
    pub allow_private_hosts: Vec<String>,
    /// The `User-Agent` instead of `speechdigest/VERSION` (`[http] user_agent`).
    pub user_agent: Option<String>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            max_bytes: super::DEFAULT_MAX_BYTES,
            allow_private: false,
            allow_private_hosts: Vec::new(),
            user_agent: None,
        }
    }
}

/// Redirects followed at most (curl's `--max-redirs` default is 50; browsers
/// stop at 20; reqwest's own default is 10).
const MAX_REDIRECTS: usize = 10;

/// True when `url` names this machine or a private network: a loopback,
/// private, link-local, shared (CGNAT) or unspecified IP literal, or a
/// `localhost` / `.localhost` / `.local` name. Names are not resolved: a
/// public name that resolves to a private address is the DNS owner's choice.
pub(crate) fn is_private(url: &reqwest::Url) -> bool {
    use std::net::{IpAddr, Ipv4Addr};
    let v4 = |ip: Ipv4Addr| {
        let [a, b, ..] = ip.octets();
        ip.is_loopback()
            || ip.is_private()
            || ip.is_link_local()
            || ip.is_unspecified()
            || ip.is_broadcast()
            || (a == 100 && (64..128).contains(&b))
    };
    let Some(host) = url.host_str() else { return false };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => v4(ip),
        Ok(IpAddr::V6(ip)) => {
            let seg = ip.segments()[0];
            ip.is_loopback()
                || ip.is_unspecified()
                || (seg & 0xfe00) == 0xfc00
                || (seg & 0xffc0) == 0xfe80
                || ip.to_ipv4_mapped().is_some_and(v4)
        }
        Err(_) => {
            let d = host.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost") || d.ends_with(".local")
        }
    }
}

/// Whether a redirect from the chain that started at `first` may go to
/// `next`: refused to a private or loopback address unless `first` was one
/// already (a page on the intranet may redirect inside it) or the source
/// allows it, and refused past [`MAX_REDIRECTS`].
pub(crate) fn redirect_allowed(
    first: &reqwest::Url,
    next: &reqwest::Url,
    hops: usize,
    allow_private: bool,
) -> std::result::Result<(), String> {
    if hops > MAX_REDIRECTS {
        return Err(format!("more than {MAX_REDIRECTS} redirects"));
    }
    if !allow_private && is_private(next) && !is_private(first) {
        return Err(format!(
            "a redirect to a private or loopback address (`{}`) was refused \
             (allow it with `allow_private = true` on the source)",
            next.host_str().unwrap_or_default()
        ));
    }
    Ok(())
}

/// A fetched page.
#[derive(Debug, Clone)]
pub(crate) struct Fetched {
    /// The body.
    pub bytes: Vec<u8>,
    /// `charset=` of the `Content-Type` header, if any.
    pub charset: Option<String>,
    /// True when the server says the body is HTML.
    pub is_html: bool,
}

/// The user agent of every request speechdigest makes.
pub(crate) const USER_AGENT: &str = concat!("speechdigest/", env!("CARGO_PKG_VERSION"));

/// The one HTTP client set-up, for pages and feeds here and for the chat
/// API (`llm`): a whole-request `timeout`, a `connect_timeout` and our user
/// agent; reqwest's defaults do the rest (rustls, gzip, redirects).
///
/// With `https` false (an `http://` endpoint) the client trusts no
/// certificate authority: loading the platform's CA store (hundreds of
/// files) is start-up cost such a client never needs (issue 16). A redirect
/// to `https` then fails its TLS handshake instead of being trusted.
///
/// # Errors
/// When the TLS backend cannot be initialised.
pub(crate) fn http_client(
    timeout: Duration,
    connect_timeout: Duration,
    https: bool,
) -> reqwest::Result<reqwest::Client> {
    let builder = base_builder(timeout, connect_timeout);
    let builder = if https { builder } else { builder.tls_certs_only([]) };
    builder.build()
}

/// What every client of ours sets: the timeouts and the user agent.
fn base_builder(timeout: Duration, connect_timeout: Duration) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(connect_timeout)
        .user_agent(USER_AGENT)
}

/// Builds the HTTP client used for pages and feeds.
///
/// # Errors
/// When the TLS backend cannot be initialised.
pub(crate) fn client(opts: &FetchOptions) -> Result<reqwest::Client> {
    let (allow_all, hosts) = (opts.allow_private, opts.allow_private_hosts.clone());
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        let verdict = attempt.previous().first().map_or(Ok(()), |first| {
            let allow = allow_all
                || first
                    .host_str()
                    .is_some_and(|h| hosts.iter().any(|a| a.eq_ignore_ascii_case(h)));
            redirect_allowed(first, attempt.url(), attempt.previous().len(), allow)
        });
        match verdict {
            Ok(()) => attempt.follow(),
            Err(why) => attempt.error(why),
        }
    });
    base_builder(opts.timeout, opts.timeout.min(Duration::from_secs(10)))
        .user_agent(opts.user_agent.as_deref().unwrap_or(USER_AGENT))
        .redirect(policy)
        .build()
        .map_err(|e| Error::Fetch {
            url: String::new(),
            reason: e.to_string(),
            failure: FetchFailure::Other,
        })
}

/// What a server said identifies a version of a page: sent back on the
/// next request, an unchanged page is a `304 Not Modified` and no body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Validators {
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
}

/// GETs `url`, refusing bodies larger than `opts.max_bytes` without reading them whole.
///
/// # Errors
/// Connection failures, timeouts, non-success statuses and oversized bodies.
pub(crate) async fn fetch(
    client: &reqwest::Client,
    url: &str,
    opts: &FetchOptions,
) -> Result<Fetched> {
    match get(client, url, opts, None).await? {
        Some((f, _)) => Ok(f),
        None => Err(Error::Fetch {
            url: url.to_owned(),
            reason: "the server answered 304 Not Modified to a plain request".to_owned(),
            failure: FetchFailure::Other,
        }),
    }
}

/// GETs `url` with `If-None-Match` / `If-Modified-Since` from `known`:
/// `None` when the server answers 304 (the page is unchanged), else the page
/// and its new validators.
///
/// # Errors
/// As [`fetch`].
pub(crate) async fn fetch_conditional(
    client: &reqwest::Client,
    url: &str,
    opts: &FetchOptions,
    known: &Validators,
) -> Result<Option<(Fetched, Validators)>> {
    get(client, url, opts, Some(known)).await
}

async fn get(
    client: &reqwest::Client,
    url: &str,
    opts: &FetchOptions,
    known: Option<&Validators>,
) -> Result<Option<(Fetched, Validators)>> {
    use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
    let fail = |reason: String, failure| Error::Fetch { url: url.to_owned(), reason, failure };
    let mut req = client.get(url);
    if let Some(v) = known {
        if let Some(e) = &v.etag {
            req = req.header(IF_NONE_MATCH, e);
        }
        if let Some(m) = &v.last_modified {
            req = req.header(IF_MODIFIED_SINCE, m);
        }
    }
    let mut resp = req.send().await.map_err(|e| fail(describe(&e), failure(&e)))?;
    let status = resp.status();
    if status == reqwest::StatusCode::NOT_MODIFIED && known.is_some() {
        return Ok(None);
    }
    if !status.is_success() {
        return Err(fail(
            format!("the server answered {status}"),
            FetchFailure::Status(status.as_u16()),
        ));
    }
    let header = |name| {
        resp.headers()
            .get(name)
            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let validators = Validators { etag: header(ETAG), last_modified: header(LAST_MODIFIED) };
    if let Some(len) = resp.content_length()
        && len > opts.max_bytes
    {
        return Err(Error::TooLarge { input: url.to_owned(), size: len, limit: opts.max_bytes });
    }
    let content_type = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let charset = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("charset="))
        .map(|c| c.trim_matches('"').to_owned());
    let is_html = content_type.contains("html");
    let mut bytes = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| fail(describe(&e), failure(&e)))? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > opts.max_bytes {
            return Err(Error::TooLarge {
                input: url.to_owned(),
                size: bytes.len() as u64,
                limit: opts.max_bytes,
            });
        }
    }
    Ok(Some((Fetched { bytes, charset, is_html }, validators)))
}

/// No answer (the network's fault, retried next pass) or a bad request (the item's).
fn failure(e: &reqwest::Error) -> FetchFailure {
    if e.is_timeout() || e.is_connect() || e.is_request() || e.is_body() {
        FetchFailure::Transport
    } else {
        FetchFailure::Other
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_connect() {
        "connection failed".to_owned()
    } else {
        // reqwest's Display names the URL already; keep only the innermost cause.
        crate::error::causes(e).last().map(ToString::to_string).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> reqwest::Url {
        reqwest::Url::parse(s).unwrap()
    }

    #[test]
    fn private_and_loopback_hosts() {
        for (u, private) in [
            ("http://127.0.0.1:9/", true),
            ("http://127.8.0.1/", true),
            ("http://10.1.2.3/", true),
            ("http://172.16.0.1/", true),
            ("http://192.168.1.1/", true),
            ("http://169.254.169.254/latest/meta-data/", true),
            ("http://100.64.0.1/", true),
            ("http://0.0.0.0/", true),
            ("http://[::1]/", true),
            ("http://[fd00::1]/", true),
            ("http://[fe80::1]/", true),
            ("http://[::ffff:127.0.0.1]/", true),
            ("http://localhost:8080/", true),
            ("http://api.localhost/", true),
            ("http://printer.local./", true),
            ("https://www.gov.cn/", false),
            ("http://8.8.8.8/", false),
            ("http://172.32.0.1/", false),
            ("http://[2001:db8::1]/", false),
            ("http://localhost.example.com/", false),
        ] {
            assert_eq!(is_private(&url(u)), private, "{u}");
        }
    }

    #[test]
    fn redirects_into_a_private_network_are_refused_from_outside_only() {
        let public = url("https://www.gov.cn/a.html");
        let lan = url("http://127.0.0.1:8080/admin");
        assert!(redirect_allowed(&public, &lan, 1, false).unwrap_err().contains("127.0.0.1"));
        assert!(redirect_allowed(&public, &lan, 1, true).is_ok());
        assert!(redirect_allowed(&lan, &url("http://127.0.0.1:9/"), 1, false).is_ok());
        assert!(redirect_allowed(&public, &url("https://gov.cn/b"), 1, false).is_ok());
        assert!(redirect_allowed(&public, &public, 11, true).unwrap_err().contains("redirects"));
    }
}
