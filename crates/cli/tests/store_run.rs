//! End-to-end tests of the store through the `dyad` binary: parallel runs give the same store,
//! a run killed with SIGKILL many times and rerun gives the same store as an uninterrupted one,
//! queries and exports read it back, and broken store files give clear errors.

use dyad_store::Store;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn dyad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad")).args(args).output().expect("run dyad")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Writes `n` synthetic news items into `dir`.
fn corpus(dir: &Path, n: usize) -> PathBuf {
    let d = dir.join("news");
    std::fs::create_dir_all(&d).unwrap();
    for k in 0..n {
        std::fs::write(d.join(format!("{k:05}.txt")), dyad_store::synth::news_text(7, k)).unwrap();
    }
    d
}

fn run(docs: &Path, db: &Path, threads: usize) -> Output {
    let j = threads.to_string();
    dyad(&["run", docs.to_str().unwrap(), "--db", db.to_str().unwrap(), "--date", "2024-03-05", "-q", "-j", &j])
}

fn digest(db: &Path) -> (String, dyad_store::Counts) {
    let st = Store::open(db).unwrap();
    st.check_fts().unwrap();
    (st.digest().unwrap(), st.counts().unwrap())
}

#[test]
fn two_threads_store_exactly_what_one_thread_stores() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = corpus(tmp.path(), 300);
    let (a, b) = (tmp.path().join("a.db"), tmp.path().join("b.db"));
    let o = run(&docs, &a, 1);
    assert!(o.status.success(), "{}", text(&o));
    let o = run(&docs, &b, 2);
    assert!(o.status.success(), "{}", text(&o));
    let (da, ca) = digest(&a);
    let (db, cb) = digest(&b);
    assert_eq!(ca, cb);
    assert_eq!(ca.documents, 300);
    // Most items give at least one event, and repeated ones roll up into fewer events.
    assert!(ca.mentions > 200 && ca.events < ca.mentions, "{ca:?}");
    assert_eq!(da, db);
    // A rerun stores nothing and changes nothing.
    let o = run(&docs, &b, 2);
    assert!(text(&o).contains("stored 0 documents (300 already stored, 0 failed)"), "{}", text(&o));
    assert_eq!(digest(&b).0, da);
}

#[test]
fn killed_runs_resume_to_the_same_store() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = corpus(tmp.path(), 1000);
    let reference = tmp.path().join("reference.db");
    let t0 = Instant::now();
    let o = run(&docs, &reference, 2);
    assert!(o.status.success(), "{}", text(&o));
    let full = t0.elapsed();
    let (want, want_counts) = digest(&reference);
    assert_eq!(want_counts.documents, 1000);

    let db = tmp.path().join("killed.db");
    let mut rng = dyad_store::synth::Rng::new(2024);
    let mut kills = 0;
    let mut last_docs = 0;
    let mut kills_mid_run = 0;
    // Early in a run (start-up included), so that each run stores only a little more; the delay
    // adapts when a kill falls before anything new was stored (a loaded machine starts slowly).
    let full_ms = full.as_millis() as usize;
    let mut base_ms = full_ms / 40;
    for attempt in 0..160 {
        if kills >= 20 {
            break;
        }
        let threads = 1 + attempt % 2;
        let mut child = Command::new(env!("CARGO_BIN_EXE_dyad"))
            .args(["run", docs.to_str().unwrap(), "--db", db.to_str().unwrap(), "--date", "2024-03-05", "-q"])
            .args(["-j", &threads.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let ms = base_ms + rng.below((full_ms / 8).max(10));
        std::thread::sleep(Duration::from_millis(ms as u64));
        let killed = child.try_wait().unwrap().is_none();
        if killed {
            child.kill().unwrap(); // SIGKILL on Unix
            kills += 1;
        }
        child.wait().unwrap();
        if db.exists() {
            let st = Store::open(&db).expect("a killed run leaves a store that opens");
            let n = st.counts().unwrap().documents;
            assert!(n >= last_docs, "documents went from {last_docs} to {n}");
            if killed && n > last_docs && n < 1000 {
                kills_mid_run += 1;
            } else if killed && n == last_docs {
                base_ms = base_ms * 3 / 2 + 10;
            }
            last_docs = n;
            if n == 1000 && kills >= 10 && kills_mid_run >= 5 {
                break;
            }
            if n == 1000 {
                // The runs outpaced the kills (the machine got faster, or the delay grew too
                // much): start again on an empty store with shorter delays; the kills so far were
                // each checked above and still count.
                for ext in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
                }
                last_docs = 0;
                base_ms = (base_ms * 2 / 3).max(1);
            }
        } else if killed {
            base_ms = base_ms * 3 / 2 + 10;
        }
    }
    eprintln!("{kills} kills, {kills_mid_run} while storing; {last_docs} of 1000 documents stored before the last run");
    assert!(kills >= 10, "only {kills} runs were killed before finishing");
    assert!(kills_mid_run >= 5, "only {kills_mid_run} kills fell while documents were being stored");
    let o = run(&docs, &db, 2);
    assert!(o.status.success(), "{}", text(&o));
    let (got, got_counts) = digest(&db);
    assert_eq!(got_counts, want_counts);
    assert_eq!(got, want, "the resumed store differs from the uninterrupted one");
}

