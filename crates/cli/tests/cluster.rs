//! The scale-out path on real servers: PostgreSQL (a private `initdb` cluster) and
//! `nats-server -js`, both on 127.0.0.1 with free ports and temporary directories, started and
//! stopped here. 1,000 documents are enqueued, two workers code them, one is killed with
//! SIGKILL mid-run and restarted, PostgreSQL and then NATS are restarted under the workers, and the
//! PostgreSQL store must hold what a single-process SQLite run of the same documents holds:
//! the same documents, events, mention counts and mentions, nothing twice, nothing missing.
//! A message that is not a document goes to the dead-letter subject with its reason.
//!
//! Without the server binaries the test prints why and passes; with `CI=true` it fails.

use dyad_store::{DocumentStore, Store};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn dyad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad")).args(args).output().expect("run dyad")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A binary from `PATH` or one of `dirs`.
fn find(name: &str, dirs: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).chain(dirs.iter().map(PathBuf::from)).map(|d| d.join(name)).find(|p| p.is_file())
}

fn pg_bin(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<String> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|r| r.flatten().map(|e| e.path().join("bin").display().to_string()).collect())
        .unwrap_or_default();
    dirs.sort();
    dirs.reverse();
    let dirs: Vec<&str> = dirs.iter().map(String::as_str).collect();
    find(name, &dirs)
}

