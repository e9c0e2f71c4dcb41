import { connectTestDatabase, dropTestDatabase } from '@cbme/testing';
import { Connection } from 'mongoose';
import { Credentials } from './credentials';

let connection: Connection;
let credentials: Credentials;
beforeAll(async () => {
  connection = await connectTestDatabase('credentials');
  credentials = new Credentials(connection);
});
afterAll(() => dropTestDatabase(connection));

describe('credentials (real MongoDB-compatible server)', () => {
  it('stores the password with the claim, so a registration retried after its answer was lost signs in', async () => {
    expect(await credentials.reserve('Ada@Example.edu', 'ada', 'first password')).toBe(true);
    // the retry of the same registration (its first attempt stored the event, then the process died)
    expect(await credentials.reserve('ada@example.edu', 'ada', 'first password')).toBe(true);
    expect(await credentials.check('ada@example.edu', 'first password')).toBe('ada');
  });

  it('a repeated claim never sets or changes a password: that would take over the account', async () => {
    expect(await credentials.reserve('sso@example.edu', 'sso-user')).toBe(true);
    expect(await credentials.reserve('sso@example.edu', 'sso-user', 'chosen by someone else')).toBe(true);
    expect(await credentials.check('sso@example.edu', 'chosen by someone else')).toBeNull();

    expect(await credentials.reserve('ada@example.edu', 'ada', 'another password')).toBe(true);
    expect(await credentials.check('ada@example.edu', 'another password')).toBeNull();
    expect(await credentials.check('ada@example.edu', 'first password')).toBe('ada');
  });

  it('refuses the address to another user', async () => {
    expect(await credentials.reserve('ada@example.edu', 'someone-else', 'x')).toBe(false);
    expect(await credentials.check('ada@example.edu', 'x')).toBeNull();
  });
});
