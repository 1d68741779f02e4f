#!/usr/bin/env bash
# Every check the project has, in order, stopping at the first failure: formatting,
# clippy (native and wasm32), native tests (property tests and the stable fuzz loop
# included), libFuzzer on the scenario, link and pasted-AWS parsers where nightly and
# cargo-fuzz are installed, the release build, the browser tests (accessibility and a
# long run among them), the speed benchmark, and the budgets: bundle size,
# instruction count and speed against tests/budgets.json.
# Installs what is missing first (scripts/setup.sh test). Ends with a few figures.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/.tools/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-auto}

started=$SECONDS
steps_total=10
step_no=0
step_name=""
declare -a timings=()
logs=$(mktemp -d)

step() {
  if [ -n "$step_name" ]; then
    timings+=("$(printf '%4ss  %s' $((SECONDS - step_started)) "$step_name")")
  fi
  step_no=$((step_no + 1))
  step_name=$1
  step_started=$SECONDS
  printf '\n\033[1m======== [%d/%d] %s ========\033[0m\n' "$step_no" "$steps_total" "$step_name"
}

on_exit() {
  local rc=$?
  rm -rf "$logs"
  if [ "$rc" -ne 0 ]; then
    printf '\n\033[1;31m======== FAILED at [%d/%d] %s (exit %d) ========\033[0m\n' \
      "$step_no" "$steps_total" "${step_name:-start}" "$rc"
  fi
}
trap on_exit EXIT

step "setup: installing what is missing (scripts/setup.sh test)"
scripts/setup.sh test

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy, native, all targets"
cargo clippy --locked --all-targets -- -D warnings

step "cargo clippy, wasm32, lib and bins"
cargo clippy --locked --target wasm32-unknown-unknown --lib --bins -- -D warnings

step "cargo test (native unit and integration tests)"
cargo test --locked 2>&1 | tee "$logs/cargo-test.log"

step "fuzz: libFuzzer on every parser of outside input and the run behind it"
# cargo fuzz needs the nightly toolchain and cargo-fuzz, which setup.sh does not install;
# without them, tests/fuzz_corpus.rs (in the cargo test step) is the fuzzing that ran.
# libFuzzer writes what it finds to a scratch corpus; the committed one is only read.
fuzz_targets="parse_scenario run_scenario url_state aws_import"
fuzz_seconds=${FUZZ_SECONDS:-20}
: >"$logs/fuzz.log"
: >"$logs/fuzz-summary.log"
if cargo +nightly --version >/dev/null 2>&1 && cargo fuzz --version >/dev/null 2>&1; then
  for target in $fuzz_targets; do
    mkdir -p "$logs/found-$target"
    if ! (cd fuzz && cargo +nightly fuzz run --debug-assertions "$target" \
      "$logs/found-$target" "corpus/$target" -- \
      -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1) \
      >"$logs/fuzz-$target.log" 2>&1; then
      tail -n 60 "$logs/fuzz-$target.log"
      printf 'libFuzzer found a failing input for %s: see fuzz/artifacts/%s/\n' "$target" "$target"
      exit 1
    fi
    cat "$logs/fuzz-$target.log" >>"$logs/fuzz.log"
    # "Done 34224 runs in 11 second(s)"
    done_line=$(grep -E '^Done [0-9]+ runs' "$logs/fuzz-$target.log" | tail -1)
    runs=$(printf '%s' "$done_line" | awk '{ print $2 }')
    secs=$(printf '%s' "$done_line" | awk '{ print $5 }')
    printf '%-15s %10s executions in %3s s\n' "$target" "${runs:-?}" "${secs:-?}" | tee -a "$logs/fuzz-summary.log"
  done
else
  printf 'skipped: needs the nightly toolchain and cargo-fuzz (cargo install cargo-fuzz).\n'
  printf 'The corpus and seeded mutations of tests/fuzz_corpus.rs ran in the cargo test step.\n'
  printf '  (libFuzzer skipped: no nightly toolchain or cargo-fuzz)\n' >"$logs/fuzz-summary.log"
fi

step "trunk build --release"
rm -rf dist
# Builds the full page, and (Trunk.toml's post_build hook) the light embed, dist/embed/.
trunk build --release
test -f dist/embed/index.html || { printf 'dist/embed/index.html is missing: the light embed did not build\n'; exit 1; }

step "browser tests (node --test tests/browser/)"
node --test tests/browser/ 2>&1 | tee "$logs/browser-test.log"

