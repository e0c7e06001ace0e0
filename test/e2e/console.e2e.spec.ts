/**
 * The console in a real browser (Debian's Chromium through playwright-core) against `npm start`'s system and
 * demo data: what each page shows is what the API answers, the role decides what is shown, every page passes
 * axe-core's WCAG 2.1 AA rules without a serious or critical violation, and it works with the keyboard alone.
 * Each test saves a screenshot under test-results/console/.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { openBrowser, screenshot, seriousViolations, type Browser } from "../support/browser";
import { graphql, startSystem, type RunningSystem } from "../support/system";

let system: RunningSystem;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  system = await startSystem();
  origin = system.url.replace(/\/graphql$/, "");
  browser = await openBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const ROLE_LABELS: Record<string, string> = { editor: "éditeur", auditor: "auditeur", analyst: "analyste" };

const MILESTONE = `mutation ($c: ID!, $p: ID!, $s: String!) {
  recordMilestone(commandId: $c, input: { partnershipId: $p, occurredOn: "2026-11", summary: $s }) { position } }`;
let milestones = 0;
/** An event appended behind the console's back, as another editor would; its position. */
async function milestone(partnershipId: string): Promise<string> {
  const n = (milestones += 1);
  const answer = await api<{ recordMilestone: { position: string } }>(MILESTONE, "editor", {
    c: `console-test-milestone-${n}`,
    p: partnershipId,
    s: `Étape ${n}`,
  });
  return answer.recordMilestone.position;
}

/** The positions the journal shows, newest first. */
const shownPositions = async (page: Page) =>
  await page.locator("ol.journal li").evaluateAll((items) => items.map((li) => li.getAttribute("data-position")!));

