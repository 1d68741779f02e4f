//! Resharding while the stream runs: UpdateShardCount, SplitShard and MergeShards,
//! as a scenario's `stream.reshards` asks for them.
//!
//! What AWS documents (aws-semantics.md §1, "Resharding" and "UpdateShardCount"; the
//! Kinesis API reference and the developer guide's "after resharding" page):
//! - SplitShard closes one shard and opens two children that share its hash key
//!   range at `NewStartingHashKey`; MergeShards closes two shards whose ranges are
//!   adjacent and opens one child with both ranges.
//! - A parent goes OPEN → CLOSED → EXPIRED: closed, it takes no more writes but its
//!   records stay readable until retention trims them; then it has expired.
//! - UpdateShardCount (UNIFORM_SCALING, provisioned streams only): at most 10
//!   scalings per rolling 24 hours per stream, a target of no more than double and no
//!   less than half the current count, and at most 10,000 shards.
//!
//! What the playground simplifies: a reshard takes effect at once, at the start of
//! its second (AWS's stream is UPDATING for seconds to minutes, and takes writes on
//! the parents until the children open). UpdateShardCount closes every open shard
//! and opens the target count with AWS's even split; each child's parents are the
//! closed shards whose ranges overlap its own (AWS reaches the same ranges through
//! intermediate splits and merges, so its lineage has more shards in between).
//! SplitShard may leave out `NewStartingHashKey` (AWS requires it): the parent's
//! range is then split in the middle.

use serde::{Deserialize, Serialize};

use super::hash::{even_split, parse_hash_key, HashKeyRange};
use super::shard::shard_id;

/// At most this many UpdateShardCount calls take effect in any 24 hours
/// (UpdateShardCount's limits, K-API).
pub const SCALINGS_PER_DAY_MAX: usize = 10;
/// AWS's UpdateShardCount allows at most 10,000 shards per stream.
pub const OPEN_SHARDS_MAX: usize = 10_000;
/// The only ScalingType UpdateShardCount takes.
pub const UNIFORM_SCALING: &str = "UNIFORM_SCALING";

/// One reshard of `stream.reshards`: exactly one of UpdateShardCount
/// (`TargetShardCount`), SplitShard (`ShardToSplit`) or MergeShards
/// (`ShardToMerge` and `AdjacentShardToMerge`), with AWS's parameter names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reshard {
    /// The second of the run at whose start the reshard takes effect.
    pub at_s: u64,
    #[serde(
        rename = "TargetShardCount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub target_shard_count: Option<u32>,
    /// UpdateShardCount's ScalingType: UNIFORM_SCALING, the only one AWS has.
    #[serde(
        rename = "ScalingType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub scaling_type: Option<String>,
    #[serde(
        rename = "ShardToSplit",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub shard_to_split: Option<String>,
    /// A decimal hash key: it and the keys above it go to the second child.
    #[serde(
        rename = "NewStartingHashKey",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub new_starting_hash_key: Option<String>,
    #[serde(
        rename = "ShardToMerge",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub shard_to_merge: Option<String>,
    #[serde(
        rename = "AdjacentShardToMerge",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub adjacent_shard_to_merge: Option<String>,
}

/// What a reshard asks for, once it is known to be one operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operation {
    UpdateShardCount(u32),
    Split {
        shard: String,
        new_starting_hash_key: Option<u128>,
    },
    Merge(String, String),
}

impl Reshard {
    /// The AWS call's name, for messages.
    pub fn call(&self) -> &'static str {
        match self.operation() {
            Ok(Operation::Split { .. }) => "SplitShard",
            Ok(Operation::Merge(..)) => "MergeShards",
            _ => "UpdateShardCount",
        }
    }

    /// The one operation this reshard asks for, or what is wrong with it.
    pub fn operation(&self) -> Result<Operation, String> {
        let update = self.target_shard_count.is_some() || self.scaling_type.is_some();
        let split = self.shard_to_split.is_some() || self.new_starting_hash_key.is_some();
        let merge = self.shard_to_merge.is_some() || self.adjacent_shard_to_merge.is_some();
        if usize::from(update) + usize::from(split) + usize::from(merge) != 1 {
            return Err(
                "asks for no reshard or for more than one: allowed exactly one of \
                 TargetShardCount (UpdateShardCount), ShardToSplit (SplitShard) or \
                 ShardToMerge with AdjacentShardToMerge (MergeShards)"
                    .to_string(),
            );
        }
        if update {
            if let Some(t) = self
                .scaling_type
                .as_deref()
                .filter(|t| *t != UNIFORM_SCALING)
            {
                return Err(format!(
                    "ScalingType {t:?} is not one UpdateShardCount takes: allowed \"{UNIFORM_SCALING}\""
                ));
            }
            let Some(n) = self.target_shard_count else {
                return Err("UpdateShardCount needs TargetShardCount".to_string());
            };
            return Ok(Operation::UpdateShardCount(n));
        }
        if split {
            let Some(shard) = self.shard_to_split.clone() else {
                return Err("SplitShard needs ShardToSplit".to_string());
            };
            let new_starting_hash_key = match self.new_starting_hash_key.as_deref() {
                None => None,
                Some(k) => Some(parse_hash_key(k).ok_or_else(|| {
                    format!(
                        "NewStartingHashKey {k:?} is not a hash key: allowed a decimal number from 0 to 2^128-1"
                    )
                })?),
            };
            return Ok(Operation::Split {
                shard,
                new_starting_hash_key,
            });
        }
        match (&self.shard_to_merge, &self.adjacent_shard_to_merge) {
            (Some(a), Some(b)) => Ok(Operation::Merge(a.clone(), b.clone())),
            _ => Err("MergeShards needs both ShardToMerge and AdjacentShardToMerge".to_string()),
        }
    }
}

