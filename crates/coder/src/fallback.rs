//! The token-order coder, for sentences whose parse carries no structure (every token a root, every
//! relation `dep`): the nearest actor before the verb is the source, the first actor after it in the
//! same clause the target; negation and modals in the three tokens before the verb give the mode.

use crate::depcoder::{Frame, Sent};
use crate::lexicon::Lexicon;
use dyad_model::{Mode, Upos};

const MODE_WINDOW: usize = 3;

fn is_reporting(w: &str) -> bool {
    matches!(w, "said" | "say" | "says" | "told" | "reported" | "stated" | "added" | "according")
}

pub fn mode_of(forms: &[&str], verb: usize) -> Mode {
    let window = &forms[verb.saturating_sub(MODE_WINDOW)..verb];
    if window.iter().any(|w| matches!(*w, "not" | "n't" | "never" | "no"))
        || window.last().is_some_and(|w| w.ends_with("n't"))
    {
        Mode::Negated
    } else if window.iter().any(|w| matches!(*w, "will" | "shall" | "'ll")) {
        Mode::Future
    } else if window.iter().any(|w| matches!(*w, "may" | "might" | "could" | "should" | "must" | "would")) {
        Mode::Hypothetical
    } else {
        Mode::Fact
    }
}

pub fn frames<'a>(s: &Sent<'_>, lex: &'a Lexicon) -> Vec<Frame<'a>> {
    let forms = s.forms();
    let acts = &s.acts;
    let mut out = Vec::new();
    for m in lex.matches(&forms) {
        use Upos::*;
        if matches!(s.sent.tokens[m.first].upos, NOUN | PROPN | ADJ | ADP | DET | PRON | NUM) {
            continue;
        }
        if s.actor_at[m.first].is_some() {
            continue;
        }
        let before: Vec<usize> = (0..acts.len()).filter(|&a| acts[a].tokens.1 <= m.first).collect();
        let clause_end = (m.last..forms.len())
            .find(|&k| forms[k] == "," && forms[k + 1..].iter().take(6).any(|w| is_reporting(w)))
            .unwrap_or(forms.len());
        let after = (0..acts.len()).find(|&a| acts[a].tokens.0 >= m.last && acts[a].tokens.1 <= clause_end);
        let Some(&source) = before.last() else { continue };
        let p = m.pattern;
        if p.code.is_empty() {
            continue;
        }
        let together = p.phrase.ends_with("together");
        let conjoined = (before.len() >= 2)
            .then(|| before[before.len() - 2])
            .filter(
                |&a| matches!(forms.get(acts[a].tokens.1..acts[source].tokens.0), Some([x] | [x, _]) if *x == "and"),
            )
            .filter(|_| matches!(p.code.get(..2).unwrap_or(""), "03" | "04" | "05" | "06"));
        let (sources, targets, reciprocal, rule) = match (conjoined, after) {
            (Some(a), t) if together || t.is_none() => (vec![a, source], vec![], true, "order:conjoined-reciprocal"),
            (_, Some(t)) if !together => (vec![source], vec![t], false, "order:source-before-target-after"),
            _ => continue,
        };
        out.push(Frame {
            trigger: m.first,
            last: m.last,
            code: p.code.clone(),
            pattern: p,
            noun: false,
            sources,
            targets,
            reciprocal,
            mode: mode_of(&forms, m.first),
            rule: rule.into(),
            confidence: 0.5,
            upper: None,
            notes: vec!["parse without structure: token order".into()],
        });
    }
    out
}
