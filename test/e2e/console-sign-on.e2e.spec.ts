/**
 * The console signing in through the hospital's provider, in a real browser: a real OpenID Provider (panva's
 * oidc-provider, test/support/oidc.ts) and the system as `npm start` runs it with that issuer. The console
 * leaves for the provider's sign-in page, comes back with a code, exchanges it (PKCE) and uses the access token.
 */
import type { Page } from "playwright-core";
import { openBrowser, screenshot, seriousViolations, type Browser } from "../support/browser";
import { signingKey, startProvider, type RunningProvider } from "../support/oidc";
import { freePort, startSystem, type RunningSystem } from "../support/system";

const AUDIENCE = "https://passerelle.chu.test/graphql";
const KEY = signingKey("rsa-console-1");

let provider: RunningProvider;
let system: RunningSystem;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  const gatewayPort = await freePort();
  origin = `http://127.0.0.1:${gatewayPort}`;
  provider = await startProvider({
    keys: [KEY],
    resources: { [AUDIENCE]: { audience: AUDIENCE, alg: "RS256", kid: "rsa-console-1" } },
    clients: [{ client_id: "passerelle-console", redirect_uri: `${origin}/connexion/retour` }],
    accounts: { "jeanne.auditrice": { roles: ["auditor"] } },
  });
  system = await startSystem({
    env: {
      PASSERELLE_GATEWAY_PORT: String(gatewayPort),
      PASSERELLE_OIDC_ISSUER: provider.issuer,
      PASSERELLE_OIDC_AUDIENCE: AUDIENCE,
      PASSERELLE_CONSOLE_OIDC_CLIENT_ID: "passerelle-console",
      PASSERELLE_CONSOLE_OIDC_RESOURCE: AUDIENCE,
      PASSERELLE_CONSOLE_OIDC_SCOPE: "openid passerelle",
    },
  });
  browser = await openBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
  await provider?.stop();
});

test("signs in with the hospital's account (authorization code with PKCE) and works with its token", async () => {
  const page = await browser.newPage();
  // A step that waits too long fails on its own, before the test's limit, naming what it waited for; the page
  // as it was is then kept beside the screenshots (one CI run timed out here with nothing to show why).
  page.setDefaultTimeout(30_000);
  try {
    await signInAndUse(page);
  } catch (error) {
    await screenshot(page, "connexion-etablissement-echec").catch(() => undefined);
    throw new Error(`at ${page.url()}: ${(error as Error).message}`, { cause: error });
  } finally {
    await page.close();
  }
}, 90_000);

async function signInAndUse(page: Page): Promise<void> {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(`${origin}/`);
  // No development tokens under sign-on: no role picker, the provider's button instead.
  expect(await page.getByRole("button", { name: /^Se connecter comme/ }).count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Se connecter avec le compte de l’établissement" }).click();
  // The provider's own pages (its development login form, then consent).
  await page.waitForURL((url) => url.origin === provider.issuer);
  await page.locator('input[name="login"]').fill("jeanne.auditrice");
  await page.locator('input[name="password"]').fill("any");
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').click();
  // Back in the console, signed in as the account's role, with an access token for the API.
  await page.waitForURL(`${origin}/`);
  await page.getByText("Connecté comme auditeur").waitFor();
  await page.locator("[data-figure=active] dd").waitFor();
  const token = await page.evaluate(() => sessionStorage.getItem("passerelle.token"));
  const claims = JSON.parse(Buffer.from(token!.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
  expect(claims).toMatchObject({
    iss: provider.issuer,
    sub: "jeanne.auditrice",
    aud: AUDIENCE,
    client_id: "passerelle-console",
  });
  // What the token allows, the console shows: an auditor's history.
  await page.goto(`${origin}/partenariats/limoges-china-hospital-governance`);
  await page.getByRole("heading", { name: "Historique du registre" }).waitFor();
  await screenshot(page, "connexion-etablissement");
  expect(problems).toEqual([]);
}
