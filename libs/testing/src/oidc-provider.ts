import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './service-process';

export interface RunningOidcProvider {
  issuer: string;
  stop(): Promise<void>;
  output(): string;
}

export interface OidcProviderOptions {
  /** client metadata as oidc-provider takes it (client_id, redirect_uris, token_endpoint_auth_method, ...) */
  clients: Record<string, unknown>[];
  /** accountId -> claims, e.g. { email, email_verified } */
  accounts: Record<string, Record<string, unknown>>;
}

/** Starts a real OpenID Connect provider (oidc-provider, in memory) as a child process; see oidc-provider-server.mjs. */
export async function startOidcProvider(options: OidcProviderOptions): Promise<RunningOidcProvider> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'oidc-provider-server.mjs')], {
    env: { ...process.env, PORT: String(port), OIDC_CLIENTS: JSON.stringify(options.clients), OIDC_ACCOUNTS: JSON.stringify(options.accounts) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`OpenID provider not ready in 30 s:\n${output}`)), 30_000);
    const collect = (chunk: Buffer) => {
      output = (output + chunk).slice(-20_000);
      const ready = /^ready (\S+)$/m.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    void exited.then(() => reject(new Error(`OpenID provider exited with ${child.exitCode}:\n${output}`)));
  });
  return {
    issuer,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A browser, reduced to what an OpenID Connect sign-in needs: follows redirects by hand with a cookie jar,
 * and at the provider's development pages submits the login form (any password) and the consent form, or
 * with `cancel` clicks "Cancel" instead. Starts at `startUrl` (the relying party's start endpoint) and returns
 * the first redirect that leaves the provider: the relying party's callback URL, not yet visited.
 */
export async function signInAtProvider(startUrl: string, issuer: string, login: string, { cancel = false } = {}): Promise<URL> {
  const cookies = new Map<string, string>();
  const send = async (url: URL, form?: Record<string, string>) => {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(header)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };

  let response = await send(new URL(startUrl));
  for (let step = 0; step < 20; step++) {
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, response.url);
      if (next.origin !== new URL(issuer).origin) return next;
      response = await send(next);
      continue;
    }
    const page = await response.text();
    const abort = /href="([^"]+\/abort)"/.exec(page)?.[1];
    if (cancel && abort) {
      response = await send(new URL(abort, response.url));
      continue;
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`unexpected page from the provider (${response.status}):\n${page.slice(0, 2000)}`);
    const form = Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (/name="login"/.test(page)) Object.assign(form, { login, password: 'any password' });
    response = await send(new URL(action, response.url), form);
  }
  throw new Error('no redirect back from the provider after 20 steps');
}
