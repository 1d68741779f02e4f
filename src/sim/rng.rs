//! Seeded randomness: one seed per run, one child generator per subsystem.
//!
//! Each subsystem (producer jitter, network faults, function durations, ...) draws
//! from its own PCG stream derived from the run's seed and the subsystem's name, so
//! that changing one knob does not reshuffle the randomness of unrelated parts. The
//! generator is named after its algorithm (PCG-64 MCG), never `StdRng`, whose
//! algorithm may change between versions of `rand` and would break old links.

use rand::RngExt;
use rand_pcg::Pcg64Mcg;

use super::number::Clamp;

/// A subsystem's random stream.
#[derive(Clone, Debug)]
pub struct SimRng(Pcg64Mcg);

/// SplitMix64's finaliser: a good 64-bit mixer for deriving seeds.
fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a over the name: stable across platforms and versions.
fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

impl SimRng {
    /// The child stream called `name` of the run seeded with `seed`.
    pub fn child(seed: u64, name: &str) -> Self {
        let a = mix64(seed ^ name_hash(name));
        let b = mix64(a ^ 0x5851_F42D_4C95_7F2D);
        let state = (u128::from(a) << 64) | u128::from(b);
        // The MCG needs an odd state; `new` forces the low bit.
        SimRng(Pcg64Mcg::new(state))
    }

    /// A uniform integer in `0..=max`.
    pub fn up_to(&mut self, max: u64) -> u64 {
        self.0.random_range(0..=max)
    }

    /// A uniform float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// How many of `n` independent trials succeed with probability `p`.
    ///
    /// Exact for small `n`; for large `n` a normal approximation rounded and clamped,
    /// which keeps the cost bounded (one draw pair) however large `n` is.
    pub fn binomial(&mut self, n: u64, p: f64) -> u64 {
        if n == 0 || p <= 0.0 {
            return 0;
        }
        if p >= 1.0 {
            return n;
        }
        if n <= 64 {
            return (0..n).filter(|_| self.unit() < p).count() as u64;
        }
        let mean = n as f64 * p;
        let sd = (mean * (1.0 - p)).sqrt();
        // Box-Muller: two uniforms to one standard normal.
        let u1 = self.unit().max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        (mean + sd * z).round().clamp_to(0.0, n as f64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_and_name_give_the_same_stream() {
        let mut a = SimRng::child(7, "producer");
        let mut b = SimRng::child(7, "producer");
        let xs: Vec<u64> = (0..16).map(|_| a.up_to(1_000_000)).collect();
        let ys: Vec<u64> = (0..16).map(|_| b.up_to(1_000_000)).collect();
        assert_eq!(xs, ys);
    }

    #[test]
    fn names_and_seeds_separate_streams() {
        let draw = |seed, name| {
            let mut r = SimRng::child(seed, name);
            (0..8).map(|_| r.up_to(u64::MAX)).collect::<Vec<_>>()
        };
        assert_ne!(draw(7, "producer"), draw(7, "network"));
        assert_ne!(draw(7, "producer"), draw(8, "producer"));
    }

    #[test]
    fn binomial_stays_in_range_and_near_the_mean() {
        let mut r = SimRng::child(1, "t");
        let n = 10_000;
        let total: u64 = (0..200).map(|_| r.binomial(n, 0.25)).sum();
        let mean = total as f64 / 200.0;
        assert!((mean - 2_500.0).abs() < 25.0, "mean {mean}");
        assert_eq!(r.binomial(10, 0.0), 0);
        assert_eq!(r.binomial(10, 1.0), 10);
        for _ in 0..100 {
            assert!(r.binomial(100, 0.999) <= 100);
        }
    }
}
