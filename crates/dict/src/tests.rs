use super::*;
use dyad_model::Article;

fn resolve(text: &str, date: &str) -> Vec<Actor> {
    let dict = ActorDict::builtin().unwrap();
    let a = Article::from_text("t", text);
    let doc = dyad_nlp::Nlp::new().annotate(&a);
    dict.resolve(&a, &doc, NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())
}

fn codes(text: &str, date: &str) -> Vec<(String, String)> {
    resolve(text, date).into_iter().map(|a| (a.text, a.code)).collect()
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn builtin_dictionaries_load() {
    let d = ActorDict::builtin().unwrap();
    assert!(d.entries().len() > 250);
    assert_eq!(d.fingerprint().len(), 12);
}

#[test]
fn titles_nationalities_and_agents_combine() {
    assert_eq!(
        codes("Japanese Prime Minister Shigeru Ishiba met President Donald Trump.", "2025-02-07"),
        pairs(&[("Japanese Prime Minister Shigeru Ishiba", "JPNGOV"), ("President Donald Trump", "USAGOV")])
    );
    assert_eq!(
        codes("Japanese citizens fled as North Korean troops crossed into South Korea.", "2025-02-07"),
        pairs(&[("Japanese citizens", "JPNCVL"), ("North Korean troops", "PRKMIL"), ("South Korea", "KOR")])
    );
    assert_eq!(
        codes("The United Nations and NATO", "2025-02-07"),
        pairs(&[("United Nations", "IGOUNO"), ("NATO", "IGOWSTNAT")])
    );
}

#[test]
fn capitals_stand_for_governments_only_as_actors() {
    assert_eq!(codes("Pyongyang fired a missile.", "2025-02-07"), pairs(&[("Pyongyang", "PRKGOV")]));
    assert_eq!(codes("They met in Tokyo.", "2025-02-07"), pairs(&[("Tokyo", "JPN")]));
}

#[test]
fn coreference_keeps_the_code() {
    let got = resolve(
        "President Donald Trump spoke on Friday. Trump said talks would go on. The president added more. He left.",
        "2025-02-07",
    );
    let c: Vec<(&str, &str, ActorVia)> =
        got.iter().map(|a| (a.text.as_str(), a.code.as_str(), a.via.clone())).collect();
    assert_eq!(
        c,
        [
            ("President Donald Trump", "USAGOV", ActorVia::Dictionary),
            ("Trump", "USAGOV", ActorVia::Coreference),
            ("The president", "USAGOV", ActorVia::Coreference),
            ("He", "USAGOV", ActorVia::Coreference),
        ]
    );
    assert!(got.iter().all(|a| a.name.as_deref() == Some("Donald Trump")));
    // No person named before: a pronoun is no actor.
    assert!(codes("He said so.", "2025-02-07").is_empty());
}

/// The day before and the day a new leader takes office, in twenty-two countries and the UN.
#[test]
fn term_boundaries() {
    let cases = [
        ("Donald Trump", "2021-01-19", "USAGOV", "2021-01-20", "USA"),
        ("Joe Biden", "2021-01-19", "USA", "2021-01-20", "USAGOV"),
        ("Donald Trump", "2025-01-19", "USA", "2025-01-20", "USAGOV"),
        ("Shigeru Ishiba", "2024-09-30", "JPN", "2024-10-01", "JPNGOV"),
        ("Shigeru Ishiba", "2025-10-20", "JPNGOV", "2025-10-21", "JPN"),
        ("Kim Jong Un", "2011-12-16", "PRK", "2011-12-17", "PRKGOV"),
        ("Lee Jae-myung", "2025-06-03", "KOR", "2025-06-04", "KORGOV"),
        ("Hu Jintao", "2003-03-14", "CHN", "2003-03-15", "CHNGOV"),
        ("Xi Jinping", "2008-03-14", "CHN", "2008-03-15", "CHNGOV"),
        ("Dmitry Medvedev", "2008-05-06", "RUS", "2008-05-07", "RUSGOV"),
        ("Volodymyr Zelensky", "2019-05-19", "UKR", "2019-05-20", "UKRGOV"),
        ("Keir Starmer", "2024-07-04", "GBR", "2024-07-05", "GBRGOV"),
        ("Emmanuel Macron", "2017-05-13", "FRA", "2017-05-14", "FRAGOV"),
        ("Friedrich Merz", "2025-05-05", "DEU", "2025-05-06", "DEUGOV"),
        ("Narendra Modi", "2014-05-25", "IND", "2014-05-26", "INDGOV"),
        ("Imran Khan", "2022-04-09", "PAKGOV", "2022-04-10", "PAK"),
        ("Naftali Bennett", "2021-06-12", "ISR", "2021-06-13", "ISRGOV"),
        ("Masoud Pezeshkian", "2024-07-27", "IRN", "2024-07-28", "IRNGOV"),
        ("Rodrigo Duterte", "2022-06-29", "PHLGOV", "2022-06-30", "PHL"),
        ("Bashar al-Assad", "2024-12-07", "SYRGOV", "2024-12-08", "SYR"),
        ("Jair Bolsonaro", "2022-12-31", "BRAGOV", "2023-01-01", "BRA"),
        ("Mark Carney", "2025-03-13", "CAN", "2025-03-14", "CANGOV"),
        ("Giorgia Meloni", "2022-10-21", "ITA", "2022-10-22", "ITAGOV"),
        ("Prabowo Subianto", "2024-10-19", "IDN", "2024-10-20", "IDNGOV"),
        ("Claudia Sheinbaum", "2024-09-30", "MEX", "2024-10-01", "MEXGOV"),
        ("Lai Ching-te", "2024-05-19", "TWN", "2024-05-20", "TWNGOV"),
        ("Antonio Guterres", "2016-12-31", "IGO", "2017-01-01", "IGOUNO"),
    ];
    for (name, before, code_before, on, code_on) in cases {
        let text = format!("{name} spoke.");
        assert_eq!(codes(&text, before), pairs(&[(name, code_before)]), "{name} on {before}");
        assert_eq!(codes(&text, on), pairs(&[(name, code_on)]), "{name} on {on}");
    }
}

#[test]
fn bad_lines_are_reported_with_file_and_line() {
    let e = load::parse_file("leaders.txt", "# x\nA B | B | USAGOV | 2025-13-40 | | president\n").unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("leaders.txt", 2));
    assert!(e.message.contains("YYYY-MM-DD"), "{e}");
    let e = load::parse_file("organizations.txt", "120]-- | Thing\n").unwrap_err();
    assert!(e.message.contains("actor code"), "{e}");
    let e = load::parse_file(
        "leaders.txt",
        "A B | B | USAGOV | 2020-01-01 | 2022-01-01 | president\nA B | B | USAGOV | 2021-01-01 | | president\n",
    )
    .unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.message.contains("overlaps"), "{e}");
}

