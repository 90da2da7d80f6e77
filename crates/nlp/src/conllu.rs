//! A CoNLL-U reader: sentences of (form, lemma, UPOS, XPOS, head, relation), multi-word token
//! ranges and empty nodes skipped. A malformed line is an error naming its line number.

#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub head: u32,
    pub deprel: String,
    pub misc: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConlluSentence {
    pub text: Option<String>,
    /// The sentence opens a document (`# newdoc`) or a paragraph (`# newpar`, or a new document).
    pub newdoc: bool,
    pub newpar: bool,
    pub words: Vec<Word>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ConlluError {
    pub line: usize,
    pub message: String,
}

pub fn parse(text: &str) -> Result<Vec<ConlluSentence>, ConlluError> {
    let mut out = Vec::new();
    let mut cur = ConlluSentence::default();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let l = line.trim_end_matches('\r');
        if l.is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(c) = l.strip_prefix('#') {
            let c = c.trim_start();
            if let Some(t) = c.strip_prefix("text =") {
                cur.text = Some(t.trim().to_string());
            } else if c.starts_with("newdoc") {
                cur.newdoc = true;
                cur.newpar = true;
            } else if c.starts_with("newpar") {
                cur.newpar = true;
            }
            continue;
        }
        let f: Vec<&str> = l.split('\t').collect();
        if f.len() != 10 {
            return Err(ConlluError {
                line: line_no,
                message: format!("expected 10 tab-separated columns, found {}", f.len()),
            });
        }
        if f[0].contains('-') || f[0].contains('.') {
            continue;
        }
        let id: usize = f[0]
            .parse()
            .map_err(|_| ConlluError { line: line_no, message: format!("expected a word id, got {:?}", f[0]) })?;
        if id != cur.words.len() + 1 {
            return Err(ConlluError {
                line: line_no,
                message: format!("expected word id {}, got {id}", cur.words.len() + 1),
            });
        }
        let head = if f[6] == "_" {
            0
        } else {
            f[6].parse()
                .map_err(|_| ConlluError { line: line_no, message: format!("expected a head index, got {:?}", f[6]) })?
        };
        cur.words.push(Word {
            form: f[1].to_string(),
            lemma: f[2].to_string(),
            upos: f[3].to_string(),
            xpos: f[4].to_string(),
            head,
            deprel: f[7].to_string(),
            misc: f[9].to_string(),
        });
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_reports_lines() {
        let ok = "# text = Hi there\n1-2\tHi\t_\t_\t_\t_\t_\t_\t_\t_\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n2\tthere\tthere\tADV\tRB\t_\t1\tadvmod\t_\t_\n\n";
        let s = parse(ok).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].text.as_deref(), Some("Hi there"));
        assert_eq!(s[0].words[1].head, 1);
        let e = parse("1\tHi\thi\tINTJ\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse("1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n3\tx\tx\tX\tX\t_\tq\tdep\t_\t_\n").unwrap_err();
        assert_eq!(e.line, 2);
    }
}
