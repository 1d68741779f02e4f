// Browser tests of links and embedding (issue 6), in headless Chromium over the built
// site served under /some/sub/path/: a host page on another origin embeds the
// playground (the light embed, embed/, as the "Embed this" snippet writes it, issue 16;
// or, for the old links and lessons, the full page's index.html?embed=1) in a sandboxed iframe (allow-scripts only: an opaque origin, no storage,
// no parent access) and the embed follows its options; links replay a run to its
// moment and a malformed link opens a working page with a message; the "Embed this"
// dialog. Screenshots of the embed at 320 and 800 px wide and of the dialog.
//
// Run from the repository root: node --test tests/browser/embed.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import path from "node:path";
import { clockMs, clockOf, counterOf, pause, replayed, screenshots, start, eventually } from "./helpers.mjs";

let env;
let host;
before(async () => {
  env = await start();
  host = await serveHosts();
});
after(async () => {
  await env?.close();
  host?.server.close();
});

/**
 * A host site on another origin: /embed?w=WIDTH&h=HEIGHT&q=QUERY&p=PAGE is a blog-like
 * page framing the playground's PAGE (the light embed, `embed/`, unless it says
 * `index.html`) with QUERY, sandboxed, between text and a tall spacer.
 */
async function serveHosts() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const w = Number(url.searchParams.get("w") ?? 800);
    const h = Number(url.searchParams.get("h") ?? 600);
    const src = `${env.url}${url.searchParams.get("p") ?? "embed/"}${url.searchParams.get("q") ?? ""}`;
    const attr = src.replaceAll("&", "&amp;").replaceAll('"', "&quot;");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>A blog post</title>
<script>window.events = []; addEventListener("message", (e) => { if (e.source === document.getElementById("pg")?.contentWindow) window.events.push(e.data); });</script>
<style>body{font:16px/1.5 Georgia,serif;margin:16px;background:#fffbe8}</style></head><body>
<h1>Why my stream stopped</h1><p>Press Play and watch the shard block.</p>
<iframe id="pg" src="${attr}" title="Kinesis Playground" sandbox="allow-scripts"
  style="width:${w}px;height:${h}px;border:1px solid #999"></iframe>
<p>After the embed.</p><div id="spacer" style="height:4000px"></div><p id="end">The end.</p>
</body></html>`);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/embed` };
}

/** Opens a host page framing `query`; returns the page, the frame and problems seen. */
async function openHost(query, { w = 800, h = 600, viewport, page: framed = "embed/" } = {}) {
  const context = await env.browser.newContext({
    viewport: viewport ?? { width: Math.max(w + 40, 360), height: 900 },
  });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  const hostUrl = `${host.url}?w=${w}&h=${h}&q=${encodeURIComponent(query)}&p=${encodeURIComponent(framed)}`;
  await page.goto(hostUrl);
  const frame = page.frameLocator("#pg");
  await frame.getByTestId("clock").waitFor({ timeout: 30_000 });
  return { context, page, frame, problems };
}

const clockIn = async (frame) => clockMs(await frame.getByTestId("clock").textContent());

