//! The essay's text with a line index, so byte offsets become `file:line:col`.

use std::path::{Path, PathBuf};

/// A source file: its path (for messages), its text and where each line starts.
pub struct Source {
    path: PathBuf,
    text: String,
    line_starts: Vec<usize>,
}

impl Source {
    /// Creates a source from a path and its text.
    pub fn new(path: impl Into<PathBuf>, text: String) -> Source {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Source { path: path.into(), text, line_starts }
    }

    /// The path as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text.get(start..offset).map_or(0, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        let end = self.line_starts.get(line).map_or(self.text.len(), |&e| e - 1);
        self.text.get(start..end.max(start)).unwrap_or("").trim_end_matches('\r')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let s = Source::new("a.md", "第一行\n第二行abc\n".into());
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col("第一行\n".len()), (2, 1));
        assert_eq!(s.line_col("第一行\n第二".len()), (2, 3));
        assert_eq!(s.line_text(2), "第二行abc");
    }
}
