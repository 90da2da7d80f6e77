//! SQLite from async handlers: a small pool of read-only connections and one writer, each
//! used on tokio's blocking threads so that a slow query never stalls the event loop.

use crate::error::{ApiError, ErrorCode};
use dyad_store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

pub struct Db {
    path: PathBuf,
    readers: Mutex<Vec<Store>>,
    permits: Semaphore,
    writer: Mutex<Store>,
    /// One write at a time, waited for without holding a blocking thread.
    write_permit: Semaphore,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Db {
    /// Opens the store for writing (creating and migrating it), then `readers` read-only
    /// connections beside it.
    pub fn open(path: &Path, readers: usize) -> Result<Db, StoreError> {
        let writer = Store::open(path)?;
        let mut rs = Vec::new();
        for _ in 0..readers.max(1) {
            rs.push(Store::open_read_only(path)?);
        }
        Ok(Db {
            path: path.to_path_buf(),
            permits: Semaphore::new(rs.len()),
            readers: Mutex::new(rs),
            writer: Mutex::new(writer),
            write_permit: Semaphore::new(1),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on a read connection, on a blocking thread.
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    {
        let _permit = self.permits.acquire().await.map_err(|_| ApiError::internal("reader pool closed"))?;
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let store = lock(&db.readers).pop();
            let Some(store) = store else { return Err(ApiError::internal("no free reader under a permit")) };
            let out = f(&store);
            lock(&db.readers).push(store);
            out
        })
        .await
        .map_err(|e| ApiError::internal(format!("read task failed: {e}")))?
    }

    /// Runs `f` on the one writer, on a blocking thread.
    pub async fn write<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
    {
        let _permit = self.write_permit.acquire().await.map_err(|_| ApiError::internal("writer closed"))?;
        let db = self.clone();
        tokio::task::spawn_blocking(move || f(&mut lock(&db.writer)))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("write task failed: {e}")))?
    }
}