step "benchmark and budgets (tests/budgets.json)"
# Wall-clock speed of the benchmark scenarios (noisy), the instructions a small fixed
# workload executes under callgrind (deterministic), and the bundle's gzip size, each
# compared with the recorded baseline. A regression past a threshold fails the run,
# after the summary. UPDATE_BUDGETS=1 records this run's figures as the baseline.
cargo build --locked --release --quiet --example bench
bench_bin="${CARGO_TARGET_DIR:-target}/release/examples/bench"
"$bench_bin" --json | tee "$logs/bench.jsonl"
instructions=none
if command -v valgrind >/dev/null; then
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench_bin" --fixed 2>"$logs/callgrind.log"
  instructions=$(sed -n 's/.*Collected : \([0-9][0-9]*\).*/\1/p' "$logs/callgrind.log")
else
  printf 'valgrind is missing: the instruction budget is not checked\n'
fi
budgets_rc=0
node tests/budgets.mjs --dist dist --bench "$logs/bench.jsonl" --instructions "${instructions:-none}" \
  ${UPDATE_BUDGETS:+--update} >"$logs/budgets.log" 2>&1 || budgets_rc=$?
cat "$logs/budgets.log"

step "summary"
gz() { gzip -9 -c "$1" | wc -c; }
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
printf '%-8s %12s %12s\n' "bundle" "raw" "gzip -9"
total_raw=0
total_gz=0
# Trunk names each file with a content hash (the page has two style sheets, theme.css and style.css).
for f in dist/*.wasm dist/*.js dist/*.css; do
  raw=$(wc -c <"$f")
  packed=$(gz "$f")
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + packed))
  printf '%-8s %12s %12s   %s\n' ".${f##*.}" "$(kib "$raw")" "$(kib "$packed")" "$f"
done
printf '%-8s %12s %12s\n' "total" "$(kib "$total_raw")" "$(kib "$total_gz")"
rust_passed=$(sed -n 's/^test result: .* \([0-9][0-9]*\) passed.*/\1/p' "$logs/cargo-test.log" | awk '{ n += $1 } END { print n + 0 }')
browser_passed=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$logs/browser-test.log" | tail -1)
printf '\nnative tests passed: %s; browser tests passed: %s\n' "$rust_passed" "${browser_passed:-?}"
# Lines the property and fuzz tests write past the harness's capture.
property_cases=$(sed -n 's/.*property [a-z_]*: \([0-9][0-9]*\) cases passed.*/\1/p' "$logs/cargo-test.log" | awk '{ n += $1 } END { print n + 0 }')
properties=$(grep -c 'property [a-z_]*: [0-9][0-9]* cases passed' "$logs/cargo-test.log" || true)
fuzz_inputs=$(sed -n 's/.*fuzz [a-z_]*: \([0-9][0-9]*\) inputs passed.*/\1/p' "$logs/cargo-test.log" | awk '{ n += $1 } END { print n + 0 }')
fuzz_lines=$(grep -o 'fuzz [a-z_]*: [0-9]* inputs passed.*' "$logs/cargo-test.log" || true)
libfuzzer_runs=$(sed -n 's/^Done \([0-9][0-9]*\) runs.*/\1/p' "$logs/fuzz.log" | awk '{ n += $1 } END { print n + 0 }')
printf 'property cases run: %s in %s properties (tests/properties.rs)\n' "$property_cases" "$properties"
printf 'fuzz inputs run on stable: %s, corpus and seeded mutations (tests/fuzz_corpus.rs)\n' "$fuzz_inputs"
printf '%s\n' "$fuzz_lines" | sed 's/^fuzz /  /'
printf 'libFuzzer executions: %s in total, %s s a target:\n' "$libfuzzer_runs" "$fuzz_seconds"
sed 's/^/  /' "$logs/fuzz-summary.log"
printf 'accessibility (axe-core, tests/browser/a11y.test.mjs):\n'
grep -o 'a11y: .*' "$logs/browser-test.log" | tail -1 | sed 's/^/  /' || printf '  (no figure)\n'
grep -o 'keyboard[ 0-9x]*: .*' "$logs/browser-test.log" | sed 's/^/  /' || true
printf 'built-in scenarios: %s\n' "$(find dist/scenarios -name '*.json' | wc -l)"
printf 'long run in the browser build (tests/browser/long-run.test.mjs):\n'
grep -o 'long run: .*' "$logs/browser-test.log" | tail -1 | sed 's/^/  /' || printf '  (no figure)\n'
printf '\nbudgets (tests/budgets.json; bundle and speeds against their baselines):\n'
sed 's/^budget: /  /' "$logs/budgets.log"
printf 'speed, browser build:\n'
grep -o 'bench: .*' "$logs/browser-test.log" | sed 's/^bench: /  /' || printf '  (no figure)\n'
printf 'steps:\n'
printf '  %s\n' "${timings[@]}"
if [ "$budgets_rc" -ne 0 ]; then
  step_name="budgets (see above)"
  exit "$budgets_rc"
fi
printf '\n\033[1;32m======== all checks passed in %dm%02ds ========\033[0m\n' \
  $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60))
