//! The field path of a scenario's JSON error (`stream.ShardCount`,
//! `event_source_mappings[0]`), worked out after the fact from where in the text
//! serde_json stopped, so that the scenario is deserialized by one copy of its
//! deserializer (serde_json's own) instead of a second, path-tracking copy of every
//! `Deserialize` impl (`serde_path_to_error`'s; issue 16).
//!
//! The path is the one `serde_path_to_error` gives for the same error:
//! `tests/fuzz_corpus.rs` checks that on the corpus and thousands of mutations of it.
//! serde_json reports where it stopped as a line and column, which is the byte it
//! would read next (one byte further when it stopped at a byte it only peeked at).
//! This module reads the text up to there with a small JSON state machine of its own
//! and names the container and key or index it was in. Where the same position can
//! end two different errors (a value that ended just before a `}` may be the wrong
//! type, or the object may lack a field), the error's kind decides, as it decides
//! whose deserializer raised it.

use std::fmt::Write as _;

use serde_json::error::Category;

/// The path of `error`, raised while deserializing `json`: empty for the whole
/// document, otherwise keys joined by `.` and indexes in brackets; `?` names a key
/// that was not read (as where a key was expected and something else was found).
pub(crate) fn error_path(json: &str, error: &serde_json::Error) -> String {
    let end = offset(json, error.line(), error.column());
    let mut scan = Scan::default();
    let stopped_at_bad_byte = scan.read(json, end);
    let message = error.to_string();
    let kind = Kind {
        eof: error.classify() == Category::Eof,
        data: error.classify() == Category::Data,
        trailing: message.starts_with("trailing characters"),
        duplicate_field: message.starts_with("duplicate field"),
    };
    scan.path(stopped_at_bad_byte, &kind)
}

/// The byte offset of serde_json's 1-based line and 0-based column (the bytes of that
/// line read so far).
fn offset(json: &str, line: usize, column: usize) -> usize {
    let start = match line {
        0 | 1 => 0,
        n => json
            .match_indices('\n')
            .nth(n - 2)
            .map_or(json.len(), |(i, _)| i + 1),
    };
    (start + column).min(json.len())
}

struct Kind {
    eof: bool,
    data: bool,
    trailing: bool,
    duplicate_field: bool,
}

/// Where the reader is inside a container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    /// Just after `{` or `[`.
    Open,
    /// Just after a `,`.
    Comma,
    /// Inside a key's string, which started at this byte (its opening quote).
    Key(usize),
    /// A key ended, nothing read after it yet.
    AfterKey,
    /// A key ended and white space followed.
    AfterKeySpace,
    /// After the `:`, before the value.
    Colon,
    /// Inside a value: a nested container or a scalar.
    Value,
    /// A value ended, nothing read after it yet.
    Done,
    /// A value ended and white space followed.
    DoneSpace,
}

#[derive(Debug)]
struct Frame {
    object: bool,
    /// The current key (objects) once read.
    key: Option<String>,
    /// The current element (arrays).
    index: usize,
    slot: Slot,
}

/// A scalar being read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scalar {
    /// Inside a string: the bytes of an escape still to skip (1 after a backslash,
    /// then 4 after `\u`, which serde_json takes whatever they are).
    Str(u8),
    /// A number, and where in its grammar.
    Num(NumState),
    /// `true`, `false` or `null`: the bytes still expected.
    Lit(&'static [u8]),
}

/// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NumState {
    Minus,
    Zero,
    Int,
    Dot,
    Frac,
    Exp,
    ExpSign,
    ExpDigits,
}

impl NumState {
    fn complete(self) -> bool {
        matches!(self, Self::Zero | Self::Int | Self::Frac | Self::ExpDigits)
    }

    /// The state after `b`, or `None` when `b` does not continue the number.
    fn next(self, b: u8) -> Option<Self> {
        use NumState::*;
        Some(match (self, b) {
            (Minus, b'0') => Zero,
            (Minus, b'1'..=b'9') => Int,
            (Int, b'0'..=b'9') => Int,
            (Zero | Int, b'.') => Dot,
            (Dot | Frac, b'0'..=b'9') => Frac,
            (Zero | Int | Frac, b'e' | b'E') => Exp,
            (Exp, b'+' | b'-') => ExpSign,
            (Exp | ExpSign | ExpDigits, b'0'..=b'9') => ExpDigits,
            _ => return None,
        })
    }
}

