//! The open tumbling windows in words (issue 15, item 2): each window's span, the
//! records its successful invocations processed, and the state the function last
//! returned, which AWS hands to the window's next invocation.

use crate::sim::Snapshot;

/// At most this many windows are listed; the rest are counted.
pub const WINDOWS_LISTED_MAX: usize = 6;

/// One line a window, mapping by mapping and shard by shard, e.g. `process-orders,
/// shard 0: window 00:01:00–00:02:00, 412 records, state {"records":412}`; then
/// `and 12 more windows` when there are more than [`WINDOWS_LISTED_MAX`].
pub fn window_lines(snapshot: &Snapshot) -> Vec<String> {
    let mut lines = Vec::new();
    let mut more = 0usize;
    for (m, windows) in snapshot.mappings.iter().zip(&snapshot.tumbling_windows) {
        for w in windows {
            if lines.len() == WINDOWS_LISTED_MAX {
                more += 1;
                continue;
            }
            let lane = if m.lanes > 1 {
                format!(" lane {}", w.lane)
            } else {
                String::new()
            };
            let records = if w.records == 1 { "record" } else { "records" };
            lines.push(format!(
                "{}, shard {}{lane}: window {}–{}, {} {records}, state {}",
                m.function_name,
                w.shard,
                w.start,
                w.end,
                super::format::grouped(w.records),
                w.state
            ));
        }
    }
    if more > 0 {
        lines.push(format!(
            "and {more} more window{}",
            if more == 1 { "" } else { "s" }
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{parse_scenario, SimTime, Simulation};

    #[test]
    fn open_windows_are_listed_with_the_state_the_function_returned() {
        let json = include_str!("../../static/scenarios/tumbling-windows.json");
        let mut sim = Simulation::new(&parse_scenario(json).expect("the shipped scenario"));
        sim.run_until(SimTime(90_500), usize::MAX);
        let lines = window_lines(&sim.snapshot());
        assert!(!lines.is_empty(), "a window is open 90 s in");
        let first = &lines[0];
        assert!(first.contains("shard 0"), "{first}");
        assert!(first.contains("window 00:01:"), "{first}");
        assert!(first.contains("state {\"records\":"), "{first}");
        assert!(lines.len() <= WINDOWS_LISTED_MAX + 1, "{lines:?}");
    }
}
