import { Actor } from '@cbme/testing';
import { Instance } from './fleet';

/** What the suite sends: each command has an id the client chose, so a retry after an unclear outcome is safe. */
export type Kind = 'registration' | 'relationship' | 'dialogue' | 'entry' | 'goal';

/**
 * Every command's fate. `accepted`: a 2xx answer. `appliedUnclear`: no answer (connection reset, timeout, 5xx), then a
 * retry with the same id got 409: the first attempt went through. Both must be in every read model exactly once.
 */
export class Ledger {
  sent = 0;
  accepted = 0;
  /** attempts refused because an instance or a server was down (connection refused, 503): retried */
  refused = 0;
  /** attempts without a clear answer (reset, timeout, 5xx): retried with the same id */
  unclear = 0;
  /** 404/422 while a read model the command depends on had not caught up yet: retried */
  notYet = 0;
  /** 401 for a token identity issued (a verifier that could not fetch identity's keys in time): retried */
  unauthorized = 0;
  /** refused for good (another 4xx, or no success after every retry) */
  failed: string[] = [];
  private readonly applied = new Map<Kind, Set<string>>();
  private readonly attempted = new Map<Kind, Set<string>>();

  record(kind: Kind, id: string, into = this.applied) {
    into.set(kind, (into.get(kind) ?? new Set()).add(id));
  }

  attempt(kind: Kind, id: string) {
    this.record(kind, id, this.attempted);
  }

  /** the ids of the commands applied */
  ids(kind: Kind): Set<string> {
    return this.applied.get(kind) ?? new Set();
  }

  /** whether a command with this id was sent at all */
  wasSent(kind: Kind): (id: string) => boolean {
    return (id) => this.attempted.get(kind)?.has(id) ?? false;
  }

  get appliedCount() {
    return [...this.applied.values()].reduce((n, ids) => n + ids.size, 0);
  }
}

const MAX_ATTEMPTS = 60;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function headersOf(actor: Actor) {
  return { 'content-type': 'application/json', authorization: `Bearer ${actor.token}`, ...(actor.schoolId ? { 'x-school-id': actor.schoolId } : {}) };
}

/**
 * Sends one command over loopback, to the instances in turn (starting at a random one), until it is applied or
 * refused for good. Returns whether it was applied; `retrying` hears why each attempt is retried.
 */
export async function send(ledger: Ledger, kind: Kind, id: string, instances: Instance[], path: string, actor: Actor, body: unknown, retrying: (why: string) => void = () => undefined): Promise<boolean> {
  ledger.sent++;
  ledger.attempt(kind, id);
  let unclearBefore = false;
  let next = Math.floor(Math.random() * instances.length);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const instance = instances[next++ % instances.length];
    let status: number;
    let text = '';
    try {
      const response = await fetch(`${instance.url}${path}`, { method: 'POST', headers: headersOf(actor), body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const refused = (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
      if (refused) ledger.refused++;
      else {
        ledger.unclear++;
        unclearBefore = true;
      }
      retrying(`attempt ${attempt} on ${instance.service}-${instance.label}: ${(error as Error).message}`);
      await pause(250);
      continue;
    }
    if (status >= 200 && status < 300) {
      ledger.accepted++;
      ledger.record(kind, id);
      return true;
    }
    if (status === 409 && unclearBefore) {
      ledger.record(kind, id);
      return true;
    }
    if (status === 503) ledger.refused++;
    else if (status >= 500) {
      ledger.unclear++;
      unclearBefore = true;
    }
    else if (status === 404 || status === 422) ledger.notYet++;
    else if (status === 401) ledger.unauthorized++;
    else {
      ledger.failed.push(`${kind} ${id}: ${status} ${text.slice(0, 200)}`);
      return false;
    }
    retrying(`attempt ${attempt} on ${instance.service}-${instance.label}: ${status}`);
    await pause(500);
  }
  ledger.failed.push(`${kind} ${id}: not applied after ${MAX_ATTEMPTS} attempts`);
  return false;
}