#[derive(Debug, Default)]
struct Scan {
    frames: Vec<Frame>,
    scalar: Option<Scalar>,
    /// The top-level value was read whole.
    root_done: bool,
    /// The byte that was not JSON, when reading stopped at one.
    bad: Option<u8>,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

impl Scan {
    /// Reads `json[..end]`; `true` when it stopped early at a byte that is not JSON.
    fn read(&mut self, json: &str, end: usize) -> bool {
        let bytes = json.as_bytes();
        let mut i = 0;
        while i < end {
            let b = bytes[i];
            match self.step(json, i, b) {
                Step::Next => i += 1,
                Step::Again => {}
                Step::Bad => {
                    self.bad = Some(b);
                    return true;
                }
            }
        }
        false
    }

    fn slot(&self) -> Option<Slot> {
        self.frames.last().map(|f| f.slot)
    }

    fn set_slot(&mut self, slot: Slot) {
        if let Some(f) = self.frames.last_mut() {
            f.slot = slot;
        }
    }

    /// A value ended: its container (or the document) moves past it.
    fn value_done(&mut self) {
        self.scalar = None;
        match self.frames.last_mut() {
            Some(f) => f.slot = Slot::Done,
            None => self.root_done = true,
        }
    }

    /// Starts the value that begins with `b`, or `false` if no value begins so.
    fn start_value(&mut self, b: u8) -> bool {
        let scalar = match b {
            b'{' | b'[' => {
                self.set_slot(Slot::Value);
                self.frames.push(Frame {
                    object: b == b'{',
                    key: None,
                    index: 0,
                    slot: Slot::Open,
                });
                return true;
            }
            b'"' => Scalar::Str(0),
            b'-' => Scalar::Num(NumState::Minus),
            b'0' => Scalar::Num(NumState::Zero),
            b'1'..=b'9' => Scalar::Num(NumState::Int),
            b't' => Scalar::Lit(b"rue"),
            b'f' => Scalar::Lit(b"alse"),
            b'n' => Scalar::Lit(b"ull"),
            _ => return false,
        };
        self.set_slot(Slot::Value);
        self.scalar = Some(scalar);
        true
    }

    fn step(&mut self, json: &str, i: usize, b: u8) -> Step {
        if let Some(scalar) = self.scalar {
            return self.step_scalar(scalar, b);
        }
        let Some(slot) = self.slot() else {
            // The top level.
            if is_space(b) {
                return Step::Next;
            }
            if self.root_done || !self.start_value(b) {
                return Step::Bad;
            }
            return Step::Next;
        };
        let object = self.frames.last().is_some_and(|f| f.object);
        match slot {
            Slot::Key(start) => {
                match b {
                    // The escaped byte is skipped by `step_scalar`; the key is decoded
                    // whole at its end.
                    b'\\' => self.scalar = Some(Scalar::Str(1)),
                    b'"' => {
                        let key = serde_json::from_str::<String>(&json[start..=i]).ok();
                        if let Some(f) = self.frames.last_mut() {
                            f.key = key;
                            f.slot = Slot::AfterKey;
                        }
                    }
                    _ => {}
                }
                Step::Next
            }
            _ if is_space(b) => {
                match slot {
                    Slot::AfterKey => self.set_slot(Slot::AfterKeySpace),
                    Slot::Done => self.set_slot(Slot::DoneSpace),
                    _ => {}
                }
                Step::Next
            }
            Slot::Open | Slot::Comma if object => {
                if b == b'"' {
                    self.set_slot(Slot::Key(i));
                    Step::Next
                } else if b == b'}' && slot == Slot::Open {
                    self.close()
                } else {
                    Step::Bad
                }
            }
            Slot::Open | Slot::Comma => {
                if b == b']' && slot == Slot::Open {
                    return self.close();
                }
                if slot == Slot::Comma {
                    if let Some(f) = self.frames.last_mut() {
                        f.index += 1;
                    }
                }
                if self.start_value(b) {
                    Step::Next
                } else {
                    Step::Bad
                }
            }
            Slot::AfterKey | Slot::AfterKeySpace => {
                if b == b':' {
                    self.set_slot(Slot::Colon);
                    Step::Next
                } else {
                    Step::Bad
                }
            }
            Slot::Colon => {
                if self.start_value(b) {
                    Step::Next
                } else {
                    Step::Bad
                }
            }
            // A nested container is the last frame while it is read.
            Slot::Value => Step::Bad,
            Slot::Done | Slot::DoneSpace => match (b, object) {
                (b',', _) => {
                    if let Some(f) = self.frames.last_mut() {
                        f.slot = Slot::Comma;
                        if f.object {
                            f.key = None;
                        }
                    }
                    Step::Next
                }
                (b'}', true) | (b']', false) => self.close(),
                _ => Step::Bad,
            },
        }
    }

