//! The event queue: events ordered by `(time, sequence)`, first in first out on ties.

use std::collections::{BTreeMap, VecDeque};

use super::time::SimTime;

/// A priority queue of events by time; events at the same time pop in push order.
///
/// Events are kept by time, each time with its events in push order: the order of
/// `(time, sequence)` without a sequence number. A mapping's lanes start together
/// and a function's invocations take the same time, so on the steady path many
/// events share few times, and a push or a pop is a short walk down a small tree
/// plus a queue's push or pop, not a heap's sift over every pending event (issue 11).
#[derive(Debug)]
pub struct EventQueue<E> {
    by_time: BTreeMap<SimTime, VecDeque<E>>,
    /// Emptied queues, kept so that a new time does not allocate.
    spare: Vec<VecDeque<E>>,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            by_time: BTreeMap::new(),
            spare: Vec::new(),
        }
    }
}

/// At most this many emptied queues are kept for reuse.
const SPARE_MAX: usize = 64;

impl<E> EventQueue<E> {
    pub fn push(&mut self, at: SimTime, event: E) {
        match self.by_time.entry(at) {
            std::collections::btree_map::Entry::Occupied(mut o) => o.get_mut().push_back(event),
            std::collections::btree_map::Entry::Vacant(v) => {
                let mut q = self.spare.pop().unwrap_or_default();
                q.push_back(event);
                v.insert(q);
            }
        }
    }

    /// The time of the next event, if any.
    #[cfg(test)]
    pub fn peek_time(&self) -> Option<SimTime> {
        self.by_time.first_key_value().map(|(&at, _)| at)
    }

    /// The next event, if it is due at or before `until`.
    pub fn pop_due(&mut self, until: SimTime) -> Option<(SimTime, E)> {
        let mut first = self.by_time.first_entry()?;
        let at = *first.key();
        if at > until {
            return None;
        }
        let q = first.get_mut();
        let event = q.pop_front();
        if q.is_empty() {
            let q = first.remove();
            if self.spare.len() < SPARE_MAX {
                self.spare.push(q);
            }
        }
        event.map(|e| (at, e))
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.by_time.values().map(VecDeque::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_push_order() {
        let mut q = EventQueue::default();
        q.push(SimTime(5), "b");
        q.push(SimTime(1), "a");
        q.push(SimTime(5), "c");
        q.push(SimTime(9), "d");
        let mut out = vec![];
        while let Some((t, e)) = q.pop_due(SimTime(8)) {
            out.push((t.0, e));
        }
        assert_eq!(out, vec![(1, "a"), (5, "b"), (5, "c")]);
        assert_eq!(q.len(), 1);
        assert_eq!(q.peek_time(), Some(SimTime(9)));
    }
}
