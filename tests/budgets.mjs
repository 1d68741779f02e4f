// Budgets (issue 7): compares this run's figures with the baseline recorded in
// tests/budgets.json, prints every figure against its budget, and exits 1 when one
// regressed past its threshold. scripts/test.sh runs it at the end of every run.
//
//   node tests/budgets.mjs --dist dist --bench BENCH.jsonl [--instructions N] [--update]
//
// - bundle: gzip -9 size of what the page downloads when it opens (dist/index.html and
//   every .js, .wasm and .css under dist/ but the light embed's dist/embed/).
//   Deterministic for a given build.
// - embed: the same for the light embed (dist/embed/, issue 16), what the "Embed this"
//   snippet frames, with the largest built-in scenario's JSON (it fetches one before
//   a press), against a fixed limit (what it weighs plus a small margin).
// - instructions: instructions executed by `bench --fixed` (a small fixed workload)
//   as counted by valgrind's callgrind. Deterministic, so it can have a tight
//   threshold on a busy machine where wall-clock time varies twofold.
// - speed: simulated seconds per wall-clock second of each benchmark scenario
//   (`cargo run --release --example bench -- --json`), printed against its baseline
//   and never failing: wall-clock speed depends on the machine and on what else runs on
//   it (twofold and more on this project's 2-core machines), so a speed is a figure to
//   read, and the instruction count is what guards the code's own cost.
//
// --update writes this run's figures as the new baseline, keeping the thresholds:
// do it deliberately, after a change that is meant to cost (or save) size or speed,
// and commit tests/budgets.json with that change.

import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = path.dirname(fileURLToPath(import.meta.url));
const budgetsFile = path.join(here, "budgets.json");

function args(argv) {
  const out = { update: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--update") out.update = true;
    else if (a.startsWith("--")) out[a.slice(2)] = argv[++i];
  }
  return out;
}

/** gzip -9 bytes of every file the page downloads when it opens: the HTML, scripts
 * (wasm-bindgen's snippets/ included), WebAssembly and styles, not the scenarios'
 * JSON (built in). */
async function bundle(dist, skip = null) {
  const files = (await readdir(dist, { recursive: true }))
    .filter((f) => /\.(html|js|wasm|css)$/.test(f))
    .filter((f) => skip === null || !f.startsWith(skip + path.sep))
    .sort();
  if (!files.some((f) => f.endsWith(".wasm"))) throw new Error(`${dist} holds no .wasm: build the site first`);
  let total = 0;
  const each = [];
  for (const f of files) {
    const bytes = gzipSync(await readFile(path.join(dist, f)), { level: 9 }).length;
    each.push(`${f} ${kib(bytes)}`);
    total += bytes;
  }
  return { total, each };
}

/** `{"bench": name, "sim_s_per_wall_s": x}` lines of the bench's --json output. */
async function speeds(file) {
  const text = await readFile(file, "utf8");
  const out = {};
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    const b = JSON.parse(line);
    out[b.bench] = b.sim_s_per_wall_s;
  }
  if (Object.keys(out).length === 0) throw new Error(`${file} holds no benchmark figures`);
  return out;
}

const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const pct = (now, was) => `${now >= was ? "+" : ""}${(((now - was) / was) * 100).toFixed(1)}%`;
const grouped = (n) => Math.round(n).toLocaleString("en-US");

const a = args(process.argv.slice(2));
const budgets = JSON.parse(await readFile(budgetsFile, "utf8"));
const failures = [];
const lines = [];
const now = {};

