use crate::petrarch::*;
use crate::*;
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const ACTORS: &str = "\
# a comment
<!-- a comment
   over two lines -->
BARACK_OBAMA_
+PRESIDENT_BARACK_OBAMA
\t[USAELI 780101-000101]
\t[USAGOV >090120]  # from the inauguration
GONDOR_ [GON]
+MINAS_TIRITH
SAM_GAMGEE [HOB]
\t[HOBCIV <20080120]
\t[ORCHOB 20100109-20100112]
\t[HOBMIL 20080120-20121109]
\t[HOBGOV 20121109-20130119]
BOROMIR [---]
LORIEN [ELR/GAL]
";

#[test]
fn actor_records_with_synonyms_and_dated_codes() {
    let (e, errs) = parse_actors("a.txt", ACTORS);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(e.len(), 5);
    let obama = &e[0];
    assert_eq!(obama.keys, ["BARACK OBAMA", "PRESIDENT BARACK OBAMA"]);
    assert_eq!(obama.source, "a.txt:4");
    assert_eq!(obama.code_on(d("2009-01-19")), None);
    assert_eq!(obama.code_on(d("2009-01-20")), Some(("USAGOV", "a.txt:7")));
    assert_eq!(obama.code_on(d("1999-12-31")), Some(("USAELI", "a.txt:6")));
    assert_eq!(e[1].code_on(d("2020-01-01")), Some(("GON", "a.txt:8")));
    assert_eq!(e[1].keys, ["GONDOR", "MINAS TIRITH"]);
    let sam = &e[2];
    // `<d` is before d; `a-b` is a ≤ date < b; the narrower range listed first wins inside.
    assert_eq!(sam.code_on(d("2008-01-19")).unwrap().0, "HOBCIV");
    assert_eq!(sam.code_on(d("2008-01-20")).unwrap().0, "HOBMIL");
    assert_eq!(sam.code_on(d("2010-01-09")).unwrap().0, "ORCHOB");
    assert_eq!(sam.code_on(d("2010-01-12")).unwrap().0, "HOBMIL");
    assert_eq!(sam.code_on(d("2012-11-09")).unwrap().0, "HOBGOV");
    assert_eq!(sam.code_on(d("2013-01-19")).unwrap().0, "HOB");
    assert_eq!(e[3].code_on(d("2020-01-01")), Some(("", "a.txt:15")));
    assert_eq!(e[4].code, "ELR/GAL");
}

#[test]
fn malformed_actor_lines_are_reported_and_skipped() {
    let text = "\
GOOD_ [USA]
BAD_DATE
\t[USAGOV >20251340]
USAMIL_CUBA
\t[USAMIL CUB 120]--
UNBALANCED [USAGOV
STRAY ]_
LOWER [usa]
OVERLAP
\t[XXXGOV 20000101-20100101]
\t[XXXMIL 20050101-20150101]
\t[XXXELI 20010101-20020101]
+ORPHAN
WEIRD [US$A]
";
    let (e, errs) = parse_actors("b.txt", text);
    let lines: Vec<usize> = errs.iter().map(|e| e.line).collect();
    // 3 impossible date; 2 then has no code; 5 "CUB" is no date and `--` is stray text (the
    // whole line is refused: one report); 4 has no code; 6, 7 unbalanced; 11 partial overlap;
    // 12 lies inside line 10's range, after it, so it could never apply; 14 bad code.
    for want in [2, 3, 4, 5, 6, 7, 11, 12, 14] {
        assert!(lines.contains(&want), "line {want} not reported: {errs:#?}");
    }
    assert!(errs.iter().all(|e| e.file == "b.txt"));
    assert!(errs.iter().find(|e| e.line == 3).unwrap().message.contains("impossible date"), "{errs:#?}");
    let names: Vec<&str> = e.iter().map(|e| e.names[0].as_str()).collect();
    assert_eq!(names, ["GOOD", "LOWER", "OVERLAP"]);
    // The ORPHAN synonym attaches to OVERLAP (the open record), which is the format's rule.
    assert_eq!(e[1].code, "USA");
    let o = &e[2];
    assert_eq!(o.dated.len(), 1);
    assert_eq!(o.code_on(d("2012-01-01")), None);
    // No code anywhere carries stray characters.
    for x in &e {
        for c in std::iter::once(&x.code).chain(x.dated.iter().map(|d| &d.code)) {
            assert!(c.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'/'), "{c}");
        }
    }
}

