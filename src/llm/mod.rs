//! Chat providers: what every kind shares (`chat`: the `ChatClient` trait),
//! the registry of kinds (`providers`, one file and one line each; `openai`
//! is the OpenAI-compatible client), the prompts
//! (`prompts`) and the map/reduce over a speech's sections (`mapreduce`:
//! `plan`, `map`, `reduce`, and `answer` for reading what the model says).
//! `speech` holds the speech engines (the OpenAI-compatible
//! `audio/speech` client and the local-program runner). The only async stage; everything it returns is plain `model` data that
//! enters the digest before it is assembled.

pub(crate) mod chat;
pub(crate) mod mapreduce;
pub(crate) mod prompts;
pub(crate) mod providers;
pub(crate) mod speech;
