//! Which records of a shard belong to which of a mapping's parallel lanes.
//!
//! With ParallelizationFactor N, a mapping processes up to N batches of one shard at
//! once and keeps order per partition key. The playground gives each key a lane,
//! `MD5(key) mod N`, and each lane processes its own records in order; a failing
//! batch blocks its lane, and so every key that shares the lane, but not the others.
//! (AWS documents that order is kept per partition key, not how keys are grouped.)
//!
//! Explicit records carry their key. Bulk records do not, but the producer's key
//! sequence says which key the `j`-th bulk record of a shard carries: every hot-key
//! record is counted by a floor formula and the others cycle through the shard's
//! keys. So how many bulk records of a lane lie in a range of ordinals is computed,
//! not counted one by one.

use super::hash::hash_key;
use super::producer::KeyPlan;

/// The lane of a partition key.
pub fn lane_of_key(partition_key: &str, lanes: u32) -> usize {
    (hash_key(partition_key) % u128::from(lanes)) as usize
}

/// For one shard and one parallelization factor: how the shard's bulk records fall
/// into lanes.
#[derive(Clone, Debug)]
pub struct LaneIndex {
    lanes: u32,
    shard: usize,
    /// The lane of the hot key, when the shard holds it beside other keys.
    hot_lane: Option<usize>,
    /// Length of the cycle of the shard's other keys.
    cycle_len: u64,
    /// Per lane: the positions in that cycle whose key falls in the lane.
    positions: Vec<Vec<u32>>,
    /// Per lane, per 64 positions of the cycle: which of them fall in the lane (bit
    /// `i` for position `64 * block + i`) and how many of the lane's positions come
    /// before the block. How many of a lane's positions lie below a point is then a
    /// lookup and a popcount, not a search: the steady path asks it several times an
    /// invocation (issue 11).
    blocks: Vec<Vec<RankBlock>>,
}

/// 64 positions of a lane's cycle: see [`LaneIndex::blocks`].
#[derive(Clone, Copy, Debug, Default)]
struct RankBlock {
    mask: u64,
    before: u32,
}

impl LaneIndex {
    pub fn new(lanes: u32, shard: usize, keys: Option<&KeyPlan>) -> Self {
        let mut index = LaneIndex {
            lanes,
            shard,
            hot_lane: None,
            cycle_len: 0,
            positions: vec![Vec::new(); lanes as usize],
            blocks: vec![Vec::new(); lanes as usize],
        };
        let Some(plan) = keys else {
            return index;
        };
        let shard_keys = plan.shard_keys(shard);
        let hot = shard_keys.first() == Some(&0) && shard_keys.len() > 1;
        let cycle = &shard_keys[usize::from(hot)..];
        if hot {
            index.hot_lane = Some(plan.lane_of(0, lanes));
        }
        index.cycle_len = cycle.len() as u64;
        if lanes > 1 {
            for (p, &k) in cycle.iter().enumerate() {
                index.positions[plan.lane_of(k, lanes)].push(p as u32);
            }
            let n_blocks = cycle.len().div_ceil(64);
            for (pos, blocks) in index.positions.iter().zip(&mut index.blocks) {
                blocks.resize(n_blocks, RankBlock::default());
                for (i, &p) in pos.iter().enumerate() {
                    let b = &mut blocks[p as usize / 64];
                    if b.mask == 0 {
                        // The lane's first position in this block: `i` come before it.
                        b.before = i as u32;
                    }
                    b.mask |= 1 << (p % 64);
                }
                // A block with none of the lane's positions: all of them before it
                // are the ones before the next block that has some.
                let mut before = pos.len() as u32;
                for b in blocks.iter_mut().rev() {
                    if b.mask == 0 {
                        b.before = before;
                    }
                    before = b.before;
                }
            }
        }
        index
    }

    pub fn lanes(&self) -> u32 {
        self.lanes
    }

    /// How many of the shard's first `o` bulk records fall in `lane`.
    pub fn bulk_before(&self, lane: usize, o: u64, keys: Option<&KeyPlan>) -> u64 {
        if self.lanes == 1 {
            return o;
        }
        let Some(plan) = keys else {
            return 0;
        };
        // Without a hot key beside others on this shard, `hot_before` is 0.
        let hot = match self.hot_lane {
            Some(_) => plan.hot_before(self.shard, o),
            None => 0,
        };
        let cold = o - hot;
        let from_hot = if self.hot_lane == Some(lane) { hot } else { 0 };
        if self.cycle_len == 0 {
            return from_hot;
        }
        let full = (cold / self.cycle_len) * self.positions[lane].len() as u64;
        let rest = cold % self.cycle_len;
        from_hot + full + self.rank(lane, rest)
    }

