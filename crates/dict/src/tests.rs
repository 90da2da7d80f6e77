use super::*;
use chrono::NaiveDate;
use dyad_model::{Actor, ActorVia, Article};

/// The built-in dictionary and the NLP pipeline, loaded once for all tests (loading the models
/// in a debug build takes most of a test's time otherwise).
pub(crate) fn dict() -> &'static ActorDict {
    static D: std::sync::OnceLock<ActorDict> = std::sync::OnceLock::new();
    D.get_or_init(|| ActorDict::builtin().unwrap())
}

pub(crate) fn nlp() -> &'static dyad_nlp::Nlp {
    static N: std::sync::OnceLock<dyad_nlp::Nlp> = std::sync::OnceLock::new();
    N.get_or_init(dyad_nlp::Nlp::new)
}

fn traced(text: &str, date: &str) -> Vec<Resolved> {
    let a = Article::from_text("t", text);
    let doc = nlp().annotate(&a);
    dict().resolve_traced(&a, &doc, NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())
}

fn resolve(text: &str, date: &str) -> Vec<Actor> {
    traced(text, date).into_iter().map(|r| r.actor).collect()
}

/// (text, code, rule) of each mention.
fn rules(text: &str, date: &str) -> Vec<(String, String, &'static str)> {
    traced(text, date).into_iter().map(|r| (r.actor.text, r.actor.code, r.rule.as_str())).collect()
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

/// A change of leader in 25 countries: on the day before, the day of and the day after the
/// change, the outgoing and the incoming leader get their codes (in office `GOV`; out of office
/// the country's elite `ELI`, or another office they hold), and "the <nationality> <office>"
/// names the holder of the day. Dates are the days the successor took office (`to` is exclusive).
#[test]
fn term_boundaries() {
    // (day of change, nationality, office, outgoing, its code from that day, incoming, its code before)
    let cases = [
        ("2021-01-20", "American", "president", "Donald Trump", "USAELI", "Joe Biden", "USAELI"),
        ("2025-01-20", "American", "president", "Joe Biden", "USAELI", "Donald Trump", "USAELI"),
        ("2024-10-01", "Japanese", "prime minister", "Fumio Kishida", "JPNELI", "Shigeru Ishiba", "JPNELI"),
        ("2025-10-21", "Japanese", "prime minister", "Shigeru Ishiba", "JPNELI", "Sanae Takaichi", "JPNELI"),
        ("2011-12-17", "North Korean", "leader", "Kim Jong Il", "PRKELI", "Kim Jong Un", "PRKELI"),
        ("2022-05-10", "South Korean", "president", "Moon Jae-in", "KORELI", "Yoon Suk Yeol", "KORELI"),
        // Xi was vice president before: GOV the day before too.
        ("2013-03-14", "Chinese", "president", "Hu Jintao", "CHNELI", "Xi Jinping", "CHNGOV"),
        // Putin was prime minister before.
        ("1999-12-31", "Russian", "president", "Boris Yeltsin", "RUSELI", "Vladimir Putin", "RUSGOV"),
        ("2019-05-20", "Ukrainian", "president", "Petro Poroshenko", "UKRELI", "Volodymyr Zelensky", "UKRELI"),
        ("2024-07-05", "British", "prime minister", "Rishi Sunak", "GBRELI", "Keir Starmer", "GBRELI"),
        ("2017-05-14", "French", "president", "Francois Hollande", "FRAELI", "Emmanuel Macron", "FRAELI"),
        ("2025-05-06", "German", "chancellor", "Olaf Scholz", "DEUELI", "Friedrich Merz", "DEUELI"),
        ("2014-05-26", "Indian", "prime minister", "Manmohan Singh", "INDELI", "Narendra Modi", "INDELI"),
        ("2021-06-13", "Israeli", "prime minister", "Benjamin Netanyahu", "ISRELI", "Naftali Bennett", "ISRELI"),
        ("2024-07-28", "Iranian", "president", "Mohammad Mokhber", "IRNELI", "Masoud Pezeshkian", "IRNELI"),
        ("2022-06-30", "Philippine", "president", "Rodrigo Duterte", "PHLELI", "Ferdinand Marcos Jr.", "PHLELI"),
        ("2023-01-01", "Brazilian", "president", "Jair Bolsonaro", "BRAELI", "Luiz Inacio Lula da Silva", "BRAELI"),
        ("2025-03-14", "Canadian", "prime minister", "Justin Trudeau", "CANELI", "Mark Carney", "CANELI"),
        ("2022-10-22", "Italian", "prime minister", "Mario Draghi", "ITAELI", "Giorgia Meloni", "ITAELI"),
        // Prabowo was defence minister until the day he became president.
        ("2024-10-20", "Indonesian", "president", "Joko Widodo", "IDNELI", "Prabowo Subianto", "IDNGOV"),
        ("2024-10-01", "Mexican", "president", "Andres Manuel Lopez Obrador", "MEXELI", "Claudia Sheinbaum", "MEXELI"),
        // Lai was vice president before.
        ("2024-05-20", "Taiwanese", "president", "Tsai Ing-wen", "TWNELI", "Lai Ching-te", "TWNGOV"),
        ("2022-05-23", "Australian", "prime minister", "Scott Morrison", "AUSELI", "Anthony Albanese", "AUSELI"),
        ("2018-02-15", "South African", "president", "Jacob Zuma", "ZAFELI", "Cyril Ramaphosa", "ZAFELI"),
        ("2023-12-10", "Argentine", "president", "Alberto Fernandez", "ARGELI", "Javier Milei", "ARGELI"),
        ("2023-05-29", "Nigerian", "president", "Muhammadu Buhari", "NGAELI", "Bola Tinubu", "NGAELI"),
        ("2018-06-02", "Spanish", "prime minister", "Mariano Rajoy", "ESPELI", "Pedro Sanchez", "ESPELI"),
    ];
    let day =
        |s: &str, n: i64| (NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap() + chrono::Duration::days(n)).to_string();
    let gov = |c: &str| format!("{}GOV", &c[..3]);
    let mut countries = std::collections::BTreeSet::new();
    for (on, adj, office, out, out_after, inc, inc_before) in cases {
        countries.insert(&out_after[..3]);
        let (before, after) = (day(on, -1), day(on, 1));
        let one = |name: &str, d: &str| codes(&format!("{name} spoke."), d);
        assert_eq!(one(out, &before), pairs(&[(out, &gov(out_after))]), "{out} on {before}");
        for d in [on, after.as_str()] {
            assert_eq!(one(out, d), pairs(&[(out, out_after)]), "{out} on {d}");
            assert_eq!(one(inc, d), pairs(&[(inc, &gov(inc_before))]), "{inc} on {d}");
        }
        assert_eq!(one(inc, &before), pairs(&[(inc, inc_before)]), "{inc} on {before}");
        // The office names its holder of the day (predecessor, then successor).
        let text = format!("The {adj} {office} spoke.");
        for (d, who) in [(before.as_str(), out), (on, inc), (after.as_str(), inc)] {
            let got = resolve(&text, d);
            assert_eq!(got.len(), 1, "{text} on {d}: {got:?}");
            assert_eq!(got[0].name.as_deref(), Some(who), "{text} on {d}");
            assert_eq!(got[0].code, gov(out_after), "{text} on {d}");
        }
    }
    assert!(countries.len() >= 20, "{countries:?}");
}

/// The heads of the UN, NATO and the EU who led countries before: the code of the day.
#[test]
fn people_with_several_offices_get_the_code_of_the_day() {
    let cases = [
        ("Antonio Guterres", "2001-06-01", "PRTGOV"),
        ("Antonio Guterres", "2003-06-01", "PRTELI"),
        ("Antonio Guterres", "2010-06-01", "IGOUNOHCR"),
        ("Antonio Guterres", "2016-12-31", "PRTELI"),
        ("Antonio Guterres", "2017-01-01", "IGOUNO"),
        ("Ban Ki-moon", "2005-06-01", "KORGOV"),
        ("Ban Ki-moon", "2006-12-31", "KORELI"),
        ("Ban Ki-moon", "2007-01-01", "IGOUNO"),
        ("Ban Ki-moon", "2017-01-01", "KORELI"),
        ("Mark Rutte", "2024-07-01", "NLDGOV"),
        ("Mark Rutte", "2024-07-02", "NLDELI"),
        ("Mark Rutte", "2024-10-01", "IGOWSTNAT"),
        ("Jens Stoltenberg", "2024-09-30", "IGOWSTNAT"),
        ("Jens Stoltenberg", "2024-10-01", "NORELI"),
        ("Jens Stoltenberg", "2025-02-04", "NORGOV"),
        ("Kaja Kallas", "2024-07-22", "ESTGOV"),
        ("Kaja Kallas", "2024-11-30", "ESTELI"),
        ("Kaja Kallas", "2024-12-01", "IGOEUREEC"),
        // President to 2008-05-07, prime minister from 2008-05-08: one day out of office.
        ("Vladimir Putin", "2008-05-06", "RUSGOV"),
        ("Vladimir Putin", "2008-05-07", "RUSELI"),
        ("Vladimir Putin", "2008-05-08", "RUSGOV"),
        ("Shigeru Ishiba", "2003-01-01", "JPNGOV"),
        ("Shigeru Ishiba", "2010-01-01", "JPNELI"),
    ];
    for (name, date, code) in cases {
        assert_eq!(codes(&format!("{name} spoke."), date), pairs(&[(name, code)]), "{name} on {date}");
    }
}

/// An international body's office: its holder of the day.
#[test]
fn international_offices() {
    assert_eq!(
        rules("UN Secretary-General Antonio Guterres met NATO Secretary General Mark Rutte.", "2025-02-07"),
        [
            ("UN Secretary-General Antonio Guterres".into(), "IGOUNO".into(), "title"),
            ("NATO Secretary General Mark Rutte".into(), "IGOWSTNAT".into(), "title"),
        ]
    );
    let got = resolve("The UN secretary-general spoke.", "2016-06-01");
    assert_eq!((got[0].code.as_str(), got[0].name.as_deref()), ("IGOUNO", Some("Ban Ki-moon")));
    let got = resolve("The NATO secretary-general spoke.", "2024-10-01");
    assert_eq!((got[0].code.as_str(), got[0].name.as_deref()), ("IGOWSTNAT", Some("Mark Rutte")));
    assert_eq!(codes("NATO troops arrived.", "2025-02-07"), pairs(&[("NATO troops", "IGOWSTNAT")]));
}

/// A short name several people share means the one in office that day, else one already named in
/// the document, else (with a title) the one who held that title.
#[test]
fn short_names_shared_by_several_people_resolve_by_date() {
    assert_eq!(codes("Clinton said so.", "1998-01-01"), pairs(&[("Clinton", "USAGOV")]));
    assert_eq!(codes("Clinton said so.", "2010-01-01"), pairs(&[("Clinton", "USAGOV")]));
    let who =
        |text: &str, d: &str| resolve(text, d).into_iter().map(|a| a.name.unwrap_or_default()).collect::<Vec<_>>();
    assert_eq!(who("Clinton said so.", "1998-01-01"), ["Bill Clinton"]);
    assert_eq!(who("Clinton said so.", "2010-01-01"), ["Hillary Clinton"]);
    // Nobody of that name in office: too ambiguous to code.
    assert!(codes("Clinton said so.", "2016-01-01").is_empty());
    // Named before in the document: that person, even out of office.
    assert_eq!(
        rules("Hillary Clinton spoke. Later Clinton left.", "2016-01-01"),
        [
            ("Hillary Clinton".into(), "USAELI".into(), "out-of-office"),
            ("Clinton".into(), "USAELI".into(), "coreference")
        ]
    );
    // "President Clinton" in 2010: the president, not the secretary of state.
    assert_eq!(who("President Clinton spoke.", "2010-01-01"), ["Bill Clinton"]);
    assert_eq!(codes("President Trump spoke.", "2022-01-01"), pairs(&[("President Trump", "USAELI")]));
    // Organisations change code on a date too.
    assert_eq!(codes("The Taliban attacked.", "2020-01-01"), pairs(&[("The Taliban", "AFGREB")]));
    assert_eq!(codes("The Taliban attacked.", "2022-01-01"), pairs(&[("The Taliban", "AFGGOV")]));
}

#[test]
fn capitals_act_only_where_the_parse_says_so() {
    assert_eq!(
        rules("Tokyo said on Friday that Seoul and Beijing had agreed.", "2025-02-07"),
        [
            ("Tokyo".into(), "JPNGOV".into(), "capital"),
            ("Seoul".into(), "KORGOV".into(), "capital"),
            ("Beijing".into(), "CHNGOV".into(), "capital")
        ]
    );
    assert_eq!(
        rules("Washington urged Pyongyang to talk.", "2025-02-07")[1],
        ("Pyongyang".into(), "PRKGOV".into(), "capital")
    );
    assert_eq!(rules("Talks were held in Tokyo.", "2025-02-07"), [("Tokyo".into(), "JPN".into(), "place")]);
    assert_eq!(rules("He flew from Seoul to Tokyo.", "2025-02-07").len(), 2);
    assert!(rules("He flew from Seoul to Tokyo.", "2025-02-07").iter().all(|r| r.2 == "place"));
}

#[test]
fn possessive_country_and_agent() {
    assert_eq!(
        rules("Japan's foreign minister met China's defence minister and Russia's troops.", "2025-02-07"),
        [
            ("Japan's foreign minister".into(), "JPNGOV".into(), "possessive"),
            ("China's defence minister".into(), "CHNGOV".into(), "possessive"),
            ("Russia's troops".into(), "RUSMIL".into(), "possessive")
        ]
    );
    let got = resolve("Japan's foreign minister arrived.", "2025-02-07");
    assert_eq!(got[0].name.as_deref(), Some("Takeshi Iwaya"));
    assert_eq!(got[0].via, ActorVia::Agent);
    assert_eq!(codes("Japan's Shigeru Ishiba arrived.", "2025-02-07"), pairs(&[("Japan's Shigeru Ishiba", "JPNGOV")]));
    // A former or future holder is not the holder of the day.
    let got = resolve("The former Japanese prime minister and the next US president spoke.", "2025-02-07");
    assert_eq!(
        got.iter().map(|a| (a.code.as_str(), a.name.is_none())).collect::<Vec<_>>(),
        [("JPNELI", true), ("USAELI", true)]
    );
}

#[test]
fn combined_titles_hold_every_office() {
    // Sheikh Hasina's line is titled "prime minister and defence minister".
    for text in ["Bangladesh protested. The prime minister left.", "Bangladesh protested. The defence minister left."] {
        let got = resolve(text, "2020-03-01");
        assert_eq!(got[1].name.as_deref(), Some("Sheikh Hasina"), "{text}");
        assert_eq!(got[1].code, "BGDGOV");
    }
    assert_eq!(resolve::office_mask("sultan, prime minister and defence minister").count_ones(), 3);
    assert_eq!(resolve::office_mask("prime minister"), resolve::office_mask("Prime Minister"));
}

#[test]
fn offices_refer_to_the_last_holder_or_country() {
    // A person named before who holds the office.
    let r =
        rules("Shigeru Ishiba met Donald Trump in Washington. The president praised the prime minister.", "2025-02-07");
    assert_eq!(
        r,
        [
            ("Shigeru Ishiba".into(), "JPNGOV".into(), "name"),
            ("Donald Trump".into(), "USAGOV".into(), "name"),
            ("Washington".into(), "USA".into(), "place"),
            ("The president".into(), "USAGOV".into(), "office"),
            ("the prime minister".into(), "JPNGOV".into(), "office"),
        ]
    );
    let got = resolve("Shigeru Ishiba met Donald Trump. The president spoke. The prime minister left.", "2025-02-07");
    assert_eq!(got[2].name.as_deref(), Some("Donald Trump"));
    assert_eq!(got[3].name.as_deref(), Some("Shigeru Ishiba"));
    // No holder named: the holder for the last country mentioned.
    let got = resolve("South Korea protested. The president called it a provocation.", "2025-07-01");
    assert_eq!(got[1].name.as_deref(), Some("Lee Jae-myung"));
    assert_eq!(got[1].code, "KORGOV");
    let got = resolve("Japan protested. The foreign minister called it a provocation.", "2025-02-07");
    assert_eq!(got[1].name.as_deref(), Some("Takeshi Iwaya"));
    // Another body's office is no coreference.
    let r = rules("Donald Trump spoke. The president of the European Commission replied.", "2025-02-07");
    assert!(r.iter().all(|r| r.2 != "office"), "{r:?}");
    // An office followed by a name is a title, not a coreference.
    let r = rules("Donald Trump spoke. The Prime Minister Shigeru Ishiba replied.", "2025-02-07");
    assert_eq!(r[1], ("Prime Minister Shigeru Ishiba".into(), "JPNGOV".into(), "title"));
    // No office holder for anything mentioned: nothing.
    assert!(codes("The president spoke.", "2025-02-07").is_empty());
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
    let doc = nlp().annotate(&article);
    let actors = dict().resolve(&article, &doc, NaiveDate::from_ymd_opt(2025, 2, 7));
    let code_of = |text: &str| actors.iter().find(|a| a.text.ends_with(text)).map(|a| a.code.clone());
    assert_eq!(code_of("Donald Trump").as_deref(), Some("USAGOV"));
    assert_eq!(code_of("Shigeru Ishiba").as_deref(), Some("JPNGOV"));
    assert_eq!(code_of("Kim Jong Un").as_deref(), Some("PRKGOV"));
    assert_eq!(code_of("North Korea").as_deref(), Some("PRK"));
    assert_eq!(code_of("Singapore").as_deref(), Some("SGP"));
    assert!(actors.iter().any(|a| a.text == "Japan" && a.code == "JPN"));
    assert!(actors.iter().all(|a| !a.text.contains("Dorchester") && !a.text.contains("Flick")));
}

/// Prints the parse and the mentions of a sentence: `DYAD_SHOW="text|date" cargo test show -- --nocapture`.
#[test]
fn show() {
    let Ok(v) = std::env::var("DYAD_SHOW") else { return };
    let (text, date) = v.split_once('|').unwrap_or((&v, "2025-02-07"));
    let a = Article::from_text("t", text);
    let doc = nlp().annotate(&a);
    for s in &doc.sentences {
        for (i, t) in s.tokens.iter().enumerate() {
            eprintln!("{i:>3} {:<14} {:<6} {:>3} {}", t.span.text(&a.body), format!("{:?}", t.upos), t.head, t.deprel);
        }
    }
    for r in dict().resolve_traced(&a, &doc, NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()) {
        eprintln!("{:<30} {:<10} {:<14} {:?}", r.actor.text, r.actor.code, r.rule, r.sources);
    }
}

/// "Kim" alone means nobody; after "Kim Jong Un" it is him (a back-only short name, `=Kim`).
#[test]
fn back_only_short_names() {
    assert!(codes("Kim said so.", "2025-02-07").is_empty());
    assert_eq!(
        rules("Kim Jong Un spoke. Trump met Kim in Singapore.", "2025-02-07"),
        [
            ("Kim Jong Un".into(), "PRKGOV".into(), "name"),
            ("Trump".into(), "USAGOV".into(), "short-name"),
            ("Kim".into(), "PRKGOV".into(), "coreference"),
            ("Singapore".into(), "SGP".into(), "name"),
        ]
    );
    // The most recent Kim named wins.
    let got = resolve("Kim Dae-jung met Kim Jong Il. Kim said so.", "2000-06-14");
    assert_eq!(got[2].name.as_deref(), Some("Kim Jong Il"));
}

/// A tiny deterministic generator (no dependency): xorshift.
fn next(s: &mut u64) -> usize {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    (*s >> 16) as usize
}

/// Garbage dictionary lines in both formats never panic; every error names the file and a line
/// of it, and nothing with a bad code becomes an entry.
#[test]
fn garbage_dictionary_lines_are_reported_not_coded() {
    const PIECES: [&str; 24] = [
        "|",
        ";",
        "[",
        "]",
        "USAGOV",
        "120]--",
        "2025-13-40",
        "20251340",
        ">2017",
        "<",
        "-",
        "+",
        "\t",
        " ",
        "_",
        "Trump",
        "é",
        "’s",
        "{",
        "}",
        "~",
        "#",
        "<!--",
        "-->",
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for round in 0..300 {
        let lines: Vec<String> = (0..1 + next(&mut seed) % 6)
            .map(|_| (0..next(&mut seed) % 9).map(|_| PIECES[next(&mut seed) % PIECES.len()]).collect())
            .collect();
        let text = lines.join("\n");
        let n = lines.len();
        for kind in ["leaders.txt", "countries.txt", "organizations.txt", "agents.txt"] {
            let (entries, errors) = load::parse_file_lenient(kind, kind, &text);
            assert!(errors.iter().all(|e| e.file == kind && (1..=n).contains(&e.line)), "{round} {kind} {text:?}");
            assert!(entries.iter().all(|e| !e.code.contains(']') && !e.code.contains('-')), "{text:?}");
        }
        for kind in ["x.actors.txt", "x.agents.txt", "x.discards.txt", "x.issues.txt"] {
            let r = petrarch::read_file(kind, &text, None);
            assert!(r.errors.iter().all(|e| e.file == kind && e.line <= n), "{round} {kind} {text:?}");
            assert!(r.entries.iter().all(|e| !e.code.contains(']') && !e.code.contains('-')), "{text:?}");
        }
    }
}

/// Resolution over random sequences of tricky pieces never panics and keeps spans on the body.
#[test]
fn resolution_never_panics_on_odd_text() {
    const PIECES: [&str; 22] = [
        "Japan",
        "’s",
        "'s",
        "the",
        "The",
        "president",
        "prime minister",
        "Tokyo",
        "in",
        "said",
        "He",
        "Kim",
        "Clinton",
        "Donald Trump",
        "North Korean",
        "troops",
        "of",
        ".",
        ",",
        "“",
        "Pyongyang",
        "é",
    ];
    let mut seed = 7u64;
    for _ in 0..200 {
        let text: Vec<&str> = (0..next(&mut seed) % 30).map(|_| PIECES[next(&mut seed) % PIECES.len()]).collect();
        let text = text.join(" ");
        let date = ["1990-01-01", "2025-02-07", "2100-01-01"][next(&mut seed) % 3];
        for r in traced(&text, date) {
            assert_eq!(text.get(r.actor.span.start..r.actor.span.end), Some(r.actor.text.as_str()), "{text:?}");
        }
    }
}

#[test]
fn the_dictionary_is_shared_across_threads() {
    fn shared<T: Send + Sync>(_: &T) {}
    shared(dict());
    let text = "Japanese Prime Minister Shigeru Ishiba met President Donald Trump.";
    let out: Vec<usize> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..2).map(|_| s.spawn(|| resolve(text, "2025-02-07").len())).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(out, [2, 2]);
}

/// The offices a title names, for the coverage check: head of state or government, foreign
/// minister, defence minister ("prime minister and defence minister" names two). Deputies, vice
/// presidents and crown princes hold none of them.
fn offices(title: &str) -> [bool; 3] {
    let t = title.to_lowercase();
    if ["vice ", "deputy", "crown prince"].iter().any(|p| t.contains(p)) {
        return [false; 3];
    }
    const HEADS: [&str; 24] = [
        "president",
        "prime minister",
        "premier",
        "chancellor",
        "king",
        "queen",
        "emir",
        "sultan",
        "emperor",
        "supreme leader",
        "head of state",
        "head of government",
        "taoiseach",
        "chairman",
        "general secretary",
        "chief executive",
        "state counsellor",
        "junta",
        "military council",
        "captain regent",
        "co-prince",
        "grand duke",
        "prince",
        "pope",
    ];
    [
        HEADS.iter().any(|p| t.contains(p)),
        ["foreign", "external affairs", "secretary of state"].iter().any(|p| t.contains(p)),
        ["defence", "defense", "armed forces"].iter().any(|p| t.contains(p)),
    ]
}

/// The declared exceptions of a leaders file: `# no <office>: CODES [FROM..TO] — reason` for an
/// office a state does not have, `# unknown <office>: CODES [FROM..TO] — reason` for holders the
/// authors do not know. Offices: `head of state or government`, `foreign minister`, `defence
/// minister`. Returns (office index, code, from, to exclusive, known-absent).
fn declared_exceptions(text: &str) -> Vec<(usize, String, NaiveDate, NaiveDate, bool)> {
    let mut out = Vec::new();
    for l in text.lines() {
        let Some(rest) =
            l.strip_prefix("# no ").map(|r| (r, true)).or_else(|| l.strip_prefix("# unknown ").map(|r| (r, false)))
        else {
            continue;
        };
        let ((office, list), absent) =
            (rest.0.split_once(':').expect("`# no …:` / `# unknown …:` needs a colon"), rest.1);
        let o = ["head of state or government", "foreign minister", "defence minister"]
            .iter()
            .position(|n| *n == office.trim())
            .unwrap_or_else(|| panic!("unknown office {office:?} in {l:?}"));
        let list = list.split(['—', '(']).next().unwrap();
        let (mut from, mut to) = (NaiveDate::MIN, NaiveDate::MAX);
        let mut codes = Vec::new();
        for t in list.split_whitespace() {
            if let Some((a, b)) = t.split_once("..") {
                from = a.parse().unwrap_or_else(|e| panic!("{l:?}: {e}"));
                to = b.parse().unwrap_or_else(|e| panic!("{l:?}: {e}"));
            } else {
                assert!(t.len() == 3 && t.bytes().all(|b| b.is_ascii_uppercase()), "not a code: {t:?} in {l:?}");
                codes.push(t.to_string());
            }
        }
        out.extend(codes.into_iter().map(|c| (o, c, from, to, absent)));
    }
    out
}

/// Every state named in the `# countries:` line of a `leaders-<region>.txt` has a head of state or
/// government in office on 1 January and 1 July of every year from 2000 to 2025, and a foreign and a
/// defence minister in office on 2025-07-01, unless the file declares the office absent (`# no …`)
/// or its holders unknown (`# unknown …`) on that date. Prints the share of those dates covered
/// for each office over 2000–2025 and the number of declared state-dates.
#[test]
fn leaders_cover_every_listed_state() {
    let dates: Vec<NaiveDate> = (2000..=2025)
        .flat_map(|y| [NaiveDate::from_ymd_opt(y, 1, 1).unwrap(), NaiveDate::from_ymd_opt(y, 7, 1).unwrap()])
        .collect();
    let today = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    let mut gaps = Vec::new();
    let (mut covered, mut checked) = ([0usize; 3], 0usize);
    // State-dates × offices declared absent, and declared unknown.
    let mut declared_dates = [0usize; 2];
    for (name, text) in load::BUILTIN.iter().filter(|(n, _)| n.starts_with("leaders-")) {
        let countries: Vec<&str> = text
            .lines()
            .find_map(|l| l.strip_prefix("# countries:"))
            .unwrap_or_else(|| panic!("{name} has no `# countries:` line"))
            .split_whitespace()
            .collect();
        let entries = load::parse_file(name, text).unwrap();
        let declared = declared_exceptions(text);
        for (_, c, ..) in &declared {
            assert!(countries.contains(&c.as_str()), "{name}: {c} is declared but not listed");
        }
        let excused = |o: usize, c: &str, d: NaiveDate| {
            declared.iter().find(|(eo, ec, f, t, _)| *eo == o && ec == c && *f <= d && d < *t).map(|x| x.4)
        };
        for c in countries {
            let holds = |o: usize, d: NaiveDate| {
                entries.iter().any(|e| {
                    e.code.starts_with(c)
                        && e.title.as_deref().is_some_and(|t| offices(t)[o])
                        && e.term.is_some_and(|t| t.covers(d))
                })
            };
            for &d in &dates {
                checked += 1;
                for (o, n) in covered.iter_mut().enumerate() {
                    if holds(o, d) {
                        *n += 1;
                    } else if let Some(absent) = excused(o, c, d) {
                        declared_dates[usize::from(!absent)] += 1;
                    } else if o == 0 {
                        gaps.push(format!("{name}: {c} has no head of state or government on {d}"));
                    }
                }
            }
            for (o, what) in [(1, "foreign"), (2, "defence")] {
                if !holds(o, today) && excused(o, c, today).is_none() {
                    gaps.push(format!("{name}: {c} has no {what} minister on {today}"));
                }
            }
        }
    }
    let share = |n: usize| n as f64 / checked.max(1) as f64;
    eprintln!(
        "leader coverage over {checked} state-dates: heads {:.3}, foreign ministers {:.3}, defence ministers {:.3}; \
         declared: {} office-dates without the office, {} unknown",
        share(covered[0]),
        share(covered[1]),
        share(covered[2]),
        declared_dates[0],
        declared_dates[1]
    );
    assert!(gaps.is_empty(), "{} gaps:\n{}", gaps.len(), gaps.join("\n"));
}
