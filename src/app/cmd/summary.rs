//! `summary`: the extractive overview, one sentence a line.

use crate::app::cli::SummaryArgs;
use crate::app::input::for_each_document;
use crate::app::messages::Report;
use crate::app::messages::write_stdout;
use crate::error::Result;
use crate::outline;
use crate::summarize::extractive::Budget;
use crate::summarize::{self, SummaryOptions};

pub(crate) async fn run(args: SummaryArgs) -> Result<Report> {
    let budget = match (args.sentences, args.chars, args.words) {
        (Some(n), ..) => Some(Budget::Sentences(n as usize)),
        (_, Some(n), _) => Some(Budget::Chars(n as usize)),
        (.., Some(n)) => Some(Budget::Words(n as usize)),
        _ => None,
    };
    let opts = SummaryOptions { overview: budget };
    for_each_document(&args.input, async |doc| {
        let o = outline::outline(&doc);
        let s = summarize::summarize(&o, &opts);
        let mut text = String::new();
        for sent in &s.overview {
            text.push_str(&sent.text);
            text.push('\n');
        }
        write_stdout(text.as_bytes())
    })
    .await
}
