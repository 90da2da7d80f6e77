//! End-to-end tests of the `dyad` binary: the foundation's acceptance checks.

use std::path::Path;
use std::process::{Command, Output};

fn dyad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad")).args(args).output().expect("run dyad")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn seed_page_title_furniture_and_headings() {
    let Some(shared) = dyad_testkit::shared("") else { return };
    let seed = shared.join("seeds/000_d13cbc4c5b3b63ce.txt");
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("seeds/000_d13cbc4c5b3b63ce.expected.json")).unwrap(),
    )
    .unwrap();
    let o = dyad(&["code", seed.to_str().unwrap(), "--date", "2025-02-07"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "one JSON object per document");
    let doc: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let title = expected["title"].as_str().unwrap();
    assert_eq!(doc["title"].as_str(), Some(title));
    assert_eq!(doc["date"].as_str(), Some("2025-02-07"));
    let body = doc["body"].as_str().unwrap();
    for bad in expected["not_in_body"].as_array().unwrap() {
        assert!(!body.contains(bad.as_str().unwrap()), "furniture left in body: {bad}");
    }
    assert!(!body.contains(title), "title repeated in the body");
    let headings: Vec<&str> = doc["headings"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
    let want: Vec<&str> = expected["headings"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
    assert_eq!(headings, want);
    for key in ["actors", "events", "quotes", "entities", "tone"] {
        assert!(doc.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn run_twice_stores_nothing_twice_and_query_reads_back() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("t.db");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let db_s = db.to_str().unwrap();
    let ex = examples.to_str().unwrap();
    let first = dyad(&["run", ex, "--db", db_s, "--date", "2025-02-07"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("stored 4 documents (0 already stored, 0 failed)"), "{}", stdout(&first));
    let second = dyad(&["run", ex, "--db", db_s, "--date", "2025-02-07"]);
    assert!(second.status.success());
    assert!(stdout(&second).contains("stored 0 documents (4 already stored, 0 failed)"), "{}", stdout(&second));
    let q = dyad(&["query", "events", "--db", db_s, "--format", "json"]);
    assert!(q.status.success(), "{}", stderr(&q));
    let a = dyad(&["query", "actors", "--db", db_s]);
    assert!(a.status.success(), "{}", stderr(&a));
    let missing = dyad(&["query", "events", "--db", tmp.path().join("none.db").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no such store"));
}

#[test]
fn bad_inputs_get_one_line_errors_and_the_rest_is_processed() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let good = d.join("good.txt");
    std::fs::write(&good, "Germany and France agreed on Monday to hold talks on energy prices.\n").unwrap();
    let empty_dir = d.join("nothing_here");
    std::fs::create_dir(&empty_dir).unwrap();
    let binary = d.join("picture.txt");
    std::fs::write(&binary, [0x89, b'P', b'N', b'G', 0, 0, 1, 2, 3]).unwrap();
    // Not UTF-8 and undeclared: decoded by the detected legacy charset, not refused.
    let latin = d.join("latin.txt");
    std::fs::write(&latin, b"Ministers from Spain and France met in M\xe1laga on Tuesday to talk about energy.\n")
        .unwrap();
    let junk_html = d.join("junk.html");
    std::fs::write(&junk_html, [0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0]).unwrap();
    let bad_feed = d.join("news.rss");
    std::fs::write(&bad_feed, "this is { not xml").unwrap();
    let empty = d.join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let huge = d.join("huge.txt");
    {
        let f = std::fs::File::create(&huge).unwrap();
        f.set_len(100 * 1024 * 1024).unwrap();
    }
    let missing = d.join("missing.txt");
    let db = d.join("t.db");
    let paths = [&good, &latin, &missing, &empty_dir, &binary, &junk_html, &bad_feed, &empty, &huge];
    let mut args = vec!["run".to_string(), "--db".into(), db.display().to_string()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let args_ref: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let o = dyad(&args_ref);
    assert_eq!(o.status.code(), Some(1), "exit code 1 when some inputs failed");
    assert!(stdout(&o).contains("stored 2 documents"), "{}", stdout(&o));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert!(!lines.iter().any(|l| l.contains("latin.txt")), "{err}");
    for p in &paths[2..] {
        let name = p.display().to_string();
        let hits: Vec<&&str> = lines.iter().filter(|l| l.contains(&name)).collect();
        assert_eq!(hits.len(), 1, "one line naming {name} in:\n{err}");
    }
    assert!(err.contains("no such file"), "{err}");
    assert!(err.contains("no readable files"), "{err}");
    assert!(err.contains("binary data"), "{err}");
    assert!(err.contains("RSS/Atom"), "{err}");
    assert!(err.contains("empty"), "{err}");
    // The stored document survives a second run with only bad inputs.
    let o2 = dyad(&["run", "--db", db.to_str().unwrap(), binary.to_str().unwrap()]);
    assert_eq!(o2.status.code(), Some(1));
    let q = dyad(&["query", "actors", "--db", db.to_str().unwrap(), "--format", "json"]);
    assert!(q.status.success());
    let again = dyad(&["run", "--db", db.to_str().unwrap(), good.to_str().unwrap()]);
    assert!(stdout(&again).contains("stored 0 documents (1 already stored"), "{}", stdout(&again));
}

#[test]
fn help_has_examples_for_every_command() {
    let o = dyad(&["--help"]);
    assert!(o.status.success());
    let text = stdout(&o);
    let commands: Vec<String> = text
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 4, "{text}");
    for c in commands {
        let h = dyad(&[&c, "--help"]);
        assert!(h.status.success(), "{c} --help");
        assert!(stdout(&h).contains("Example"), "`dyad {c} --help` shows no example");
    }
}

#[test]
fn bad_date_is_a_usage_error() {
    let o = dyad(&["code", "x.txt", "--date", "2025-13-40"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("YYYY-MM-DD"));
}