test("an embed in a sandboxed iframe under a sub-path shows a still picture, then plays", async () => {
  const { context, page, frame, problems } = await openHost("?v=1&s=hot-key&embed=1&ui=none");
  try {
    // The still picture of a scenario without a story: the run advanced to its first
    // turn, paused, with Play (a story's poster is tested below).
    const play = frame.getByTestId("embed-play");
    await play.waitFor({ timeout: 30_000 });
    const caption = await frame.getByTestId("embed-caption").textContent();
    assert.match(caption, /^Paused at \d\d:\d\d:\d\d\.\d{3}: .+\. Press Play to run on\.$/);
    const still = await clockIn(frame);
    assert.ok(still > 0, `the still picture is not at 0 (${still} ms)`);
    await page.waitForTimeout(500);
    await eventually(async () => assert.equal(await clockIn(frame), still, "paused until Play"));
    // No controls: no time bar, no knobs, no log; the picture is painted.
    await eventually(async () => assert.equal(await frame.getByTestId("timebar").count(), 0));
    await eventually(async () => assert.equal(await frame.getByTestId("controls").count(), 0));
    await eventually(async () => assert.equal(await frame.getByTestId("open-compare").isVisible(), false, "a minimal chrome"));
    await eventually(async () => assert.ok(await frame.getByTestId("stream-canvas").isVisible()));
    await eventually(async () => assert.equal(await frame.getByTestId("event-log").isVisible().catch(() => false), false));
    // The assets came from the sub-path, relative to the page.
    const src = await page.locator("#pg").getAttribute("src");
    assert.ok(src.includes("/some/sub/path/embed/?"), src);
    await play.click();
    for (let i = 0; i < 60 && (await clockIn(frame)) <= still; i++) await page.waitForTimeout(100);
    await eventually(async () => assert.ok((await clockIn(frame)) > still, "it runs after Play"));
    await eventually(async () => assert.equal(await play.textContent(), "Pause", "while it runs, the button pauses"));
    await eventually(async () => assert.equal(await frame.getByTestId("embed-caption").count(), 0, "the caption is gone"));
    await play.click();
    await eventually(async () => assert.equal(await play.getAttribute("aria-pressed"), "false", "paused by its button"));
    const paused = await clockIn(frame);
    await page.waitForTimeout(400);
    await eventually(async () => assert.equal(await clockIn(frame), paused, "paused"));
    assert.deepEqual(problems, [], "no console errors, page errors or failed requests");
  } finally {
    await context.close();
  }
});

