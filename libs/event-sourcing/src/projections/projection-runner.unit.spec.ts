import { pendingEvent } from '../store/event-store.contract';
import { StoredEvent } from '../store/event-store';
import { InMemoryEventStore } from '../store/in-memory-event-store';
import { InMemoryCheckpointStore } from './checkpoint-store';
import { InMemoryDeadLetters } from './dead-letters';
import { PoisonEventError, Projection, RebuildRefusedError } from './projection';
import { ProjectionRunner } from './projection-runner';

class CountingProjection implements Projection {
  readonly name = 'counting';
  seen = new Map<string, StoredEvent>();
  failNext = 0;
  async apply(events: StoredEvent[]) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('database down');
    }
    for (const e of events) {
      if ((e.data as { poison?: boolean }).poison) throw new PoisonEventError('cannot apply');
    }
    for (const e of events) this.seen.set(e.eventId, e);
  }
}

async function setup() {
  const store = new InMemoryEventStore();
  const checkpoints = new InMemoryCheckpointStore();
  const deadLetters = new InMemoryDeadLetters();
  const projection = new CountingProjection();
  const runner = new ProjectionRunner(store, checkpoints, projection, { deadLetters, batchSize: 2, pollIntervalMs: 5 });
  return { store, checkpoints, deadLetters, projection, runner };
}

