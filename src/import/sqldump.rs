//! Reading the rows of `INSERT INTO … VALUES (…), (…);` statements from a MySQL dump (the form the most used public Kemendagri code list is published in).

/// One tuple of an `INSERT` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlRow {
    /// The table it inserts into (lowercase, without a schema: `wilayah`).
    pub table: std::rc::Rc<str>,
    /// The statement's column list (lowercase, quotes removed); `None` when it names none.
    pub columns: Option<std::rc::Rc<Vec<String>>>,
    /// The values in order; `None` for SQL `NULL`.
    pub values: Vec<Option<String>>,
    /// Byte offset of the tuple's opening parenthesis, for messages.
    pub offset: usize,
}

/// A syntax problem: where (byte offset) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlError {
    /// Byte offset in the text.
    pub offset: usize,
    /// What is wrong, in Bahasa Indonesia.
    pub message: String,
}

/// True when `text` looks like a SQL dump rather than CSV: some `INSERT INTO` statement.
pub fn looks_like_sql(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(200_000)
        .collect::<String>()
        .to_lowercase();
    head.contains("insert into")
        && (head.contains(" values") || head.contains(")values") || head.contains("\nvalues"))
}

struct Scanner<'a> {
    s: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn err(&self, message: impl Into<String>) -> SqlError {
        SqlError {
            offset: self.i.min(self.s.len()),
            message: message.into(),
        }
    }

    /// Skips spaces and comments (`-- …`, `# …`, `/* … */`).
    fn skip_space(&mut self) {
        loop {
            while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
            let rest = &self.s[self.i..];
            if rest.starts_with(b"--") || rest.starts_with(b"#") {
                while self.i < self.s.len() && self.s[self.i] != b'\n' {
                    self.i += 1;
                }
            } else if rest.starts_with(b"/*") {
                match find(rest, b"*/") {
                    Some(end) => self.i += end + 2,
                    None => self.i = self.s.len(),
                }
            } else {
                return;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn keyword(&mut self, word: &str) -> bool {
        self.skip_space();
        let end = self.i + word.len();
        let ok = end <= self.s.len()
            && self.s[self.i..end].eq_ignore_ascii_case(word.as_bytes())
            && self
                .s
                .get(end)
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
        if ok {
            self.i = end;
        }
        ok
    }

    fn expect(&mut self, b: u8) -> Result<(), SqlError> {
        self.skip_space();
        if self.peek() == Some(b) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err(format!(
                "diharapkan \"{}\" di sini, tertulis \"{}\"",
                b as char,
                self.snippet()
            )))
        }
    }

    fn snippet(&self) -> String {
        let end = (self.i + 20).min(self.s.len());
        String::from_utf8_lossy(&self.s[self.i..end])
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    }

    /// A table or column name: bare, `backquoted` or "double-quoted"; `schema.table` kept whole.
    fn identifier(&mut self) -> Result<String, SqlError> {
        self.skip_space();
        let mut out = String::new();
        loop {
            match self.peek() {
                Some(q @ (b'`' | b'"')) => {
                    let start = self.i + 1;
                    let Some(len) = self.s[start..].iter().position(|&b| b == q) else {
                        return Err(self.err("nama berkutip tidak pernah ditutup"));
                    };
                    out.push_str(&String::from_utf8_lossy(&self.s[start..start + len]));
                    self.i = start + len + 1;
                }
                Some(b) if b.is_ascii_alphanumeric() || b == b'_' => {
                    let start = self.i;
                    while self
                        .peek()
                        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
                    {
                        self.i += 1;
                    }
                    out.push_str(&String::from_utf8_lossy(&self.s[start..self.i]));
                }
                _ if out.is_empty() => {
                    return Err(self.err(format!(
                        "diharapkan nama tabel atau kolom, tertulis \"{}\"",
                        self.snippet()
                    )));
                }
                _ => {}
            }
            if self.peek() == Some(b'.') {
                self.i += 1;
                out.push('.');
            } else {
                return Ok(out);
            }
        }
    }

    /// One value: a quoted string (`''` and backslash escapes), a number, or `NULL`.
    fn value(&mut self) -> Result<Option<String>, SqlError> {
        self.skip_space();
        match self.peek() {
            Some(q @ (b'\'' | b'"')) => {
                self.i += 1;
                let mut bytes = Vec::new();
                loop {
                    match self.peek() {
                        None => {
                            return Err(self.err("teks berkutip tidak pernah ditutup"));
                        }
                        Some(b'\\') => {
                            let esc = self.s.get(self.i + 1).copied();
                            bytes.push(match esc {
                                Some(b'n') => b'\n',
                                Some(b't') => b'\t',
                                Some(b'r') => b'\r',
                                Some(b'0') => b' ',
                                Some(c) => c,
                                None => return Err(self.err("teks berkutip tidak pernah ditutup")),
                            });
                            self.i += 2;
                        }
                        Some(c) if c == q => {
                            if self.s.get(self.i + 1) == Some(&q) {
                                bytes.push(q);
                                self.i += 2;
                            } else {
                                self.i += 1;
                                break;
                            }
                        }
                        Some(c) => {
                            bytes.push(c);
                            self.i += 1;
                        }
                    }
                }
                Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
            }
            _ if self.keyword("null") => Ok(None),
            Some(b) if b.is_ascii_digit() || b == b'-' || b == b'+' || b == b'.' => {
                let start = self.i;
                while self.peek().is_some_and(|b| {
                    b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'+'
                }) {
                    self.i += 1;
                }
                Ok(Some(
                    String::from_utf8_lossy(&self.s[start..self.i]).into_owned(),
                ))
            }
            _ => Err(self.err(format!(
                "diharapkan nilai (teks berkutip, angka atau NULL), tertulis \"{}\"",
                self.snippet()
            ))),
        }
    }

    /// `( item, item, … )`; `what` says what a bad separator should have been.
    fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, SqlError>,
        what: impl Fn() -> String,
    ) -> Result<Vec<T>, SqlError> {
        self.expect(b'(')?;
        let mut out = Vec::new();
        loop {
            out.push(item(self)?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b')') => {
                    self.i += 1;
                    return Ok(out);
                }
                _ => return Err(self.err(format!("{}, tertulis \"{}\"", what(), self.snippet()))),
            }
        }
    }

    /// Moves past the end of the current statement (the next `;` outside quotes).
    fn skip_statement(&mut self) {
        let mut quote: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.i += 1;
            match quote {
                Some(_) if b == b'\\' => self.i += 1,
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'\'' || b == b'"' || b == b'`' => quote = Some(b),
                None if b == b';' => return,
                None => {}
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Every tuple of every `INSERT INTO` statement, in file order, each with its table's name.
/// Other statements (`CREATE TABLE`, `SET`, …) are skipped.
pub fn inserts(text: &str) -> Result<Vec<SqlRow>, SqlError> {
    let mut sc = Scanner {
        s: text.as_bytes(),
        i: 0,
    };
    let mut rows = Vec::new();
    loop {
        sc.skip_space();
        if sc.peek().is_none() {
            return Ok(rows);
        }
        if !(sc.keyword("insert") || sc.keyword("replace")) {
            sc.skip_statement();
            continue;
        }
        let _ = sc.keyword("ignore");
        if !sc.keyword("into") {
            return Err(sc.err("diharapkan INTO sesudah INSERT"));
        }
        let name = sc.identifier()?;
        let table: std::rc::Rc<str> = name
            .rsplit('.')
            .next()
            .unwrap_or(&name)
            .to_lowercase()
            .into();
        sc.skip_space();
        let columns = if sc.peek() == Some(b'(') {
            let cols = sc.list(
                |sc| sc.identifier().map(|c| c.to_lowercase()),
                || "daftar kolom harus dipisah koma dan ditutup \")\"".to_string(),
            )?;
            Some(std::rc::Rc::new(cols))
        } else {
            None
        };
        if !(sc.keyword("values") || sc.keyword("value")) {
            return Err(sc.err(format!("diharapkan VALUES, tertulis \"{}\"", sc.snippet())));
        }
        loop {
            sc.skip_space();
            let offset = sc.i;
            let values = sc.list(Scanner::value, || {
                "nilai harus dipisah koma dan baris ditutup \")\"".to_string()
            })?;
            if let Some(cols) = &columns
                && cols.len() != values.len()
            {
                return Err(SqlError {
                    offset,
                    message: format!(
                        "baris ini punya {} nilai, padahal daftar kolomnya {}",
                        values.len(),
                        cols.len()
                    ),
                });
            }
            rows.push(SqlRow {
                table: table.clone(),
                columns: columns.clone(),
                values,
                offset,
            });
            sc.skip_space();
            match sc.peek() {
                Some(b',') => sc.i += 1,
                Some(b';') => {
                    sc.i += 1;
                    break;
                }
                None => break,
                _ => {
                    // ON DUPLICATE KEY UPDATE … and the like: to the end of the statement.
                    sc.skip_statement();
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tuples_with_escapes_comments_and_other_statements() {
        let text = "-- dump\n/* c */ SET NAMES utf8mb4;\nCREATE TABLE `wilayah` (\n `kode` varchar(13), `nama` varchar(100)\n);\nINSERT INTO `wilayah` (`kode`, `nama`) VALUES\n('11','Aceh'),\n('11.01', 'Kabupaten Aceh Selatan'),\n('12.07.28.1007','Lubuk Pakam I,II'), ('91.01', 'Jum''at \\'x\\''), ('00', NULL);\nINSERT INTO other VALUES (1,2);\n";
        assert!(looks_like_sql(text));
        let all = inserts(text).unwrap();
        assert_eq!(all.len(), 6);
        let rows: Vec<&SqlRow> = all.iter().filter(|r| &*r.table == "wilayah").collect();
        assert_eq!(rows.len(), 5);
        assert_eq!(
            rows[0].columns.as_deref().map(|c| c.as_slice()),
            Some(&["kode".to_string(), "nama".to_string()][..])
        );
        assert_eq!(rows[2].values[1].as_deref(), Some("Lubuk Pakam I,II"));
        assert_eq!(rows[3].values[1].as_deref(), Some("Jum'at 'x'"));
        assert_eq!(rows[4].values[1], None);
        assert_eq!(&text[rows[1].offset..rows[1].offset + 8], "('11.01'");
    }

    #[test]
    fn broken_dumps_say_where() {
        let e = inserts("INSERT INTO wilayah (kode, nama) VALUES ('11', 'Aceh);").unwrap_err();
        assert!(e.message.contains("tidak pernah ditutup"), "{e:?}");
        let e = inserts("INSERT INTO wilayah (kode, nama) VALUES ('11');").unwrap_err();
        assert!(e.message.contains("1 nilai"), "{e:?}");
        assert_eq!(e.offset, 40);
        let e = inserts("INSERT INTO wilayah VALUES ('11' 'Aceh');").unwrap_err();
        assert!(e.message.contains("dipisah koma"), "{e:?}");
        assert!(!looks_like_sql("kode,nama\n11,Aceh\n"));
    }
}
