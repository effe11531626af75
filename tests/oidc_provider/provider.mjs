// A real OpenID Connect provider for the sign-in tests (the npm package oidc-provider, which is
// OpenID Certified), started on a free port by tests/oidc/conftest.py. Configured from the
// environment:
//   PORT           the port to listen on (127.0.0.1)
//   CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (comma-separated)   the one client: the service
//   SIGNING_JWK    the private RSA key it signs ID tokens with (JSON JWK, with kid and alg)
//   ACCOUNTS       JSON: { login: { claims... } } — anyone not listed cannot sign in
// Its development sign-in form takes a login and any password; consent is given for the
// service's client without asking, as a force's provider does for its own applications.
// Prints "ready <issuer>" once it listens.
import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.ACCOUNTS || "{}");
const SCOPES = "openid email profile";

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: process.env.REDIRECT_URIS.split(","),
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_post",
      id_token_signed_response_alg: "RS256",
    },
  ],
  jwks: { keys: [JSON.parse(process.env.SIGNING_JWK)] },
  // Every code flow must carry a PKCE challenge (S256), confidential client or not.
  pkce: { required: () => true },
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name", "preferred_username", "groups",
      "dps_restricted_clearance"],
  },
  // The groups go in the ID token too, as Entra ID puts them.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    if (!Object.hasOwn(accounts, id)) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...accounts[id] };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(SCOPES);
    await grant.save();
    return grant;
  },
});

provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
