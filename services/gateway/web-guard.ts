/**
 * What a browser must not be able to do with the gateway: read it from another site (CORS only for the
 * origins configured, none by default), reach it under a name it does not serve (the Host check stops DNS
 * rebinding against a gateway on localhost), or frame it (frame-ancestors 'none').
 */
import type { IncomingMessage } from "node:http";

export interface WebGuardOptions {
  /** Origins whose pages may call the gateway (`https://console.chu-limoges.fr`). Default: none. */
  readonly corsOrigins?: readonly string[];
  /** Host names (without the port) the gateway answers to, besides the loopback ones. `*`: any. */
  readonly allowedHosts?: readonly string[];
}

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": "frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

export interface WebGuard {
  /** Whether a request's Host header names this gateway. */
  hostAllowed(host: string | null | undefined): boolean;
  /** CORS for the runtime: the request's origin when it is configured, nothing otherwise. */
  cors(request: Request): { origin: string[]; credentials: false; maxAge: number } | false;
  /** A runtime plugin: refuses unknown hosts, and stamps the anti-framing headers on every answer. */
  readonly plugin: {
    onRequest(payload: { request: Request; endResponse: (response: Response) => void }): void;
    onResponse(payload: { response: Response }): void;
  };
  /** For the websocket upgrade, which does not go through the runtime. */
  verifyUpgrade(request: IncomingMessage): boolean;
}

export function webGuard(options: WebGuardOptions = {}): WebGuard {
  const origins = new Set(options.corsOrigins ?? []);
  const hosts = new Set([...LOOPBACK, ...(options.allowedHosts ?? [])].map((host) => host.toLowerCase()));
  const anyHost = hosts.has("*");
  const hostAllowed = (host: string | null | undefined) => {
    if (!host) return false;
    if (anyHost) return true;
    const name = host.toLowerCase().replace(/:\d+$/, "");
    return hosts.has(name);
  };
  const refusal = (message: string) =>
    new Response(JSON.stringify({ errors: [{ message, extensions: { code: "FORBIDDEN" } }] }), {
      status: 403,
      headers: { "content-type": "application/json; charset=utf-8", ...SECURITY_HEADERS },
    });
  return {
    hostAllowed,
    cors(request) {
      const origin = request.headers.get("origin");
      return origin !== null && origins.has(origin) ? { origin: [origin], credentials: false, maxAge: 600 } : false;
    },
    plugin: {
      onRequest({ request, endResponse }) {
        const host = request.headers.get("host");
        if (!hostAllowed(host)) {
          endResponse(refusal(`This gateway does not answer to the host ${JSON.stringify(host)}.`));
        }
      },
      onResponse({ response }) {
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
      },
    },
    verifyUpgrade(request) {
      if (!hostAllowed(request.headers.host)) return false;
      // A page of another site may open a websocket too: only configured origins (or none, from a program).
      const origin = request.headers.origin;
      return origin === undefined || origins.has(origin) || sameOrigin(origin, request.headers.host);
    },
  };
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}