test("an embed follows its options: time controls, locks, theme and autoplay", async () => {
  // Time controls only, dark, playing at once.
  {
    const { context, frame, problems } = await openHost(
      "?v=1&s=hot-key&embed=1&ui=time&theme=dark&autoplay=1",
    );
    try {
      const play = frame.getByTestId("play");
      await play.waitFor();
      await eventually(async () => assert.equal(await play.getAttribute("aria-pressed"), "true", "autoplay"));
      await eventually(async () => assert.equal(await frame.getByTestId("controls").count(), 0, "no knobs"));
      const theme = await frame.locator("html").getAttribute("data-theme");
      assert.equal(theme, "dark");
      const bg = await frame.locator("body").evaluate((b) => getComputedStyle(b).backgroundColor);
      assert.equal(bg, "rgb(13, 17, 23)", "the dark background");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
  // The light embed's ui=all: the time controls and a way to the knobs (the full
  // page), which lock=all takes away; transparent over the host's page.
  {
    const { context, frame, problems } = await openHost("?v=1&s=poison-pill&embed=1&ui=all&lock=shards&theme=transparent");
    try {
      await frame.getByTestId("timebar").waitFor();
      assert.equal(await frame.getByTestId("controls").count(), 0, "no knobs in the light embed");
      const settings = frame.getByTestId("embed-settings");
      await settings.waitFor();
      assert.match(await settings.getAttribute("href"), /^\.\.\/index\.html\?v=1&s=poison-pill&t=[\d.]+$/);
      const bg = await frame.locator("body").evaluate((b) => getComputedStyle(b).backgroundColor);
      assert.equal(bg, "rgba(0, 0, 0, 0)", "transparent");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
  {
    const { context, frame, problems } = await openHost("?v=1&s=poison-pill&embed=1&ui=all&lock=all");
    try {
      await frame.getByTestId("timebar").waitFor();
      await frame.getByTestId("embed-caption").waitFor();
      assert.equal(await frame.getByTestId("embed-settings").count(), 0, "lock=all: nothing to change");
      assert.equal(await frame.getByTestId("embed-open").count(), 1, "the full page is a link away");
      assert.equal(await frame.getByTestId("link-problems").count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
  {
    const { context, frame } = await openHost("?v=1&s=poison-pill&embed=1&ui=all&lock=shards,nope");
    try {
      const box = frame.getByTestId("link-problems");
      await box.waitFor();
      assert.match(await box.textContent(), /lock: "nope" is not a setting a link can carry \(nor all\); ignored/);
    } finally {
      await context.close();
    }
  }
  // The old links (index.html?embed=1): all controls, two locked, transparent.
  {
    const { context, frame, problems } = await openHost(
      "?v=1&s=poison-pill&embed=1&ui=all&lock=shards,batch&theme=transparent",
      { page: "index.html" },
    );
    try {
      await frame.getByTestId("controls").waitFor();
      await frame.getByTestId("shard-count-input").waitFor({ state: "attached" });
      await eventually(async () => assert.ok(await frame.getByTestId("shard-count-input").isDisabled(), "ShardCount locked"));
      await eventually(async () => assert.ok(await frame.getByTestId("batch-size-input").isDisabled(), "BatchSize locked"));
      await eventually(async () => assert.ok(!(await frame.getByTestId("maximum-retry-attempts-input").isDisabled()), "others free"));
      const bg = await frame.locator("body").evaluate((b) => getComputedStyle(b).backgroundColor);
      assert.equal(bg, "rgba(0, 0, 0, 0)", "transparent");
      await eventually(async () => assert.equal(await frame.getByTestId("share-tools").count(), 0, "no export or embed tools in an embed"));
      await eventually(async () => assert.equal(await frame.getByTestId("embed-fullscreen").count(), 0, "no full screen in this sandbox"));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
});

test("an embed pauses when scrolled out of view and resumes when back", async () => {
  const { context, page, frame, problems } = await openHost(
    "?v=1&s=steady&embed=1&ui=time&autoplay=1",
    { w: 600, h: 400 },
  );
  try {
    const play = frame.getByTestId("play");
    await play.waitFor();
    await eventually(async () => assert.equal(await play.getAttribute("aria-pressed"), "true"));
    await page.locator("#end").scrollIntoViewIfNeeded();
    for (let i = 0; i < 50 && (await play.getAttribute("aria-pressed")) === "true"; i++) {
      await page.waitForTimeout(100);
    }
    await eventually(async () => assert.equal(await play.getAttribute("aria-pressed"), "false", "paused out of view"));
    const t = await clockIn(frame);
    await page.waitForTimeout(400);
    await eventually(async () => assert.equal(await clockIn(frame), t, "not running out of view"));
    await page.locator("#pg").scrollIntoViewIfNeeded();
    for (let i = 0; i < 50 && (await play.getAttribute("aria-pressed")) === "false"; i++) {
      await page.waitForTimeout(100);
    }
    await eventually(async () => assert.equal(await play.getAttribute("aria-pressed"), "true", "playing again in view"));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a malformed link opens a working page and names each bad part as text", async () => {
  const query =
    "?v=1&s=%3Cscript%3Ealert(1)%3C%2Fscript%3E&batch=abc&theme=%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E&t=-4&embed=1&ui=time";
  const { context, page, frame, problems } = await openHost(query);
  try {
    const box = frame.getByTestId("link-problems");
    await box.waitFor();
    const text = await box.textContent();
    for (const part of [
      's: there is no built-in scenario "<script>alert(1)</script>"',
      'batch (BatchSize): "abc" is not a whole number',
      'theme: "<img src=x onerror=alert(2)>" is not light, dark or transparent',
      't: "-4" is not a time in seconds',
    ]) {
      assert.ok(text.includes(part), `${part} in ${text}`);
    }
    // Shown as text: no element came from the link.
    await eventually(async () => assert.equal(await box.locator("script, img").count(), 0));
    // A working page: the default scenario, which plays.
    await frame.getByTestId("play").click();
    const t0 = await clockIn(frame);
    await page.waitForTimeout(600);
    await eventually(async () => assert.ok((await clockIn(frame)) > t0, "it runs"));
    await frame.getByTestId("link-problems-dismiss").click();
    await eventually(async () => assert.equal(await box.count(), 0, "dismissed"));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("embeds at 320 and 800 px wide (screenshots)", async () => {
  for (const [w, h] of [
    [320, 560],
    [800, 620],
  ]) {
    const { context, page, frame, problems } = await openHost("?v=1&s=poison-pill&embed=1&ui=time", {
      w,
      h,
    });
    try {
      await frame.getByTestId("embed-caption").waitFor({ timeout: 30_000 });
      await page.locator("#pg").screenshot({ path: path.join(screenshots, `embed-${w}.png`) });
      // Nothing wider than the frame.
      const overflow = await frame
        .locator("html")
        .evaluate((el) => el.scrollWidth - el.clientWidth);
      assert.ok(overflow <= 0, `the embed at ${w} px scrolls sideways by ${overflow} px`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
});

test("a link replays the same run to the same moment, and the address bar follows", async () => {
  await env.withPage({ viewport: { width: 1280, height: 800 } }, null, async (page) => {
    await page.goto(`${env.url}?v=1&s=poison-pill&seed=11&t=1800&batch=50`);
    await page.getByTestId("clock").waitFor();
    await replayed(page);
    await eventually(async () => assert.equal(await page.getByTestId("play").getAttribute("aria-pressed"), "false", "paused at t"));
    await eventually(async () => assert.equal(clockMs(await page.getByTestId("clock").textContent()), 1_800_000));
    await eventually(async () => assert.equal(await page.getByTestId("seed").textContent(), "11"));
    assert.equal(
      await page.getByTestId("link-caption").textContent(),
      "Opened from a link at 00:30:00.000: the same run, paused. Press Play to run on.",
    );
    await eventually(async () => assert.equal(await page.getByTestId("batch-size-input").inputValue(), "50"));
    const first = await counterOf(page, "invocations");
    // Again: the same numbers.
    await page.reload();
    await page.getByTestId("clock").waitFor();
    await replayed(page);
    await eventually(async () => assert.equal(await counterOf(page, "invocations"), first, "deterministic"));
    // A change is written to the address bar.
    const input = page.getByTestId("maximum-retry-attempts-input");
    await input.fill("3");
    await input.press("Enter");
    await page.waitForFunction(() => location.search.includes("retries=3"), null, { timeout: 5_000 });
    const search = await page.evaluate(() => location.search);
    assert.match(search, /^\?v=1&s=poison-pill&seed=11&t=1800&batch=50&retries=3$/);
  });
});

test("the Embed this dialog writes the snippet, previews it and closes on Escape", async () => {
  const { context, page, problems } = await env.open({ viewport: { width: 1280, height: 900 } });
  try {
    await pause(page);
    const group = page.getByTestId("group-share");
    await group.locator("summary").click();
    await page.getByTestId("embed-this").click();
    const dialog = page.getByTestId("embed-dialog");
    await dialog.waitFor();
    const snippet = () => page.getByTestId("embed-snippet").inputValue();
    // The light embed (issue 16).
    await eventually(async () => assert.match(await snippet(), /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/some\/sub\/path\/embed\/\?v=1&amp;s=steady(&amp;t=[\d.]+)?&amp;embed=1"/));
    await page.getByTestId("embed-ui").selectOption("time");
    await page.getByTestId("embed-theme").selectOption("dark");
    await page.getByTestId("embed-autoplay").check();
    // Typed, then Tab: the change is applied when the page gets to it; on a loaded
    // machine a render may land between the typing and the Tab, so type again until
    // the page shows what was typed (failed once in a full run under load).
    const typeWidth = async (value) => {
      await page.getByTestId("embed-width").fill(value);
      await page.getByTestId("embed-width").press("Tab");
    };
    await eventually(async () => {
      await typeWidth("640");
      const s = await snippet();
      assert.ok(s.includes("&amp;theme=dark&amp;autoplay=1&amp;ui=time"), s);
      assert.ok(s.includes("width:640px;height:600px"), s);
      assert.ok(s.includes('sandbox="allow-scripts allow-popups"'), s);
    });
    await eventually(async () => {
      await typeWidth("10");
      await page.getByTestId("embed-width-error").waitFor({ timeout: 5_000 });
      assert.match(
        await page.getByTestId("embed-width-error").textContent(),
        /width: "10" is not allowed: 1% to 100%, or 320 to 4000 pixels/,
      );
    });
    // The live preview is the embed itself.
    const preview = page.frameLocator('[data-testid="embed-preview"]');
    await preview.getByTestId("clock").waitFor({ timeout: 30_000 });
    await eventually(async () => assert.equal(await preview.getByTestId("play").getAttribute("aria-pressed"), "true"));
    // Focus stays in the modal dialog; Escape closes it.
    await page.keyboard.press("Tab");
    await eventually(async () => assert.ok(await page.evaluate(() => !!document.activeElement.closest("dialog")), "focus in the dialog"));
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(screenshots, "embed-dialog.png") });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    // The preview reloads as options change: its abandoned loads are not problems.
    const real = problems.filter((p) => !/^request failed: .* net::ERR_ABORTED$/.test(p));
    assert.deepEqual(real, [], "no console errors, page errors or failed requests");
  } finally {
    await context.close();
  }
});

test("an embed opened on its own offers full screen, and leaves it", async () => {
  await env.withPage({ viewport: { width: 800, height: 600 } }, null, async (page) => {
    await page.goto(`${env.url}?v=1&s=poison-pill&embed=1&ui=none`);
    const button = page.getByTestId("embed-fullscreen");
    await button.waitFor({ timeout: 30_000 });
    await button.click();
    await page.waitForFunction(() => document.fullscreenElement !== null, null, { timeout: 5_000 });
    await button.click();
    await page.waitForFunction(() => document.fullscreenElement === null, null, { timeout: 5_000 });
  });
});

test("an embed opens a guided lesson only when its link names it with lesson=", async () => {
  for (const [query, shown] of [
    ["?v=1&lesson=poison-pill&embed=1&ui=all", true],
    ["?v=1&s=poison-pill&embed=1&ui=all", false],
  ]) {
    // A lesson is the full page's (the snippet frames index.html for it); the light
    // embed shows none.
    const { context, frame, problems } = await openHost(query, { page: shown ? "index.html" : "embed/" });
    try {
      await frame.getByTestId("stream-canvas").waitFor({ state: "attached" });
      await eventually(async () => assert.equal(await frame.getByTestId("lesson-start").count(), shown ? 1 : 0, query));
      if (shown) {
        await eventually(async () => assert.match(await frame.getByTestId("lesson-text").textContent(), /A healthy stream/));
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
});

// Issue 14: a lesson embed keeps one readable column at every width: the picture
// takes the frame's width, the lesson card starts on the first screen, and the still
// picture is the lesson's own moment (its introduction at 0), not the first turn.
test("a lesson embed does not collapse at 400, 700, 1000 and 1280 px (screenshots)", async () => {
  for (const w of [400, 700, 1000, 1280]) {
    const h = 640;
    const { context, page, frame, problems } = await openHost("?v=1&lesson=poison-pill&embed=1", { w, h, page: "index.html" });
    try {
      await frame.getByTestId("lesson").waitFor({ timeout: 30_000 });
      await eventually(async () => {
        const { canvas, frameWidth, lessonTop, frameHeight } = await frame.locator("html").evaluate(() => ({
          canvas: document.querySelector('[data-testid="stream-canvas"]').getBoundingClientRect().width,
          frameWidth: document.documentElement.clientWidth,
          lessonTop: document.querySelector('[data-testid="lesson"]').getBoundingClientRect().top + scrollY,
          frameHeight: innerHeight,
        }));
        assert.ok(canvas >= 0.9 * frameWidth, `at ${w} px the picture is ${canvas} px of ${frameWidth}`);
        assert.ok(lessonTop < frameHeight * 0.8, `at ${w} px the lesson card starts ${lessonTop} px down`);
      });
      await eventually(async () => assert.match(await frame.getByTestId("lesson-progress").textContent(), /^Introduction/));
      await eventually(async () => assert.equal(await clockIn(frame), 0, "the introduction's picture is at 0"));
      await eventually(async () => assert.equal(await frame.getByTestId("embed-caption").count(), 0, "no caption of another moment"));
      await page.waitForTimeout(300);
      await page.locator("#pg").screenshot({ path: path.join(screenshots, `embed-lesson-${w}.png`) });
      const overflow = await frame.locator("html").evaluate((el) => el.scrollWidth - el.clientWidth);
      assert.ok(overflow <= 0, `the lesson embed at ${w} px scrolls sideways by ${overflow} px`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
});

/** Opens the main page and its "Embed this" dialog, at 1280 x 900. */
async function openDialog(url) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const previewWasm = [];
  page.on("request", (r) => {
    if (r.url().endsWith(".wasm") && r.frame() !== page.mainFrame()) previewWasm.push(r.url());
  });
  await page.goto(url);
  await page.getByTestId("clock").waitFor({ timeout: 30_000 });
  await page.getByTestId("group-share").locator("summary").click();
  await page.getByTestId("embed-this").click();
  await page.getByTestId("embed-dialog").waitFor();
  return { context, page, previewWasm };
}

// Issue 14: the preview is built once and rebuilt only when the snippet's settings
// change (debounced), never as the run plays.
test("the dialog's preview does not reload while the run plays, only when its settings change", async () => {
  const { context, page, previewWasm } = await openDialog(`${env.url}?v=1&s=steady`);
  try {
    const preview = page.frameLocator('[data-testid="embed-preview"]');
    await preview.getByTestId("clock").waitFor({ timeout: 30_000 });
    await eventually(async () => assert.equal(await page.getByTestId("embed-preview-status").count(), 0, "the preview says it runs"));
    const first = previewWasm.length;
    assert.equal(first, 1, "one preview load");
    // The page plays on behind the dialog.
    await eventually(async () => assert.equal(await page.getByTestId("play").getAttribute("aria-pressed"), "true"));
    const t0 = await clockOf(page);
    await page.waitForTimeout(3_000);
    await eventually(async () => assert.ok((await clockOf(page)) > t0, "the run plays"));
    assert.equal(previewWasm.length, first, `the preview reloaded ${previewWasm.length - first} times while the run played`);
    // Two changes in a row: one rebuild, once they settle.
    await page.getByTestId("embed-theme").selectOption("dark");
    await page.getByTestId("embed-ui").selectOption("none");
    await eventually(async () => assert.equal(previewWasm.length, first + 1, "rebuilt once"));
    await preview.getByTestId("embed-play").waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1_500);
    assert.equal(previewWasm.length, first + 1, "and only once");
  } finally {
    await context.close();
  }
});

/** dist/ served without Access-Control-Allow-Origin, as many hosts do. */
async function serveWithoutCors() {
  const { readFile } = await import("node:fs/promises");
  const { dist } = await import("./helpers.mjs");
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    let rel = decodeURIComponent(url.pathname.slice(1)) || "index.html";
    const file = path.resolve(dist, rel);
    try {
      if (!file.startsWith(dist + path.sep)) throw new Error("outside");
      const body = await readFile(file);
      const ext = path.extname(file);
      const type = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json" }[ext] ?? "application/octet-stream";
      res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

test("the dialog says why a sandboxed preview cannot load, and unticking Sandboxed unsandboxes it (screenshot)", async () => {
  const site = await serveWithoutCors();
  const { context, page } = await openDialog(`${site.url}?v=1&s=poison-pill`);
  try {
    const problem = page.getByTestId("embed-preview-problem");
    await eventually(async () => assert.match(await problem.textContent(), /does not send Access-Control-Allow-Origin/));
    await page.getByTestId("embed-preview-problem").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, "embed-dialog-no-cors.png") });
    await page.getByTestId("embed-sandbox").uncheck();
    const frame = page.getByTestId("embed-preview");
    await eventually(async () => assert.equal(await frame.getAttribute("data-sandboxed"), "false"));
    await eventually(async () => assert.equal(await frame.getAttribute("sandbox"), null, "no sandbox attribute"));
    await page.frameLocator('[data-testid="embed-preview"]').getByTestId("clock").waitFor({ timeout: 30_000 });
    await eventually(async () => assert.equal(await problem.count(), 0, "no problem once it runs"));
    assert.ok(!(await page.getByTestId("embed-snippet").inputValue()).includes("sandbox="), "the snippet is unsandboxed too");
  } finally {
    await context.close();
    site.server.close();
  }
});

test("the dialog offers the lesson, size presets, Markdown and the address, and a story's pace (screenshot)", async () => {
  const { context, page } = await openDialog(`${env.url}?v=1&s=overflowing-sink`);
  try {
    const snippet = () => page.getByTestId("embed-snippet").inputValue();
    // The story's pace and moment, from the scenario: the poster at its moment.
    await eventually(async () => assert.match(await snippet(), /&amp;speed=10000/));
    assert.ok(!(await snippet()).includes("&amp;t="), await snippet());
    await page.getByTestId("embed-size").selectOption({ label: "800 × 500" });
    await eventually(async () => assert.match(await snippet(), /width:800px;height:500px/));
    assert.equal(await page.getByTestId("embed-height").inputValue(), "500");
    const markdown = await page.getByTestId("embed-markdown").inputValue();
    assert.match(markdown, /^\[Kinesis Playground: The overflowing sink[^\]]*\]\(<http:\/\/127\.0\.0\.1:\d+\/some\/sub\/path\/\?v=1&s=overflowing-sink&embed=1&speed=10000>\)$/);
    assert.match(await page.getByTestId("embed-url").inputValue(), /^http:\/\/.*\?v=1&s=overflowing-sink&embed=1&speed=10000$/);
    await page.getByTestId("embed-lesson").check();
    await eventually(async () => assert.match(await snippet(), /\?v=1&amp;lesson=overflowing-sink&amp;embed=1"/));
    const preview = page.frameLocator('[data-testid="embed-preview"]');
    await preview.getByTestId("lesson").waitFor({ timeout: 30_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(screenshots, "embed-dialog-lesson.png") });
  } finally {
    await context.close();
  }
});

// Issue 14: a ui=none embed of a long story shows its moment as a poster, and Play
// plays the story from its start at the story's pace.
test("a ui=none embed of a long story shows its moment and plays it at its pace", async () => {
  const { context, page, frame, problems } = await openHost("?v=1&s=overflowing-sink&embed=1&ui=none", { w: 800, h: 560 });
  try {
    const caption = frame.getByTestId("embed-caption");
    await eventually(async () => assert.match(await caption.textContent(), /the moment this story is about/));
    const poster = await clockIn(frame);
    assert.ok(poster >= 26 * 3_600_000, `the poster is at ${poster} ms, not the sink's moment`);
    await page.locator("#pg").screenshot({ path: path.join(screenshots, "embed-story-poster.png") });
    const bar = frame.getByTestId("embed-light");
    assert.equal(await bar.getAttribute("data-speed"), "10000", "the story's pace");
    await frame.getByTestId("embed-play").click();
    await eventually(async () => assert.equal(await frame.getByTestId("embed-play").getAttribute("aria-pressed"), "true"));
    await eventually(async () => {
      const t = await clockIn(frame);
      assert.ok(t > 0 && t < poster, `Play plays the story from its start (${t} ms)`);
    });
    // A link's speed wins.
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
  const again = await openHost("?v=1&s=overflowing-sink&embed=1&ui=none&speed=3600", { w: 800, h: 560 });
  try {
    await again.frame.getByTestId("embed-caption").waitFor({ timeout: 30_000 });
    assert.equal(await again.frame.getByTestId("embed-light").getAttribute("data-speed"), "3600");
    assert.deepEqual(again.problems, []);
  } finally {
    await again.context.close();
  }
});

// Issue 14: the frame is never blank: the placeholder paints before the wasm arrives.
test("an embed shows a placeholder with its scenario's name until the app mounts (screenshot)", async () => {
  const context = await env.browser.newContext({ viewport: { width: 700, height: 500 } });
  const page = await context.newPage();
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route("**/*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  try {
    await page.goto(`${env.url}?v=1&lesson=overflowing-sink&embed=1`, { waitUntil: "domcontentloaded" });
    const placeholder = page.getByTestId("placeholder");
    await eventually(async () => assert.ok(await placeholder.isVisible()));
    assert.equal(await page.locator("#kp-title").textContent(), "Overflowing sink");
    assert.ok((await placeholder.locator("svg rect").count()) >= 4, "an outline of tubes");
    await page.screenshot({ path: path.join(screenshots, "embed-placeholder.png") });
    release();
    await page.getByTestId("clock").waitFor({ timeout: 30_000 });
    await eventually(async () => assert.equal(await placeholder.count(), 0, "gone once the app mounts"));
  } finally {
    release();
    await context.close();
  }
});

// Issue 14: a host page (a slide deck) drives the embed with postMessage and hears its
// events; bad messages get kp:error, unknown ones are ignored, none reach the console.
test("a host page drives an embedded lesson with postMessage and hears its beats and milestones", async () => {
  const { context, page, frame, problems } = await openHost("?v=1&lesson=poison-pill&embed=1&ui=time", { w: 900, h: 640, page: "index.html" });
  try {
    const events = () => page.evaluate(() => window.events);
    const post = (m) => page.evaluate((m) => document.getElementById("pg").contentWindow.postMessage(m, "*"), m);
    await eventually(async () => {
      const ready = (await events()).find((e) => e.type === "kp:ready");
      assert.ok(ready, JSON.stringify(await events()));
      assert.equal(ready.scenario, "poison-pill");
      assert.equal(ready.beats, 4);
      assert.equal(ready.end_ms, 90_000_000);
    });
    // Not ours, unknown, or not an object: ignored.
    await post("hello");
    await post(null);
    await post({ type: "reveal:slidechanged" });
    await post({ type: "kp:zoom", level: 3 });
    // Bad fields of known types: told why.
    await post({ type: "kp:seek", ms: "soon" });
    await post({ type: "kp:beat", n: 9 });
    await eventually(async () => {
      const errors = (await events()).filter((e) => e.type === "kp:error").map((e) => e.message);
      assert.equal(errors.length, 2, JSON.stringify(errors));
      assert.match(errors[0], /kp:seek: ms must be a number/);
      assert.match(errors[1], /past the lesson's last beat \(4\)/);
    });
    // Go to beat 2, the blocked shard: the card and the clock follow, and the host hears it.
    await post({ type: "kp:beat", n: 2 });
    await eventually(async () => assert.match(await frame.getByTestId("lesson-progress").textContent(), /2/));
    await eventually(async () => {
      const es = await events();
      assert.ok(es.some((e) => e.type === "kp:beat" && e.n === 2 && e.of === 4), JSON.stringify(es));
      const m = es.find((e) => e.type === "kp:milestone" && e.name === "first_blocked_shard");
      assert.ok(m && m.at_ms > 0 && m.label === "first blocked shard", JSON.stringify(es));
    });
    // Seek to a moment, then play and pause.
    await post({ type: "kp:seek", ms: 3_600_000 });
    await eventually(async () => assert.equal(await clockIn(frame), 3_600_000));
    await post({ type: "kp:play" });
    await eventually(async () => assert.equal(await frame.getByTestId("play").getAttribute("aria-pressed"), "true"));
    await post({ type: "kp:pause" });
    await eventually(async () => assert.equal(await frame.getByTestId("play").getAttribute("aria-pressed"), "false"));
    assert.equal((await events()).filter((e) => e.type === "kp:error").length, 2, "nothing else refused");
    assert.deepEqual(problems, [], "no console errors");
  } finally {
    await context.close();
  }
});
