// A real OpenID Provider (panva/oidc-provider 9, ESM-only) for the auth medium tests, run as a child process:
//   PORT=... CLIENT_ID=... CLIENT_SECRET=... REDIRECT_URI=... ACCOUNTS='{"alice":{"groups":["cs-ops"]}}' node oidc-provider.fixture.mjs
// Uses the provider's development login/consent forms (any password is accepted; the login names the account).
import Provider from 'oidc-provider';

const { PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, ACCOUNTS } = process.env;
const accounts = JSON.parse(ACCOUNTS ?? '{}');
const issuer = `http://127.0.0.1:${PORT}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'groups'], email: ['email', 'email_verified'] },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  cookies: { keys: ['crowdsafe-test-cookie-key-0123456789'] },
  conformIdTokenClaims: process.env.CLAIMS_IN_USERINFO_ONLY === '1',
  async findAccount(_ctx, id) {
    const a = accounts[id];
    if (!a) return undefined;
    return { accountId: id, claims: async () => ({ sub: `sub-${id}`, preferred_username: id, email_verified: true, ...a }) };
  },
});

provider.listen(Number(PORT), '127.0.0.1', () => {
  console.log(`oidc-provider ready at ${issuer}`);
});
