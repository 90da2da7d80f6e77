//! `dyad dict check` and `--dict`/`--replace` on `dyad actors`.

use std::process::{Command, Output};

fn dyad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad")).args(args).output().expect("run dyad")
}

#[test]
fn dict_check_reports_counts_and_malformed_lines() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("test.actors.txt");
    std::fs::write(&f, "GONDOR_ [GON]\nSAM_GAMGEE [HOB]\n\t[HOBGOV >20251340]\nBROKEN [USAMIL CUB 120]--\n").unwrap();
    let o = dyad(&["dict", "check", f.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let name = f.display().to_string();
    assert!(out.lines().any(|l| l.starts_with(&name) && l.split_whitespace().nth(1) == Some("2")), "{out}");
    assert!(out.contains(&format!("{name}:3: impossible date")), "{out}");
    assert!(out.contains(&format!("{name}:4: ")), "{out}");
    assert!(out.contains("2 malformed lines"), "{out}");

    let text = dir.path().join("story.txt");
    std::fs::write(&text, "Sam Gamgee met Japanese officials in Gondor.\n").unwrap();
    let merged = dyad(&["actors", text.to_str().unwrap(), "--date", "2025-02-07", "--dict", f.to_str().unwrap()]);
    let m = String::from_utf8_lossy(&merged.stdout);
    assert!(m.contains("HOB ") && m.contains("JPNGOV"), "{m}");
    assert!(String::from_utf8_lossy(&merged.stderr).contains("malformed"), "malformed lines are mentioned");
    // Provenance: the rule and every dictionary line (file:line) that took part.
    assert!(
        m.lines()
            .any(|l| l.starts_with("JPNGOV") && l.contains(" agent ") && l.contains("countries.txt:121 agents.txt:")),
        "{m}"
    );
    assert!(m.lines().any(|l| l.starts_with("HOB ") && l.ends_with(&format!("{name}:2"))), "{m}");
    let alone =
        dyad(&["actors", text.to_str().unwrap(), "--date", "2025-02-07", "--dict", f.to_str().unwrap(), "--replace"]);
    let r = String::from_utf8_lossy(&alone.stdout);
    assert!(r.contains("HOB ") && !r.contains("JPN"), "{r}");
}
