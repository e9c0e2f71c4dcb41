import { RunningService } from '@cbme/testing';
import { Connection } from 'mongoose';

/** What every scenario gets: the running services, a signed-in learner and lead, and a scratch database. */
/** Scenario sizes given on the command line (each scenario has quick and full defaults). */
export interface BenchParams {
  commands?: number;
  events?: number;
  rates?: number[];
  seconds?: number;
  size?: 'small' | 'large';
}

export interface BenchContext {
  quick: boolean;
  params: BenchParams;
  namespace: string;
  services: Record<'identity' | 'coaching' | 'feedback' | 'analytics', RunningService>;
  tokens: { admin: string; learner: string; lead: string; committee: string };
  /** an access token from identity (retried while a just-registered user is not yet signed up) */
  signIn(email: string, password: string): Promise<string>;
  learnerId: string;
  schoolId: string;
  /** a database of the bench's own on the same server, for library-level runs and limits */
  scratch: Connection;
  /** the services' databases (read-only use: positions and checkpoints for latency) */
  databaseOf(service: string): Connection;
  mongoUrl: string;
  kafkaBrokers: string[];
  log(line: string): void;
}

/** One row of the results table: our figure, the limit measured in the same run, and their ratio. */
export interface ResultRow {
  scenario: string;
  measure: string;
  ours: string;
  limit: string;
  ratio: string;
}

export interface ScenarioResult {
  rows: ResultRow[];
  /** everything measured, for the JSON file */
  data: Record<string, unknown>;
}

/** our figure as a share of the limit's (throughputs) */
export const ratio = (ours: number, limit: number) => (Number.isFinite(ours) && Number.isFinite(limit) && limit > 0 ? `${((ours / limit) * 100).toFixed(0)} %` : 'n/a');

/** how many times the limit's figure ours is (times: lower is better), with two digits below 1 */
export const times = (ours: number, limit: number) => (limit > 0 ? `${(ours / limit).toFixed(ours / limit < 1 ? 2 : 1)}x` : 'n/a');

export async function api(url: string, method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