if (a.dist) {
  const b = await bundle(a.dist, "embed");
  now.bundle = b.total;
  const { baseline, max_growth: growth } = budgets.bundle_gzip_bytes;
  const limit = baseline * (1 + growth);
  const over = b.total > limit;
  lines.push(
    `bundle (gzip -9, what the page downloads): ${kib(b.total)} vs baseline ${kib(baseline)} ` +
      `(${pct(b.total, baseline)}; fails above +${(growth * 100).toFixed(0)}% = ${kib(limit)}): ${over ? "OVER BUDGET" : "ok"}`,
  );
  lines.push(`  ${b.each.join(", ")}`);
  if (over) failures.push("bundle size");
  const e = await bundle(path.join(a.dist, "embed"));
  // And the one scenario it fetches before a press: the largest built-in one counts.
  const dir = path.join(a.dist, "scenarios");
  let largest = { f: "", bytes: 0 };
  for (const f of (await readdir(dir)).filter((f) => f.endsWith(".json"))) {
    const bytes = gzipSync(await readFile(path.join(dir, f)), { level: 9 }).length;
    if (bytes > largest.bytes) largest = { f, bytes };
  }
  e.total += largest.bytes;
  e.each.push(`the largest scenario, scenarios/${largest.f} ${kib(largest.bytes)}`);
  now.embed = e.total;
  const { limit_bytes: embedLimit } = budgets.embed_gzip_bytes;
  const embedOver = e.total > embedLimit;
  lines.push(
    `embed (gzip -9, what the light embed downloads before a press): ${kib(e.total)} vs limit ${kib(embedLimit)}: ` +
      `${embedOver ? "OVER BUDGET" : "ok"}`,
  );
  lines.push(`  ${e.each.join(", ")}`);
  if (embedOver) failures.push("embed size");
}

if (a.instructions !== undefined) {
  const n = Number(a.instructions);
  const { baseline, max_growth: growth, workload } = budgets.instructions;
  if (!Number.isFinite(n) || n <= 0) {
    lines.push(`instructions: not measured (${a.instructions}); valgrind missing?`);
  } else {
    now.instructions = n;
    const limit = baseline * (1 + growth);
    const over = n > limit;
    lines.push(
      `instructions (callgrind, ${workload}): ${grouped(n)} vs baseline ${grouped(baseline)} ` +
        `(${pct(n, baseline)}; fails above +${(growth * 100).toFixed(0)}%): ${over ? "OVER BUDGET" : "ok"}`,
    );
    if (over) failures.push("instruction count");
  }
}

if (a.bench) {
  const s = await speeds(a.bench);
  now.speed = s;
  const slowdown = budgets.speed.slower_than_noted;
  lines.push(
    `speed (simulated s per wall s; printed, never failing: wall-clock time depends on the machine; ` +
      `below baseline / ${slowdown} is noted):`,
  );
  for (const [name, x] of Object.entries(s)) {
    const baseline = budgets.speed.sim_s_per_wall_s[name];
    if (baseline === undefined) {
      lines.push(`  ${name}: ${grouped(x)} (no baseline yet)`);
      continue;
    }
    const slow = x < baseline / slowdown;
    lines.push(
      `  ${name}: ${grouped(x)} vs baseline ${grouped(baseline)} (${pct(x, baseline)})` +
        (slow ? `: much slower than the baseline's machine; the instruction count says whether the code is` : ""),
    );
  }
}

for (const l of lines) console.log(`budget: ${l}`);

if (a.update) {
  if (now.bundle !== undefined) budgets.bundle_gzip_bytes.baseline = now.bundle;
  if (now.instructions !== undefined) budgets.instructions.baseline = now.instructions;
  if (now.speed) budgets.speed.sim_s_per_wall_s = now.speed;
  budgets.recorded = new Date().toISOString().slice(0, 10);
  await writeFile(budgetsFile, `${JSON.stringify(budgets, null, 2)}\n`);
  console.log(`budget: wrote this run's figures to ${path.relative(process.cwd(), budgetsFile)} as the new baseline`);
} else if (failures.length > 0) {
  console.log(
    `budget: FAILED: ${failures.join(", ")}. If the cost is deliberate, record a new baseline ` +
      "(UPDATE_BUDGETS=1 scripts/test.sh, or node tests/budgets.mjs ... --update) and commit tests/budgets.json with the change.",
  );
  process.exit(1);
}
