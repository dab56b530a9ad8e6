//! Diagnostics: problems in the essay, tied to a place in the source.
//!
//! Deep code never prints: it pushes into a [`Sink`]; the CLI renders the collected
//! diagnostics as `file:line:col: severity: message` with `hint:` lines.

use std::fmt::Write;

use crate::source::Source;

/// A byte range in the essay's source text.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// Creates a span from a byte range.
    pub fn new(range: std::ops::Range<usize>) -> Span {
        Span { start: range.start as u32, end: range.end as u32 }
    }
}

/// How bad a diagnostic is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Stops the build: no PDF is written.
    Error,
    /// Reported; the PDF is still written.
    Warning,
}

/// One problem found in the essay.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where in the source, if anywhere.
    pub span: Option<Span>,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
    /// What to do about it.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// Renders the diagnostic as `path:line:col: severity: message` plus hint lines.
    pub fn render(&self, source: &Source) -> String {
        let mut out = String::new();
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.span {
            Some(span) => {
                let (line, col) = source.line_col(span.start as usize);
                let _ = write!(out, "{}:{line}:{col}: {sev}: {}", source.path().display(), self.message);
            }
            None => {
                let _ = write!(out, "{}: {sev}: {}", source.path().display(), self.message);
            }
        }
        for hint in &self.hints {
            let _ = write!(out, "\n  hint: {hint}");
        }
        out
    }
}

/// Collects diagnostics while the pipeline runs.
#[derive(Default, Debug)]
pub struct Sink {
    diags: Vec<Diagnostic>,
}

impl Sink {
    /// Records a warning.
    pub fn warn(&mut self, span: Option<Span>, message: impl Into<String>) {
        self.push(Severity::Warning, span, message.into(), vec![]);
    }

    /// Records an error: the build will not write a PDF.
    pub fn error(&mut self, span: Option<Span>, message: impl Into<String>, hints: Vec<String>) {
        self.push(Severity::Error, span, message.into(), hints);
    }

    fn push(&mut self, severity: Severity, span: Option<Span>, message: String, hints: Vec<String>) {
        self.diags.push(Diagnostic { severity, span, message, hints });
    }

    /// Moves another sink's diagnostics into this one.
    pub fn extend(&mut self, other: Sink) {
        self.diags.extend(other.diags);
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics, in the order found.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.diags
    }

    /// The diagnostics found so far.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diags
    }
}
