// Browser tests of links and embedding (issue 6), in headless Chromium over the built
// site served under /some/sub/path/: a host page on another origin embeds the
// playground in a sandboxed iframe (allow-scripts only: an opaque origin, no storage,
// no parent access) and the embed follows its options; links replay a run to its
// moment and a malformed link opens a working page with a message; the "Embed this"
// dialog. Screenshots of the embed at 320 and 800 px wide and of the dialog.
//
// Run from the repository root: node --test tests/browser/embed.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import path from "node:path";
import { clockMs, counterOf, pause, replayed, screenshots, start, eventually } from "./helpers.mjs";

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
 * A host site on another origin: /embed?w=WIDTH&h=HEIGHT&q=QUERY is a blog-like page
 * framing the playground with QUERY, sandboxed, between text and a tall spacer.
 */
async function serveHosts() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const w = Number(url.searchParams.get("w") ?? 800);
    const h = Number(url.searchParams.get("h") ?? 600);
    const src = `${env.url}index.html${url.searchParams.get("q") ?? ""}`;
    const attr = src.replaceAll("&", "&amp;").replaceAll('"', "&quot;");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>A blog post</title>
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
async function openHost(query, { w = 800, h = 600, viewport } = {}) {
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
  const hostUrl = `${host.url}?w=${w}&h=${h}&q=${encodeURIComponent(query)}`;
  await page.goto(hostUrl);
  const frame = page.frameLocator("#pg");
  await frame.getByTestId("clock").waitFor({ timeout: 30_000 });
  return { context, page, frame, problems };
}

const clockIn = async (frame) => clockMs(await frame.getByTestId("clock").textContent());

test("an embed in a sandboxed iframe under a sub-path shows a still picture, then plays", async () => {
  const { context, page, frame, problems } = await openHost("?v=1&s=poison-pill&embed=1&ui=none");
  try {
    // The still picture: the run advanced to its first turn, paused, with Play.
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
    assert.ok(src.includes("/some/sub/path/index.html?"), src);
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
  // All controls, two locked, transparent over the host's page.
  {
    const { context, frame, problems } = await openHost(
      "?v=1&s=poison-pill&embed=1&ui=all&lock=shards,batch&theme=transparent",
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
    await eventually(async () => assert.match(await snippet(), /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/some\/sub\/path\/\?v=1&amp;s=steady(&amp;t=[\d.]+)?&amp;embed=1"/));
    await page.getByTestId("embed-ui").selectOption("time");
    await page.getByTestId("embed-theme").selectOption("dark");
    await page.getByTestId("embed-autoplay").check();
    await page.getByTestId("embed-width").fill("640");
    await page.getByTestId("embed-width").press("Tab");
    const s = await snippet();
    assert.ok(s.includes("&amp;theme=dark&amp;autoplay=1&amp;ui=time"), s);
    assert.ok(s.includes("width:640px;height:600px"), s);
    assert.ok(s.includes('sandbox="allow-scripts allow-popups"'), s);
    await page.getByTestId("embed-width").fill("10");
    await page.getByTestId("embed-width").press("Tab");
    assert.match(
      await page.getByTestId("embed-width-error").textContent(),
      /width: "10" is not allowed: 1% to 100%, or 320 to 4000 pixels/,
    );
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
    const { context, frame, problems } = await openHost(query);
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
