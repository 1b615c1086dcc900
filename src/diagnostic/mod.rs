//! User-facing errors and warnings: where (file, line, column or CSV row and field), what, and how to fix it.

mod code;

use std::fmt;
use std::path::{Path, PathBuf};

pub use code::Code;

/// How bad a diagnostic is: errors stop the build, warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Stops the build (or import); nothing is written.
    Error,
    /// Printed; the build goes on.
    Warning,
}

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// The whole file (it is missing, unreadable, or the problem has no better place).
    File,
    /// A text position, 1-based line and column.
    Text {
        /// 1-based line.
        line: usize,
        /// 1-based column, counted in characters.
        col: usize,
    },
    /// A CSV cell: 1-based data row (the first row after the header is 1), the physical
    /// 1-based line in the file, and the field (column) name when known.
    Csv {
        /// 1-based data row (the first row after the header is 1; 0 for the header itself).
        row: usize,
        /// 1-based physical line in the file.
        line: usize,
        /// The column name, when the problem is in one cell.
        field: Option<String>,
    },
}

/// One problem found in the user's input, with enough context to fix it without a programmer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The stable kind of problem (printed as `[L0406]`, documented in `docs/errors.md`).
    pub code: Code,
    /// Whether it stops the build.
    pub severity: Severity,
    /// Path as the user should see it (relative to the site root when possible).
    pub file: PathBuf,
    /// Where in `file` the problem is.
    pub location: Location,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The offending text with its surrounding lines, already formatted for a terminal.
    pub excerpt: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file.
    pub fn error(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            file: file.into(),
            location: Location::File,
            message: message.into(),
            excerpt: None,
            hint: None,
        }
    }

    /// A warning about a whole file.
    pub fn warning(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    /// Places the diagnostic at a line and column of `source` and shows the surrounding lines.
    pub fn at_text(mut self, source: &str, line: usize, col: usize) -> Self {
        self.location = Location::Text { line, col };
        self.excerpt = Some(excerpt(source, line, col));
        self
    }

    /// Places the diagnostic at a byte offset of `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let (line, col) = line_col(source, offset);
        self.at_text(source, line, col)
    }

    /// Places the diagnostic in a CSV cell and shows the raw record.
    pub fn at_csv(
        mut self,
        row: usize,
        line: usize,
        field: Option<&str>,
        raw: Option<&str>,
    ) -> Self {
        self.location = Location::Csv {
            row,
            line,
            field: field.map(str::to_string),
        };
        if let Some(raw) = raw {
            self.excerpt = Some(format!(
                "{line:>5} | {}",
                raw.trim_end_matches(['\r', '\n'])
            ));
        }
        self
    }

    /// Adds how to fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a ready-made excerpt.
    pub fn excerpt(mut self, excerpt: impl Into<String>) -> Self {
        self.excerpt = Some(excerpt.into());
        self
    }

    /// True for an error, false for a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The `file:line:col` (or `file: baris data N`) prefix.
    pub fn position(&self) -> String {
        let file = self.file.display();
        match &self.location {
            Location::File => format!("{file}"),
            Location::Text { line, col } => format!("{file}:{line}:{col}"),
            Location::Csv { row, line, field } => match field {
                Some(f) => format!("{file}:{line}: baris data {row}, kolom \"{f}\""),
                None => format!("{file}:{line}: baris data {row}"),
            },
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "kesalahan",
            Severity::Warning => "peringatan",
        };
        writeln!(f, "{label}[{}]: {}", self.code.id(), self.message)?;
        write!(f, "  --> {}", self.position())?;
        if let Some(ex) = &self.excerpt {
            write!(f, "\n{ex}")?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  = saran: {h}")?;
        }
        Ok(())
    }
}

/// Every problem of a failed step, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    /// Adds several diagnostics.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }
    /// True when any diagnostic is an error (warnings alone do not fail a step).
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    /// The errors, in order.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }
    /// The warnings, in order.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }
    /// True when there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// How many diagnostics there are, errors and warnings together.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Sorts by file, then position, so the same input always prints the same report.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, &a.location, a.severity, &a.message).cmp(&(
                &b.file,
                &b.location,
                b.severity,
                &b.message,
            ))
        });
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(v: Vec<Diagnostic>) -> Self {
        Diagnostics(v)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        let errors = self.errors().count();
        let warnings = self.warnings().count();
        write!(f, "{errors} kesalahan, {warnings} peringatan")
    }
}

impl std::error::Error for Diagnostics {}

/// The physical lines of a text by byte offset, for placing CSV records: the csv crate's own
/// line count is off for `\r\n` files, and after `\r\n` it starts the next record at the `\n`.
#[derive(Debug, Clone)]
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    /// The start of every line of `text`.
    pub fn new(text: &str) -> LineStarts {
        LineStarts(
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }

    /// The 1-based line of a record starting at `pos`.
    pub fn line_of(&self, pos: &csv::Position) -> usize {
        let mut byte = usize::try_from(pos.byte()).unwrap_or(usize::MAX);
        if self.0.binary_search(&byte.saturating_add(1)).is_ok() {
            byte += 1;
        }
        self.0.partition_point(|&start| start <= byte)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

/// The line before, the line itself with a caret under the column, and the line after.
pub fn excerpt(source: &str, line: usize, col: usize) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let first = line.saturating_sub(2);
    let last = (line + 1).min(lines.len());
    let width = last.to_string().len().max(3);
    let mut out = String::new();
    for (i, text) in lines.iter().enumerate().take(last).skip(first) {
        let n = i + 1;
        out.push_str(&format!("{n:>width$} | {text}\n"));
        if n == line {
            let pad: String = text
                .chars()
                .take(col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("{:>width$} | {pad}^\n", ""));
        }
    }
    out.trim_end().to_string()
}

/// Shows `path` relative to `root` when it lies inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

/// The closest candidates to `needle` (by edit distance), best first, at most `n`.
pub fn nearest<'a>(
    needle: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let needle = needle.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (levenshtein(&needle, &c.to_lowercase()), c))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    let limit = needle.chars().count().max(3);
    scored
        .into_iter()
        .filter(|(d, _)| *d <= limit)
        .take(n)
        .map(|(_, c)| c)
        .collect()
}

/// Edit distance between two strings, in characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let s = "ab\ncd\nef";
        assert_eq!(line_col(s, 0), (1, 1));
        assert_eq!(line_col(s, 4), (2, 2));
        assert_eq!(line_col(s, 6), (3, 1));
    }

    #[test]
    fn excerpt_marks_column() {
        let s = "satu\ndua = x\ntiga";
        let e = excerpt(s, 2, 7);
        assert!(e.contains("  2 | dua = x"), "{e}");
        assert!(e.contains("    |       ^"), "{e}");
        assert!(e.contains("  1 | satu") && e.contains("  3 | tiga"), "{e}");
    }

    #[test]
    fn nearest_finds_typos() {
        let c = ["36.04", "36.73", "35.01"];
        assert_eq!(nearest("36.74", c, 2), vec!["36.04", "36.73"]);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
