//! `digest.json`: the digest itself, the whole context of every template.

use super::{Inputs, Make, Output};
use crate::error::{Error, Result};

pub(super) const OUTPUTS: &[Output] =
    &[Output { name: "digest.json", group: None, make: Make::Build(digest_json) }];

fn digest_json(i: &Inputs<'_>) -> Result<Vec<u8>> {
    let mut json = serde_json::to_vec_pretty(i.digest).map_err(Error::Json)?;
    json.push(b'\n');
    Ok(json)
}