/// An open shard: its index in the stream and its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenShard {
    pub index: usize,
    pub range: HashKeyRange,
}

impl OpenShard {
    /// The shards a stream is created with: `shard_count` of them, indexes from 0,
    /// with an even split of the hash keys (what plans start from).
    pub fn created(shard_count: u32) -> Vec<OpenShard> {
        even_split(shard_count)
            .into_iter()
            .enumerate()
            .map(|(index, range)| OpenShard { index, range })
            .collect()
    }
}

/// What a reshard does: the shards it closes, and the children it opens with their
/// ranges and parents (indexes), in hash key order. Children take the next indexes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub closes: Vec<usize>,
    pub opens: Vec<(HashKeyRange, Vec<usize>)>,
}

/// The plan of `op` on a stream whose open shards are `open` (in hash key order).
/// `scalings` are the seconds of the UpdateShardCount calls before this one; `at_s`
/// is this one's.
pub fn plan(
    open: &[OpenShard],
    op: &Operation,
    at_s: u64,
    scalings: &[u64],
) -> Result<Plan, String> {
    match op {
        Operation::UpdateShardCount(target) => {
            let current = open.len() as u64;
            let target = u64::from(*target);
            if target > 2 * current {
                return Err(format!(
                    "TargetShardCount {target} is more than double the {current} open shards: allowed {} to {} (UpdateShardCount scales to at most twice the current count)",
                    current.div_ceil(2),
                    (2 * current).min(OPEN_SHARDS_MAX as u64)
                ));
            }
            if 2 * target < current {
                return Err(format!(
                    "TargetShardCount {target} is less than half the {current} open shards: allowed {} to {} (UpdateShardCount scales to no less than half the current count)",
                    current.div_ceil(2),
                    (2 * current).min(OPEN_SHARDS_MAX as u64)
                ));
            }
            if target > OPEN_SHARDS_MAX as u64 {
                return Err(format!(
                    "TargetShardCount {target} is over AWS's {OPEN_SHARDS_MAX} shards per stream"
                ));
            }
            if target == current {
                return Err(format!(
                    "TargetShardCount {target} is the stream's count already: nothing to scale"
                ));
            }
            let recent = scalings.iter().filter(|&&s| s + 86_400 > at_s).count();
            if recent >= SCALINGS_PER_DAY_MAX {
                return Err(format!(
                    "would be UpdateShardCount number {} within 24 hours: allowed at most {SCALINGS_PER_DAY_MAX} per rolling 24 hours per stream",
                    recent + 1
                ));
            }
            let ranges = even_split(target as u32);
            let opens = ranges
                .into_iter()
                .map(|r| {
                    let parents = open
                        .iter()
                        .filter(|o| {
                            o.range.starting_hash_key <= r.ending_hash_key
                                && r.starting_hash_key <= o.range.ending_hash_key
                        })
                        .map(|o| o.index)
                        .collect();
                    (r, parents)
                })
                .collect();
            Ok(Plan {
                closes: open.iter().map(|o| o.index).collect(),
                opens,
            })
        }
        Operation::Split {
            shard,
            new_starting_hash_key,
        } => {
            if open.len() >= OPEN_SHARDS_MAX {
                return Err(format!(
                    "would make {} open shards: allowed at most {OPEN_SHARDS_MAX}",
                    open.len() + 1
                ));
            }
            let p = find_open(open, shard, "ShardToSplit")?;
            let r = p.range;
            let key = match new_starting_hash_key {
                Some(k) => *k,
                None => r.starting_hash_key + (r.ending_hash_key - r.starting_hash_key) / 2 + 1,
            };
            if r.starting_hash_key == r.ending_hash_key {
                return Err(format!(
                    "ShardToSplit {shard} holds a single hash key and cannot be split"
                ));
            }
            if key <= r.starting_hash_key || key > r.ending_hash_key {
                return Err(format!(
                    "NewStartingHashKey {key} is outside {shard}'s range: allowed {} to {}",
                    r.starting_hash_key + 1,
                    r.ending_hash_key
                ));
            }
            Ok(Plan {
                closes: vec![p.index],
                opens: vec![
                    (
                        HashKeyRange {
                            starting_hash_key: r.starting_hash_key,
                            ending_hash_key: key - 1,
                        },
                        vec![p.index],
                    ),
                    (
                        HashKeyRange {
                            starting_hash_key: key,
                            ending_hash_key: r.ending_hash_key,
                        },
                        vec![p.index],
                    ),
                ],
            })
        }
        Operation::Merge(a, b) => {
            let x = find_open(open, a, "ShardToMerge")?;
            let y = find_open(open, b, "AdjacentShardToMerge")?;
            let (lo, hi) = if x.range.starting_hash_key < y.range.starting_hash_key {
                (x, y)
            } else {
                (y, x)
            };
            if x.index == y.index
                || lo.range.ending_hash_key.checked_add(1) != Some(hi.range.starting_hash_key)
            {
                return Err(format!(
                    "{a} and {b} are not adjacent: MergeShards takes two open shards whose hash key ranges meet"
                ));
            }
            Ok(Plan {
                closes: vec![x.index, y.index],
                opens: vec![(
                    HashKeyRange {
                        starting_hash_key: lo.range.starting_hash_key,
                        ending_hash_key: hi.range.ending_hash_key,
                    },
                    vec![x.index, y.index],
                )],
            })
        }
    }
}

