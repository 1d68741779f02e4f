// Browser tests of the playground's stories (issue 4), in headless Chromium over the
// built site: a poison pill blocks its shard and the iterator age climbs; concurrency
// demand past the account's limit throttles; a slider changes the simulation and a
// refused value shows the core's message; and the keyboard reaches and toggles play.
// The first minute (issue 14): the start card of a first visit, the picker in
// sections and near the top on phones, `?` for the keys, knob labels in words that
// never break mid-word, chart titles never cut, and a phone header that never covers
// the picture.
// The work per animation frame is measured by frame-bench.test.mjs.
//
// Run from the repository root: node --test tests/browser/

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import {
  addMapping,
  clockOf,
  counterOf,
  desktop,
  pause,
  phone,
  play,
  replayed,
  screenshots,
  selectSpeed,
  setKnob,
  start,
  eventually,
} from "./helpers.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});


/** Opens a controls group (closed on phones). */
async function openGroup(page, id) {
  const group = page.getByTestId(`group-${id}`);
  if ((await group.getAttribute("open")) === null) await group.locator("summary").click();
}

/** Rows of the shard table whose data-blocked is "true", by index. */
const blockedRows = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('[data-testid^="shard-row-"]')]
      .filter((r) => r.dataset.blocked === "true")
      .map((r) => Number(r.dataset.testid.replace("shard-row-", ""))),
  );

async function pillBlocksItsShard(page) {
  await pause(page);
  await openGroup(page, "function");
  // The steady scenario has no mapping: the pill adds one with AWS's defaults.
  await page.getByTestId("inject-pill").click();
  await replayed(page);
  await page.waitForFunction(
    () => /^1 injected/.test(document.querySelector('[data-testid="pills-injected"]')?.textContent ?? ""),
    null,
    { timeout: 30_000 },
  );
  await eventually(async () => assert.deepEqual(await blockedRows(page), [], "nothing is blocked before the pill is read"));
  await selectSpeed(page, "60×");
  await play(page);
  await page.waitForFunction(
    () => document.querySelector('[data-blocked="true"]'),
    null,
    { timeout: 30_000 },
  );
  const blocked = await blockedRows(page);
  assert.equal(blocked.length, 1, `one shard blocked: ${blocked}`);

  // The iterator age climbs: minute by minute the retried batch is older.
  const ages = [];
  for (const over of [60, 180]) {
    // The figure is read where it was seen: a new minute's first value can be a
    // healthy shard's, until the blocked one's retry reports.
    const seen = await page.waitForFunction(
      (over) => {
        const age = Number(document.querySelector('[data-testid="chart-iterator-age-per-minute"]').dataset.latest);
        return age > over ? age : false;
      },
      over,
      { timeout: 40_000 },
    );
    ages.push(await seen.jsonValue());
  }
  assert.ok(ages[1] > ages[0], `iterator age went from ${ages[0]} s to ${ages[1]} s`);
  await pause(page);

  // The log names the milestone; choosing it highlights the blocked shard's row.
  const entry = page.getByTestId("log-entry").filter({ hasText: "first blocked shard" }).first();
  await entry.waitFor({ timeout: 10_000 });
  await eventually(async () => assert.equal(Number(await entry.getAttribute("data-shard")), blocked[0]));
  await entry.getByRole("button").click();
  await eventually(async () => assert.equal(await page.getByTestId(`shard-row-${blocked[0]}`).getAttribute("data-highlighted"), "true"));
  await eventually(async () => assert.match(await page.getByTestId("narration").textContent(), /at \d/));
  await page.evaluate(() => window.scrollTo(0, 0));
  return blocked[0];
}

test("(a) a poison pill blocks its shard and the iterator age climbs", { timeout: 180_000 }, async () => {
  await env.withPage(desktop, "poison-pill-1280x800.png", async (page) => {
    await pillBlocksItsShard(page);
    // Pills at a rate: the page injects one every 10 simulated seconds.
    await page.getByTestId("pill-rate").selectOption("10");
    await play(page);
    await page.waitForFunction(
      () => Number(/^(\d+)/.exec(document.querySelector('[data-testid="pills-injected"]').textContent)[1]) >= 3,
      null,
      { timeout: 30_000 },
    );
    await page.getByTestId("pill-rate").selectOption("0");
    await pause(page);
    await page.evaluate(() => window.scrollTo(0, 0));
  });
});