/** Opens the console at `path` signed in as `role`, through the sign-in page's role picker. */
async function signedIn(role: keyof typeof ROLE_LABELS, path = "/"): Promise<Page> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  (page as unknown as { problems: string[] }).problems = problems;
  // Every test starts as a newcomer: French, nobody signed in.
  await page.goto(`${origin}/`);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${origin}${path}`);
  await page.getByRole("button", { name: `Se connecter comme ${ROLE_LABELS[role]}`, exact: true }).click();
  return page;
}

const problemsOf = (page: Page) => (page as unknown as { problems: string[] }).problems;

const api = async <T>(query: string, role: string, variables: Record<string, unknown> = {}) => {
  const answer = await graphql<T>(system.url, query, { token: system.tokens[role]!, variables });
  expect(answer.errors).toBeUndefined();
  return answer.data!;
};

describe("the console", () => {
  it("serves the built console at / with a policy that allows nothing from elsewhere; GraphiQL stays at /graphql", async () => {
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(await page.text()).toContain('<html lang="fr">');
    const route = await fetch(`${origin}/partenariats/limoges-china-hospital-governance`);
    expect(route.status).toBe(200);
    const graphiql = await fetch(`${origin}/graphql`, { headers: { accept: "text/html" } });
    expect(await graphiql.text()).toMatch(/graphiql/i);
    expect((await fetch(`${origin}/assets/missing.js`)).status).toBe(404);
    // The role picker's tokens are listed to loopback clients (this test is one) and are npm start's own.
    const tokens = (await (await fetch(`${origin}/console/dev-tokens`)).json()) as Record<string, string>;
    expect(tokens.editor).toBe(system.tokens.editor);
  });

  it("tableau de bord: the figures are the API's, the agenda lists what is due, in French", async () => {
    const page = await signedIn("editor");
    await page.locator("[data-figure=active] dd").waitFor();
    const figure = async (name: string) => Number(await page.locator(`[data-figure=${name}] dd`).textContent());
    const counts = await api<Record<string, { totalCount: number }>>(
      `{ proposed: partnerships(filter: { status: PROPOSED }, first: 1) { totalCount }
         active: partnerships(filter: { status: ACTIVE }, first: 1) { totalCount }
         suspended: partnerships(filter: { status: SUSPENDED }, first: 1) { totalCount }
         terminated: partnerships(filter: { status: TERMINATED }, first: 1) { totalCount } }`,
      "editor",
    );
    for (const status of ["proposed", "active", "suspended", "terminated"]) {
      expect({ status, shown: await figure(status) }).toEqual({ status, shown: counts[status]!.totalCount });
    }
    const countries = await api<{ institutionsByCountry: { country: string | null; partnerships: number }[] }>(
      "{ institutionsByCountry { country partnerships } }",
      "editor",
    );
    const countryCount = new Set(
      countries.institutionsByCountry.filter((c) => c.country && c.partnerships > 0).map((c) => c.country),
    ).size;
    expect(await page.locator("[data-figure=countries]").textContent()).toBe(`${countryCount} pays`);
    // « N MoU signés, dont M renouvelés » per institution, as the API's agreements add up.
    const all = await api<{
      partnerships: {
        edges: { node: { agreement: { signed: number; renewals: number } | null; parties: { id: string }[] } }[];
      };
    }>("{ partnerships(first: 100) { edges { node { agreement { signed renewals } parties { id } } } } }", "editor");
    const limoges = all.partnerships.edges
      .filter((e) => e.node.agreement && e.node.parties.some((p) => p.id === "chu-limoges"))
      .reduce(
        (sum, e) => ({
          signed: sum.signed + e.node.agreement!.signed,
          renewed: sum.renewed + e.node.agreement!.renewals,
        }),
        {
          signed: 0,
          renewed: 0,
        },
      );
    expect(limoges.signed).toBeGreaterThan(0);
    await expect(page.locator("[data-institution=chu-limoges]").textContent()).resolves.toContain(
      `${limoges.signed} MoU signé${limoges.signed > 1 ? "s" : ""}, dont ${limoges.renewed} renouvelé`,
    );
    // The commission's agenda: the suspensions still open, as the API lists them.
    const suspended = await api<{ partnerships: { edges: { node: { title: string } }[] } }>(
      "{ partnerships(filter: { status: SUSPENDED }, first: 100) { edges { node { title } } } }",
      "editor",
    );
    const listed = await page.locator("[data-list=suspended] li a").allTextContents();
    expect(listed).toEqual(suspended.partnerships.edges.map((e) => e.node.title));
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Tableau de bord");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "tableau-de-bord");
    expect(problemsOf(page)).toEqual([]);
    // The check can fail: a button without a name is a critical violation.
    await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", "<button></button>"));
    expect((await seriousViolations(page)).map((violation) => violation.id)).toContain("button-name");
    await page.close();
  });

  it("partenariats: the list filters by country and status, and reads in English too", async () => {
    const page = await signedIn("editor", "/partenariats");
    await page.getByRole("heading", { name: "Partenariats" }).waitFor();
    await page.getByLabel("Pays", { exact: true }).selectOption("CN");
    const chinese = await api<{ partnerships: { totalCount: number } }>(
      '{ partnerships(filter: { country: "CN" }, first: 1) { totalCount } }',
      "editor",
    );
    await expect(page.locator(".partnerships li").count()).resolves.toBe(chinese.partnerships.totalCount);
    expect(await page.locator(".partnerships").textContent()).toContain("CHU de Limoges - Chinese hospitals");
    // The map: every partner country drawn as a button, China chosen.
    const everyCountry = await api<{ partnerships: { edges: { node: { countries: string[] } }[] } }>(
      "{ partnerships(first: 100) { edges { node { countries } } } }",
      "editor",
    );
    const partnerCountries = new Set(everyCountry.partnerships.edges.flatMap((e) => e.node.countries));
    const drawn = await page
      .locator("svg path[data-country]")
      .evaluateAll((paths) => paths.map((p) => p.getAttribute("data-country")));
    // Every drawn partner is a partner; the 1:110m shapes leave out only micro-states.
    expect(drawn.every((code) => partnerCountries.has(code!))).toBe(true);
    expect(drawn.length).toBeGreaterThanOrEqual(partnerCountries.size - 3);
    expect(await page.locator('svg path[data-country="CN"]').getAttribute("aria-pressed")).toBe("true");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "partenariats-chine");
    // Choosing a country on the map filters the list, as the select does.
    await page.locator('svg path[data-country="SN"]').click();
    expect(await page.getByLabel("Pays", { exact: true }).inputValue()).toBe("SN");
    const senegal = await api<{ partnerships: { totalCount: number } }>(
      '{ partnerships(filter: { country: "SN" }, first: 1) { totalCount } }',
      "editor",
    );
    await expect(page.locator(".partnerships li").count()).resolves.toBe(senegal.partnerships.totalCount);
    await page.getByRole("button", { name: "Switch to English" }).click();
    await page.getByRole("heading", { name: "Partnerships" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await page.close();
  });

  it("fiche Limoges–Chine: the October 2013 delegation of 8 doctors on the timeline, with its quote", async () => {
    const page = await signedIn("auditor", "/partenariats/limoges-china-hospital-governance");
    const fact = page.locator("ol.facts li", { hasText: "Délégation accueillie" });
    await fact.waitFor();
    // At the precision the ledger holds: a day.
    expect(await fact.locator("time").getAttribute("datetime")).toBe("2013-10-26");
    expect(await fact.locator("time").textContent()).toBe("26 octobre 2013");
    expect(await fact.locator("blockquote").textContent()).toContain(
      "le CHU de Limoges accueille une délégation de 8 médecins chinois",
    );
    // The cooperation known only by its year is a year-long band, not a point.
    expect(await page.locator('.timeline svg [data-precision="year"] rect').count()).toBeGreaterThan(0);
    expect(await page.getByRole("heading", { name: "Historique du registre" }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "fiche-limoges-chine");
    expect(problemsOf(page)).toEqual([]);
    await page.close();
  });

  it("voyage dans le temps Amiens–Assouan: the Covid suspension uncertain in March 2020, certain at the end of 2020", async () => {
    const page = await signedIn("auditor", "/partenariats/amiens-aswan-antibiotic-stewardship");
    const field = page.getByLabel("Date métier (AAAA, AAAA-MM ou AAAA-MM-JJ)");
    await field.fill("2020-03");
    await page.getByRole("button", { name: "Afficher" }).click();
    const suspension = page.locator('[data-as-of] li[data-type="PartnershipSuspended"]');
    await suspension.waitFor();
    expect(await suspension.getAttribute("data-reading")).toBe("UNCERTAIN");
    expect(await suspension.textContent()).toContain("incertain");
    await screenshot(page, "voyage-amiens-mars-2020");
    await field.fill("2020-12-31");
    await page.getByRole("button", { name: "Afficher" }).click();
    await page.locator('[data-as-of] li[data-type="PartnershipSuspended"][data-reading="APPLIED"]').waitFor();
    expect(await page.locator("[data-status-as-of]").textContent()).toBe("suspendu");
    await screenshot(page, "voyage-amiens-fin-2020");
    // A date the ledger cannot hold is refused beside its field, not in a banner.
    await field.fill("2020-13");
    await page.getByRole("button", { name: "Afficher" }).click();
    const error = page.locator("#as-of-date-error");
    await error.waitFor();
    expect(await error.textContent()).toContain("YYYY, YYYY-MM or YYYY-MM-DD");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    expect(await field.getAttribute("aria-describedby")).toBe("as-of-date-error");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "voyage-date-refusee");
    await page.close();
  });

  it("an analyst has no history page, no time travel, no integrity check (the API refuses them too)", async () => {
    const page = await signedIn("analyst", "/partenariats/limoges-china-hospital-governance");
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page.getByRole("heading", { name: "Frise chronologique" }).waitFor();
    for (const name of ["Historique du registre", "Voyage dans le temps", "Intégrité"]) {
      expect({ name, count: await page.getByRole("heading", { name }).count() }).toEqual({ name, count: 0 });
    }
    const refused = await graphql(
      system.url,
      '{ partnership(id: "limoges-china-hospital-governance") { history(first: 1) { edges { node { position } } } } }',
      {
        token: system.tokens.analyst!,
      },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "fiche-analyste");
    await page.close();
  });

  it("statistiques: each chart's figures are the API's, and its CSV is what it draws", async () => {
    const page = await signedIn("analyst", "/statistiques");
    const byCountry = page.locator('[data-chart="partenariats-par-pays"]');
    await byCountry.waitFor();
    const stats = await api<{ statistics: { key: string; value: number }[] }>(
      '{ statistics(dimension: COUNTRY, metric: "partnerships") { key value } }',
      "analyst",
    );
    const shown = await byCountry
      .locator("tbody tr")
      .evaluateAll((rows) =>
        rows.map((row) => [row.getAttribute("data-key"), Number(row.querySelector("td")!.textContent)]),
      );
    expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(stats.statistics.map((row) => [row.key, row.value])));
    const [file] = await Promise.all([
      page.waitForEvent("download"),
      byCountry.getByRole("button", { name: "Télécharger en CSV" }).click(),
    ]);
    expect(file.suggestedFilename()).toBe("partenariats-par-pays.csv");
    const csv = readFileSync((await file.path())!, "utf8")
      .trim()
      .split("\r\n");
    expect(csv[0]).toBe("key,label,partenariats");
    expect(csv.slice(1).map((line) => [line.split(",")[0], Number(line.split(",").at(-1))])).toEqual(shown);
    for (const chart of [
      "accords-par-annee",
      "activites-par-annee",
      "partenariats-par-theme",
      "activites-par-type",
      "financements-par-financeur",
    ]) {
      expect({ chart, bars: await page.locator(`[data-chart="${chart}"] rect.bar`).count() }).not.toEqual({
        chart,
        bars: 0,
      });
    }
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "statistiques");
    await page.close();
  });

  it("saisie: an editor signs an agreement through the form, once for a double click, and the feed shows it", async () => {
    const feed = await signedIn("analyst", "/journal");
    await feed.locator("ol.journal li").first().waitFor();
    const page = await signedIn("editor", "/saisie");
    await page.getByLabel("Commande").selectOption("sign");
    await page.getByLabel("Partenariat").selectOption("limoges-china-hospital-governance");
    await page.getByLabel(/^Signé le/).fill("2026-11");
    await page.getByLabel(/^Expire le/).fill("2031-11");
    await screenshot(page, "saisie-signature");
    const before = await api<{ partnership: { revision: number } }>(
      '{ partnership(id: "limoges-china-hospital-governance") { revision } }',
      "editor",
    );
    await page.getByRole("button", { name: "Enregistrer" }).dblclick();
    const recorded = page.locator("[data-position]", { hasText: "Enregistré" });
    await recorded.waitFor();
    const position = await recorded.getAttribute("data-position");
    const after = await api<{ partnership: { revision: number; agreement: { signedOn: string } } }>(
      '{ partnership(id: "limoges-china-hospital-governance") { revision agreement { signedOn } } }',
      "editor",
    );
    // One event for two clicks: the revision moved by one.
    expect(after.partnership.revision).toBe(before.partnership.revision + 1);
    expect(after.partnership.agreement.signedOn).toBe("2026-11");
    // The feed, open in another page, shows the event live.
    await feed.locator(`ol.journal li[data-position="${position}"][data-type="MoUSigned"]`).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(await seriousViolations(feed)).toEqual([]);
    await screenshot(feed, "journal-signature", false);
    await page.close();
    await feed.close();
  });

  it("saisie: a bad date is refused beside its field; a change made meanwhile is a conflict, offered to reload", async () => {
    const page = await signedIn("editor", "/saisie");
    await page.getByLabel("Commande").selectOption("sign");
    await page.getByLabel("Partenariat").selectOption("angers-djibouti-paediatric-diabetology");
    const signedOn = page.getByLabel(/^Signé le/);
    await signedOn.fill("2026-13");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    const error = page.locator(".field", { has: signedOn }).locator(".field-error");
    await error.waitFor();
    expect(await error.textContent()).toContain("YYYY, YYYY-MM or YYYY-MM-DD");
    expect(await signedOn.getAttribute("aria-invalid")).toBe("true");
    expect(await signedOn.getAttribute("aria-describedby")).toBe(await error.getAttribute("id"));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "saisie-date-refusee");
    // Another editor records a milestone on it while the form is open.
    await milestone("angers-djibouti-paediatric-diabetology");
    await signedOn.fill("2026-10");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    const conflict = page.getByRole("alert").filter({ hasText: "Quelqu’un a modifié ce partenariat entre-temps" });
    await conflict.waitFor();
    await screenshot(page, "saisie-conflit");
    await conflict.getByRole("button", { name: "Recharger" }).click();
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await page.locator("[data-position]", { hasText: "Enregistré" }).waitFor();
    await page.close();
  });

  it("journal: after a reload it resumes from the last position it showed, with no gap and no duplicate", async () => {
    const page = await signedIn("analyst", "/journal");
    await page.locator("ol.journal li").first().waitFor();
    const first = await milestone("nimes-taiyuan-maternal-child-health");
    await page.locator(`ol.journal li[data-position="${first}"]`).waitFor();
    await page.reload();
    await page.locator(`ol.journal li[data-position="${first}"]`).waitFor();
    const second = await milestone("nimes-taiyuan-maternal-child-health");
    await page.locator(`ol.journal li[data-position="${second}"]`).waitFor();
    const shown = await shownPositions(page);
    expect(new Set(shown).size).toBe(shown.length);
    // Every event of the log from the oldest shown to the newest, in order: nothing missed around the reload.
    const log = new Database(join(system.dataDir, "events.db"), { readonly: true });
    const positions = log
      .prepare<[number, number], { position: number }>(
        "SELECT position FROM events WHERE position >= ? ORDER BY position LIMIT ?",
      )
      .all(Number(shown.at(-1)), shown.length)
      .map((row) => String(row.position));
    log.close();
    expect([...shown].reverse()).toEqual(positions);
    expect(shown[0]).toBe(second);
    await screenshot(page, "journal-apres-rechargement", false);
    await page.close();
  });

  it("works with the keyboard alone: skip link first, then the menu, and Enter follows a link", async () => {
    const page = await signedIn("editor");
    // A fresh load (the session survives it, for this tab): the focus starts at the top of the page.
    await page.reload();
    await page.locator("[data-figure=active] dd").waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Aller au contenu");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Partenariats");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Partenariats", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/partenariats");
    await screenshot(page, "clavier-partenariats");
    await page.close();
  });
});
