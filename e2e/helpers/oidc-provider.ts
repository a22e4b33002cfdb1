// A real OpenID Connect provider (the `oidc-provider` package) on 127.0.0.1 for tests: authorization code
// flow with PKCE, a confidential test client, and its development login form (any password; the login
// name picks the account). Usable from Playwright specs and vitest integration tests.
import http from "node:http";
import Provider from "oidc-provider";

export type OidcTestAccount = { email?: string; name?: string; preferred_username?: string };
export type OidcProviderOptions = {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Login name at the provider's dev login form → claims (the login name is the subject). */
  accounts: Record<string, OidcTestAccount>;
};

export async function startOidcProvider(
  opts: OidcProviderOptions,
): Promise<{ issuer: string; close: () => Promise<void> }> {
  const issuer = `http://127.0.0.1:${opts.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username"] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ["oidc-test-cookie-key-0123456789"] },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => {
        const a = opts.accounts[id] ?? {};
        return {
          sub: id,
          email: a.email,
          email_verified: Boolean(a.email),
          name: a.name,
          preferred_username: a.preferred_username,
        };
      },
    }),
    // Short-lived; tests never need refresh tokens.
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
  });
  provider.on("server_error", (_ctx: unknown, err: unknown) => console.error("[oidc-provider]", err));
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => resolve());
  });
  return {
    issuer,
    // close() waits for every open connection (a browser's keep-alive sockets too): end them as well
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