test("(a) on a phone too, in dark mode", { timeout: 180_000 }, async () => {
  await env.withPage({ ...phone, colorScheme: "dark" }, "poison-pill-phone-390x844-dark.png", async (page) => {
    const shard = await pillBlocksItsShard(page);
    assert.ok(shard >= 0);
  });
});

test("(b) other functions' demand past the account limit throttles", { timeout: 180_000 }, async () => {
  await env.withPage(desktop, "throttles-1280x800.png", async (page) => {
    await pause(page);
    await addMapping(page);
    await setKnob(page, "account-concurrent-executions", 10);
    await setKnob(page, "other-functions-concurrency", 100);
    await eventually(async () => assert.equal(await page.getByTestId("account-concurrent-executions-error").count(), 0));
    await play(page);
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid="counter-throttles"]').dataset.value) +
          Number(document.querySelector('[data-testid="counter-other-throttles"]').dataset.value) >
        0,
      null,
      { timeout: 30_000 },
    );
    const throttles = (await counterOf(page, "throttles")) + (await counterOf(page, "other-throttles"));
    assert.ok(throttles > 0, `throttles: ${throttles}`);
    await page
      .getByTestId("log-entry")
      .filter({ hasText: /throttl/i })
      .first()
      .waitFor({ timeout: 20_000 });
    await pause(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    // The same state in the dark theme, chosen with the toggle (system, light, dark).
    const theme = page.getByTestId("theme");
    await theme.click();
    await theme.click();
    await eventually(async () => assert.equal((await theme.textContent()).trim(), "Theme: dark"));
    await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark"));
    await page.screenshot({ path: path.join(screenshots, "throttles-dark-1280x800.png") });
  });
});

test("(c) a slider changes the simulation; a refused value shows the core's message", { timeout: 180_000 }, async () => {
  await env.withPage(desktop, null, async (page) => {
    await pause(page);
    // 100 records/s into four shards: the table's incoming column sums to 100.
    await setKnob(page, "records-per-s", 100);
    await eventually(async () => assert.match(await page.getByTestId("records-per-s-value").textContent(), /^100 records\/s/));
    await selectSpeed(page, "10×");
    await play(page);
    const t0 = await clockOf(page);
    await page.waitForFunction((t0) => {
      const m = /(\d+):(\d\d):(\d\d)\.(\d\d\d)$/.exec(document.querySelector('[data-testid="clock"]').textContent);
      return m && ((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 1000 + +m[4] > t0 + 5000;
    }, t0, { timeout: 20_000 });
    await pause(page);
    const incoming = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid^="shard-row-"] td:nth-of-type(2)')]
        .map((td) => Number(td.textContent.replace(/,/g, "")))
        .reduce((a, b) => a + b, 0),
    );
    // Each shard carries its own fraction of a record from second to second, so one
    // second's total may differ from the rate by fewer records than there are shards.
    assert.ok(Math.abs(incoming - 100) <= 3, `the shards take in about 100 records/s together: ${incoming}`);

    // The slider itself, by keyboard: one step right raises the rate.
    const slider = page.getByTestId("records-per-s-slider");
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(
      () => !/^100 records/.test(document.querySelector('[data-testid="records-per-s-value"]').textContent),
    );

    // MaximumRecordAgeInSeconds of 30: AWS rejects 0 to 59, and so does the core.
    await addMapping(page);
    await setKnob(page, "maximum-record-age-in-seconds", 30);
    const error = page.getByTestId("maximum-record-age-in-seconds-error");
    await error.waitFor({ timeout: 10_000 });
    await eventually(async () => assert.match(await error.textContent(), /MaximumRecordAgeInSeconds: 30 is out of range: allowed -1 \(no limit\) or 60 to 604800/));
    await eventually(async () => assert.match(await page.getByTestId("maximum-record-age-in-seconds-value").textContent(), /no limit/));
    await error.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, "refused-value-1280x800.png") });
    // A value that is fine clears the message.
    await setKnob(page, "maximum-record-age-in-seconds", 3600);
    await eventually(async () => assert.equal(await error.count(), 0));
  });
});

