import { pendingEvent } from '../store/event-store.contract';
import { InMemoryEventStore } from '../store/in-memory-event-store';
import { InMemoryCheckpointStore } from '../projections/checkpoint-store';
import { InMemoryDeadLetters } from '../projections/dead-letters';
import { ProjectionRunner } from '../projections/projection-runner';
import { PositionWaiters } from './position-waiters';
import { recordWritesIn, recordWrittenPosition, WrittenPosition } from './written-positions';

describe('PositionWaiters', () => {
  it('ends a wait once the reader advances to its target or beyond, and leaves later targets waiting', async () => {
    const waiters = new PositionWaiters();
    const three = waiters.wait(3, 60_000);
    const nine = waiters.wait(9, 60_000);
    waiters.advance(2);
    expect(waiters.size).toBe(2);
    waiters.advance(5);
    await expect(three).resolves.toBe(true);
    expect(waiters.size).toBe(1);
    waiters.advance(9);
    await expect(nine).resolves.toBe(true);
    expect(waiters.size).toBe(0);
  });

  it('ends a wait as not reached when its time is up', async () => {
    jest.useFakeTimers();
    try {
      const waiters = new PositionWaiters();
      const wait = waiters.wait(4, 3_000);
      waiters.advance(3);
      jest.advanceTimersByTime(3_000);
      await expect(wait).resolves.toBe(false);
      expect(waiters.size).toBe(0);
      await expect(waiters.wait(4, 0)).resolves.toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('written positions', () => {
  it('keeps the highest position appended within one unit of work, apart from concurrent ones', async () => {
    const first: WrittenPosition = {};
    const second: WrittenPosition = {};
    await Promise.all([
      recordWritesIn(first, async () => {
        recordWrittenPosition(7);
        await Promise.resolve();
        recordWrittenPosition(5);
      }),
      recordWritesIn(second, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        recordWrittenPosition(8);
      }),
    ]);
    expect(first.position).toBe(7);
    expect(second.position).toBe(8);
  });

  it('records nothing outside a tracked unit of work (a reaction, a projection)', () => {
    const written: WrittenPosition = {};
    recordWrittenPosition(3);
    recordWritesIn(written, () => undefined);
    expect(written.position).toBeUndefined();
  });
});

describe('ProjectionRunner.waitForPosition', () => {
  const setup = () => {
    const store = new InMemoryEventStore();
    const applied: number[] = [];
    const runner = new ProjectionRunner(store, new InMemoryCheckpointStore(), { name: 'counting', apply: async (events) => void applied.push(...events.map((e) => e.position)) }, {
      deadLetters: new InMemoryDeadLetters(),
      // idle for long: a wait must wake the runner instead of waiting for its next poll
      pollIntervalMs: 60_000,
    });
    return { store, runner, applied };
  };

  it('answers once the projection has applied the position written', async () => {
    const { store, runner, applied } = setup();
    runner.start();
    try {
      await store.append('s-1', 0, [pendingEvent()]);
      const { position } = await store.append('s-2', 0, [pendingEvent(), pendingEvent()]);
      await expect(runner.waitForPosition(position, 10_000)).resolves.toBe(true);
      expect(applied).toEqual([1, 2, 2]);
      expect(await runner.position()).toBe(position);
    } finally {
      await runner.stop();
    }
  });

  it('says not reached when the projection does not get there in time', async () => {
    const { store, runner } = setup();
    await store.append('s-1', 0, [pendingEvent()]);
    // not started: nothing applies the commit
    await expect(runner.waitForPosition(1, 50)).resolves.toBe(false);
    await runner.runOnce();
    await expect(runner.waitForPosition(1, 50)).resolves.toBe(true);
  });

  it('answers once the read model has the write, before the checkpoint is stored', async () => {
    const store = new InMemoryEventStore();
    const checkpoints = new InMemoryCheckpointStore();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slowSave = { load: (name: string) => checkpoints.load(name), save: async (name: string, position: number) => { await held; await checkpoints.save(name, position); }, rewind: () => Promise.resolve() };
    const runner = new ProjectionRunner(store, slowSave, { name: 'counting', apply: async () => undefined }, { deadLetters: new InMemoryDeadLetters() });
    const { position } = await store.append('s-1', 0, [pendingEvent()]);
    const batch = runner.runOnce();
    await expect(runner.waitForPosition(position, 10_000)).resolves.toBe(true);
    expect(await checkpoints.load('counting')).toBe(0);
    release();
    await batch;
    expect(await checkpoints.load('counting')).toBe(position);
  });

  it('during a blue/green rebuild answers from where the generation that serves queries stopped', async () => {
    const store = new InMemoryEventStore();
    let replaying: () => void = () => undefined;
    let finish: () => void = () => undefined;
    const replayStarted = new Promise<void>((resolve) => (replaying = resolve));
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const generations = { begin: async () => replaying(), complete: () => finished, abandon: async () => undefined };
    const runner = new ProjectionRunner(store, new InMemoryCheckpointStore(), { name: 'blue-green', apply: async () => undefined, generations }, { deadLetters: new InMemoryDeadLetters() });
    const first = await store.append('s-1', 0, [pendingEvent()]);
    await runner.runOnce();
    const second = await store.append('s-2', 0, [pendingEvent()]);
    const rebuild = runner.rebuild();
    await replayStarted;
    // the live generation has the first commit, not the second, whatever the replay has reached
    await expect(runner.waitForPosition(first.position, 10_000)).resolves.toBe(true);
    await expect(runner.waitForPosition(second.position, 10_000)).resolves.toBe(false);
    finish();
    await rebuild;
    await expect(runner.waitForPosition(second.position, 10_000)).resolves.toBe(true);
  });
});
