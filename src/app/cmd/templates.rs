//! `templates list | show NAME | init DIR`: the outputs' templates, where
//! each comes from, and a copy of the built-ins to start from.

use crate::app::cli::TemplatesCommand;
use crate::app::messages::Report;
use crate::app::messages::write_stdout;
use crate::error::{Error, Result};
use crate::output;
use crate::render::outputs::builtin_templates;
use crate::render::{self, Templates, assets};

pub(crate) fn run(cmd: TemplatesCommand) -> Result<Report> {
    match cmd {
        TemplatesCommand::List { templates } => {
            let t = render::load(templates.as_deref())?;
            let mut s = String::new();
            for (name, origin) in &t.outputs {
                s.push_str(&format!("{:<22} {}\n", Templates::output_name(name), origin));
            }
            write_stdout(s.as_bytes())?;
        }
        TemplatesCommand::Show { name, templates } => {
            let text = if let Some(rest) = name.strip_prefix("builtin/") {
                assets::builtin(rest).map(str::to_owned)
            } else {
                render::load(templates.as_deref())?.source_of(&name).map(|(t, _)| t)
            };
            match text {
                Some(t) => write_stdout(t.as_bytes())?,
                None => {
                    return Err(Error::Usage(format!(
                        "no template called `{name}` (see `speechdigest templates list`)"
                    )));
                }
            }
        }
        TemplatesCommand::Init { dir, force } => {
            std::fs::create_dir_all(&dir)
                .map_err(|e| Error::Write { path: dir.clone(), source: e })?;
            let builtins: Vec<(String, &str)> = builtin_templates().collect();
            let existing: Vec<&str> =
                builtins.iter().map(|(n, _)| n.as_str()).filter(|n| dir.join(n).exists()).collect();
            if !force && !existing.is_empty() {
                return Err(Error::Usage(format!(
                    "`{}` already has {}: use --force to overwrite",
                    dir.display(),
                    existing.join(", ")
                )));
            }
            for (name, text) in &builtins {
                output::write_atomic(&dir.join(name), text.as_bytes())?;
            }
            write_stdout(
                format!("wrote {} templates to {}\n", builtins.len(), dir.display()).as_bytes(),
            )?;
        }
    }
    Ok(Report { ok: 1, failed: 0 })
}
