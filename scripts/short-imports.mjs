// Shortens the light embed's wasm-bindgen import names (issue 16; docs/bundle-size.md).
//
//   node scripts/short-imports.mjs DIR
//
// wasm-bindgen names each function the WebAssembly imports from its JS after the Rust
// item and a 16-digit hash (`__wbg_appendChild_1f0e…`), and the name is written twice:
// in the JS's import object and in the wasm's import section. This renames every
// import of wasm-bindgen's JS module (not the snippets') to a short one (`_0`, `_1`, …)
// in both files of DIR (trunk's output: one *_bg.wasm, its .js and index.html), and
// writes the files' new SRI hashes into index.html, so that the browser still checks
// them. A name it cannot find exactly once in the JS stops the build: nothing is
// renamed halfway.

import { createHash } from "node:crypto";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";

const dir = process.argv[2];
if (!dir) throw new Error("usage: node scripts/short-imports.mjs DIR (trunk's output folder)");
const files = await readdir(dir);
const wasmFile = files.filter((f) => f.endsWith("_bg.wasm"));
if (wasmFile.length !== 1) throw new Error(`${dir}: expected one *_bg.wasm, found ${wasmFile.length}`);
const jsFile = wasmFile[0].replace(/_bg\.wasm$/, ".js");
const wasmPath = path.join(dir, wasmFile[0]);
const jsPath = path.join(dir, jsFile);
const htmlPath = path.join(dir, "index.html");
const wasm = await readFile(wasmPath);
let js = await readFile(jsPath, "utf8");
let html = await readFile(htmlPath, "utf8");
// The module name wasm-bindgen gives its own imports: "./NAME_bg.js".
const module = `./${wasmFile[0].replace(/-[0-9a-f]+_bg\.wasm$/, "")}_bg.js`;

function uleb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return Buffer.from(out);
}

/** A reader over `buf` from `at`. */
function reader(buf, at) {
  return {
    at,
    byte() {
      if (this.at >= buf.length) throw new Error("the wasm ends inside its import section");
      return buf[this.at++];
    },
    uleb() {
      let value = 0;
      let shift = 0;
      for (;;) {
        const b = this.byte();
        value += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if ((b & 0x80) === 0) return value;
      }
    },
    name() {
      const n = this.uleb();
      const s = buf.subarray(this.at, this.at + n).toString("utf8");
      this.at += n;
      return s;
    },
    limits() {
      const flags = this.byte();
      this.uleb();
      if (flags & 1) this.uleb();
    },
  };
}

if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error(`${wasmPath} is not WebAssembly`);
let at = 8;
let section = null;
while (at < wasm.length) {
  const r = reader(wasm, at + 1);
  const size = r.uleb();
  if (wasm[at] === 2) {
    section = { start: at, body: r.at, end: r.at + size };
    break;
  }
  at = r.at + size;
}
if (!section) throw new Error(`${wasmPath} has no import section`);

const r = reader(wasm, section.body);
const count = r.uleb();
const parts = [uleb(count)];
const renamed = new Map();
for (let i = 0; i < count; i++) {
  const mod = r.name();
  const field = r.name();
  const descStart = r.at;
  const kind = r.byte();
  if (kind === 0) r.uleb();
  else if (kind === 1) {
    r.byte();
    r.limits();
  } else if (kind === 2) r.limits();
  else if (kind === 3) {
    r.byte();
    r.byte();
  } else throw new Error(`${wasmPath}: import ${mod} ${field} of kind ${kind}, which this script does not read`);
  let name = field;
  if (mod === module) {
    name = `_${renamed.size.toString(36)}`;
    renamed.set(field, name);
  }
  for (const s of [mod, name]) {
    const bytes = Buffer.from(s, "utf8");
    parts.push(uleb(bytes.length), bytes);
  }
  parts.push(wasm.subarray(descStart, r.at));
}
if (r.at !== section.end) throw new Error(`${wasmPath}: the import section has bytes after its imports`);
if (renamed.size === 0) throw new Error(`${wasmPath} imports nothing from ${module}`);

for (const [from, to] of renamed) {
  const pattern = new RegExp(`\\b${from.replace(/\$/g, "\\$")}\\b`, "g");
  const found = js.match(pattern)?.length ?? 0;
  if (found !== 1) throw new Error(`${jsPath}: import ${from} found ${found} times, expected once`);
  if (js.includes(`${to}:`)) throw new Error(`${jsPath} already has a key ${to}`);
  js = js.replace(pattern, to);
}

const body = Buffer.concat(parts);
const newWasm = Buffer.concat([
  wasm.subarray(0, section.start),
  Buffer.from([2]),
  uleb(body.length),
  body,
  wasm.subarray(section.end),
]);

const sri = (bytes) => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
for (const [before, after] of [
  [wasm, newWasm],
  [await readFile(jsPath), Buffer.from(js, "utf8")],
]) {
  const old = sri(before);
  if (!html.includes(`integrity="${old}"`)) throw new Error(`${htmlPath} has no integrity ${old}`);
  html = html.replaceAll(`integrity="${old}"`, `integrity="${sri(after)}"`);
}
await writeFile(wasmPath, newWasm);
await writeFile(jsPath, js);
await writeFile(htmlPath, html);
console.log(`short-imports: ${renamed.size} imports of ${module} renamed in ${wasmFile[0]} and ${jsFile}`);