#[test]
fn queries_and_exports_read_the_store_back() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = corpus(tmp.path(), 120);
    let db = tmp.path().join("q.db");
    let dbs = db.to_str().unwrap();
    assert!(run(&docs, &db, 2).status.success());

    let o = dyad(&["query", "relations", "USA", "CHN", "--by", "day", "--db", dbs, "--format", "json"]);
    assert!(o.status.success(), "{}", text(&o));
    let rows: Vec<serde_json::Value> =
        String::from_utf8_lossy(&o.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // Items are dated 2024-03-05 (a Tuesday) and say "on Monday" and the like: the coder dates
    // each event to the weekday named, so every period lies in the week up to the document date.
    assert!(!rows.is_empty() && rows.len() <= 7, "{rows:?}");
    for row in &rows {
        let period = row["period"].as_str().unwrap();
        assert!(("2024-02-27"..="2024-03-05").contains(&period), "{period} is outside the items' week");
        let quad_sum: u64 = row["quad"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).sum();
        assert_eq!(quad_sum, row["events"].as_u64().unwrap());
    }

    let o = dyad(&["query", "events", "--actor", "USA", "--db", dbs, "--format", "csv", "--limit", "5"]);
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.starts_with("id,date,source,target,cameo"), "{out}");
    let id = out.lines().nth(1).expect("an event with USA").split(',').next().unwrap().to_string();

    let o = dyad(&["query", "evidence", &id, "--db", dbs, "--format", "json"]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ms = v["mentions"].as_array().unwrap();
    assert_eq!(ms.len() as u64, v["event"]["num_mentions"].as_u64().unwrap());
    assert!(ms.iter().all(|m| !m["sentence"].as_str().unwrap().is_empty()));

    let o = dyad(&["query", "quotes", "--text", "ready talk", "--db", dbs]);
    assert!(o.status.success() && !o.stdout.is_empty(), "{}", text(&o));
    let o = dyad(&["query", "quotes", "--text", "\"(((", "--db", dbs]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("bad query"), "{}", text(&o));
    let o = dyad(&["query", "evidence", "not-hex", "--db", dbs]);
    assert_eq!(o.status.code(), Some(2));

    let out = tmp.path().join("events.tsv");
    let o = dyad(&["export", "--format", "gdelt-events", "--db", dbs, "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let tsv = std::fs::read_to_string(&out).unwrap();
    assert!(!tsv.is_empty() && tsv.lines().all(|l| l.split('\t').count() == 61));
    for f in ["gdelt-mentions", "plover", "jsonl", "csv"] {
        let o = dyad(&["export", "--format", f, "--db", dbs]);
        assert!(o.status.success() && !o.stdout.is_empty(), "{f}: {}", text(&o));
    }
}

#[test]
fn broken_store_files_give_one_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("broken.db");
    std::fs::write(&db, vec![0x5au8; 8192]).unwrap();
    let o = dyad(&["query", "events", "--db", db.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.db") && err.contains("not a dyad store or corrupt"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let docs = corpus(tmp.path(), 3);
    let o = run(&docs, &db, 1);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}
