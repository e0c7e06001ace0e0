/**
 * The hospital's sign-on: OpenID Connect's authorization code flow with PKCE (S256) and a state, as a public
 * client, through oauth4webapi. The gateway says which provider and client (`/console/config`); the access
 * token the provider issues for Passerelle's API is what the console then sends, as any client of the API does.
 */
import * as oauth from "oauth4webapi";

export interface SignOnConfig {
  readonly issuer: string;
  readonly clientId: string;
  /** The resource indicator (RFC 8707) the provider issues the API's access tokens for, when it needs one. */
  readonly resource: string | null;
  readonly scope: string;
}

const PENDING = "passerelle.sign-on";
export const CALLBACK_PATH = "/connexion/retour";

const redirectUri = () => `${location.origin}${CALLBACK_PATH}`;

/** http only for a provider on this machine (development and tests), as the API accepts it. */
function options(issuer: URL) {
  const local = issuer.protocol === "http:" && ["127.0.0.1", "localhost"].includes(issuer.hostname);
  return local ? { [oauth.allowInsecureRequests]: true } : {};
}

async function server(config: SignOnConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options(issuer)));
}

/** Leaves for the provider's sign-in page; it comes back to CALLBACK_PATH. */
export async function startSignOn(config: SignOnConfig): Promise<void> {
  const as = await server(config);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("redirect_uri", redirectUri());
  url.searchParams.set("scope", config.scope);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set("code_challenge_method", "S256");
  url.searchParams.set("state", state);
  if (config.resource) url.searchParams.set("resource", config.resource);
  location.assign(url.href);
}

/** Back from the provider: checks the state, exchanges the code with the verifier, gives the access token. */
export async function finishSignOn(config: SignOnConfig, back: URL): Promise<string> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? "null") as { verifier: string; state: string } | null;
  sessionStorage.removeItem(PENDING);
  if (!pending) throw new Error("no sign-in was started in this tab");
  const as = await server(config);
  const client: oauth.Client = { client_id: config.clientId };
  const params = oauth.validateAuthResponse(as, client, back, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri(),
    pending.verifier,
    {
      ...options(new URL(config.issuer)),
      ...(config.resource ? { additionalParameters: { resource: config.resource } } : {}),
    },
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response);
  return result.access_token;
}
