//! The noise added to each released count: two-sided geometric noise, the whole-number
//! form of the Laplace mechanism of differential privacy. With `epsilon` ε, a count and
//! the same count with one referral more or less come out as any given figure with
//! probabilities at most e^ε apart, whatever else a reader knows.

use rand::Rng;

/// Noise for counts of privacy budget `epsilon` each.
#[derive(Debug, Clone, Copy)]
pub struct Noise {
    /// e^-ε: the chance ratio of each further step away from the true count.
    alpha: f64,
}

impl Noise {
    pub fn new(epsilon: f64) -> Noise {
        Noise { alpha: (-epsilon).exp() }
    }

    /// `count` with noise: count + G1 − G2, G1 and G2 geometric (P(k) = (1 − α) αᵏ).
    pub fn add(&self, rng: &mut impl Rng, count: u64) -> i64 {
        let count = i64::try_from(count).unwrap_or(i64::MAX);
        count.saturating_add(self.geometric(rng)).saturating_sub(self.geometric(rng))
    }

    fn geometric(&self, rng: &mut impl Rng) -> i64 {
        if self.alpha <= 0.0 {
            return 0;
        }
        // Inverse transform: P(G ≥ k) = αᵏ. `gen` is in [0, 1), so 1 − u is in (0, 1].
        let u: f64 = 1.0 - rng.gen::<f64>();
        (u.ln() / self.alpha.ln()).floor() as i64
    }

    /// The variance of one noisy count: 2α / (1 − α)².
    #[cfg(test)]
    fn variance(&self) -> f64 {
        2.0 * self.alpha / (1.0 - self.alpha).powi(2)
    }
}

#[cfg(test)]
mod tests {
    use super::Noise;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn the_noise_is_centred_with_the_spread_its_budget_gives() {
        let noise = Noise::new(1.0);
        let mut rng = StdRng::seed_from_u64(7);
        let draws: Vec<i64> = (0..200_000).map(|_| noise.add(&mut rng, 10) - 10).collect();
        let mean = draws.iter().sum::<i64>() as f64 / draws.len() as f64;
        let variance = draws.iter().map(|&d| (d as f64 - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!(mean.abs() < 0.02, "mean {mean}");
        assert!((variance - noise.variance()).abs() < 0.05, "variance {variance}, expected {}", noise.variance());
        // The defining ratio: P(0) / P(1) = e^ε.
        let p = |k: i64| draws.iter().filter(|&&d| d == k).count() as f64;
        assert!((p(0) / p(1) - 1f64.exp()).abs() < 0.1, "{}", p(0) / p(1));
    }

    #[test]
    fn a_budget_without_limit_adds_nothing() {
        let mut rng = StdRng::seed_from_u64(1);
        assert!((0..1000).all(|_| Noise::new(1000.0).add(&mut rng, 3) == 3));
    }
}
