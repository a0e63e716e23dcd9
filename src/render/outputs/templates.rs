//! The built-in template outputs (`templates/*.tera`, embedded in the binary).
//! A user's template folder replaces any of them by name, or adds outputs.
//! The `.docx` ones render `word/document.xml`, packed into a Word document
//! (`render::docx`).

use super::{Make, Output};

/// A template output: the file `templates/NAME.tera`.
macro_rules! template {
    ($name:literal) => {
        Output {
            name: $name,
            group: None,
            make: Make::Template(include_str!(concat!("../../../templates/", $name, ".tera"))),
        }
    };
}

pub(super) const OUTPUTS: &[Output] = &[
    template!("briefing.docx"),
    template!("briefing.md"),
    template!("handout.docx"),
    template!("handout.html"),
    template!("handout.md"),
    template!("keypoints.md"),
    template!("newsletter.html"),
    template!("newsletter.md"),
];
