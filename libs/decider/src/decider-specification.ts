import { Decider, foldEvents } from './decider';

/**
 * Given / when / then for deciders, test-runner agnostic:
 * `spec(decider).given(past).when(command).then(expected)` or `.thenThrows(matcher)`.
 * Returns values instead of asserting, so any test framework can check them.
 */
export function spec<C, E, S>(decider: Decider<C, E, S>) {
  return {
    given(past: E[]) {
      return {
        when(command: C) {
          const run = () => decider.decide(command, foldEvents(decider, past));
          return {
            /** the new events */
            events: (): E[] => run(),
            /** the error the command was refused with */
            error: (): Error => {
              try {
                run();
              } catch (error) {
                return error as Error;
              }
              throw new Error('expected the command to be refused, but it produced events');
            },
          };
        },
      };
    },
  };
}