#[test]
fn tabari_dates() {
    assert_eq!(parse_date("090120"), Ok(d("2009-01-20")));
    assert_eq!(parse_date("300101"), Ok(d("2030-01-01")));
    assert_eq!(parse_date("310101"), Ok(d("1931-01-01")));
    assert_eq!(parse_date("19950601"), Ok(d("1995-06-01")));
    assert!(parse_date("20251340").is_err());
    assert!(parse_date("20250230").is_err());
    assert!(parse_date("2025011").is_err());
    assert!(parse_date("2025-01-01").is_err());
}

#[test]
fn agents_with_plurals_and_substitution_sets() {
    let text = "\
!PERSON! = MAN, MEN
!MINIST! = MINISTER, MINISTRY
FARMER [~AGR]
ARMY [~MIL]
MEDIA {} [~MED]
ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]
CONGRESS!PERSON! [~LEG]
!MINIST!_OF_DEFENCE [~GOVMIL]
NONGOVERNMENTAL_ORGANIZATION [NGO~]
BROKEN [~ENV}
NOCODE
UNDEF!X! [~GOV]
";
    let (e, errs) = parse_agents("ag.txt", text);
    let lines: Vec<usize> = errs.iter().map(|e| e.line).collect();
    assert_eq!(lines, [10, 11, 12], "{errs:#?}");
    let keys = |i: usize| e[i].keys.clone();
    assert_eq!(keys(0), ["FARMER", "FARMERS"]);
    assert_eq!(keys(1), ["ARMY", "ARMIES"]);
    assert_eq!(keys(2), ["MEDIA"]);
    assert_eq!(keys(3), ["ATTORNEY GENERAL", "ATTORNEYS GENERAL"]);
    assert!(keys(4).contains(&"CONGRESSMAN".to_string()) && keys(4).contains(&"CONGRESSMEN".to_string()));
    assert!(keys(5).contains(&"MINISTRY OF DEFENCE".to_string()));
    assert_eq!(e[5].code, "GOVMIL");
    assert!(e[6].prepend && e[6].code == "NGO");
}

#[test]
fn discards_and_issues() {
    let (ds, errs) = parse_discards("d.txt", "MONTHS LATER\n+World Golf Championships  # sport\nBASEBALL\nBALLCLUB_\n");
    assert!(errs.is_empty());
    assert_eq!(ds.len(), 4);
    assert!(ds[1].story && !ds[0].story);
    assert!(ds[0].matches("Months later, the talks resumed."));
    assert!(ds[2].matches("The baseballers won."), "stem");
    assert!(!ds[3].matches("The ballclubs met."), "whole word");
    assert!(ds[3].matches("The ballclub met."));
    let text = "<ISSUE CATEGORY=\"EDUCATION\" TYPE=\"ALL\">\nn:teacher [TEACHERS]\npre+k [EARLY]\n~a head start\nbad [lower]\n</ISSUE>\noutside [X]\n";
    let (is, errs) = parse_issues("i.txt", text);
    assert_eq!(errs.iter().map(|e| e.line).collect::<Vec<_>>(), [5, 7]);
    assert_eq!(is[0].variants, ["teacher", "teachers"]);
    assert_eq!(is[1].variants, ["pre k", "pre-k", "prek"]);
    assert!(is[2].cancel && is[2].category == "EDUCATION");
}

/// The Phoenix and PETRARCH validation dictionaries load; malformed lines are reported, not coded.
#[test]
fn phoenix_and_petrarch_unit_dictionaries_load() {
    let (Some(phoenix), Some(unit)) =
        (dyad_testkit::shared("reference/dictionaries/phoenix"), dyad_testkit::shared("eval/events/petrarch-unit"))
    else {
        return;
    };
    let reports = read_files(&[phoenix]).unwrap();
    let by = |n: &str| reports.iter().find(|r| r.file.ends_with(n)).unwrap();
    assert!(by("Phoenix.Countries.actors.txt").entries.len() > 15_000);
    assert!(by("Phoenix.International.actors.txt").entries.len() > 7_000);
    assert!(by("Phoenix.MilNonState.actors.txt").entries.len() > 900);
    assert!(by("Phoenix.agents.txt").entries.len() > 2_000);
    assert!(by("Phoenix.discards.txt").discards.len() > 400);
    assert!(by("Phoenix.IssueCoding.txt").issues.len() > 3_000);
    // Known defects of the Phoenix files are found: an empty range and a 9-digit date.
    let c = &by("Phoenix.Countries.actors.txt").errors;
    assert!(c.iter().any(|e| e.message.contains("is empty")), "{:?}", &c[..5]);
    assert!(c.iter().any(|e| e.message.contains("\"201005011\"")));
    let dict = ActorDict::from_reports(&reports, Mode::Replace).unwrap();
    // Barack Obama: USAGOV from 2009-01-20 (Phoenix has no end date).
    let obama: Vec<&Entry> = dict.entries().iter().filter(|e| e.names[0] == "BARACK OBAMA").collect();
    assert!(obama.iter().any(|e| e.code_on(d("2010-06-01")).is_some_and(|c| c.0 == "USAGOV")));

    let files: Vec<PathBuf> =
        ["actors", "agents", "discards"].iter().map(|k| unit.join(format!("PETR.Validate.{k}.txt"))).collect();
    let (dict, reports) = ActorDict::load(&files, Mode::Replace).unwrap();
    let errs: Vec<&DictError> = reports.iter().flat_map(|r| &r.errors).collect();
    assert!(errs.iter().any(|e| e.line == 112 && e.message.contains("+++")), "{errs:?}");
    assert!(dict.discard("The baseball season opened").is_some());
    let gollum = dict.entries().iter().find(|e| e.names[0] == "GOLLUM").unwrap();
    assert_eq!(gollum.code_on(d("1995-05-31")).unwrap().0, "HOB");
    assert_eq!(gollum.code_on(d("1995-06-01")).unwrap().0, "HOBGOV");
    assert_eq!(gollum.code_on(d("1999-08-16")).unwrap().0, "HOBREB");
}