/// The server binaries, or `None` (with the reason printed) when one is missing.
fn binaries() -> Option<(PathBuf, PathBuf, PathBuf)> {
    let found = (pg_bin("initdb"), pg_bin("pg_ctl"), find("nats-server", &["/usr/sbin", "/usr/local/bin"]));
    match found {
        (Some(i), Some(c), Some(n)) => Some((i, c, n)),
        (i, c, n) => {
            let missing: Vec<&str> = [("initdb", i.is_none()), ("pg_ctl", c.is_none()), ("nats-server", n.is_none())]
                .iter()
                .filter(|(_, m)| *m)
                .map(|(b, _)| *b)
                .collect();
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{} missing and CI=true (scripts/setup/cluster.sh installs them)",
                missing.join(", ")
            );
            eprintln!("skipped: {} not installed (scripts/setup/cluster.sh installs them)", missing.join(", "));
            None
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user.
fn as_pg_user(bin: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin);
        c
    } else {
        Command::new(bin)
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A private PostgreSQL cluster on 127.0.0.1, stopped on drop.
struct Postgres {
    pg_ctl: PathBuf,
    data: PathBuf,
    port: u16,
    log: PathBuf,
}

impl Postgres {
    fn start(initdb: &Path, pg_ctl: &Path, dir: &Path) -> Postgres {
        let base = dir.join("pg");
        std::fs::create_dir_all(&base).unwrap();
        let data = base.join("data");
        if is_root() {
            // The postgres user must reach its directory inside our temporary one.
            for d in [dir, base.as_path()] {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
            let o = Command::new("chown").args(["postgres:postgres"]).arg(&base).output().unwrap();
            assert!(o.status.success(), "{}", text(&o));
        }
        let o = as_pg_user(initdb)
            .arg("-D")
            .arg(&data)
            .args(["-U", "dyad", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"])
            .output()
            .unwrap();
        assert!(o.status.success(), "initdb: {}", text(&o));
        let pg = Postgres { pg_ctl: pg_ctl.to_path_buf(), data, port: free_port(), log: base.join("log") };
        pg.up();
        pg
    }

    fn up(&self) {
        let opts = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            self.port,
            self.data.parent().unwrap().display()
        );
        let o = as_pg_user(&self.pg_ctl)
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(&self.log)
            .args(["-o", &opts, "-w", "-t", "60", "start"])
            .output()
            .unwrap();
        assert!(o.status.success(), "pg_ctl start: {}", text(&o));
    }

    fn down(&self) {
        let _ = as_pg_user(&self.pg_ctl).arg("-D").arg(&self.data).args(["-m", "fast", "-w", "stop"]).output();
    }

    fn url(&self) -> String {
        format!("postgres://dyad@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.down();
    }
}

/// `nats-server -js` on 127.0.0.1, killed on drop.
struct Nats {
    child: Child,
    port: u16,
    bin: PathBuf,
    dir: PathBuf,
}

impl Nats {
    fn start(bin: &Path, dir: &Path) -> Nats {
        let port = free_port();
        let child = Nats::spawn(bin, dir, port);
        Nats { child, port, bin: bin.to_path_buf(), dir: dir.to_path_buf() }
    }

    fn spawn(bin: &Path, dir: &Path, port: u16) -> Child {
        let sd = dir.join("nats");
        std::fs::create_dir_all(&sd).unwrap();
        let log = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("nats.log")).unwrap();
        let child = Command::new(bin)
            .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
            .arg(&sd)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        let t0 = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(t0.elapsed() < Duration::from_secs(20), "nats-server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        child
    }

    /// Stops the server (SIGTERM, so JetStream flushes its files) and starts it again on the
    /// same port and storage directory.
    fn restart(&mut self) {
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
        std::thread::sleep(Duration::from_secs(1));
        self.child = Nats::spawn(&self.bin, &self.dir, self.port);
    }

    fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn corpus(dir: &Path, n: usize) -> PathBuf {
    let d = dir.join("news");
    std::fs::create_dir_all(&d).unwrap();
    for k in 0..n {
        std::fs::write(d.join(format!("{k:05}.txt")), dyad_store::synth::news_text(11, k)).unwrap();
    }
    d
}

fn worker(nats: &str, db: &str, name: &str, log: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["worker", "--nats", nats, "--db", db, "--drain", "--ack-wait", "3", "--name", name])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

fn stored(db: &str) -> u64 {
    match dyad_store::pg::PgStore::connect(db) {
        Ok(mut s) => s.counts().map(|c| c.documents).unwrap_or(0),
        Err(_) => 0,
    }
}

fn wait_for(db: &str, n: u64, limit: Duration) {
    let t0 = Instant::now();
    while stored(db) < n {
        assert!(t0.elapsed() < limit, "fewer than {n} documents stored after {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn wait_exit(c: &mut Child, what: &str, limit: Duration) {
    let t0 = Instant::now();
    loop {
        if let Some(s) = c.try_wait().unwrap() {
            assert!(s.success(), "{what} exited with {s}");
            return;
        }
        if t0.elapsed() > limit {
            let _ = c.kill();
            panic!("{what} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn read(p: &Path) -> String {
    let mut s = String::new();
    if let Ok(mut f) = std::fs::File::open(p) {
        let _ = f.read_to_string(&mut s);
    }
    s
}

#[test]
fn two_workers_one_killed_and_server_restarts_store_what_one_sqlite_run_stores() {
    let Some((initdb, pg_ctl, nats_bin)) = binaries() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let pg = Postgres::start(&initdb, &pg_ctl, tmp.path());
    let mut nats = Nats::start(&nats_bin, tmp.path());
    let (db, nu) = (pg.url(), nats.url());
    let docs = corpus(tmp.path(), 1000);
    let d = docs.to_str().unwrap();

    // The reference: one process, the embedded store.
    let reference = tmp.path().join("reference.db");
    let o = dyad(&["run", d, "--db", reference.to_str().unwrap(), "--date", "2024-03-05", "-q", "-j", "2"]);
    assert!(o.status.success(), "{}", text(&o));

    let o = dyad(&["enqueue", d, "--nats", &nu, "--date", "2024-03-05", "--ack-wait", "3"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("enqueued 1000 documents (0 already queued, 0 failed)"), "{}", text(&o));
    // The same documents again: the queue drops them by message id.
    let o = dyad(&["enqueue", d, "--nats", &nu, "--date", "2024-03-05"]);
    assert!(text(&o).contains("enqueued 0 documents (1000 already queued"), "{}", text(&o));
    // A message that is not a document.
    let q = dyad_queue::Queue::connect(dyad_queue::QueueConfig::new(&nu)).unwrap();
    q.publish(vec![("not-a-document".into(), b"GET / HTTP/1.1\r\n".to_vec())]).unwrap();

    let logs: Vec<PathBuf> = (0..3).map(|i| tmp.path().join(format!("worker{i}.log"))).collect();
    let mut a = worker(&nu, &db, "a", &logs[0]);
    let mut b = worker(&nu, &db, "b", &logs[1]);
    wait_for(&db, 150, Duration::from_secs(300));
    a.kill().unwrap(); // SIGKILL: its deliveries in flight come back after the ack wait
    a.wait().unwrap();
    let killed_at = stored(&db);
    let mut a2 = worker(&nu, &db, "a2", &logs[2]);
    wait_for(&db, killed_at + 200, Duration::from_secs(300));
    // The database goes away under both workers and comes back.
    pg.down();
    std::thread::sleep(Duration::from_secs(2));
    pg.up();
    // And so does NATS: the workers reconnect, deliveries whose acks were lost come back.
    wait_for(&db, stored(&db) + 100, Duration::from_secs(300));
    nats.restart();
    wait_exit(&mut b, "worker b", Duration::from_secs(600));
    wait_exit(&mut a2, "worker a2", Duration::from_secs(600));
    assert!(killed_at < 1000, "the kill came after the end ({killed_at} documents)");

    let mut got = dyad_store::pg::PgStore::connect(&db).unwrap();
    let mut want = Store::open(&reference).unwrap();
    let (gc, wc) = (got.counts().unwrap(), want.counts().unwrap());
    eprintln!("postgres {gc:?}\nsqlite   {wc:?}");
    assert_eq!(wc.documents, 1000);
    assert!(wc.mentions > wc.events, "mentions should roll up into fewer events: {wc:?}");
    let (gt, wt) = (got.tally().unwrap(), want.tally().unwrap());
    assert_eq!(gt.documents, wt.documents, "documents differ");
    assert_eq!(gt.mentions, wt.mentions, "mentions differ");
    assert_eq!(gt.quotes, wt.quotes, "quotes differ");
    assert_eq!(gt.events.len(), wt.events.len(), "event counts differ");
    assert_eq!(gt.events, wt.events, "events or their counters differ");
    assert_eq!(gc, wc);

    // Queries read the PostgreSQL store (through a snapshot) as they read the SQLite one.
    let rel = |db: &str| {
        let o = dyad(&["query", "relations", "USA", "CHN", "--by", "day", "--db", db, "--format", "json"]);
        assert!(o.status.success(), "{}", text(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert_eq!(rel(&db), rel(reference.to_str().unwrap()));

    // The status command shows the queue drained, the store and the dead letter with its reason.
    let o = dyad(&["status", "--nats", &nu, "--db", &db]);
    let s = text(&o);
    assert_eq!(o.status.code(), Some(1), "{s}");
    assert!(s.contains("0 waiting, 0 in flight") && s.contains("1 dead-lettered"), "{s}");
    assert!(s.contains("1000 documents done"), "{s}");
    assert!(s.contains("not-a-document") && s.contains("not a dyad document message"), "{s}");

    // The faults are visible in the structured logs: the redeliveries of the killed worker's
    // documents were skipped or stored once, the database restart was retried.
    let all: String = logs.iter().map(|p| read(p)).collect();
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for line in all.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|_| panic!("not a JSON log line: {line}"));
        *kinds.entry(v["msg"].as_str().unwrap_or("").to_string()).or_default() += 1;
    }
    eprintln!("killed after {killed_at} documents; log lines by message: {kinds:?}");
    assert!(all.contains("\"msg\":\"dead-lettered\""), "{all}");
    assert!(all.contains("retrying"), "the database restart left no trace in the logs:\n{all}");
    assert!(all.contains("\"event\":\"disconnected\""), "the NATS restart left no trace in the logs:\n{all}");
}

/// The PostgreSQL write path against the SQLite one on synthetic documents from several
/// outlets, whose mentions roll up across documents: written in the same order, a snapshot
/// of the PostgreSQL store is the SQLite store row for row (same digest); written by two
/// connections at once, the order-independent content (documents, events and their
/// counters, mentions) is the same; a second write of every document changes nothing.
#[test]
fn postgres_rolls_up_like_sqlite() {
    let Some((initdb, pg_ctl, _)) = binaries() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let pg = Postgres::start(&initdb, &pg_ctl, tmp.path());
    let synth = dyad_store::synth::Synth {
        documents: 400,
        events_per_doc: 4,
        days: 20,
        pool: 8,
        ..dyad_store::synth::Synth::with_events(10)
    };
    let docs: Vec<_> = (0..synth.documents).map(|k| dyad_store::prepare(&synth.document(k)).unwrap()).collect();
    let mut sqlite = Store::open_in_memory().unwrap();
    for p in &docs {
        sqlite.put_prepared(p).unwrap();
    }
    let want = DocumentStore::tally(&mut sqlite).unwrap();
    let wc = sqlite.counts().unwrap();
    assert!(want.events.iter().any(|e| e.num_sources > 1), "no event reported by several outlets");
    assert!(wc.mentions > wc.events);

    // Same order: the same store.
    let mut a = dyad_store::pg::PgStore::connect(&pg.url()).unwrap();
    for p in &docs {
        assert_eq!(a.put_prepared(p).unwrap(), dyad_store::Put::Stored);
    }
    assert_eq!(a.tally().unwrap(), want);
    let mut snap = Store::open_in_memory().unwrap();
    a.snapshot(&mut snap).unwrap();
    assert_eq!(snap.digest().unwrap(), sqlite.digest().unwrap(), "the snapshot differs from the SQLite store");
    let id = docs[7].doc_id();
    assert_eq!(a.document(id).unwrap(), sqlite.document(id).unwrap());
    for p in &docs {
        assert_eq!(a.put_prepared(p).unwrap(), dyad_store::Put::AlreadyStored);
    }
    assert_eq!(a.tally().unwrap(), want);

    // Two writers at once, in opposite orders, into a fresh database.
    let o = Command::new(pg_bin("psql").unwrap())
        .args([pg.url().as_str(), "-q", "-c", "CREATE DATABASE concurrent"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let url = pg.url().replace("/postgres", "/concurrent");
    std::thread::scope(|s| {
        for rev in [false, true] {
            let (url, docs) = (&url, &docs);
            s.spawn(move || {
                let mut st = dyad_store::pg::PgStore::connect(url).unwrap();
                let order: Vec<usize> = if rev { (0..docs.len()).rev().collect() } else { (0..docs.len()).collect() };
                for i in order {
                    st.put_prepared(&docs[i]).unwrap();
                }
            });
        }
    });
    let mut b = dyad_store::pg::PgStore::connect(&url).unwrap();
    let got = b.tally().unwrap();
    assert_eq!(got.documents, want.documents);
    assert_eq!(got.mentions, want.mentions);
    assert_eq!(got.events, want.events, "roll-up depends on which writer came first");
}
