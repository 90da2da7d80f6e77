//! The PETRARCH verb readers against the third-party files in `../shared` (never copied here),
//! and against small inline inputs for the error paths.

use crate::cameo::Table;
use crate::lexicon::{Lexicon, Word};
use crate::verbdict::{read, Codes, VerbDict};

fn load(rel: &str, codes: Codes) -> Option<VerbDict> {
    let path = dyad_testkit::shared(rel)?;
    let bytes = std::fs::read(&path).expect("readable");
    let text = String::from_utf8_lossy(&bytes);
    Some(read(&path.display().to_string(), &text, &Table::builtin().unwrap(), codes))
}

fn words(p: &[Word]) -> Vec<String> {
    p.iter()
        .map(|w| match w {
            Word::One(w) => w.clone(),
            Word::Set(s) => format!("&{}", s.name),
        })
        .collect()
}

fn cameo() -> Table {
    Table::builtin().unwrap()
}

#[test]
fn phoenix_cameo_2_0_counts_and_samples() {
    let Some(d) = load("reference/dictionaries/phoenix/CAMEO.2.0.txt", Codes::Cameo) else { return };
    // The file's own structure (counted independently in ../shared/notes/event-coding.md §5):
    // 40 synsets, 397 verb blocks, 4,668 pattern lines, 8 transformations.
    assert_eq!((d.synsets, d.blocks, d.transformations), (40, 397, 8));
    assert_eq!(d.patterns + d.errors.len(), 4668);
    // Every rejected line is a real fault of the file: codes outside CAMEO (PETRARCH-2 silently
    // maps them to the root), a pattern without `*`, synsets used but never defined.
    assert_eq!(d.errors.len(), 13, "{:#?}", d.errors);
    assert!(d.errors.iter().all(|e| e.line > 0 && e.file.ends_with("CAMEO.2.0.txt")));
    assert!(d.errors.iter().any(|e| e.message.contains("\"1213\" is not a CAMEO code")));
    assert!(d.errors.iter().any(|e| e.message.contains("undefined synset &WEATHER")));
    assert!(d.verb_lines > 1500);

    let p = d.pattern("* (TO BORDER)").unwrap();
    assert_eq!((p.code.as_str(), words(&p.rest)), ("154", vec!["to".into(), "border".into()]));
    let p = d.pattern("&MILITARY *").unwrap();
    assert_eq!((p.code.as_str(), words(&p.pre), p.loose_pre), ("154", vec!["&MILITARY".into()], true));
    let p = d.pattern("* (TO)").unwrap();
    assert_eq!((p.code.as_str(), p.paired.as_deref(), p.prep.as_deref()), ("042", Some("043"), Some("to")));
    let p = d.pattern("* (BEFORE COURT)").unwrap();
    assert_eq!((p.code.as_str(), p.paired.as_deref()), ("", Some("173")));
    let p = d.pattern("* {ARMS SHIPMENT}").unwrap();
    assert_eq!((p.code.as_str(), words(&p.rest)), ("072", vec!["arms".into(), "shipment".into()]));

    // As a lexicon: "ask" codes 020 alone, "asked for" via the multi-word verb, and a pattern with
    // a synset ("rushed food") its own code.
    let lex = Lexicon::with_verbs(None, &d);
    let at = |s: &str, i: usize| {
        let f: Vec<&str> = s.split(' ').collect();
        lex.verb_at(&f, f[i], i).map(|m| m.pattern.code.clone())
    };
    assert_eq!(at("iran asked for help", 1).as_deref(), Some("020"));
    assert_eq!(at("they rushed aid", 1).as_deref(), Some("070"));
    assert_eq!(at("they rushed police to the border", 1).as_deref(), Some("153"));
    assert!(!lex.foreign_codes() && !lex.has_classes());
}