#[test]
fn seed_page_actors() {
    let Some(dir) = dyad_testkit::shared("seeds") else { return };
    let raw = dyad_ingest::read_file(&dir.join("000_d13cbc4c5b3b63ce.txt")).unwrap();
    let article = dyad_ingest::extract(&raw).unwrap();
    let doc = dyad_nlp::Nlp::new().annotate(&article);
    let actors = ActorDict::builtin().unwrap().resolve(&article, &doc, NaiveDate::from_ymd_opt(2025, 2, 7));
    let code_of = |text: &str| actors.iter().find(|a| a.text.ends_with(text)).map(|a| a.code.clone());
    assert_eq!(code_of("Donald Trump").as_deref(), Some("USAGOV"));
    assert_eq!(code_of("Shigeru Ishiba").as_deref(), Some("JPNGOV"));
    assert_eq!(code_of("Kim Jong Un").as_deref(), Some("PRKGOV"));
    assert_eq!(code_of("North Korea").as_deref(), Some("PRK"));
    assert_eq!(code_of("Singapore").as_deref(), Some("SGP"));
    assert!(actors.iter().any(|a| a.text == "Japan" && a.code == "JPN"));
    assert!(actors.iter().all(|a| !a.text.contains("Dorchester") && !a.text.contains("Flick")));
}
