//! `dyad parse`: raw text and CoNLL-U in, CoNLL-U and JSON out, broken CoNLL-U named by line.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn dyad(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dyad");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn raw_text_to_conllu_with_entities() {
    let o = dyad(&["parse"], "Kim Jong Un met Donald Trump in Singapore. They talked.");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    let sents: Vec<&str> = out.split("\n\n").filter(|s| !s.trim().is_empty()).collect();
    assert_eq!(sents.len(), 2, "{out}");
    let rows: Vec<Vec<&str>> =
        sents[0].lines().filter(|l| !l.starts_with('#')).map(|l| l.split('\t').collect()).collect();
    assert!(rows.iter().all(|r| r.len() == 10), "ten columns: {out}");
    let met = rows.iter().find(|r| r[1] == "met").unwrap();
    assert_eq!((met[2], met[3], met[7]), ("meet", "VERB", "root"));
    assert_eq!(rows.iter().filter(|r| r[6] == "0").count(), 1, "one root");
    assert!(rows[0][9].contains("NER=B-PER"), "{out}");
    assert!(rows[1][9].contains("NER=I-PER"), "{out}");
}

#[test]
fn conllu_keeps_the_words_and_json_has_spans() {
    let conllu =
        "# text = Obama visited Paris.\n1\tObama\t_\t_\t_\t_\t0\t_\t_\t_\n2\tvisited\t_\t_\t_\t_\t0\t_\t_\t_\n\
                  3\tParis\t_\t_\t_\t_\t0\t_\t_\tSpaceAfter=No\n4\t.\t_\t_\t_\t_\t0\t_\t_\t_\n\n";
    let o = dyad(&["parse", "--input", "conllu"], conllu);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    let forms: Vec<&str> =
        out.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(|l| l.split('\t').nth(1).unwrap()).collect();
    assert_eq!(forms, ["Obama", "visited", "Paris", "."]);
    assert!(out.contains("SpaceAfter=No"), "MISC kept: {out}");

    let o = dyad(&["parse", "--output", "json"], "Obama visited Paris.");
    let v: serde_json::Value =
        serde_json::from_str(String::from_utf8(o.stdout).unwrap().lines().next().unwrap()).unwrap();
    let toks = v["tokens"].as_array().unwrap();
    assert_eq!(toks.len(), 4);
    assert_eq!((toks[2]["start"].as_u64(), toks[2]["end"].as_u64()), (Some(14), Some(19)));
}

#[test]
fn broken_conllu_names_the_line() {
    let o = dyad(&["parse", "--input", "conllu"], "# ok\n1\tA\t_\t_\t_\t_\t0\t_\t_\t_\nbroken line\n");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("stdin:line 3"), "{err}");
}