fn find_open<'a>(open: &'a [OpenShard], id: &str, field: &str) -> Result<&'a OpenShard, String> {
    open.iter()
        .find(|o| shard_id(o.index as u32) == id)
        .ok_or_else(|| {
            let ids: Vec<String> = open
                .iter()
                .take(8)
                .map(|o| shard_id(o.index as u32))
                .collect();
            let more = if open.len() > 8 { ", …" } else { "" };
            format!(
                "{field} {id:?} is not an open shard at that time: allowed one of {}{more}",
                ids.join(", ")
            )
        })
}

/// Checks `reshards` on a stream created with `shard_count` shards, in order, as
/// `(field, message)` errors.
pub fn check(
    reshards: &[Reshard],
    shard_count: u32,
    on_demand: bool,
    duration_s: u64,
) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    if reshards.is_empty() || shard_count == 0 || shard_count as usize > OPEN_SHARDS_MAX {
        // A bad ShardCount has its own message.
        return errors;
    }
    let mut open = OpenShard::created(shard_count);
    let mut next = shard_count as usize;
    let mut scalings = Vec::new();
    let mut last_at: Option<u64> = None;
    for (i, r) in reshards.iter().enumerate() {
        let at = format!("stream.reshards[{i}]");
        if on_demand {
            errors.push((
                at.clone(),
                format!(
                    "{} is refused on an ON_DEMAND stream: AWS manages an on-demand stream's shards; allowed on PROVISIONED streams only",
                    r.call()
                ),
            ));
            continue;
        }
        if r.at_s >= duration_s {
            errors.push((
                format!("{at}.at_s"),
                format!(
                    "{} is not within the run: allowed 0 to {}",
                    r.at_s,
                    duration_s.saturating_sub(1)
                ),
            ));
        }
        if last_at.is_some_and(|l| r.at_s <= l) {
            errors.push((
                format!("{at}.at_s"),
                format!(
                    "{} is not after the reshard before it: allowed one reshard a second, in order (AWS refuses a reshard while the stream is UPDATING)",
                    r.at_s
                ),
            ));
        }
        last_at = Some(r.at_s);
        let op = match r.operation() {
            Ok(op) => op,
            Err(e) => {
                errors.push((at, e));
                continue;
            }
        };
        match plan(&open, &op, r.at_s, &scalings) {
            Ok(p) => {
                if matches!(op, Operation::UpdateShardCount(_)) {
                    scalings.push(r.at_s);
                }
                apply(&mut open, &mut next, &p);
            }
            Err(e) => errors.push((at, e)),
        }
    }
    errors
}

/// The open shards after `p`, in hash key order; `next` is the next shard index.
///
/// `open` is in hash key order and no two open shards share a starting key, so each
/// child goes in at its place (`partition_point`): the order a sort would give,
/// without a sort's code for `OpenShard` in the light embed's WebAssembly (about 4 KB
/// before wasm-opt; issue 16).
pub fn apply(open: &mut Vec<OpenShard>, next: &mut usize, p: &Plan) {
    debug_assert!(open.is_sorted_by_key(|o| o.range.starting_hash_key));
    open.retain(|o| !p.closes.contains(&o.index));
    for (range, _) in &p.opens {
        let at = open.partition_point(|o| o.range.starting_hash_key < range.starting_hash_key);
        open.insert(
            at,
            OpenShard {
                index: *next,
                range: *range,
            },
        );
        *next += 1;
    }
}
