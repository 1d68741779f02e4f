// Browser tests of the built site (dist/, from `trunk build --release`) in headless
// Chromium: it loads without a console or page error, the simulated clock advances,
// records get written, and screenshots are saved for people to look at. One test
// also times the heavy scenario in the browser build and prints the figure.
//
// Run from the repository root: node --test tests/browser/
// CHROMIUM=/path/to/chromium overrides the browser (default /usr/bin/chromium).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, stat } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, "../../dist");
const screenshots = path.join(here, "screenshots");
// The site is served under a sub-path, to prove it only uses relative URLs.
const base = "/some/sub/path/";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/** A static file server for `root` under `base`, on 127.0.0.1 and a free port. */
async function serve(root) {
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://localhost");
      if (!url.pathname.startsWith(base)) throw new Error("outside base");
      let rel = decodeURIComponent(url.pathname.slice(base.length));
      if (rel === "" || rel.endsWith("/")) rel += "index.html";
      const file = path.resolve(root, rel);
      if (!file.startsWith(root + path.sep)) throw new Error("outside root");
      if (!(await stat(file)).isFile()) throw new Error("not a file");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}${base}` };
}

/** `01:02:03.004` or `1d 01:02:03.004` (SimTime's Display) in ms. */
function clockMs(text) {
  const m = /^(?:(\d+)d )?(\d+):(\d\d):(\d\d)\.(\d\d\d)$/.exec(text.trim());
  assert.ok(m, `the clock reads ${JSON.stringify(text)}`);
  const [d, h, min, s, ms] = m.slice(1).map((x) => Number(x ?? 0));
  return (((d * 24 + h) * 60 + min) * 60 + s) * 1000 + ms;
}

let site;
let browser;

before(async () => {
  await stat(path.join(dist, "index.html")).catch(() => {
    throw new Error(`${dist}/index.html is missing: run trunk build --release first`);
  });
  await mkdir(screenshots, { recursive: true });
  site = await serve(dist);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    // Playwright adds --headless and a fresh --user-data-dir of its own.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
    ],
  });
});

after(async () => {
  await browser?.close();
  site?.server.close();
});

/** Opens the page in a new context and records every console error and page error. */
async function open(options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  const response = await page.goto(site.url);
  assert.equal(response.status(), 200);
  // The app has rendered once the clock is on the page.
  await page.getByTestId("clock").waitFor({ timeout: 30_000 });
  return { context, page, problems };
}

const writtenOf = async (page) =>
  Number(await page.getByTestId("counter-records-written").getAttribute("data-value"));

/** Runs `body` on a fresh page; saves a screenshot whether it passes or fails. */
async function withPage(options, screenshot, body) {
  const { context, page, problems } = await open(options);
  try {
    await body(page);
    assert.deepEqual(problems, [], "no console errors, page errors or failed requests");
  } finally {
    await page.screenshot({ path: path.join(screenshots, screenshot) });
    await context.close();
  }
}

test("the playground loads, runs the steady scenario and writes records", { timeout: 120_000 }, async () => {
  await withPage({ viewport: { width: 1280, height: 800 } }, "desktop-1280x800.png", async (page) => {
    assert.equal(await page.title(), "Kinesis Playground");
    assert.equal((await page.getByTestId("title").textContent()).trim(), "Kinesis Playground");
    assert.equal((await page.getByTestId("seed").textContent()).trim(), "7");
    const scenario = page.getByTestId("scenario");
    assert.match(await scenario.locator("option:checked").textContent(), /Steady load on four shards/);
    assert.equal(await page.getByTestId("scenario-error").count(), 0, "the built-in scenario parses");

    // The copied scenario files are part of the site.
    const steady = await page.evaluate(async () => (await fetch("scenarios/steady.json")).status);
    assert.equal(steady, 200, "scenarios/steady.json is served next to the page");

    const play = page.getByTestId("play");
    if ((await play.textContent()).trim() === "Play") await play.click();
    assert.equal((await play.textContent()).trim(), "Pause");

    const clock = page.getByTestId("clock");
    const t0 = clockMs(await clock.textContent());
    const w0 = await writtenOf(page);
    await page.waitForFunction(
      (t0) => {
        const m = /(\d+):(\d\d):(\d\d)\.(\d\d\d)$/.exec(document.querySelector('[data-testid="clock"]').textContent);
        return m && ((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 1000 + +m[4] > t0 + 1000;
      },
      t0,
      { timeout: 15_000 },
    );
    assert.ok(clockMs(await clock.textContent()) > t0, "the simulated clock advances");

    // The producer offers 2,500 records/s into four shards: records get written.
    await page
      .waitForFunction(
        (w0) => Number(document.querySelector('[data-testid="counter-records-written"]').dataset.value) > w0,
        w0,
        { timeout: 15_000 },
      )
      .catch(() => {});
    const w1 = await writtenOf(page);

    // A faster speed, then pause: the clock stands still.
    await page.getByTestId("speed").selectOption("600");
    await page.waitForTimeout(500);
    await play.click();
    assert.equal((await play.textContent()).trim(), "Play");
    const paused = await clock.textContent();
    await page.waitForTimeout(300);
    assert.equal(await clock.textContent(), paused, "the clock stands still while paused");
    assert.equal((await page.getByTestId("status").textContent()).trim(), "Paused");

    assert.ok(w1 > w0, `records written went from ${w0} to ${w1}: it should increase while the simulation runs`);
  });
});

test("on a phone in dark mode with reduced motion, it starts paused and plays on request", { timeout: 120_000 }, async () => {
  const phone = {
    viewport: { width: 390, height: 844 },
    colorScheme: "dark",
    reducedMotion: "reduce",
    isMobile: true,
    hasTouch: true,
  };
  await withPage(phone, "phone-390x844-dark.png", async (page) => {
    const play = page.getByTestId("play");
    assert.equal((await play.textContent()).trim(), "Play", "reduced motion: nothing moves until asked");
    assert.equal(clockMs(await page.getByTestId("clock").textContent()), 0);
    await play.tap();
    await page.waitForFunction(
      () => !/^00:00:00\.000$/.test(document.querySelector('[data-testid="clock"]').textContent.trim()),
      null,
      { timeout: 15_000 },
    );
    await page.waitForTimeout(1_500);
    await play.tap();
    assert.equal((await play.textContent()).trim(), "Play");
  });
});

test("benchmark: the heavy scenario runs in the browser build", { timeout: 300_000 }, async () => {
  const { context, page, problems } = await open({ viewport: { width: 800, height: 600 } });
  try {
    const result = await page.evaluate(async () => {
      const scenario = await (await fetch("scenarios/heavy-100-shards-pf10.json")).json();
      const ms = window.wasmBindings.bench_scenario(JSON.stringify(scenario));
      return { ms, duration_s: scenario.duration_s };
    });
    assert.ok(result.ms > 0, "the run took some time");
    const rate = result.duration_s / (result.ms / 1000);
    // The figure, for the summary: not a timed assertion.
    console.log(
      `# bench: heavy scenario (100 shards, ParallelizationFactor 10, ${result.duration_s} s) in the browser build: ` +
        `${(result.ms / 1000).toFixed(2)} s wall = ${Math.round(rate)} simulated s per wall s`,
    );
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
