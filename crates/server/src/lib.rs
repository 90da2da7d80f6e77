//! `dyad serve`: the store as a JSON API (documented at `/openapi.json`) and an offline web
//! dashboard, from one binary.
//!
//! - [`routes`] is the one table of routes: the router is built from it, and a test checks it
//!   against the OpenAPI document ([`openapi::document`]) both ways.
//! - Reads go to a small pool of read-only SQLite connections, writes to one writer, both on
//!   tokio's blocking threads ([`db::Db`]).
//! - Errors have one shape, `{"message", "code", "type"}`, and one table from code to status
//!   ([`error::ErrorCode`]).
//! - Limits: bodies over `max_body` get 413 before they are read; headers must arrive within
//!   `header_timeout` and bodies within `body_timeout`; at most `max_connections` connections are
//!   served at once (more are closed at accept); query lists are capped ([`params::MAX_LIST`]).

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

pub mod api;
pub mod cache;
pub mod dashboard;
pub mod db;
pub mod error;
pub mod ingest;
pub mod metrics;
pub mod openapi;
pub mod params;

use error::{ApiError, ErrorCode};

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
    pub addr: SocketAddr,
    /// The bearer token of write endpoints; without one, writes answer 503.
    pub token: Option<String>,
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Most documents in one JSON batch.
    pub max_batch: usize,
    /// Read-only SQLite connections.
    pub readers: usize,
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    /// Relations and actor-list answers kept (0: no cache).
    pub cache_entries: usize,
}

impl Config {
    pub fn new(db: PathBuf) -> Config {
        Config {
            db,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: None,
            max_body: 10 * 1024 * 1024,
            max_batch: 100,
            readers: 4,
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            cache_entries: 1024,
        }
    }
}

/// Shared state of the handlers.
pub struct App {
    pub cfg: Config,
    pub db: Arc<db::Db>,
    pub metrics: metrics::Metrics,
    /// Answers of the relations and actors endpoints, per store generation.
    pub cache: cache::Cache,
    engine: OnceLock<Result<Arc<dyad_engine::Engine>, String>>,
}

impl App {
    pub fn new(cfg: Config) -> Result<Arc<App>, dyad_store::StoreError> {
        let db = Arc::new(db::Db::open(&cfg.db, cfg.readers)?);
        let cache = cache::Cache::new(cfg.cache_entries);
        Ok(Arc::new(App { cfg, db, metrics: Default::default(), cache, engine: OnceLock::new() }))
    }

    /// The coding pipeline, loaded on first use (call from a blocking thread).
    pub fn engine(&self) -> Result<Arc<dyad_engine::Engine>, ApiError> {
        self.engine
            .get_or_init(|| dyad_engine::Engine::builtin().map(Arc::new).map_err(|e| e.to_string()))
            .clone()
            .map_err(|e| ApiError::internal(format!("cannot load the pipeline: {e}")))
    }
}

pub type Shared = Arc<App>;

/// Every route: method, path (OpenAPI template syntax) and handler.
pub fn routes() -> Vec<(Method, &'static str, MethodRouter<Shared>)> {
    vec![
        (Method::GET, "/", get(dashboard::index)),
        (Method::GET, "/assets/app.js", get(dashboard::script)),
        (Method::GET, "/assets/app.css", get(dashboard::style)),
        (Method::GET, "/healthz", get(api::healthz)),
        (Method::GET, "/metrics", get(api::metrics)),
        (Method::GET, "/openapi.json", get(api::openapi)),
        (Method::GET, "/api/events", get(api::events)),
        (Method::GET, "/api/events/{id}", get(api::event)),
        (Method::GET, "/api/relations", get(api::relations)),
        (Method::GET, "/api/quotes", get(api::quotes)),
        (Method::GET, "/api/speakers", get(api::speakers)),
        (Method::GET, "/api/actors", get(api::actors)),
        (Method::GET, "/api/search", get(api::search)),
        (Method::GET, "/api/documents/{id}", get(api::document)),
        (Method::POST, "/api/documents", post(ingest::post_documents)),
    ]
}

/// The router over `app`, with metrics and the JSON fallback.
pub fn router(app: Shared) -> Router {
    let mut r: Router<Shared> = Router::new();
    for (_, path, m) in routes() {
        r = r.route(path, m);
    }
    r.fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(app.clone(), track))
        .with_state(app)
}

async fn fallback(req: Request) -> ApiError {
    ApiError::not_found(format!("no route {} {}", req.method(), req.uri().path()))
}

async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::new(ErrorCode::MethodNotAllowed, format!("{} is not allowed on {}", req.method(), req.uri().path()))
}

/// Counts the request and its latency under its route template.
async fn track(State(app): State<Shared>, req: Request, next: Next) -> Response {
    let t0 = Instant::now();
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let method = req.method().to_string();
    let mut res = next.run(req).await;
    let route = route.unwrap_or_else(|| "unmatched".into());
    app.metrics.observe(&route, &method, res.status().as_u16(), t0.elapsed());
    res.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    res.headers_mut().insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    res
}

/// Serves `app` on `listener` until `shutdown` resolves.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    app: Shared,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let router = router(app.clone());
    let conns = Arc::new(tokio::sync::Semaphore::new(app.cfg.max_connections.max(1)));
    tokio::pin!(shutdown);
    loop {
        let (stream, _peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                // Out of file descriptors and the like: wait a little instead of spinning.
                Err(_) => { tokio::time::sleep(Duration::from_millis(20)).await; continue; }
            },
            _ = &mut shutdown => return Ok(()),
        };
        let Ok(permit) = conns.clone().try_acquire_owned() else {
            // Saturated: answer no more than a closed connection.
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let svc = hyper_util::service::TowerToHyperService::new(router.clone());
        let header_timeout = app.cfg.header_timeout;
        tokio::spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .max_buf_size(64 * 1024)
                .serve_connection(TokioIo::new(stream), svc);
            let _ = conn.await;
            drop(permit);
        });
    }
}

/// Opens the store and serves until Ctrl-C. Prints the address it listens on.
pub fn run(cfg: Config) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    rt.block_on(async move {
        let addr = cfg.addr;
        let app = App::new(cfg).map_err(|e| e.to_string())?;
        let listener =
            tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        eprintln!(
            "dyad: serving {} on http://{local}/ (API at /api, documented at /openapi.json)",
            app.db.path().display()
        );
        if app.cfg.token.is_none() {
            eprintln!("dyad: no token (DYAD_TOKEN or --token-file): POST /api/documents is off");
        }
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        serve_on(listener, app, stop).await.map_err(|e| e.to_string())
    })
}

/// A JSON answer with status 200.
pub(crate) fn json<T: serde::Serialize>(v: &T) -> Response {
    match serde_json::to_vec(v) {
        Ok(b) => ([(header::CONTENT_TYPE, "application/json")], b).into_response(),
        Err(e) => ApiError::internal(format!("cannot encode the answer: {e}")).into_response(),
    }
}

pub(crate) fn with_status(status: StatusCode, r: Response) -> Response {
    let mut r = r;
    *r.status_mut() = status;
    r
}