/// PETRARCH entries resolve in running text through the same resolver, merged or alone.
#[test]
fn petrarch_entries_resolve_merged_or_alone() {
    let text = "GONDOR_ [GON]\nSAM_GAMGEE [HOB]\n\t[HOBGOV 20121109-20130119]\n";
    let (entries, errs) = parse_actors("t.actors.txt", text);
    assert!(errs.is_empty());
    let (agents, _) = parse_agents("t.agents.txt", "SOLDIER [~MIL]\n");
    let report =
        FileReport { file: "t".into(), entries: entries.into_iter().chain(agents).collect(), ..Default::default() };
    let run = |dict: &ActorDict, text: &str, date: &str| -> Vec<(String, String)> {
        let a = dyad_model::Article::from_text("t", text);
        let doc = crate::tests::nlp().annotate(&a);
        dict.resolve(&a, &doc, Some(d(date))).into_iter().map(|x| (x.text, x.code)).collect()
    };
    let alone = ActorDict::from_reports(std::slice::from_ref(&report), Mode::Replace).unwrap();
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        run(&alone, "Sam Gamgee met Gondor soldiers in Japan.", "2012-12-01"),
        [s("Sam Gamgee", "HOBGOV"), s("Gondor soldiers", "GONMIL")]
    );
    assert_eq!(run(&alone, "Sam Gamgee met Gondor soldiers.", "2014-01-01")[0], s("Sam Gamgee", "HOB"));
    let merged = ActorDict::from_reports(&[report], Mode::Merge).unwrap();
    assert_eq!(
        run(&merged, "Sam Gamgee met Japanese soldiers.", "2012-12-01"),
        [s("Sam Gamgee", "HOBGOV"), s("Japanese soldiers", "JPNMIL")]
    );
}

/// Merged with the Phoenix dictionaries, the seed's expected actors stay right: dyad's dated
/// entries come first, Phoenix adds what dyad lacks (its agent "dictator" joins "Kim Jong Un").
#[test]
fn seed_actors_with_phoenix_merged() {
    let (Some(phoenix), Some(seeds)) =
        (dyad_testkit::shared("reference/dictionaries/phoenix"), dyad_testkit::shared("seeds"))
    else {
        return;
    };
    let files: Vec<PathBuf> = ["Countries.actors", "International.actors", "MilNonState.actors", "agents"]
        .iter()
        .map(|k| phoenix.join(format!("Phoenix.{k}.txt")))
        .collect();
    let (dict, _) = ActorDict::load(&files, Mode::Merge).unwrap();
    let raw = dyad_ingest::read_file(&seeds.join("000_d13cbc4c5b3b63ce.txt")).unwrap();
    let article = dyad_ingest::extract(&raw).unwrap();
    let doc = crate::tests::nlp().annotate(&article);
    let actors = dict.resolve(&article, &doc, Some(d("2025-02-07")));
    let code_of = |text: &str| actors.iter().find(|a| a.text.ends_with(text)).map(|a| a.code.as_str());
    assert_eq!(code_of("Donald Trump"), Some("USAGOV"));
    assert_eq!(code_of("Shigeru Ishiba"), Some("JPNGOV"));
    assert_eq!(code_of("Kim Jong Un"), Some("PRKGOV"));
    assert_eq!(code_of("North Korea"), Some("PRK"));
    assert_eq!(code_of("Singapore"), Some("SGP"));
    assert!(actors.iter().any(|a| a.text == "Japan" && a.code == "JPN"));
}
