import { allPublicEvents, EventCatalog } from '@cbme/contracts';
import { MongoDataKeys, MongoEventStore, PersonalDataCipher } from '@cbme/event-sourcing';
import { randomBytes, randomUUID } from 'node:crypto';
import { BenchContext, ScenarioResult, times } from '../context';
import { goalEvents } from '../fixtures';
import { perSecond, repeat, round, Summary, timedPool } from '../stats';

const WRITERS = 8;

/**
 * 12. Personal data: the cost of crypto-shredding on the event-store library. The same goal events (description and
 * measure of success are personal) appended to a stream of their own each, by a store without encryption, one that
 * encrypts with the learner's key (made once, then cached), and one whose every append is about a new learner (a key
 * made and inserted first); then reading the streams back (decrypting, keys cached).
 */
export async function personalData(ctx: BenchContext): Promise<ScenarioResult> {
  const n = ctx.params.commands ?? (ctx.quick ? 300 : 2_000);
  const reps = ctx.quick ? 3 : 5;
  const suffix = Date.now();
  const cipher = new PersonalDataCipher(new EventCatalog(allPublicEvents), new MongoDataKeys(ctx.scratch, randomBytes(32), `data_keys_${suffix}`));
  const plain = new MongoEventStore(ctx.scratch, { collection: `plain_${suffix}` });
  const sealed = new MongoEventStore(ctx.scratch, { collection: `sealed_${suffix}`, personalData: cipher });
  await Promise.all([plain.init(), sealed.init()]);
  const pending = (learnerId: string) => {
    const { streamId: _s, streamVersion: _v, ...event } = goalEvents(randomUUID(), learnerId, 1)[0];
    return event;
  };
  const appendRate = (store: MongoEventStore, streams: string[], learner: () => string) => repeat(reps, async () => perSecond(n, await timedPool(Array.from({ length: n }), WRITERS, async () => {
    const streamId = `bench-${randomUUID()}`;
    await store.append(streamId, 'no-stream', [pending(learner())]);
    streams.push(streamId);
  })));
  const plainStreams: string[] = [];
  const sealedStreams: string[] = [];
  ctx.log(`personal data: ${n} appends x ${reps} runs, ${WRITERS} writers, without and with encryption`);
  const without = await appendRate(plain, plainStreams, () => 'bench-learner');
  const cachedKey = await appendRate(sealed, sealedStreams, () => 'bench-learner');
  const newKey = await appendRate(sealed, [], () => `bench-learner-${randomUUID()}`);
  // reads from a fresh process's store: nothing cached, every commit looked up (and, sealed, decrypted)
  const readRate = (store: () => MongoEventStore, streams: string[]) => repeat(reps, async () => {
    const reader = store();
    const some = streams.slice(0, n);
    return perSecond(some.length, await timedPool(some, WRITERS, async (streamId) => {
      await reader.readStream(streamId);
    }));
  });
  const readPlain = await readRate(() => new MongoEventStore(ctx.scratch, { collection: `plain_${suffix}` }), plainStreams);
  const readSealed = await readRate(() => new MongoEventStore(ctx.scratch, { collection: `sealed_${suffix}`, personalData: cipher }), sealedStreams);

  const fmt = (s: Summary, unit: string) => `${round(s.median, 0)} ${unit} (${round(s.min, 0)}–${round(s.max, 0)})`;
  const row = (measure: string, ours: Summary, unit: string, limit: Summary) => ({ scenario: '12 personal data', measure, ours: fmt(ours, unit), limit: fmt(limit, unit), ratio: times(ours.median, limit.median) });
  return {
    rows: [
      row(`append, encrypted, the learner's key cached (${WRITERS} writers)`, cachedKey, 'appends/s', without),
      row(`append, encrypted, a new learner each (key made first)`, newKey, 'appends/s', without),
      row(`read a stream, decrypted (${WRITERS} readers)`, readSealed, 'streams/s', readPlain),
    ],
    data: { appends: n, writers: WRITERS, without, cachedKey, newKey, readPlain, readSealed },
  };
}