test("keyboard: Tab reaches the play button and Space toggles it", { timeout: 60_000 }, async () => {
  await env.withPage(desktop, null, async (page) => {
    await pause(page);
    // From the top of the page, as a keyboard reader arrives.
    await page.getByTestId("title").click();
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.dataset?.testid === "play");
    }
    assert.ok(reached, "Tab reaches the play button");
    await page.keyboard.press("Space");
    await eventually(async () => assert.equal(await page.getByTestId("play").getAttribute("aria-pressed"), "true"));
    await page.keyboard.press("Space");
    await eventually(async () => assert.equal(await page.getByTestId("play").getAttribute("aria-pressed"), "false"));
    // A visible focus ring.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none");

    // Shortcuts outside form fields: K plays and pauses, "." steps one second.
    await page.getByTestId("title").click();
    await page.keyboard.press("k");
    await eventually(async () => assert.equal(await page.getByTestId("play").getAttribute("aria-pressed"), "true"));
    await page.keyboard.press("k");
    await eventually(async () => assert.equal(await page.getByTestId("play").getAttribute("aria-pressed"), "false"));
    const t = await clockOf(page);
    await page.keyboard.press(".");
    await eventually(async () => assert.equal(await clockOf(page), t + 1000));
  });
});

test("run to the next interesting event stops at a milestone and names it", { timeout: 120_000 }, async () => {
  await env.withPage(desktop, "next-event-1280x800.png", async (page) => {
    await pause(page);
    await page.getByTestId("scenario").selectOption({ index: 1 });
    await eventually(async () => assert.match(await page.getByTestId("scenario").locator("option:checked").textContent(), /hot partition key/));
    await pause(page);
    await page.getByTestId("seek").click();
    const notice = page.getByTestId("notice");
    await notice.waitFor({ timeout: 60_000 });
    await eventually(async () => assert.match(await notice.textContent(), /^(Stopped: .+ at \d|Nothing new went wrong)/));
    await eventually(async () => assert.equal(await page.getByTestId("play").getAttribute("aria-pressed"), "false"));
    const t = await clockOf(page);
    await page.getByTestId("step").click();
    await eventually(async () => assert.equal(await clockOf(page), Math.min(t + 1000, 3_600_000), "a step is one simulated second"));
  });
});

/** Where an element is on the page (not the viewport), in CSS px. */
const boxOf = (page, testId) =>
  page.getByTestId(testId).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y + window.scrollY, width: r.width, height: r.height };
  });

