use super::*;
use dyad_model::{ActorVia, Sentence, Token, Upos};

/// A sentence with actors at the given token ranges; tokens are split on spaces.
fn doc(text: &str, actors: &[(&str, &str)]) -> (Article, AnnotatedDocument, Vec<Actor>) {
    let a = Article::from_text("t", text);
    let mut tokens = Vec::new();
    let mut pos = 0;
    for w in text.split(' ') {
        tokens.push(Token {
            span: Span::new(pos, pos + w.len()),
            lemma: w.to_lowercase(),
            upos: Upos::X,
            xpos: "XX".into(),
            head: 0,
            deprel: "dep".into(),
        });
        pos += w.len() + 1;
    }
    let words: Vec<&str> = text.split(' ').collect();
    let mut acts = Vec::new();
    for (t, code) in actors {
        let n = t.split(' ').count();
        let first =
            (0..words.len()).find(|&i| words[i..].iter().take(n).copied().collect::<Vec<_>>().join(" ") == *t).unwrap();
        let span = Span::new(tokens[first].span.start, tokens[first + n - 1].span.end);
        acts.push(Actor {
            code: code.to_string(),
            country: Some(code[..3].to_string()),
            role: None,
            name: None,
            text: t.to_string(),
            span,
            sentence: 0,
            tokens: (first, first + n),
            via: ActorVia::Dictionary,
            entry: None,
        });
    }
    let ann =
        AnnotatedDocument { sentences: vec![Sentence { span: Span::new(0, text.len()), tokens }], entities: vec![] };
    (a, ann, acts)
}

fn code(text: &str, actors: &[(&str, &str)]) -> Vec<String> {
    let (a, d, acts) = doc(text, actors);
    let coder = Coder::builtin().unwrap();
    coder
        .code(&a, &d, &acts, NaiveDate::from_ymd_opt(2025, 2, 7))
        .iter()
        .map(|e| {
            format!(
                "{}>{} {} {:?} {}",
                e.source.code,
                e.target.as_ref().unwrap().code,
                e.cameo,
                e.mode,
                e.date.unwrap()
            )
        })
        .collect()
}

#[test]
fn verbs_code_source_target_and_mode() {
    assert_eq!(
        code(
            "Trump first met Kim in 2018 in Singapore",
            &[("Trump", "USAGOV"), ("Kim", "PRKGOV"), ("Singapore", "SGP")]
        ),
        ["USAGOV>PRKGOV 040 Fact 2018-01-01"]
    );
    assert_eq!(
        code("Russia did not attack Ukraine", &[("Russia", "RUS"), ("Ukraine", "UKR")]),
        ["RUS>UKR 190 Negated 2025-02-07"]
    );
    assert_eq!(
        code("The EU will impose sanctions on Russia", &[("EU", "IGOEUREEC"), ("Russia", "RUS")]),
        ["IGOEUREEC>RUS 163 Future 2025-02-07"]
    );
    assert_eq!(
        code("India and Pakistan met", &[("India", "IND"), ("Pakistan", "PAK")]),
        ["IND>PAK 040 Fact 2025-02-07", "PAK>IND 040 Fact 2025-02-07"]
    );
    assert!(code("India welcomed the news", &[("India", "IND")]).is_empty());
}

#[test]
fn inflections_of_verbs() {
    assert_eq!(lexicon::inflections("meet"), ["meet", "meeting", "meets", "met"]);
    assert!(lexicon::inflections("criticize").contains(&"criticized".to_string()));
    assert!(lexicon::inflections("deny").contains(&"denied".to_string()));
    assert!(lexicon::inflections("ship").contains(&"shipped".to_string()));
}

#[test]
fn lexicon_codes_must_be_in_the_table() {
    let t = cameo::Table::builtin().unwrap();
    let e = lexicon::Lexicon::parse("x.txt", "# c\n999 | meet\n", &t).unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.message.contains("not a CAMEO code"));
}

/// Our Goldstein values agree with GDELT's published lookup.
#[test]
fn goldstein_values_match_gdelt() {
    let Some(p) = dyad_testkit::shared("reference/cameo/GDELT.CAMEO.goldsteinscale.txt") else { return };
    let text = std::fs::read_to_string(&p).unwrap();
    let gdelt: std::collections::HashMap<&str, f32> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(c, g)| Some((c.trim(), g.trim().parse().ok()?)))
        .collect();
    let t = cameo::Table::builtin().unwrap();
    let mut checked = 0;
    for (code, info) in t.iter() {
        if let Some(g) = gdelt.get(code.as_str()) {
            assert!((g - info.goldstein).abs() < 0.05, "{code}: ours {} gdelt {g}", info.goldstein);
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} codes checked");
}

#[test]
fn working_together_is_reciprocal() {
    assert_eq!(
        code(
            "Japan and the U.S. will work together toward peace with North Korea",
            &[("Japan", "JPN"), ("U.S.", "USA"), ("North Korea", "PRK")]
        ),
        ["JPN>USA 050 Future 2025-02-07", "USA>JPN 050 Future 2025-02-07"]
    );
}

#[test]
fn reporting_clauses_and_conjoined_verbs() {
    assert_eq!(
        code(
            "Russian troops shelled the city , Ukrainian officials said",
            &[("Russian troops", "RUSMIL"), ("Ukrainian officials", "UKRGOV")]
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        code(
            "Zelensky thanked the EU and urged the US to follow",
            &[("Zelensky", "UKRGOV"), ("EU", "IGOEUREEC"), ("US", "USA")]
        ),
        ["UKRGOV>IGOEUREEC 051 Fact 2025-02-07", "UKRGOV>USA 020 Fact 2025-02-07"]
    );
}
