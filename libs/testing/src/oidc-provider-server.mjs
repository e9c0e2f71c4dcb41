// A real OpenID Connect provider for tests (panva's oidc-provider, the certified implementation), started by
// `startOidcProvider` in oidc-provider.ts. It is ESM-only, which Jest here cannot import, hence a process of its own.
// Environment: PORT; OIDC_CLIENTS, a JSON array of client metadata; OIDC_ACCOUNTS, a JSON object
// { accountId: claims }. Sign-in and consent are the provider's built-in development pages (any password).
// In-memory storage. Prints "ready <issuer>" once it listens.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS ?? '{}');

const provider = new Provider(issuer, {
  clients: JSON.parse(process.env.OIDC_CLIENTS ?? '[]'),
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  cookies: { keys: ['test-only-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(_ctx, sub) {
    if (!Object.hasOwn(accounts, sub)) return undefined; // the login name typed at the provider: not "constructor"
    return { accountId: sub, claims: async () => ({ sub, ...accounts[sub] }) };
  },
});

provider.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
process.on('SIGTERM', () => process.exit(0));
