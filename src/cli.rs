//! The command-line scenario runner: `kinesis-playground run FILE.json`.
//!
//! Reads a scenario in the shared format, runs it to its end, and prints the report
//! as JSON on standard output. Bad input is refused with a message that names the
//! field, the value and what is allowed, and a non-zero exit status.

use std::io::Write;
use std::process::ExitCode;

use crate::sim::{ReportOptions, Simulation};
use crate::view::scenarios;

const USAGE: &str = "\
usage: kinesis-playground run FILE.json [--invocations] [--per-second] [--journal]
                                        [--seed N] [--duration SECONDS]

Runs the scenario in FILE.json (the shared scenario format, version 1) and prints
its report as JSON on standard output. FILE may be - for standard input.

  --invocations   include every invocation, with its event, in the report
  --per-second    include the per-second metrics beside the per-minute ones
  --journal       include what happened, in words, naming the settings responsible
  --seed N        run with seed N instead of the scenario's own
  --duration S    run for S simulated seconds instead of the scenario's duration_s";

/// Exit status for input the runner refuses.
const BAD_INPUT: u8 = 2;

#[derive(Debug, PartialEq)]
struct Args {
    file: String,
    options: ReportOptions,
    seed: Option<u64>,
    duration_s: Option<u64>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("run") => {}
        Some(other) => return Err(format!("unknown command {other:?}: the command is `run`")),
        None => return Err("no command given: the command is `run`".to_string()),
    }
    let mut file = None;
    let mut options = ReportOptions::default();
    let mut seed = None;
    let mut duration_s = None;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--invocations" => options.invocations = true,
            "--per-second" => options.per_second = true,
            "--journal" => options.journal = true,
            "--duration" => {
                let v = it.next().ok_or("--duration needs a value: simulated seconds, a whole number")?;
                duration_s = Some(v.parse().map_err(|_| format!("--duration {v:?} is not a whole number of seconds"))?);
            }
            "--seed" => {
                let v = it
                    .next()
                    .ok_or("--seed needs a value: a whole number from 0 to 18446744073709551615")?;
                seed = Some(v.parse().map_err(|_| {
                    format!("--seed {v:?} is not a whole number from 0 to 18446744073709551615")
                })?);
            }
            flag if flag.starts_with("--") => {
                return Err(format!(
                    "unknown option {flag:?}: allowed --invocations, --per-second, --journal, --seed N, --duration S"
                ))
            }
            path => {
                if file.replace(path.to_string()).is_some() {
                    return Err("more than one scenario file given: allowed one".to_string());
                }
            }
        }
    }
    let file = file.ok_or("no scenario file given")?;
    Ok(Args {
        file,
        options,
        seed,
        duration_s,
    })
}

fn read_input(file: &str) -> Result<String, String> {
    if file == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))
    }
}

/// Runs the command line `args` (without the program name).
pub fn main(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        let _ = writeln!(std::io::stdout(), "{USAGE}");
        return ExitCode::SUCCESS;
    }
    let mut err = std::io::stderr();
    let args = match parse_args(args) {
        Ok(a) => a,
        Err(why) => {
            let _ = writeln!(err, "error: {why}\n\n{USAGE}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    let json = match read_input(&args.file) {
        Ok(s) => s,
        Err(why) => {
            let _ = writeln!(err, "error: {why}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    // The page's reading: the challenge's settings are checked against its table too.
    let mut scenario = match scenarios::parse(&json) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(err, "error: {} is not a valid scenario:", args.file);
            for line in e.to_string().lines() {
                let _ = writeln!(err, "  {line}");
            }
            return ExitCode::from(BAD_INPUT);
        }
    };
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    if let Some(d) = args.duration_s {
        // The scenario is valid as written; what a shorter run cuts off just does
        // not happen.
        let max = crate::sim::bounds::DURATION_S_MAX;
        if !(1..=max).contains(&d) {
            let _ = writeln!(
                err,
                "error: --duration {d} is out of range: allowed 1 to {max} seconds"
            );
            return ExitCode::from(BAD_INPUT);
        }
        scenario.duration_s = d;
    }
    let mut sim = Simulation::with_options(&scenario, args.options.invocations);
    sim.run_to_end();
    let report = sim.report(args.options);
    for note in &report.notes {
        let _ = writeln!(err, "note: {note}");
    }
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer_pretty(&mut out, &report) {
        Ok(()) => {
            let _ = writeln!(out);
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(err, "error: cannot write the report: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn arguments_parse_and_bad_ones_say_what_is_allowed() {
        let a = parse_args(&args("run s.json --invocations --seed 9"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.file, "s.json");
        assert!(a.options.invocations && !a.options.per_second);
        assert_eq!(a.seed, Some(9));
        assert!(parse_args(&args("run"))
            .unwrap_err()
            .contains("no scenario file"));
        assert!(parse_args(&args("walk x"))
            .unwrap_err()
            .contains("the command is `run`"));
        assert!(parse_args(&args("run x --fast"))
            .unwrap_err()
            .contains("allowed --invocations"));
        assert!(parse_args(&args("run x --seed -1"))
            .unwrap_err()
            .contains("not a whole number"));
    }
}
