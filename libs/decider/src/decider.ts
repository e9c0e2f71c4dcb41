/**
 * A decider in the style of Emmett / Jérémie Chassaing: pure functions over plain data.
 * `decide` turns a command into new events given the current state; `evolve` folds events into state.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
}

export function foldEvents<Event, State>(decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>, events: Event[]): State {
  return events.reduce(decider.evolve, decider.initialState);
}

/**
 * Why a command was refused. The HTTP edge maps `kind` to a status:
 * invalid-state -> 409, not-found -> 404, rule-violated -> 422, forbidden -> 403.
 */
export type DomainErrorKind = 'invalid-state' | 'not-found' | 'rule-violated' | 'forbidden';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** the input the refusal is about, when one is (a form shows the message at that field) */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalidState = (message: string) => new DomainError('invalid-state', message);
export const ruleViolated = (message: string, field?: string) => new DomainError('rule-violated', message, field);
export const notFound = (message: string) => new DomainError('not-found', message);

/** Asserts a switch over a union was exhaustive. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
