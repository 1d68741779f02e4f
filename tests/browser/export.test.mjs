// Browser tests of export and the AWS bridge (issue 6), in headless Chromium over the
// built site: the stream picture and a chart download as valid PNG and SVG, the run's
// report as the command-line runner's JSON; the settings show as `aws` commands and
// CloudFormation in a dialog wide enough that they never scroll sideways; a pasted
// get-event-source-mapping response loads (its region and account kept in every ARN
// written back), list-event-source-mappings output loads with the mapping chosen,
// and a broken paste is refused with the reason.
//
// Run from the repository root: node --test tests/browser/export.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { clockOf, pause, replayed, screenshots, start, eventually } from "./helpers.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const desktop = { viewport: { width: 1280, height: 900 } };

async function openGroup(page, id) {
  const group = page.getByTestId(`group-${id}`);
  if ((await group.getAttribute("open")) === null) await group.locator("summary").click();
}

/** Clicks `testId` and returns the download's file name and bytes. */
async function download(page, testId) {
  const [d] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  await eventually(async () => assert.equal(await d.failure(), null, `${testId} downloaded`));
  return { name: d.suggestedFilename(), bytes: await readFile(await d.path()) };
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function assertPng({ name, bytes }) {
  assert.match(name, /\.png$/);
  assert.ok(bytes.subarray(0, 8).equals(PNG), `${name} is a PNG`);
  // IHDR: width and height, big-endian, after the signature and chunk header.
  const w = bytes.readUInt32BE(16);
  const h = bytes.readUInt32BE(20);
  assert.ok(w >= 200 && h >= 50, `${name} is ${w}x${h}`);
}

async function assertSvg(page, { name, bytes }) {
  assert.match(name, /\.svg$/);
  const text = bytes.toString("utf8");
  assert.ok(text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), text.slice(0, 80));
  assert.ok(!text.includes("<image"), "vectors, not a bitmap");
  // The browser's own XML parser accepts it.
  const error = await page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, "image/svg+xml");
    return doc.querySelector("parsererror")?.textContent ?? null;
  }, text);
  assert.equal(error, null, `${name} parses as XML`);
  return text;
}

test("the picture and a chart download as PNG and SVG, the report as JSON", async () => {
  await env.withPage(desktop, null, async (page) => {
    await page.goto(`${env.url}?v=1&s=poison-pill&t=900`);
    await page.getByTestId("clock").waitFor();
    await replayed(page);
    await pause(page);
    await openGroup(page, "export");
    const stem = "kinesis-playground-poison-pill-900s";

    const streamPng = await download(page, "export-stream-png");
    assert.equal(streamPng.name, `${stem}-stream.png`);
    assertPng(streamPng);
    const streamSvg = await download(page, "export-stream-svg");
    assert.equal(streamSvg.name, `${stem}-stream.svg`);
    const svg = await assertSvg(page, streamSvg);
    assert.ok(svg.includes(">shard 0<"), "the lanes are labelled");

    await page.getByTestId("export-chart").selectOption({ index: 0 });
    assertPng(await download(page, "export-chart-png"));
    const chartSvg = await download(page, "export-chart-svg");
    assert.equal(chartSvg.name, `${stem}-iterator-age-per-second.svg`);
    const chart = await assertSvg(page, chartSvg);
    assert.ok(chart.includes("Iterator age"), "titled");
    assert.ok(chart.includes("<polyline"), "a line");

    const report = await download(page, "export-report");
    assert.equal(report.name, `${stem}-report.json`);
    const json = JSON.parse(report.bytes.toString("utf8"));
    assert.equal(json.seed, 7);
    assert.equal(typeof json.totals.records_put, "number");
    assert.ok(json.totals.records_put > 0);
    assert.ok(Array.isArray(json.event_source_mappings));
    assert.ok(json.milestones.some((m) => m.milestone === "first blocked shard"), JSON.stringify(json.milestones));
    // The same report the page's counters show.
    assert.equal(
      json.totals.invocations,
      Number(await page.getByTestId("counter-invocations").getAttribute("data-value")),
    );
    await eventually(async () => assert.equal(await page.getByTestId("export-error").count(), 0));
  });
});

/** A get-event-source-mapping response as the AWS CLI prints it. */
const REAL = {
  UUID: "2b733gdc-8ac3-cdf5-af3a-1827b3b11284",
  StartingPosition: "TRIM_HORIZON",
  BatchSize: 250,
  MaximumBatchingWindowInSeconds: 5,
  ParallelizationFactor: 2,
  EventSourceArn: "arn:aws:kinesis:us-east-2:123456789012:stream/payments",
  FunctionArn: "arn:aws:lambda:us-east-2:123456789012:function:book-payments",
  LastModified: 1766390400.0,
  LastProcessingResult: "OK",
  State: "Enabled",
  StateTransitionReason: "User action",
  DestinationConfig: { OnFailure: { Destination: "arn:aws:sqs:us-east-2:123456789012:payments-dlq" } },
  MaximumRecordAgeInSeconds: 3600,
  BisectBatchOnFunctionError: true,
  MaximumRetryAttempts: 5,
  TumblingWindowInSeconds: 0,
  FunctionResponseTypes: ["ReportBatchItemFailures"],
};