    fn close(&mut self) -> Step {
        self.frames.pop();
        self.value_done();
        Step::Next
    }

    fn step_scalar(&mut self, scalar: Scalar, b: u8) -> Step {
        let in_key = matches!(self.slot(), Some(Slot::Key(_)));
        match scalar {
            Scalar::Str(skip @ 1..) => {
                let left = match (skip, b) {
                    (1, b'u') => 4,
                    _ => skip - 1,
                };
                self.scalar = match left {
                    // The escape is read: back to the string, or to the key.
                    0 if in_key => None,
                    n => Some(Scalar::Str(n)),
                };
                Step::Next
            }
            Scalar::Str(0) => {
                match b {
                    b'\\' => self.scalar = Some(Scalar::Str(1)),
                    b'"' => self.value_done(),
                    _ => {}
                }
                Step::Next
            }
            // serde_json refuses a digit after a leading zero, inside the number.
            Scalar::Num(NumState::Zero) if b.is_ascii_digit() => Step::Bad,
            Scalar::Num(state) => match state.next(b) {
                Some(next) => {
                    self.scalar = Some(Scalar::Num(next));
                    Step::Next
                }
                None if state.complete() => {
                    // The number ended before this byte, which its container reads.
                    self.value_done();
                    Step::Again
                }
                None => Step::Bad,
            },
            Scalar::Lit(rest) => match rest.split_first() {
                Some((&want, tail)) if want == b => {
                    if tail.is_empty() {
                        self.value_done();
                    } else {
                        self.scalar = Some(Scalar::Lit(tail));
                    }
                    Step::Next
                }
                _ => Step::Bad,
            },
        }
    }

    /// The path where reading stopped, for an error of `kind`.
    fn path(&self, bad: bool, kind: &Kind) -> String {
        let Some((last, outer)) = self.frames.split_last() else {
            return String::new();
        };
        let mut segments: Vec<Segment> = outer.iter().map(Segment::of).collect();
        // A number that could go on has, as far as serde_json is concerned, ended.
        let partial = match self.scalar {
            // Reading stopped at a byte inside it.
            Some(_) if bad => true,
            Some(Scalar::Num(n)) => !n.complete(),
            Some(_) => true,
            None => false,
        };
        let own = Segment::of(last);
        let unread_key = Segment::Key(None);
        let inner = if last.object {
            match last.slot {
                Slot::Open | Slot::Comma if bad || kind.eof => Some(unread_key),
                Slot::Open | Slot::Comma => None,
                Slot::Key(_) => Some(unread_key),
                // An unknown key (serde_json has read the white space after it and a
                // `}` if one follows); not a duplicate one (the object's error).
                Slot::AfterKey | Slot::AfterKeySpace if kind.data && !kind.duplicate_field => {
                    Some(own)
                }
                Slot::AfterKey | Slot::AfterKeySpace => None,
                Slot::Colon => Some(own),
                Slot::Value if partial => Some(own),
                Slot::Value | Slot::Done | Slot::DoneSpace if bad || kind.eof => Some(unread_key),
                Slot::Value | Slot::Done => Some(own),
                Slot::DoneSpace => None,
            }
        } else {
            match last.slot {
                // An element was started (serde_json peeked at its first byte).
                Slot::Open if bad || kind.data => Some(own),
                Slot::Comma if bad && self.bad != Some(b']') => Some(own),
                Slot::Comma if !bad && kind.data => Some(Segment::Index(last.index + 1)),
                Slot::Value if partial => Some(own),
                Slot::Value | Slot::Done | Slot::DoneSpace
                    if !bad && !kind.eof && !kind.trailing =>
                {
                    Some(own)
                }
                _ => None,
            }
        };
        segments.extend(inner);
        let mut out = String::new();
        for s in &segments {
            match s {
                Segment::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
                Segment::Key(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key.as_deref().unwrap_or("?"));
                }
            }
        }
        out
    }
}