#[test]
fn validate_verbs_counts_and_samples() {
    let Some(d) = load("eval/events/petrarch-unit/PETR.Validate.verbs.txt", Codes::Any) else { return };
    // 261 verb blocks and 474 pattern lines. Rejected: three block codes and one pattern code
    // that are not codes (`[+++]`, `[025?]`; those blocks are read with the null code), and one
    // pattern (`[###]`, cut by the `#` comment) without its code.
    assert_eq!(d.blocks, 261);
    let (block_errors, pattern_errors): (Vec<_>, Vec<_>) =
        d.errors.iter().partition(|e| e.message.contains("the block is read with the null code"));
    assert_eq!(block_errors.len(), 3, "{:#?}", d.errors);
    assert_eq!(d.patterns + pattern_errors.len(), 474, "{:#?}", d.errors);
    assert_eq!(pattern_errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![989, 992]);

    let p = d.pattern("+ * IN $").unwrap();
    assert_eq!((p.code.as_str(), p.reverse), ("075", true));
    let p = d.pattern("% HAVE *").unwrap();
    assert_eq!((p.code.as_str(), p.reciprocal), ("032", true));
    let p = d.pattern("* IMPROVED &TIETYPES RELATIONS").unwrap();
    assert_eq!(
        (p.code.as_str(), words(&p.rest)),
        ("904", vec!["improved".into(), "&TIETYPES".into(), "relations".into()])
    );
    // A synset inside a synset (`+&TIETYPES` in `&ACCORDSYN`).
    let p = d.pattern("INCHING &ACCORDSYN *").unwrap();
    let Word::Set(s) = &p.pre[1] else { panic!("a synset") };
    assert!(s.phrases.iter().any(|ph| ph == &["economic".to_string()]));
    assert!(s.phrases.iter().any(|ph| ph == &["swiss".to_string(), "francs".to_string()]));

    let lex = Lexicon::with_verbs(None, &d);
    assert!(lex.foreign_codes());
    let f: Vec<&str> = "arnor will restore full diplomatic ties with gondor".split(' ').collect();
    assert_eq!(lex.verb_at(&f, "restore", 2).unwrap().pattern.code, "064");
    let f: Vec<&str> = "they contributed swiss francs".split(' ').collect();
    assert_eq!(lex.verb_at(&f, "contribute", 1).unwrap().pattern.code, "903");
}

#[test]
fn bad_verb_files_give_errors_with_lines_never_panics() {
    let text = "&FOOD\n+BREAD\n--- EAT [---] ---\nEAT\n- * &DRINK [072]\n- * BREAD [999]\n- * [\n- NO MARKER [010]\n\
                --- BAD\n- * X [010]\nSPEAK {SPOKE\n--- OK [010] ---\nSERVE\n{ }\n+ [010]\n- * * [010]\n- * &FOOD [073]\n";
    let d = read("bad.txt", text, &cameo(), Codes::Cameo);
    let lines: Vec<usize> = d.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![5, 6, 7, 8, 9, 10, 11, 14, 15, 16], "{:#?}", d.errors);
    assert!(d.errors[0].message.contains("undefined synset &DRINK"));
    assert!(d.errors[1].message.contains("\"999\" is not a CAMEO code"));
    assert_eq!(d.patterns, 1);
    assert_eq!(d.pattern("* &FOOD").unwrap().code, "073");
    // Every prefix of a real file, and arbitrary bytes, read without panicking.
    if let Some(path) = dyad_testkit::shared("eval/events/petrarch-unit/PETR.Validate.verbs.txt") {
        let t = String::from_utf8_lossy(&std::fs::read(path).unwrap()).to_string();
        for cut in (0..t.len()).step_by(97) {
            if t.is_char_boundary(cut) {
                let _ = read("cut.txt", &t[..cut], &cameo(), Codes::Any);
            }
        }
    }
    for seed in 0u64..200 {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let junk: String = (0..200)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b"-*+$%^&[]{}()_:~# \nAB01"[(x % 23) as usize] as char
            })
            .collect();
        let d = read("junk.txt", &junk, &cameo(), Codes::Any);
        if seed % 20 == 0 {
            let _ = Lexicon::with_verbs(None, &d);
        }
    }
}
