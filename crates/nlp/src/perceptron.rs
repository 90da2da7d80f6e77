//! Averaged multiclass perceptron over hashed features, quantised to i8 for shipping.

/// Mixes a 64-bit value (splitmix64 finaliser).
#[inline]
pub fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d049bb133111eb);
    x ^ (x >> 31)
}

/// Hashes a string (FNV-1a then mixed).
#[inline]
pub fn hs(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    mix(h)
}

/// Combines a feature template id with values.
#[inline]
pub fn f1(t: u64, a: u64) -> u64 {
    mix(a ^ t.wrapping_mul(0x9e3779b97f4a7c15))
}
#[inline]
pub fn f2(t: u64, a: u64, b: u64) -> u64 {
    mix(f1(t, a) ^ b.rotate_left(17))
}
#[inline]
pub fn f3(t: u64, a: u64, b: u64, c: u64) -> u64 {
    mix(f2(t, a, b) ^ c.rotate_left(41))
}

/// Training-time perceptron.
pub struct Trainer {
    pub n: usize,
    bits: u32,
    w: Vec<f32>,
    u: Vec<f64>,
    t: f64,
}

impl Trainer {
    pub fn new(n: usize, bits: u32) -> Trainer {
        let size = (1usize << bits) * n;
        Trainer { n, bits, w: vec![0.0; size], u: vec![0.0; size], t: 1.0 }
    }
    #[inline]
    fn row(&self, f: u64) -> usize {
        (f >> (64 - self.bits)) as usize * self.n
    }
    pub fn scores(&self, feats: &[u64], out: &mut Vec<f32>) {
        out.clear();
        out.resize(self.n, 0.0);
        for &f in feats {
            let r = self.row(f);
            for (o, w) in out.iter_mut().zip(&self.w[r..r + self.n]) {
                *o += w;
            }
        }
    }
    pub fn tick(&mut self) {
        self.t += 1.0;
    }
    pub fn update(&mut self, feats: &[u64], good: usize, bad: usize, amount: f32) {
        if good == bad {
            return;
        }
        for &f in feats {
            let r = self.row(f);
            self.w[r + good] += amount;
            self.u[r + good] += self.t * amount as f64;
            self.w[r + bad] -= amount;
            self.u[r + bad] -= self.t * amount as f64;
        }
    }
    /// Averages and quantises the weights.
    pub fn finish(self) -> Model {
        let avg: Vec<f32> = self.w.iter().zip(&self.u).map(|(&w, &u)| w - (u / self.t) as f32).collect();
        let mut abs: Vec<f32> = avg.iter().map(|x| x.abs()).filter(|&x| x > 0.0).collect();
        let cap = if abs.is_empty() {
            1.0
        } else {
            let k = ((abs.len() as f64) * 0.9995) as usize;
            let k = k.min(abs.len() - 1);
            *abs.select_nth_unstable_by(k, |a, b| a.total_cmp(b)).1
        };
        let scale = cap / 127.0;
        let w = avg.iter().map(|&x| (x / scale).round().clamp(-127.0, 127.0) as i8).collect();
        Model { n: self.n, bits: self.bits, scale, w }
    }
}

/// Frozen, quantised model.
#[derive(Debug, Clone)]
pub struct Model {
    pub n: usize,
    pub bits: u32,
    pub scale: f32,
    pub w: Vec<i8>,
}

impl Model {
    pub fn empty(n: usize) -> Model {
        Model { n, bits: 1, scale: 1.0, w: vec![0; 2 * n] }
    }
    #[inline]
    pub fn scores(&self, feats: &[u64], out: &mut Vec<i32>) {
        out.clear();
        out.resize(self.n, 0);
        for &f in feats {
            let r = (f >> (64 - self.bits)) as usize * self.n;
            for (o, &w) in out.iter_mut().zip(&self.w[r..r + self.n]) {
                *o += w as i32;
            }
        }
    }
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.n as u32).to_le_bytes());
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        out.extend(self.w.iter().map(|&x| x as u8));
    }
    pub fn read(r: &mut crate::store::Reader) -> Option<Model> {
        let n = r.u32()? as usize;
        let bits = r.u32()?;
        let scale = f32::from_le_bytes(r.take(4)?.try_into().ok()?);
        if bits == 0 || bits > 30 || n == 0 || n > 4096 {
            return None;
        }
        let w = r.take((1usize << bits) * n)?.iter().map(|&b| b as i8).collect();
        Some(Model { n, bits, scale, w })
    }
}

/// Deterministic random numbers (xorshift64*).
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545f4914f6cdd1d)
    }
    pub fn float(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}