    /// How many of `lane`'s cycle positions are below `rest` (< the cycle's length).
    fn rank(&self, lane: usize, rest: u64) -> u64 {
        let (block, bit) = ((rest / 64) as usize, rest % 64);
        match self.blocks[lane].get(block) {
            Some(b) => u64::from(b.before) + u64::from((b.mask & ((1u64 << bit) - 1)).count_ones()),
            None => self.positions[lane].len() as u64,
        }
    }

    /// The ordinal of the `k`-th (0-based) bulk record of `lane` at or after ordinal
    /// `o1`, searching below `o2`. None if there are not that many.
    pub fn nth_bulk(
        &self,
        lane: usize,
        o1: u64,
        o2: u64,
        k: u64,
        keys: Option<&KeyPlan>,
    ) -> Option<u64> {
        let base = self.bulk_before(lane, o1, keys);
        self.nth_bulk_from(lane, o1, base, o2, k, keys)
    }

    /// As [`LaneIndex::nth_bulk`], given `base = bulk_before(lane, o1)`.
    pub fn nth_bulk_from(
        &self,
        lane: usize,
        o1: u64,
        base: u64,
        o2: u64,
        k: u64,
        keys: Option<&KeyPlan>,
    ) -> Option<u64> {
        if self.lanes == 1 {
            return (o1 + k < o2).then_some(o1 + k);
        }
        keys?;
        if self.hot_lane.is_none() {
            // Only the cycle: the lane's `n`-th record is at a position of the lane in
            // cycle `n / |positions|`.
            let pos = &self.positions[lane];
            if pos.is_empty() {
                return None;
            }
            let n = base + k;
            let per = pos.len() as u64;
            let o = (n / per) * self.cycle_len + u64::from(pos[(n % per) as usize]);
            return (o < o2).then_some(o);
        }
        if self.bulk_before(lane, o2, keys) - base <= k {
            return None;
        }
        // The least o with bulk_before(o + 1) - base > k.
        let (mut lo, mut hi) = (o1, o2 - 1);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.bulk_before(lane, mid + 1, keys) - base > k {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Some(lo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::stream::Stream;
    use crate::sim::time::SimDuration;

    #[test]
    fn a_plans_lanes_are_the_keys_hashes() {
        let stream = Stream::new("s", 3, SimDuration::from_hours(24));
        let plan = KeyPlan::new(500, 0.1, &stream);
        // 1 to 10 from the kept residues; 11 and 12 by hashing again.
        for lanes in 1..=12 {
            for k in 0..500 {
                assert_eq!(
                    plan.lane_of(k, lanes),
                    lane_of_key(&plan.key_name(k), lanes),
                    "key {k}, {lanes} lanes"
                );
            }
        }
    }

    #[test]
    fn lane_counts_match_the_keys_one_by_one() {
        let stream = Stream::new("s", 2, SimDuration::from_hours(24));
        // Cycles of several 64-position rank blocks too: 300 keys make cycles of about
        // 150 a shard, which 400 ordinals go round more than twice.
        for (keys, hot) in [
            (1, 0.0),
            (7, 0.0),
            (50, 0.3),
            (3, 0.9),
            (300, 0.0),
            (1_000, 0.2),
        ] {
            let plan = KeyPlan::new(keys, hot, &stream);
            for shard in 0..2 {
                if plan.shard_keys(shard).is_empty() {
                    continue;
                }
                for lanes in [1, 2, 3, 7, 10] {
                    let index = LaneIndex::new(lanes, shard, Some(&plan));
                    let mut counts = vec![0u64; lanes as usize];
                    for o in 0..400u64 {
                        for (lane, &c) in counts.iter().enumerate() {
                            assert_eq!(
                                index.bulk_before(lane, o, Some(&plan)),
                                c,
                                "keys {keys} lanes {lanes} lane {lane} o {o}"
                            );
                        }
                        let key = plan.key_name(plan.key_for(shard, o));
                        counts[lane_of_key(&key, lanes)] += 1;
                    }
                    for lane in 0..lanes as usize {
                        let brute: Vec<u64> = (100..300u64)
                            .filter(|&o| {
                                lane_of_key(&plan.key_name(plan.key_for(shard, o)), lanes) == lane
                            })
                            .collect();
                        for (k, &o) in brute.iter().enumerate() {
                            assert_eq!(
                                index.nth_bulk(lane, 100, 300, k as u64, Some(&plan)),
                                Some(o)
                            );
                        }
                        assert_eq!(
                            index.nth_bulk(lane, 100, 300, brute.len() as u64, Some(&plan)),
                            None
                        );
                    }
                }
            }
        }
    }
}