test("the AWS bridge shows the settings and loads a pasted configuration", async () => {
  await env.withPage(desktop, null, async (page) => {
    await page.goto(`${env.url}?v=1&s=poison-pill&batch=50`);
    await page.getByTestId("clock").waitFor();
    await pause(page);
    await openGroup(page, "aws");
    await page.getByTestId("aws-open").click();
    await eventually(async () => assert.ok(await page.getByTestId("aws-dialog").isVisible(), "the bridge opens in a dialog"));
    // Room: at 1280 px neither text scrolls sideways.
    for (const id of ["aws-cli", "aws-cfn"]) {
      const { scroll, client } = await page.getByTestId(id).evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      assert.ok(scroll <= client, `${id} scrolls sideways: ${scroll} > ${client}`);
      assert.ok(client >= 900, `${id} has room: ${client} px`);
    }
    await page.screenshot({ path: path.join(screenshots, "aws-bridge-1280.png") });
    const cli = await page.getByTestId("aws-cli").textContent();
    assert.ok(cli.includes("aws kinesis create-stream --stream-name"), cli);
    assert.ok(cli.includes("aws lambda create-event-source-mapping"), cli);
    assert.ok(cli.includes("--batch-size 50"), "the page's own settings");
    const cfn = await page.getByTestId("aws-cfn").textContent();
    assert.ok(cfn.includes("Type: AWS::Lambda::EventSourceMapping") && cfn.includes("BatchSize: 50"), cfn);

    // Copy: the clipboard holds exactly the text shown.
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByTestId("copy-cli").click();
    await eventually(async () => assert.equal(await page.getByTestId("copied-cli").textContent(), "Copied."));
    await eventually(async () => assert.equal(await page.evaluate(() => navigator.clipboard.readText()), cli));

    // A broken paste: the reason, and nothing changes.
    await page.getByTestId("aws-paste").fill('{"BatchSize": "ten"}');
    await page.getByTestId("aws-load").click();
    await eventually(async () => assert.match(await page.getByTestId("aws-error").textContent(), /BatchSize: "ten" is not a whole number/));
    await page.getByTestId("aws-paste").fill("<img src=x onerror=alert(1)>");
    await page.getByTestId("aws-load").click();
    await eventually(async () => assert.match(await page.getByTestId("aws-error").textContent(), /the pasted text is not JSON/));

    // A real response: loaded and replayed.
    const t = await clockOf(page);
    await page.getByTestId("aws-paste").fill(JSON.stringify(REAL, null, 2));
    await page.getByTestId("aws-load").click();
    await replayed(page);
    await eventually(async () => assert.match(await page.getByTestId("aws-loaded").textContent(), /Not modelled, so ignored: .*UUID/));
    await eventually(async () => assert.equal(await page.getByTestId("batch-size-input").inputValue(), "250"));
    await eventually(async () => assert.equal(await clockOf(page), t, "replayed to the same moment"));
    const after = await page.getByTestId("aws-cli").textContent();
    for (const needle of [
      "--batch-size 250",
      "--parallelization-factor 2",
      "--maximum-retry-attempts 5",
      "--bisect-batch-on-function-error",
      "--function-response-types ReportBatchItemFailures",
      "payments-dlq",
      "--function-name book-payments",
      // The pasted region and account, not the playground's own.
      "--event-source-arn arn:aws:kinesis:us-east-2:123456789012:stream/payments",
    ]) {
      assert.ok(after.includes(needle), `${needle} in ${after}`);
    }
    assert.ok(!after.includes("us-east-1"), `no other region in ${after}`);
    assert.match(await page.getByTestId("aws-place").textContent(), /region us-east-2 and account 123456789012, from the configuration you pasted/);
    // And the address bar carries it.
    await page.waitForFunction(() => location.search.includes("batch=250"));
  });
});

const EU = (name, uuid, batch) => ({
  UUID: uuid,
  StartingPosition: "LATEST",
  BatchSize: batch,
  EventSourceArn: `arn:aws:kinesis:eu-west-1:210987654321:stream/${name}`,
  FunctionArn: `arn:aws:lambda:eu-west-1:210987654321:function:${name}-fn`,
  DestinationConfig: { OnFailure: {} },
});

test("list-event-source-mappings output loads, the mapping chosen when it lists several", async () => {
  await env.withPage(desktop, null, async (page) => {
    await page.goto(`${env.url}?v=1&s=poison-pill`);
    await page.getByTestId("clock").waitFor();
    await pause(page);
    await openGroup(page, "aws");
    await page.getByTestId("aws-open").click();
    const paste = async (value) => {
      await page.getByTestId("aws-paste").fill(JSON.stringify(value));
    };
    // Empty: said so.
    await paste({ EventSourceMappings: [] });
    await page.getByTestId("aws-load").click();
    await eventually(async () => assert.match(await page.getByTestId("aws-error").textContent(), /the list is empty/));
    // Several: a choice appears, and the one chosen loads.
    await paste({ EventSourceMappings: [EU("orders", "u-1", 40), EU("clicks", "u-2", 70)] });
    const choose = page.getByTestId("aws-choose");
    await eventually(async () => assert.deepEqual(
      (await choose.locator("option").allTextContents()).map((t) => t.trim()),
      ["orders-fn on orders (u-1)", "clicks-fn on clicks (u-2)"],
    ));
    await choose.selectOption({ label: "clicks-fn on clicks (u-2)" });
    await page.getByTestId("aws-load").click();
    await replayed(page);
    await eventually(async () => assert.match(await page.getByTestId("aws-loaded").textContent(), /Loaded/));
    await eventually(async () => assert.equal(await page.getByTestId("batch-size-input").inputValue(), "70"));
    const cli = await page.getByTestId("aws-cli").textContent();
    assert.ok(cli.includes("--event-source-arn arn:aws:kinesis:eu-west-1:210987654321:stream/clicks"), cli);
    assert.ok(!cli.includes("us-east-1"), cli);
  });
});