test("a first visit shows where to start; a link with a scenario, a lesson or an embed does not", { timeout: 120_000 }, async () => {
  for (const [size, options] of [["390x844", phone], ["1280x800", desktop], ["1920x1080", { viewport: { width: 1920, height: 1080 } }]]) {
    await env.withPage({ ...options, reducedMotion: "reduce" }, `first-visit-${size}.png`, async (page) => {
      const card = page.getByTestId("start-card");
      await eventually(async () => assert.ok(await card.isVisible(), "the start card shows"));
      // The paths: the incident (pill, sink, fixes, challenge), the basics, free play.
      const incident = await page.getByTestId("start-incident").locator("ol a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      assert.deepEqual(incident, ["?lesson=poison-pill", "?lesson=overflowing-sink", "?lesson=fixes-compared", "?s=challenge-poison-pill"]);
      assert.ok((await page.getByTestId("start-basics").locator("ol a").count()) >= 4, "the basic lessons listed");
      assert.ok(await page.getByTestId("start-free-play").isVisible());
      // Nothing remembered in storage.
      assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);
    });
  }
  await env.withPage({ ...desktop, reducedMotion: "reduce" }, null, async (page) => {
    // Keyboard: Tab reaches the card's first path.
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.closest('[data-testid="start-card"]') !== null);
    }
    assert.ok(reached, "Tab reaches the start card");
    // The first path opens the poison-pill lesson.
    await page.getByTestId("start-incident-go").click();
    await page.waitForURL(/lesson=poison-pill/);
    await page.getByTestId("clock").waitFor();
    await eventually(async () => assert.match(await page.getByTestId("scenario").locator("option:checked").textContent(), /poison pill/));
    assert.equal(await page.getByTestId("start-card").count(), 0, "a lesson link shows no card");
  });
  await env.withPage({ ...desktop, reducedMotion: "reduce" }, null, async (page) => {
    await page.getByTestId("start-free-play").click();
    await eventually(async () => assert.equal(await page.getByTestId("start-card").count(), 0, "free play closes it"));
    // The link now names the scenario: a reload does not show the card again.
    await page.waitForFunction(() => location.search.includes("s=steady"));
    await page.reload();
    await page.getByTestId("clock").waitFor();
    await page.waitForTimeout(300);
    assert.equal(await page.getByTestId("start-card").count(), 0, "dismissed, as the link says");
    for (const q of ["?v=1&s=hot-key", "?lesson=fixes-compared", "?v=1&s=steady&embed=1"]) {
      await page.goto(env.url + q);
      await page.getByTestId("clock").waitFor();
      await page.waitForTimeout(300);
      assert.equal(await page.getByTestId("start-card").count(), 0, `${q} shows no card`);
    }
  });
});

test("the picker marks free play, lessons and challenges", async () => {
  await env.withPage(desktop, null, async (page) => {
    const groups = await page.getByTestId("scenario").locator("optgroup").evaluateAll((gs) =>
      gs.map((g) => ({ label: g.label, options: [...g.querySelectorAll("option")].map((o) => o.textContent.trim()) })),
    );
    assert.deepEqual(groups.map((g) => g.label), ["Free play", "Lessons", "Challenges"]);
    assert.ok(groups[1].options.includes("One poison pill blocks a shard for a day"), groups[1].options.join(" | "));
    assert.ok(groups[2].options.every((o) => o.startsWith("Challenge")), groups[2].options.join(" | "));
    assert.ok(groups[0].options.includes("Steady load on four shards"));
  });
});

test("? lists the keys outside presenter mode; Escape closes the list", async () => {
  await env.withPage({ ...desktop, reducedMotion: "reduce" }, null, async (page) => {
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("?");
    const help = page.getByTestId("keys-help");
    await eventually(async () => assert.ok(await help.isVisible(), "the keys show"));
    const text = await help.textContent();
    for (const key of ["Space or K", "N", "P", "?"]) assert.ok(text.includes(key), `${key} in ${text}`);
    assert.equal(await page.getByTestId("app").getAttribute("data-present"), "false", "not presenter mode");
    await page.keyboard.press("Escape");
    await eventually(async () => assert.equal(await help.count(), 0, "Escape closes it"));
  });
});

test("on a phone the picker is near the top and the header is short and never covers the picture", async () => {
  for (const q of ["", "?v=1&s=steady"]) {
    await env.withPage(phone, q ? null : "phone-top-390x844.png", async (page) => {
      if (q) {
        await page.goto(env.url + q);
        await page.getByTestId("clock").waitFor();
      }
      const header = await page.locator(".topbar").evaluate((el) => el.getBoundingClientRect().height);
      assert.ok(header <= 100, `the header is ${header} px tall`);
      const picker = await boxOf(page, "scenario");
      // Under the start card on a first visit, right under the header otherwise.
      const most = q ? 200 : 700;
      assert.ok(picker.y <= most, `the picker is ${picker.y} px down (at most ${most})`);
      // Scrolled to the picture, the header does not cover its first lane.
      await page.getByTestId("stream-canvas").evaluate((c) => c.scrollIntoView({ block: "start" }));
      const { headerBottom, canvasTop } = await page.evaluate(() => ({
        headerBottom: document.querySelector(".topbar").getBoundingClientRect().bottom,
        canvasTop: document.querySelector('[data-testid="stream-canvas"]').getBoundingClientRect().top,
      }));
      assert.ok(headerBottom <= canvasTop + 1, `the header (bottom ${headerBottom}) covers the picture (top ${canvasTop})`);
    });
  }
});

