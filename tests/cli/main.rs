//! The one integration-test binary: each module runs the real `speechdigest`
//! binary (or the library's stage functions) on the fixtures.

mod api; // the OpenAI-compatible provider against a local stub server
mod api_failures; // issue 17: unusable answers, all-degraded runs, configuration errors, context and rate-limit phrasings, the pacer, --max-calls
mod audio; // issue 15: speeches as audio: a local speech server, espeak-ng, the cache, a killed run, the lexicon
mod backlog; // issue 16: watch --jobs, a killed pool, digest.json storing each sentence once
mod build; // build: the digest files, limits, escaping, templates
mod corpus; // properties that hold on every speech of the corpus
mod docx; // issue 14: handout.docx and briefing.docx: styles, outline, footers, escaping, --reference-docx
mod errors; // bad input: clear one-line errors, exit codes, partial batches
mod hostile_folders; // links out of a watched folder, loops, user files in output folders, concurrent and killed builds
mod hostile_limits; // issue 12: template output and time bounds
mod hostile_nesting; // deeply nested pages: their text, never an abort; build and watch go on
mod hostile_redact; // an echoing server never gets a secret out: stderr, logs, --json, state, cache, outputs
mod hostile_state; // watch with its state lost, its output unwritable, a server failing, a feed repeating itself
mod listing; // issue 13: listing pages (栏目页): detection on the fixtures, `links`, page sources in watch
mod mock_e2e; // against the shared folder's tools/openai_mock.py, when present or required
mod outline; // the outline command on the fixtures, tree and JSON
mod real_server; // issue 17: the API path through llama.cpp's server with a real small model, when .ci/run started it
mod render; // render and watch --rerender: outputs remade from stored digests
mod scorecard; // the scorecard binary on the fixtures: no count above tests/scorecard-baseline.json
mod segmenter; // issue 16: the prebuilt jieba dictionary cuts as the runtime-built one
mod support; // the Test builder, Output assertions, path filters, fixtures, ../shared
mod transcript; // transcript and normalize: spoken text, chunks, SSML, line-per-line TN
mod watch; // watch: folders, feeds, state, locks, crash safety
