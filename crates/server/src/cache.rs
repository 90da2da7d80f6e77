//! Answers kept per store generation: an entry is served only while the store holds the same
//! documents as when it was computed ([`dyad_store::Store::generation`], read in the same
//! snapshot as the query would be), so a write — ours or another process's — is seen at once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Key → (generation, answer).
type Entries = HashMap<String, (u64, Arc<Vec<u8>>)>;

pub struct Cache {
    map: Mutex<Entries>,
    cap: usize,
    pub hits: AtomicU64,
    pub misses: AtomicU64,
}

impl Cache {
    pub fn new(cap: usize) -> Cache {
        Cache { map: Mutex::new(HashMap::new()), cap, hits: AtomicU64::new(0), misses: AtomicU64::new(0) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn get(&self, key: &str, generation: u64) -> Option<Arc<Vec<u8>>> {
        if self.cap == 0 {
            return None;
        }
        let hit = self.lock().get(key).filter(|(g, _)| *g == generation).map(|(_, v)| v.clone());
        match &hit {
            Some(_) => self.hits.fetch_add(1, Ordering::Relaxed),
            None => self.misses.fetch_add(1, Ordering::Relaxed),
        };
        hit
    }

    pub fn put(&self, key: String, generation: u64, value: Arc<Vec<u8>>) {
        if self.cap == 0 {
            return;
        }
        let mut m = self.lock();
        if m.len() >= self.cap {
            m.retain(|_, (g, _)| *g == generation);
            if m.len() >= self.cap {
                m.clear();
            }
        }
        m.insert(key, (generation, value));
    }
}
