//! Politeness towards the sites of `page` sources: one request at a time
//! per host with a delay between two (across every source of the pass and
//! the jobs fetching their articles; passes never overlap, the run lock
//! sees to that), and `robots.txt`, read once per host and pass.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tracing::debug;

use crate::ingest::fetch;
use crate::ingest::robots::Rules;

/// The gate of a pass.
pub(crate) struct Polite {
    /// Time between two requests to one host.
    pub(crate) delay: Duration,
    /// The product token matched against `robots.txt` groups.
    agent: String,
    /// Per host: when its last request ended.
    hosts: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<Instant>>>>>,
    /// Per origin: its robots rules.
    robots: tokio::sync::Mutex<HashMap<String, Arc<Rules>>>,
}

impl Polite {
    pub(crate) fn new(delay: Duration, user_agent: &str) -> Polite {
        let agent = user_agent.split('/').next().unwrap_or(user_agent).trim().to_owned();
        Polite {
            delay,
            agent,
            hosts: Mutex::new(HashMap::new()),
            robots: tokio::sync::Mutex::new(HashMap::new()),
        }
    }

    /// Runs `request` (a request to `url`) when no other request to its
    /// host is in flight and `delay` has passed since the last one ended.
    pub(crate) async fn run<F: Future>(&self, url: &str, request: F) -> F::Output {
        let host = reqwest::Url::parse(url)
            .ok()
            .and_then(|u| {
                u.host_str().map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))
            })
            .unwrap_or_default();
        let slot = {
            let mut hosts = self.hosts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            hosts.entry(host).or_default().clone()
        };
        let mut last = slot.lock().await;
        if let Some(t) = *last {
            let wait = self.delay.saturating_sub(t.elapsed());
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
        }
        let out = request.await;
        *last = Some(Instant::now());
        out
    }

    /// May `url` be fetched by its site's `robots.txt` (read once per pass;
    /// a site without one, or whose file cannot be read, allows everything).
    pub(crate) async fn allowed(
        &self,
        client: &reqwest::Client,
        opts: &fetch::FetchOptions,
        url: &str,
    ) -> bool {
        let Ok(u) = reqwest::Url::parse(url) else { return true };
        let origin = u.origin().ascii_serialization();
        let mut cache = self.robots.lock().await;
        let rules = match cache.get(&origin) {
            Some(r) => r.clone(),
            None => {
                let robots_url = format!("{origin}/robots.txt");
                let text =
                    match self.run(&robots_url, fetch::fetch(client, &robots_url, opts)).await {
                        Ok(f) => String::from_utf8_lossy(&f.bytes).into_owned(),
                        Err(e) => {
                            debug!("{robots_url}: {e}; everything allowed");
                            String::new()
                        }
                    };
                let r = Arc::new(Rules::parse(&text, &self.agent));
                cache.insert(origin, r.clone());
                r
            }
        };
        let path = match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_owned(),
        };
        rules.allowed(&path)
    }
}