describe('ProjectionRunner', () => {
  it('under a lease: a follower applies nothing and reads the holder\'s checkpoint; a holder stopped during a rebuild stays stopped', async () => {
    const store = new InMemoryEventStore();
    const checkpoints = new InMemoryCheckpointStore();
    const deadLetters = new InMemoryDeadLetters();
    for (let i = 0; i < 4; i++) await store.append(`s-${i}`, 0, [pendingEvent()]);
    const follower = new CountingProjection();
    const following = new ProjectionRunner(store, checkpoints, follower, { deadLetters, leased: true, pollIntervalMs: 5 });
    // a read model (it has generations, so it rebuilds): its rebuild checkpoints as generation 2
    let building = false;
    const rebuildable = Object.assign(new CountingProjection(), {
      generations: {
        checkpointName: async () => (building ? 'counting@g2' : 'counting'),
        begin: async () => { building = true; }, complete: async () => { building = false; }, abandon: async () => { building = false; },
      },
    });
    const holder = new ProjectionRunner(store, checkpoints, rebuildable, { deadLetters, leased: true, batchSize: 1, pollIntervalMs: 5 });
    holder.start(7);
    await expect(following.waitForPosition(4, 10_000)).resolves.toBe(true);
    expect(follower.seen.size).toBe(0);
    expect(await following.position()).toBe(4);

    let stops = 0;
    await holder.rebuild(async () => {
      if (stops++ === 0) await holder.stop(); // its lease was lost while it rebuilt
    });
    expect(holder.isRunning).toBe(false);
    expect(await checkpoints.load('counting')).toBe(4);
  });

  it('applies all events in batches and checkpoints the last position', async () => {
    const { store, checkpoints, projection, runner } = await setup();
    for (let i = 0; i < 5; i++) await store.append(`s-${i}`, 0, [pendingEvent()]);
    await runner.waitUntilCaughtUp();
    expect(projection.seen.size).toBe(5);
    expect(await checkpoints.load('counting')).toBe(5);
  });

  it('resumes from its durable checkpoint after a restart', async () => {
    const { store, checkpoints, deadLetters, projection, runner } = await setup();
    await store.append('s', 0, [pendingEvent(), pendingEvent()]);
    await runner.waitUntilCaughtUp();
    await store.append('s', 2, [pendingEvent()]);
    const applied: string[] = [];
    const restarted = new ProjectionRunner(store, checkpoints, { name: 'counting', apply: async (events) => { applied.push(...events.map((e) => e.eventId)); } }, { deadLetters });
    await restarted.waitUntilCaughtUp();
    expect(applied).toHaveLength(1);
    expect(projection.seen.size).toBe(2);
  });

  it('saves the checkpoint at most every checkpointEveryMs, and when it stops', async () => {
    const store = new InMemoryEventStore();
    const checkpoints = new InMemoryCheckpointStore();
    const saved: number[] = [];
    const save = checkpoints.save.bind(checkpoints);
    checkpoints.save = async (name, position) => {
      saved.push(position);
      await save(name, position);
    };
    const runner = new ProjectionRunner(store, checkpoints, new CountingProjection(), { deadLetters: new InMemoryDeadLetters(), batchSize: 2, checkpointEveryMs: 60_000 });
    for (let i = 0; i < 5; i++) await store.append(`s-${i}`, 0, [pendingEvent()]);
    await runner.runOnce();
    await runner.runOnce();
    expect(saved).toEqual([2]); // the first batch's, then none within the minute
    expect(await runner.position()).toBe(4); // what the read model shows, ahead of the checkpoint
    expect(await checkpoints.load('counting')).toBe(2);
    await runner.runOnce();
    expect(await runner.runOnce()).toBe(0);
    expect(saved).toEqual([2]); // caught up within the minute: still not saved
    await store.append('s-9', 0, [pendingEvent()]);
    runner.start();
    await runner.waitUntilCaughtUp();
    await runner.stop();
    expect(saved).toEqual([2, 6]);
    expect(await checkpoints.load('counting')).toBe(6);
  });

  it('parks a poison event with the reason and moves on', async () => {
    const { store, deadLetters, projection, runner } = await setup();
    await store.append('s', 0, [pendingEvent(undefined, { poison: true }), pendingEvent(undefined, { ok: true })]);
    await runner.waitUntilCaughtUp();
    expect(projection.seen.size).toBe(1);
    expect(deadLetters.parked).toEqual([expect.objectContaining({ projection: 'counting', reason: 'cannot apply' })]);
  });

  it('retries a failing batch instead of skipping it', async () => {
    const { store, projection, runner } = await setup();
    await store.append('s', 0, [pendingEvent()]);
    projection.failNext = 1;
    await expect(runner.runOnce()).rejects.toThrow('database down');
    await runner.waitUntilCaughtUp();
    expect(projection.seen.size).toBe(1);
  });

  it('refuses to rebuild a projection without generations (a reaction: replaying would repeat its effects)', async () => {
    const { store, checkpoints, projection, runner } = await setup();
    for (let i = 0; i < 3; i++) await store.append(`s-${i}`, 0, [pendingEvent()]);
    await runner.waitUntilCaughtUp();
    await expect(runner.rebuild()).rejects.toThrow(RebuildRefusedError);
    expect(projection.seen.size).toBe(3);
    expect(await checkpoints.load('counting')).toBe(3);
  });

  it('rebuilds blue/green with progress: the live generation answers until the fresh one has caught up, then the switch is atomic', async () => {
    const store = new InMemoryEventStore();
    const checkpoints = new InMemoryCheckpointStore();
    const saved: string[] = [];
    const save = checkpoints.save.bind(checkpoints);
    checkpoints.save = async (name, position) => { saved.push(`${name}=${position}`); await save(name, position); };
    const live: string[] = [];
    let building: string[] | undefined;
    const seenDuringRebuild: number[] = [];
    const projection: Projection = {
      name: 'generational',
      apply: async (events) => {
        (building ?? live).push(...events.map((e) => e.eventId));
        if (building) seenDuringRebuild.push(live.length);
      },
      generations: {
        checkpointName: async () => (building ? 'generational@g2' : 'generational'),
        begin: async () => { building = []; },
        complete: async () => { live.splice(0, live.length, ...building!); building = undefined; },
        abandon: async () => { building = undefined; },
      },
    };
    const runner = new ProjectionRunner(store, checkpoints, projection, { deadLetters: new InMemoryDeadLetters(), batchSize: 2 });
    for (let i = 0; i < 5; i++) await store.append(`s-${i}`, 0, [pendingEvent(), pendingEvent()]);
    await runner.waitUntilCaughtUp();
    live.push('stale');
    saved.length = 0;
    const progress: number[] = [];
    const final = await runner.rebuild((p) => { progress.push(p.done); });
    expect(progress).toEqual([2, 4, 5]);
    // the replay checkpoints as its own generation: the live checkpoint never went back
    expect(saved.every((s) => s.startsWith('generational@g2='))).toBe(true);
    expect(await checkpoints.load('generational')).toBe(5);
    expect(await checkpoints.load('generational@g2')).toBe(5);
    // while rebuilding, queries still saw the 11 entries of the live generation
    expect(seenDuringRebuild).toEqual([11, 11, 11]);
    expect(live).toHaveLength(10);
    expect(final).toMatchObject({ done: 5, total: 5, events: 10, blueGreen: true });
  });

  it('a failed blue/green rebuild drops the fresh generation and the live one continues from its checkpoint', async () => {
    const store = new InMemoryEventStore();
    const checkpoints = new InMemoryCheckpointStore();
    let building = false;
    let abandoned = false;
    const projection: Projection = {
      name: 'failing',
      apply: async () => { if (building) throw new Error('disk full'); },
      generations: {
        checkpointName: async () => (building ? 'failing@g2' : 'failing'),
        begin: async () => { building = true; }, complete: async () => undefined, abandon: async () => { building = false; abandoned = true; },
      },
    };
    const runner = new ProjectionRunner(store, checkpoints, projection, { deadLetters: new InMemoryDeadLetters() });
    for (let i = 0; i < 3; i++) await store.append(`s-${i}`, 0, [pendingEvent()]);
    await runner.waitUntilCaughtUp();
    await expect(runner.rebuild()).rejects.toThrow('disk full');
    expect(abandoned).toBe(true);
    expect(await checkpoints.load('failing')).toBe(3);
    expect(await runner.position()).toBe(3);
  });
});
