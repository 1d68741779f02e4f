//! A stable sort order, small in code (issue 16).
//!
//! The standard library's stable sort (driftsort) is about 4 KB of WebAssembly for
//! each element type it sorts, and the light embed sorted two: the on-demand shares
//! (`sim::stream`) and a link's reshards (`view::knobs`). [`stable_order`] is one
//! function for both, not generic: a bottom-up merge sort of indexes, O(n log n)
//! comparisons, whose result is the order a stable sort by the same comparison gives
//! (equal elements keep their order), so it changes no result.

/// The indexes `0..n` in the order a stable sort by `less` would put the elements they
/// name: `less(a, b)` says element `a` goes strictly before element `b`; elements
/// neither of which goes before the other keep the order of their indexes.
pub fn stable_order(n: usize, less: &dyn Fn(usize, usize) -> bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut merged = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in &mut merged[start..end] {
                // The right run's element goes first only when strictly before the
                // left run's: what keeps equal elements in their order.
                if j < end && (i == mid || less(order[j], order[i])) {
                    *slot = order[j];
                    j += 1;
                } else {
                    *slot = order[i];
                    i += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    order
}

#[cfg(test)]
mod tests {
    use super::stable_order;

    /// A small deterministic generator, so that the test needs no seed crate.
    fn draws(seed: u64, n: usize, range: u64) -> Vec<u64> {
        let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % range
            })
            .collect()
    }

    #[test]
    fn gives_the_standard_stable_sorts_order() {
        for n in [0, 1, 2, 3, 5, 8, 17, 64, 100, 1_000, 4_097] {
            for (seed, range) in [(1, 3), (2, 10), (3, 1_000_000), (4, 1)] {
                let keys = draws(seed + n as u64, n, range);
                let mut expected: Vec<usize> = (0..n).collect();
                expected.sort_by_key(|&i| keys[i]);
                let got = stable_order(n, &|a, b| keys[a] < keys[b]);
                assert_eq!(got, expected, "n {n}, keys below {range}");
                // Descending, as the on-demand shares sort.
                let mut expected: Vec<usize> = (0..n).collect();
                expected.sort_by(|&a, &b| keys[b].cmp(&keys[a]));
                let got = stable_order(n, &|a, b| keys[a] > keys[b]);
                assert_eq!(got, expected, "n {n}, keys below {range}, descending");
            }
        }
    }
}
