/**
 * The console as a hospital's browser meets it, on `npm start`'s demo data in headless Chromium: the JavaScript
 * the first page (the dashboard) ships, gzipped, against its 300 KB budget; and the time until the dashboard
 * shows its figures, against the time the same figures take the API alone (the page's own query, sent from
 * Node): what the browser, the bundle and React add.
 */
import { gzipSync } from "node:zlib";
import { openBrowser } from "../test/support/browser";
import { graphql, startSystem } from "../test/support/system";
import type { BenchResult } from "./report";

const BUDGET_KB = 300;

/** The dashboard's figures query, as the console sends it (console/src/pages/dashboard.tsx). */
const DASHBOARD = `query ($months: Int!) {
  proposed: partnerships(filter: { status: PROPOSED }, first: 1) { totalCount }
  active: partnerships(filter: { status: ACTIVE }, first: 1) { totalCount }
  suspended: partnerships(filter: { status: SUSPENDED }, first: 100) { totalCount edges { node { id title suspendedSince } } }
  terminated: partnerships(filter: { status: TERMINATED }, first: 1) { totalCount }
  institutionsByCountry { country partnerships }
  all: partnerships(first: 100) { edges { node { id agreement { signed renewals } parties { id name } } } }
  reviewReminders(expiringWithinMonths: $months) {
    reviewsOverdue { partnership { id title } lastReviewOn signedOn }
    expiring { partnership { id title } expiresOn }
  }
}`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function consoleBenchmarks(rounds: number): Promise<BenchResult[]> {
  const system = await startSystem();
  const browser = await openBrowser();
  try {
    const origin = system.url.replace(/\/graphql$/, "");
    const token = system.tokens.editor!;
    const page = await browser.newPage();
    // Signed in once; each round then loads the dashboard afresh with an empty cache.
    await page.goto(`${origin}/`);
    await page.evaluate((t) => sessionStorage.setItem("passerelle.token", t), token);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    const scripts = new Map<string, number>();
    page.on("response", async (response) => {
      if (response.request().resourceType() !== "script") return;
      scripts.set(response.url(), gzipSync(await response.body(), { level: 9 }).length);
    });
    const browserMs: number[] = [];
    const apiMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      await page.goto(`${origin}/`);
      await page.locator("[data-figure=active] dd").waitFor();
      browserMs.push(performance.now() - started);
      const asked = performance.now();
      const answer = await graphql(system.url, DASHBOARD, { token, variables: { months: 6 } });
      if (answer.errors) throw new Error(`the dashboard's query failed: ${JSON.stringify(answer.errors)}`);
      apiMs.push(performance.now() - asked);
    }
    const shippedKb = [...scripts.values()].reduce((sum, bytes) => sum + bytes, 0) / 1024;
    const notes =
      "Chromium (Debian) headless, cache disabled, one page signed in; gzip level 9 computed here: the gateway serves the files uncompressed";
    return [
      {
        name: "console JavaScript, first page",
        ratioOf: `gzipped JavaScript the dashboard loads ÷ the ${BUDGET_KB} KB budget`,
        ratio: shippedKb / BUDGET_KB,
        goal: { op: "<=", value: 1 },
        figures: { "shipped KB (gzip)": Math.round(shippedKb * 10) / 10, scripts: scripts.size },
        notes,
      },
      {
        name: "console, dashboard figures shown",
        ratioOf: "time until the dashboard shows its figures in the browser ÷ the same query from Node",
        ratio: median(browserMs) / median(apiMs),
        goal: null,
        figures: { "browser p50 ms": Math.round(median(browserMs)), "API p50 ms": Math.round(median(apiMs)), rounds },
        notes,
      },
    ];
  } finally {
    await browser.close();
    await system.stop();
  }
}
