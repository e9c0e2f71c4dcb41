import { connectTestDatabase, dropTestDatabase } from '@cbme/testing';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { Connection } from 'mongoose';
import { SigningKeys } from './signing-keys';

/** Rotation on a clock the test moves, against the real server; a fresh instance reads the keys as a restarted identity does. */
const START = Date.parse('2027-03-01T08:00:00.000Z');
const MINUTE = 60_000;
const settings = { issuer: 'cbme-identity', audience: 'cbme', ttlSeconds: 900 };
/** after a key stops signing: identity's key cache + token lifetime + clock skew */
const KEPT_MS = 30_000 + 900_000 + 60_000;

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('signing-keys');
});
afterAll(() => dropTestDatabase(connection));

const keysAt = (now: number) => Object.assign(new SigningKeys(connection), { activationDelaySeconds: 10, tokenLifetimeSeconds: 900, now: () => now });
const publishedAt = async (now: number) => (await keysAt(now).jwks()).keys.map((k) => k.kid);
const kidOf = (token: string) => decodeProtectedHeader(token).kid as string;

describe('signing keys (real MongoDB-compatible server, moved clock)', () => {
  const kids: string[] = [];
  let firstToken: string;

  beforeAll(async () => {
    await connection.collection('signing_keys').deleteMany({});
    firstToken = await keysAt(START).sign({ inst: 'i', schools: {} }, 'ada', settings); // creates the first key
    kids.push(kidOf(firstToken));
    for (let i = 1; i <= 5; i++) kids.push(await keysAt(START + i * MINUTE).rotate()); // a rotation a minute, each active 10 s later
  });

  it('after five rotations publishes every key whose tokens may still be valid, and a token of the first still verifies', async () => {
    const now = START + 6 * MINUTE;
    expect(await publishedAt(now)).toEqual([...kids].reverse());
    expect(kidOf(await keysAt(now).sign({ inst: 'i', schools: {} }, 'ada', settings))).toBe(kids[5]);
    const { payload } = await jwtVerify(firstToken, createLocalJWKSet(await keysAt(now).jwks()), { issuer: settings.issuer, audience: settings.audience });
    expect(payload.sub).toBe('ada');
  });

  it('drops a key once every token it signed has expired: lifetime + skew + cache after the next key took over', async () => {
    const firstSuperseded = START + MINUTE + 10_000; // the second key activated
    expect(await publishedAt(firstSuperseded + KEPT_MS - 1)).toEqual([...kids].reverse());
    expect(await publishedAt(firstSuperseded + KEPT_MS)).toEqual(kids.slice(1).reverse());
    const lastSuperseded = START + 5 * MINUTE + 10_000;
    expect(await publishedAt(lastSuperseded + KEPT_MS)).toEqual([kids[5]]);
    expect(await publishedAt(lastSuperseded + 365 * 24 * 60 * MINUTE)).toEqual([kids[5]]); // the current key stays, however old
  });

  it('keeps a rotated key that is not active yet beside the one still signing', async () => {
    const now = START + 30 * 24 * 60 * MINUTE;
    const next = await keysAt(now).rotate();
    expect(await publishedAt(now + 5_000)).toEqual([next, kids[5]]);
    expect(kidOf(await keysAt(now + 5_000).sign({}, 'ada', settings))).toBe(kids[5]);
    expect(kidOf(await keysAt(now + 10_000).sign({}, 'ada', settings))).toBe(next);
  });
});