enum Step {
    /// The byte is read.
    Next,
    /// The byte ended a number and is read again by its container.
    Again,
    /// The byte is not JSON here.
    Bad,
}

enum Segment {
    Key(Option<String>),
    Index(usize),
}

impl Segment {
    fn of(frame: &Frame) -> Segment {
        if frame.object {
            Segment::Key(frame.key.clone())
        } else {
            Segment::Index(frame.index)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::error_path;
    use crate::sim::Scenario;

    /// The path and message of the error deserializing `json` meets.
    fn refusal(json: &str) -> String {
        match serde_json::from_str::<Scenario>(json) {
            Ok(_) => panic!("accepted: {json}"),
            Err(e) => format!("{}: {e}", error_path(json, &e)),
        }
    }

    #[test]
    fn a_wrong_value_is_named_by_its_key_and_index() {
        let e = refusal(r#"{"format":1,"stream":{"ShardCount":"four"}}"#);
        assert!(
            e.starts_with("stream.ShardCount: invalid type: string"),
            "{e}"
        );
        let e = refusal("{\"format\":1,\n \"stream\": {\"ShardCount\": 1.5}}");
        assert!(
            e.starts_with("stream.ShardCount: invalid type: floating"),
            "{e}"
        );
        let e = refusal(
            r#"{"format":1,"event_source_mappings":[{"FunctionName":"f"},{"FunctionName":7}]}"#,
        );
        assert!(
            e.starts_with("event_source_mappings[1].FunctionName: invalid type: integer"),
            "{e}"
        );
    }

    #[test]
    fn a_key_that_does_not_belong_is_named_and_a_missing_one_names_its_object() {
        let e = refusal(r#"{"format":1,"stream":{"ShardCont":4}}"#);
        assert!(
            e.starts_with("stream.ShardCont: unknown field `ShardCont`"),
            "{e}"
        );
        let e = refusal(r#"{"format":1,"event_source_mappings":[{"BatchSize":10}]}"#);
        assert!(
            e.starts_with("event_source_mappings[0]: missing field `FunctionName`"),
            "{e}"
        );
        let e = refusal(r#"{"format":1,"format":1}"#);
        assert!(e.starts_with(": duplicate field `format`"), "{e}");
    }

    #[test]
    fn broken_json_is_placed_where_it_broke() {
        let e = refusal(r#"{"format":1,"stream":{"ShardCount":4,}}"#);
        assert!(e.starts_with("stream.?: trailing comma"), "{e}");
        let e = refusal(r#"{"format":1,"stream":{"ShardCount":4"#);
        assert!(
            e.starts_with("stream.?: EOF while parsing an object"),
            "{e}"
        );
        let e = refusal(r#"{"format":1,"event_source_mappings":[{"FunctionName":"f"} {}]}"#);
        assert!(
            e.starts_with("event_source_mappings: expected `,` or `]`"),
            "{e}"
        );
        let e = refusal(r#"{"format":1,"seed":tru}"#);
        assert!(e.starts_with("seed: expected ident"), "{e}");
        let e = refusal(r#"{"format":1} and more"#);
        assert!(e.starts_with(": trailing characters"), "{e}");
    }
}
