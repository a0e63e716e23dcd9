//! `transcript`: the TTS-ready transcript as text, SSML, or one SSML
//! document per synthesiser request.

use tracing::info;

use crate::app::cli::TranscriptArgs;
use crate::app::cmd::normalize::normalize_options;
use crate::app::input::for_each_document;
use crate::app::messages::Report;
use crate::app::messages::write_stdout;
use crate::error::Result;
use crate::outline;
use crate::tts::{self, TtsOptions};

pub(crate) async fn run(args: TranscriptArgs) -> Result<Report> {
    let normalize = normalize_options(&args.conventions);
    let mut first = true;
    for_each_document(&args.input, async |doc| {
        let lang = doc.meta.lang;
        let o = outline::outline(&doc);
        let max_chars = args.max_chars.map_or(args.engine.default_max_chars(lang), |n| {
            usize::try_from(n).unwrap_or(usize::MAX)
        });
        let opts = TtsOptions { max_chars, engine: args.engine, normalize: normalize.clone() };
        let t = tts::transcript(&o, &opts);
        info!("{}: {} chunks of at most {} characters", doc.meta.source, t.chunks.len(), max_chars);
        let mut text = match (args.ssml, args.split) {
            (false, _) => tts::to_text(&t),
            (true, false) => tts::to_ssml(&t),
            (true, true) => tts::ssml_requests(&o, &opts).into_iter().map(|d| d + "\n").collect(),
        };
        // Several speeches: a blank line between them in text, nothing in SSML lines.
        if !first && !args.ssml {
            text.insert(0, '\n');
        }
        first = false;
        write_stdout(text.as_bytes())
    })
    .await
}