test("knobs are labelled in words, long names break only between words, terms are explained", { timeout: 60_000 }, async () => {
  for (const options of [desktop, phone]) {
    await env.withPage({ ...options, reducedMotion: "reduce" }, null, async (page) => {
      await page.goto(`${env.url}?v=1&s=poison-pill`);
      await page.getByTestId("clock").waitFor();
      for (const id of ["stream", "producer", "mapping", "function", "account"]) await openGroup(page, id);
      const names = await page.locator(".knob-name").evaluateAll((els) =>
        els.map((el) => {
          // The visible label, without the small JSON name.
          const label = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join("");
          // Every word of the label on one line: a word cut in two has two boxes.
          const broken = [];
          for (const node of [...el.childNodes].filter((n) => n.nodeType === 3)) {
            const re = /\S+/g;
            let m;
            while ((m = re.exec(node.textContent))) {
              const range = document.createRange();
              range.setStart(node, m.index);
              range.setEnd(node, m.index + m[0].length);
              if (range.getClientRects().length > 1) broken.push(m[0]);
            }
          }
          return { label, broken };
        }),
      );
      assert.ok(names.length >= 15, `${names.length} knobs`);
      for (const { label, broken } of names) {
        assert.ok(!/_/.test(label), `a raw JSON name as the label: ${label}`);
        assert.deepEqual(broken, [], `${label} breaks mid-word`);
      }
      const labels = names.map((n) => n.label);
      for (const l of ["MaximumRecordAgeInSeconds", "Run length", "Hot key share", "Other functions' demand"]) {
        assert.ok(labels.includes(l), `${l} in ${labels.join(" | ")}`);
      }
      // The JSON name stays, small, for those AWS has no name for.
      assert.match(await page.getByTestId("knob-other-functions-concurrency").textContent(), /other_functions_concurrency/);
      // The picture's words explained under it.
      const terms = await page.getByTestId("legend-terms").textContent();
      for (const t of ["λ", "trim horizon", "one cell = N slots"]) assert.ok(terms.includes(t), `${t} in ${terms}`);
    });
  }
});

test("no chart title is cut, at 390, 1280 and 1920 px", { timeout: 60_000 }, async () => {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }, { width: 1920, height: 1080 }]) {
    await env.withPage({ viewport, reducedMotion: "reduce" }, null, async (page) => {
      await page.goto(`${env.url}?v=1&s=poison-pill`);
      await page.getByTestId("clock").waitFor();
      const charts = page.locator('canvas[data-testid^="chart-"]');
      await eventually(async () => {
        const fits = await charts.evaluateAll((cs) => cs.map((c) => [c.dataset.testid, c.dataset.titleFits]));
        assert.ok(fits.length >= 10, `${fits.length} charts`);
        for (const [id, fit] of fits) assert.equal(fit, "true", `${id} at ${viewport.width} px: its title is cut`);
      });
      // The captions above them too.
      const clipped = await page.locator(".chart-title").evaluateAll((ts) => ts.filter((t) => t.scrollWidth > t.clientWidth).map((t) => t.textContent));
      assert.deepEqual(clipped, []);
    });
  }
});

