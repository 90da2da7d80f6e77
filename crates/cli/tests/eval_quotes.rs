//! `dyad eval quotes` on a hand-written brat folder (our own text, not PolNeAR's).

use std::process::Command;

#[test]
fn eval_quotes_scores_a_tiny_brat_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("text")).unwrap();
    std::fs::create_dir_all(dir.path().join("attributions")).unwrap();
    let text = "Donald Trump said that the talks would resume soon.\n\n“We are ready,” Shigeru Ishiba said.\n";
    std::fs::write(dir.path().join("text/own_2025-02-07_talks.txt"), text).unwrap();
    // Offsets in characters: “ and ” are one character each.
    let ann =
        "T1\tSource 0 12\tDonald Trump\nT2\tCue 13 17\tsaid\nT3\tContent 18 50\tthat the talks would resume soon\n\
               T4\tAttribution 13 17\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n\
               T5\tContent 53 68\t“We are ready,”\nT6\tSource 69 83\tShigeru Ishiba\nT7\tCue 84 88\tsaid\n\
               T8\tAttribution 84 88\tsaid\nE2\tAttribution:T8 Cue:T7 Source:T6 Content:T5\n";
    std::fs::write(dir.path().join("attributions/own_2025-02-07_talks_a1.ann"), ann).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["eval", "quotes", dir.path().to_str().unwrap()])
        .output()
        .expect("run dyad");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("1 annotations"), "{out}");
    // Both relations are found: content and source overlap, all of them matched.
    assert!(out.contains("content   overlap  P 1.000  R 1.000"), "{out}");
    assert!(out.contains("relation  overlap  P 1.000  R 1.000"), "{out}");
    // A folder without annotations is an error, not a panic.
    let empty = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["eval", "quotes", empty.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!o.status.success());
}
