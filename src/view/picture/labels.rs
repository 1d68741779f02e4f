//! The words and numbers on the picture: shard labels, ages, a batch's progress,
//! destinations and bisected halves.

use super::*;

/// `shardId-000000000003` as `shard 3`; other ids as they are.
pub fn shard_label(shard_id: &str) -> String {
    match shard_id.strip_prefix("shardId-").map(str::parse::<u64>) {
        Some(Ok(n)) => format!("shard {n}"),
        _ => shard_id.to_string(),
    }
}

/// An age in words: `850 ms`, `42 s`, `3 min 05 s`, `2 h 01 min`, `1 d 02 h`.
pub fn age(ms: u64) -> String {
    let s = ms / 1_000;
    match s {
        0 => format!("{ms} ms"),
        1..=59 => format!("{s} s"),
        60..=3_599 => format!("{} min {:02} s", s / 60, s % 60),
        3_600..=86_399 => format!("{} h {:02} min", s / 3_600, s % 3_600 / 60),
        _ => format!("{} d {:02} h", s / 86_400, s % 86_400 / 3_600),
    }
}

/// The picture in words, for screen readers.
pub fn describe(shards: &[ShardView]) -> String {
    let records: u64 = shards.iter().map(|s| s.records).sum();
    let incoming: u64 = shards.iter().map(|s| s.incoming_last_s).sum();
    let throttled: u64 = shards.iter().map(|s| s.throttled_last_s).sum();
    format!(
        "{} holding {}; {} in, {} throttled in the last second",
        count(shards.len() as u64, "shard", "shards"),
        count(records, "record", "records"),
        per_s(incoming, "records"),
        per_s(throttled, "entries"),
    )
}

/// How far an invocation from `started` to `ends` has come at `now`: 0 to 1.
pub fn progress(now: SimTime, started: SimTime, ends: SimTime) -> f64 {
    if ends <= started {
        return 1.0;
    }
    ((now.0.saturating_sub(started.0)) as f64 / (ends.0 - started.0) as f64).clamp_to(0.0, 1.0)
}

/// An OnFailure destination's ARN in words: `SQS queue dlq`, `SNS topic alerts`,
/// `S3 bucket failures`, `Kafka topic errors`; anything else as its last part.
pub fn destination_label(arn: &str) -> String {
    let kind = match arn.split(':').nth(2) {
        Some("sqs") => "SQS queue",
        Some("sns") => "SNS topic",
        Some("s3") => "S3 bucket",
        Some("kafka") => "Kafka topic",
        _ => "destination",
    };
    let name = arn
        .rsplit([':', '/'])
        .find(|p| !p.is_empty())
        .unwrap_or(arn);
    format!("{kind} {name}")
}

/// The fraction of a batch a bisected half is: `½`, `¼`, `⅛`, then `1/16`...
pub fn half_label(depth: u8) -> String {
    match depth {
        0 => String::new(),
        1 => "½".to_string(),
        2 => "¼".to_string(),
        3 => "⅛".to_string(),
        d => format!("1/{}", 1u64 << u32::from(d).min(62)),
    }
}

/// Shards named together: `shard 4`, or `shards 2, 3` when every id is AWS's
/// numbered form (other names are listed as they are).
pub fn shards_named(ids: &[String]) -> String {
    let numbers: Option<Vec<u64>> = ids
        .iter()
        .map(|id| id.strip_prefix("shardId-").and_then(|n| n.parse().ok()))
        .collect();
    match (ids, numbers) {
        ([one], _) => shard_label(one),
        (_, Some(n)) => {
            let n: Vec<String> = n.iter().map(u64::to_string).collect();
            format!("shards {}", n.join(", "))
        }
        (_, None) => ids
            .iter()
            .map(|id| shard_label(id))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// What a closed shard says after its last record (issue 15, item 10), longest
/// first: it closed and where its hash keys went (`closed → shards 6, 7`, then
/// `closed → 6, 7`), or only that it closed. Empty for an open shard.
pub fn closed_words(lineage: &ShardLineage) -> Vec<String> {
    if lineage.status == ShardStatus::Open {
        return Vec::new();
    }
    let mut words = Vec::new();
    if !lineage.children.is_empty() {
        let named = shards_named(&lineage.children);
        words.push(format!("closed → {named}"));
        if let Some(numbers) = named
            .strip_prefix("shards ")
            .or(named.strip_prefix("shard "))
        {
            words.push(format!("closed → {numbers}"));
        }
    }
    words.push("closed".to_string());
    words
}

/// What a child shard says before its first record: the shards it came from.
/// `None` for a shard the stream was created with.
pub fn parent_words(lineage: &ShardLineage) -> Option<String> {
    (!lineage.parents.is_empty()).then(|| format!("from {}", shards_named(&lineage.parents)))
}