test("StreamMode, MaxRecordSizeInKiB and AT_TIMESTAMP are set on the page and carried by the link (issues 12, 15)", { timeout: 90_000 }, async () => {
  await env.withPage(desktop, null, async (page) => {
    await page.goto(`${env.url}?v=1&s=poison-pill`);
    await page.getByTestId("clock").waitFor();
    await pause(page);
    for (const id of ["stream", "mapping"]) await openGroup(page, id);
    // On demand needs AWS's starting 4 shards' worth; poison-pill has 1: refused, said why.
    await page.getByTestId("stream-mode-input").selectOption("1");
    const modeError = page.getByTestId("stream-mode-error");
    await modeError.waitFor({ timeout: 10_000 });
    assert.match(await modeError.textContent(), /stream\.ShardCount: 1 is out of range: allowed 4 to 10000 with StreamMode ON_DEMAND/);
    // Over 4 MiB while a mapping reads the stream is outside the model, and said so.
    await setKnob(page, "max-record-size-in-ki-b", 5120);
    const sizeError = page.getByTestId("max-record-size-in-ki-b-error");
    await sizeError.waitFor({ timeout: 10_000 });
    assert.match(await sizeError.textContent(), /MaxRecordSizeInKiB: 5120 with an event source mapping is not modelled: allowed 1024 to 4096 KiB/);
    await setKnob(page, "max-record-size-in-ki-b", 2048);
    await eventually(async () => assert.equal(await sizeError.count(), 0));
    // The timestamp's field shows only once the mapping starts AT_TIMESTAMP.
    assert.equal(await page.getByTestId("knob-starting-position-timestamp").count(), 0);
    await page.getByTestId("starting-position-input").selectOption("2");
    await replayed(page);
    await page.getByTestId("knob-starting-position-timestamp").waitFor({ timeout: 10_000 });
    // After the mapping's creation (the run's start) is the future AWS refuses.
    await setKnob(page, "starting-position-timestamp", 30);
    const tsError = page.getByTestId("starting-position-timestamp-error");
    await tsError.waitFor({ timeout: 10_000 });
    assert.match(await tsError.textContent(), /StartingPositionTimestamp: 30 is out of range: allowed -1767225600 to 0 s from the run's start/);
    await setKnob(page, "starting-position-timestamp", -3600);
    await eventually(async () => assert.equal(await tsError.count(), 0));
    await eventually(async () => {
      const search = await page.evaluate(() => location.search);
      assert.match(search, /maxrecord=2048/);
      assert.match(search, /start=at_timestamp&startts=-3600/);
    });
    await eventually(async () => assert.match(await page.getByTestId("starting-position-timestamp-value").textContent(), /-3,600/));
  });
});

test("UpdateShardCount is set on the page, refused past AWS's limits, and carried by the link (issue 15)", { timeout: 90_000 }, async () => {
  await env.withPage(desktop, null, async (page) => {
    await page.goto(`${env.url}?v=1&s=hot-key`);
    await page.getByTestId("clock").waitFor();
    await pause(page);
    await openGroup(page, "stream");
    // No reshard yet: the target reads none and its moment is not shown.
    assert.match(await page.getByTestId("target-shard-count-value").textContent(), /none/);
    assert.equal(await page.getByTestId("knob-reshard-at-s").count(), 0);
    // Its number box is empty and says what empty means (not the -1 that stands for it).
    const box = page.getByTestId("target-shard-count-input");
    assert.equal(await box.inputValue(), "");
    assert.equal(await box.getAttribute("placeholder"), "none");
    // More than double the open shards is not a call AWS takes: refused, said why.
    await setKnob(page, "target-shard-count", 16);
    const error = page.getByTestId("target-shard-count-error");
    await error.waitFor({ timeout: 10_000 });
    assert.match(await error.textContent(), /TargetShardCount 16 is more than double the 4 open shards: allowed 2 to 8/);
    await setKnob(page, "target-shard-count", 8);
    await eventually(async () => assert.equal(await error.count(), 0));
    await page.getByTestId("knob-reshard-at-s").waitFor({ timeout: 10_000 });
    await setKnob(page, "reshard-at-s", 30);
    await eventually(async () => assert.match(await page.evaluate(() => location.search), /reshards=30:8/));
    // Emptying the box takes the reshard away again.
    await setKnob(page, "target-shard-count", "");
    await eventually(async () => assert.match(await page.getByTestId("target-shard-count-value").textContent(), /none/));
    await eventually(async () => assert.doesNotMatch(await page.evaluate(() => location.search), /reshards=30:8/));
  });
});
