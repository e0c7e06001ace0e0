/**
 * A real browser for the console's tests: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), headless, with a fresh profile, and with the switches that keep it from calling out on a closed
 * network. Each test's screenshots go to test-results/console/.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { ROOT } from "./system";
import { tempDir } from "./temp";

export const CHROMIUM = process.env.PASSERELLE_CHROMIUM ?? "/usr/bin/chromium";
export const SCREENSHOTS = join(ROOT, "test-results", "console");

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does), or set PASSERELLE_CHROMIUM`);
  }
  const profile = tempDir("passerelle-chromium-");
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    locale: "fr-FR",
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      profile.remove();
    },
  };
}

/** The whole page, or what the window shows (`fullPage: false`, for a page as long as a feed). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** axe-core in the page, WCAG 2.1 A and AA rules: the violations that are serious or critical. */
export async function seriousViolations(page: Page): Promise<{ id: string; help: string; nodes: number }[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({ id: violation.id, help: violation.help, nodes: violation.nodes.length }));
}
