// Shared by the browser tests: a static server for dist/ under a sub-path, headless
// Chromium, a page opener that records every console error, page error and failed
// request, and small readers of the page's state.

import assert from "node:assert/strict";
import { mkdir, readFile, stat } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const dist = path.resolve(here, "../../dist");
export const screenshots = path.join(here, "screenshots");
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
        // As GitHub Pages does: a sandboxed iframe (an opaque origin) may load it.
        "access-control-allow-origin": "*",
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

/** Starts the server and the browser; returns an object with `open` and `close`. */
export async function start() {
  await stat(path.join(dist, "index.html")).catch(() => {
    throw new Error(`${dist}/index.html is missing: run trunk build --release first`);
  });
  await mkdir(screenshots, { recursive: true });
  const site = await serve(dist);
  const browser = await chromium.launch({
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

  /** Runs `body` on a fresh page; saves screenshots whether it passes or fails. */
  async function withPage(options, screenshot, body) {
    const { context, page, problems } = await open(options);
    try {
      await body(page);
      assert.deepEqual(problems, [], "no console errors, page errors or failed requests");
    } finally {
      if (screenshot) await page.screenshot({ path: path.join(screenshots, screenshot) });
      await context.close();
    }
  }

  async function close() {
    await browser?.close();
    site?.server.close();
  }

  return { open, withPage, close, url: site.url, browser };
}

/** `01:02:03.004` or `1d 01:02:03.004` (SimTime's Display) in ms. */
export function clockMs(text) {
  const m = /^(?:(\d+)d )?(\d+):(\d\d):(\d\d)\.(\d\d\d)$/.exec(text.trim());
  assert.ok(m, `the clock reads ${JSON.stringify(text)}`);
  const [d, h, min, s, ms] = m.slice(1).map((x) => Number(x ?? 0));
  return (((d * 24 + h) * 60 + min) * 60 + s) * 1000 + ms;
}

export const clockOf = async (page) => clockMs(await page.getByTestId("clock").textContent());

export const counterOf = async (page, id) =>
  Number(await page.getByTestId(`counter-${id}`).getAttribute("data-value"));

export const latestOf = async (page, chart, resolution) =>
  Number(await page.getByTestId(`chart-${chart}-${resolution}`).getAttribute("data-latest"));

/**
 * Runs `check` until it passes (returns without throwing) or `timeout` ms have gone by,
 * then throws its last failure. Every read of the page after an action goes through
 * this: the page applies a click, a key or a frame when it gets to it, and a loaded
 * machine gets to it later, so a state is waited for, never read once.
 */
export async function eventually(check, { timeout = 30_000, every = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

/** Waits until the play button's aria-pressed reads `pressed`, clicking it while it does not. */
async function playing(page, pressed) {
  const button = page.getByTestId("play");
  const want = String(pressed);
  await eventually(async () => {
    if ((await button.getAttribute("aria-pressed")) !== want) {
      await button.click();
      // The click is applied when the page gets to it: wait for it before clicking again.
      await eventually(async () => assert.equal(await button.getAttribute("aria-pressed"), want), {
        timeout: 5_000,
      });
    }
  });
}

/** Pauses if playing, and waits until the page says it is paused. */
export const pause = (page) => playing(page, false);

/** Plays if paused, and waits until the page says it is playing. */
export const play = (page) => playing(page, true);

/** Waits until a rebuild's replay has finished. */
export async function replayed(page) {
  // The replay starts 30 ms after the change, once "replaying…" is on screen.
  await page.waitForTimeout(100);
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="replaying"]'),
    null,
    { timeout: 60_000 },
  );
}

/** Types `value` into a knob's number field and commits it (a change event). */
export async function setKnob(page, testId, value) {
  const input = page.getByTestId(`${testId}-input`);
  await input.fill(String(value));
  await input.press("Enter");
  await replayed(page);
}

/** Adds an event source mapping with AWS's defaults when the scenario has none. */
export async function addMapping(page) {
  await page.getByTestId("add-mapping").click();
  await replayed(page);
  await page.getByTestId("knob-batch-size").waitFor({ timeout: 30_000 });
}

export async function selectSpeed(page, label) {
  await page.getByTestId("speed").selectOption({ label });
}

/** The two sizes most tests look at: a laptop, and a phone. */
export const desktop = { viewport: { width: 1280, height: 800 } };
export const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** Chooses the built-in scenario whose title starts with `titleStart`. */
export async function chooseScenario(page, titleStart) {
  const select = page.getByTestId("scenario");
  const label = await select.evaluate(
    (el, start) => [...el.options].find((o) => o.textContent.startsWith(start))?.textContent,
    titleStart,
  );
  assert.ok(label, `a built-in scenario titled "${titleStart}…"`);
  await select.selectOption({ label });
}
