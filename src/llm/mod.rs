//! Chat providers: the OpenAI-compatible client (`openai`), the prompts
//! (`prompts`) and the map/reduce over a speech's sections (`mapreduce`:
//! `plan`, `map`, `reduce`, and `answer` for reading what the model says).
//! The only async stage; everything it returns is plain `model` data that
//! enters the digest before it is assembled.

pub mod chat;
pub mod mapreduce;
pub mod openai;
pub mod prompts;
