/**
 * The console's static files, served by the gateway at `/` (same origin as /graphql: no CORS to open). Any path
 * that is not a file is a console route and gets index.html; hashed assets are cached for good, the page never.
 * Under `npm start` the role picker's development tokens are listed here, to loopback clients only.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

/**
 * Everything from this origin only — no inline script, no CDN, no framing — but for the sign-on provider, which
 * the page asks for its discovery document and the token.
 */
export function consoleHeaders(options: Pick<ConsoleOptions, "signOn">): Record<string, string> {
  const provider = options.signOn ? ` ${new URL(options.signOn.issuer).origin}` : "";
  return {
    "content-security-policy":
      `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'${provider}; ` +
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  };
}

/** The gateway's own paths: never a console route. */
const GATEWAY_PATHS = /^\/(graphql|health|ready|metrics|\.well-known)(\/|$)/;

export const DEV_TOKENS_PATH = "/console/dev-tokens";
/** What the sign-in page needs to know: the hospital's provider and the console's client, when configured. */
export const CONFIG_PATH = "/console/config";

/** The console as a public OpenID Connect client of the provider the API trusts. */
export interface SignOn {
  readonly issuer: string;
  readonly clientId: string;
  readonly resource: string | null;
  readonly scope: string;
}

export interface ConsoleOptions {
  /** The built console (console/dist). */
  readonly dir: string;
  /** `npm start`'s development tokens by role, for the sign-in page's role picker. */
  readonly devTokens?: Readonly<Record<string, string>>;
  readonly signOn?: SignOn;
}

const isLoopback = (address: string | undefined) =>
  address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";

/** Serves the request when it is the console's; says whether it did. */
export function serveConsole(options: ConsoleOptions, request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://console").pathname);
  if (GATEWAY_PATHS.test(pathname)) return false;
  const headers = consoleHeaders(options);
  if (pathname === CONFIG_PATH) {
    response.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...headers,
    });
    response.end(JSON.stringify({ signOn: options.signOn ?? null }));
    return true;
  }
  if (pathname === DEV_TOKENS_PATH) {
    const listed = options.devTokens && isLoopback(request.socket.remoteAddress);
    response.writeHead(listed ? 200 : 404, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...headers,
    });
    response.end(listed ? JSON.stringify(options.devTokens) : "{}");
    return true;
  }
  const root = normalize(options.dir);
  const wanted = normalize(join(root, pathname));
  if (wanted !== root && !wanted.startsWith(root + sep)) return false;
  let file = existsSync(wanted) && statSync(wanted).isFile() ? wanted : undefined;
  // A path with an extension that is not there is a missing file; any other is a console route.
  if (!file && extname(pathname) === "") file = join(root, "index.html");
  if (!file || !existsSync(file)) {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8", ...headers });
    response.end("Not found");
    return true;
  }
  const hashed = pathname.startsWith("/assets/");
  response.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "content-length": statSync(file).size,
    "cache-control": hashed ? "public, max-age=31536000, immutable" : "no-cache",
    ...headers,
  });
  if (request.method === "HEAD") response.end();
  else createReadStream(file).pipe(response);
  return true;
}
