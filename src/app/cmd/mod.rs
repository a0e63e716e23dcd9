//! One module per subcommand, each with `run(args) -> Result<Report>`.

pub(crate) mod build;
pub(crate) mod normalize;
pub(crate) mod outline;
pub(crate) mod render;
pub(crate) mod speak;
pub(crate) mod summary;
pub(crate) mod templates;
pub(crate) mod transcript;
pub(crate) mod watch;
