// Browser tests of two runs side by side (issue 5) and of the controls for a stream
// with several mappings (issue 4), in headless Chromium over the built site.
//
// Run from the repository root: node --test tests/browser/compare.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chooseScenario, clockMs, desktop, phone, play as playOn, replayed, start, eventually } from "./helpers.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});


/** A row of the comparison table as numbers (commas dropped), left and right. */
async function rowOf(page, id) {
  const row = page.getByTestId(`compare-row-${id}`);
  const [left, right] = await Promise.all([row.getAttribute("data-left"), row.getAttribute("data-right")]);
  return { left, right, differs: (await row.getAttribute("class"))?.includes("differs") ?? false };
}

const count = (text) => Number(text.replace(/,/g, ""));

async function pillWithAndWithoutRetryLimit(page) {
  await chooseScenario(page, "One poison pill blocks a shard");
  await page.getByTestId("open-compare").click();
  await page.getByTestId("compare").waitFor();
  const variation = page.getByTestId("compare-variation");
  const label = await variation.evaluate(
    (el) => [...el.options].find((o) => o.textContent.startsWith("MaximumRetryAttempts"))?.textContent,
  );
  assert.ok(label, "MaximumRetryAttempts is one of the comparisons offered");
  await variation.selectOption({ label });
  await eventually(async () => assert.match(await page.getByTestId("compare-left").textContent(), /until expiry/));
  await eventually(async () => assert.match(await page.getByTestId("compare-right").textContent(), /MaximumRetryAttempts 2/));
  await page.getByTestId("compare-speed").selectOption({ label: "3,600×" });
  await page.getByTestId("compare-play").click();
  // Ten simulated minutes: the pill arrives at 00:01:00 and the limited side gives up
  // on its batch after three tries.
  await page.waitForFunction(
    () => {
      const t = document.querySelector('[data-testid="compare-clock"]')?.textContent ?? "";
      const m = /^(\d+):(\d\d):(\d\d)/.exec(t);
      return m && Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) >= 600;
    },
    null,
    { timeout: 60_000 },
  );
  await page.getByTestId("compare-play").click();
  const clock = (await page.getByTestId("compare-clock").textContent()).split(" of ")[0];
  assert.ok(clockMs(clock) >= 600_000, `both runs reached ten minutes: ${clock}`);

  const written = await rowOf(page, "records-written");
  assert.equal(written.left, written.right, "one seed: both sides write the same records");
  assert.equal(written.differs, false);
  const givenUp = await rowOf(page, "given-up-no-destination");
  assert.equal(count(givenUp.left), 0, "retrying until expiry gives nothing up in ten minutes");
  assert.ok(count(givenUp.right) > 0, `MaximumRetryAttempts 2 gives the batch up: ${givenUp.right}`);
  assert.ok(givenUp.differs);
  const processed = await rowOf(page, "processed-successfully");
  assert.ok(
    count(processed.right) > count(processed.left),
    `the unblocked side processes more: ${processed.left} against ${processed.right}`,
  );
  await eventually(async () => assert.match(await page.getByTestId("compare-summary").textContent(), /differ/));
}

test("compare: the same seed with and without a retry limit, in lockstep, at 1280x800", async () => {
  await env.withPage(desktop, "compare-retry-limit-1280x800.png", async (page) => {
    await pillWithAndWithoutRetryLimit(page);
  });
});

test("compare: on a phone the runs stack and the table still reads, 390x844 dark", async () => {
  await env.withPage({ ...phone, colorScheme: "dark" }, "compare-phone-390x844-dark.png", async (page) => {
    await pillWithAndWithoutRetryLimit(page);
    const [left, right] = await Promise.all(
      ["compare-left", "compare-right"].map((id) => page.getByTestId(id).boundingBox()),
    );
    assert.ok(right.y >= left.y + left.height - 1, "the right run sits under the left one");
    // Back to the playground, where the run is paused where it was.
    await page.getByTestId("compare-close").click();
    await page.getByTestId("stream-canvas").waitFor();
  });
});

test("several mappings: the controls set the mapping chosen", async () => {
  await env.withPage(desktop, null, async (page) => {
    await chooseScenario(page, "The fixes compared");
    const target = page.getByTestId("target-mapping");
    await target.waitFor();
    const options = await target.locator("option").allTextContents();
    assert.ok(options.length >= 3, `one choice per mapping: ${options}`);
    const bisect = page.getByTestId("bisect-batch-on-function-error-value");
    const shownFor = async (name) => {
      const label = options.find((o) => o.endsWith(`: ${name}`));
      assert.ok(label, `a mapping for the function ${name}: ${options}`);
      await target.selectOption({ label });
      return (await bisect.textContent()).trim();
    };
    const withBisect = await shownFor("bisect");
    const first = options[0].split(": ")[1];
    const without = await shownFor(first);
    assert.notEqual(withBisect, without, "each mapping shows its own BisectBatchOnFunctionError");
    // A change goes to the mapping chosen, and only to it.
    await target.selectOption({ index: 0 });
    const batch = page.getByTestId("batch-size-input");
    await batch.fill("7");
    await batch.press("Enter");
    await replayed(page);
    await eventually(async () => assert.equal(await page.getByTestId("batch-size-input").inputValue(), "7"));
    await target.selectOption({ index: 1 });
    await eventually(async () => assert.notEqual(await page.getByTestId("batch-size-input").inputValue(), "7"));
  });
});

test("controls: a number half typed survives the page's re-renders while it plays", async () => {
  await env.withPage(desktop, null, async (page) => {
    await chooseScenario(page, "The fixes compared");
    await replayed(page);
    // Clicks until the page says it plays (a click while it settles can be lost).
    await playOn(page);
    const play = page.getByTestId("play");
    const batch = page.getByTestId("batch-size-input");
    await batch.fill("12");
    // The page re-renders ten times a second while it plays.
    await page.waitForTimeout(800);
    await eventually(async () => assert.equal(await batch.inputValue(), "12", "the typing is still there"));
    await eventually(async () => assert.equal(await play.getAttribute("aria-pressed"), "true", "and the page kept playing"));
  });
});
