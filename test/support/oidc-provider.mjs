/**
 * A real OpenID Provider for the tests: panva's oidc-provider (a certified implementation), ESM-only, so it
 * runs as its own process. Its settings come as JSON in OIDC_TEST_PROVIDER (see test/support/oidc.ts):
 *   port        where to listen on 127.0.0.1 (0: any free port); the issuer is http://127.0.0.1:<port>
 *   keys        the private JWKs it publishes and signs with (the tests make them, to rotate them)
 *   resources   resource indicator → { audience, alg, kid?, secret? }: access tokens are JWTs for that audience
 *   clients     [{ client_id, client_secret?, redirect_uri?, ttl?, claims }]: with a secret, client credentials;
 *               without, a public client for the authorization code flow with PKCE
 *   accounts    account id → claims its access tokens carry (signed in through the development login form)
 * Prints `oidc-provider listening <issuer>` once it accepts requests.
 */
import { createServer } from "node:http";
import process from "node:process";
import Provider, { errors } from "oidc-provider";

const settings = JSON.parse(process.env.OIDC_TEST_PROVIDER ?? "{}");
const server = createServer();
server.listen(settings.port ?? 0, "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const clientsById = new Map(settings.clients.map((client) => [client.client_id, client]));
  const provider = new Provider(issuer, {
    jwks: { keys: settings.keys },
    clients: settings.clients.map((client) =>
      client.client_secret
        ? {
            client_id: client.client_id,
            client_secret: client.client_secret,
            grant_types: ["client_credentials"],
            response_types: [],
            redirect_uris: [],
          }
        : {
            client_id: client.client_id,
            token_endpoint_auth_method: "none",
            grant_types: ["authorization_code"],
            response_types: ["code"],
            redirect_uris: [client.redirect_uri],
          },
    ),
    cookies: { keys: ["test-cookie-key-not-secret"] },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          const resource = settings.resources[indicator];
          if (!resource) throw new errors.InvalidTarget();
          return {
            scope: "passerelle",
            audience: resource.audience,
            accessTokenFormat: "jwt",
            jwt: {
              sign: {
                alg: resource.alg,
                ...(resource.kid ? { kid: resource.kid } : {}),
                ...(resource.secret ? { key: resource.secret } : {}),
              },
            },
          };
        },
      },
    },
    extraTokenClaims: (_ctx, token) =>
      token.accountId ? settings.accounts?.[token.accountId] : clientsById.get(token.clientId)?.claims,
    ttl: {
      ClientCredentials: (_ctx, _token, client) => clientsById.get(client.clientId)?.ttl ?? 600,
      AccessToken: (_ctx, token) => clientsById.get(token.clientId)?.ttl ?? 600,
    },
  });
  server.on("request", provider.callback());
  process.stdout.write(`oidc-provider listening ${issuer}\n`);
});
process.once("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
