import { DisclosureEntry, DisclosureEvents, DisclosureLogPage, RecordDisclosed } from '@cbme/contracts';
import { GenerationalCollection, Projection, ReadModelGenerations, StoredEvent } from '@cbme/event-sourcing';
import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Model, Schema } from 'mongoose';
import { ResolvedConfig, SERVICE_CONFIG } from '../config/service-config';

type StoredEntry = Omit<DisclosureEntry, 'service'>;

/** One learner's disclosures of one month (`_id` = `<learnerId>|<YYYY-MM>`). */
interface MonthDocument {
  _id: string;
  entries: StoredEntry[];
}

/** Which months of a learner's log hold disclosures, counted per school (`_id` = learner id). */
interface MonthsDocument {
  _id: string;
  months: { month: string; schoolId: string; count: number }[];
}

const monthSchema = new Schema<MonthDocument>({ _id: String, entries: [Schema.Types.Mixed] }, { versionKey: false, collection: 'disclosure_log' });
const monthsSchema = new Schema<MonthsDocument>({ _id: String, months: [Schema.Types.Mixed] }, { versionKey: false, collection: 'disclosure_log_months' });

const monthOf = (at: string) => at.slice(0, 7);
const monthId = (learnerId: string, month: string) => `${learnerId}|${month}`;

/** Whose disclosures the caller may see: every school's, or only those read in the given ones. */
export type DisclosureScope = 'all' | string[];

/**
 * The service's disclosure log per learner, from its own store: one document per learner and month, and one that
 * lists the learner's months. Both are fetched by `_id` only. Idempotent: an entry is added once (by event id) and a
 * month's counts are recounted from its document, so a batch applied again changes nothing.
 */
@Injectable()
export class DisclosureLogProjection implements Projection {
  readonly name = 'disclosure-log';
  /** who read whose record, by id and role: no personal text */
  readonly keepsPersonalText = false;
  readonly generations: ReadModelGenerations;
  private readonly monthLogs: GenerationalCollection<MonthDocument>;
  private readonly monthLists: GenerationalCollection<MonthsDocument>;

  constructor(@InjectConnection() connection: Connection, @Inject(SERVICE_CONFIG) private readonly config: ResolvedConfig) {
    this.generations = new ReadModelGenerations(connection, this.name);
    this.monthLogs = this.generations.collection('DisclosureLogMonth', monthSchema);
    this.monthLists = this.generations.collection('DisclosureLogMonths', monthsSchema);
  }

  async apply(events: StoredEvent[]): Promise<void> {
    const byMonth = new Map<string, { learnerId: string; month: string; entries: StoredEntry[] }>();
    for (const event of events) {
      if (event.type !== DisclosureEvents.RecordDisclosed.type) continue;
      const data = event.data as unknown as RecordDisclosed;
      const month = monthOf(event.occurredAt);
      const id = monthId(data.learnerId, month);
      const group = byMonth.get(id) ?? byMonth.set(id, { learnerId: data.learnerId, month, entries: [] }).get(id)!;
      group.entries.push({
        eventId: event.eventId, at: event.occurredAt, schoolId: event.tenant.schoolId, reader: { userId: event.actor.userId, role: event.actor.role },
        record: data.record, route: data.route,
      });
    }
    const generation = await this.generations.writerGeneration();
    const [monthLogs, monthLists] = [this.monthLogs.of(generation), this.monthLists.of(generation)];
    for (const [id, { learnerId, month, entries }] of byMonth) {
      const stored = await monthLogs.findById(id).lean<MonthDocument>();
      const known = new Set(stored?.entries.map((e) => e.eventId));
      const added = entries.filter((e) => !known.has(e.eventId));
      const all = [...(stored?.entries ?? []), ...added];
      if (added.length) await monthLogs.updateOne({ _id: id }, { $set: { entries: all } }, { upsert: true });
      await this.countMonth(monthLists, learnerId, month, all);
    }
  }

  /** Empties the generation being written (tests that start afresh). */
  async reset(): Promise<void> {
    await this.generations.clearWriter();
  }

  /** One month of a learner's log as the caller may see it, newest first (the newest month when none is named). */
  async page(learnerId: string, scope: DisclosureScope, month?: string): Promise<DisclosureLogPage> {
    const visible = (schoolId: string) => scope === 'all' || scope.includes(schoolId);
    const generation = await this.generations.liveGeneration();
    const index = await this.monthLists.of(generation).findById(learnerId).lean<MonthsDocument>();
    const counts = new Map<string, number>();
    for (const m of index?.months ?? []) if (visible(m.schoolId)) counts.set(m.month, (counts.get(m.month) ?? 0) + m.count);
    const months = [...counts].filter(([, count]) => count > 0).map(([m, count]) => ({ month: m, count })).sort((a, b) => b.month.localeCompare(a.month));
    const shown = month ?? months[0]?.month ?? null;
    const doc = shown && counts.has(shown) ? await this.monthLogs.of(generation).findById(monthId(learnerId, shown)).lean<MonthDocument>() : null;
    const entries = (doc?.entries ?? []).filter((e) => visible(e.schoolId)).sort((a, b) => b.at.localeCompare(a.at) || b.eventId.localeCompare(a.eventId));
    return { service: this.config.service, learnerId, months, month: shown, entries: entries.map((e) => ({ ...e, service: this.config.service })) };
  }

  private async countMonth(monthLists: Model<MonthsDocument>, learnerId: string, month: string, entries: StoredEntry[]): Promise<void> {
    const perSchool = new Map<string, number>();
    for (const e of entries) perSchool.set(e.schoolId, (perSchool.get(e.schoolId) ?? 0) + 1);
    const index = await monthLists.findById(learnerId).lean<MonthsDocument>();
    const others = (index?.months ?? []).filter((m) => m.month !== month);
    const mine = [...perSchool].map(([schoolId, count]) => ({ month, schoolId, count }));
    const before = (index?.months ?? []).filter((m) => m.month === month);
    if (before.length === mine.length && mine.every((m) => before.some((b) => b.schoolId === m.schoolId && b.count === m.count))) return;
    await monthLists.updateOne({ _id: learnerId }, { $set: { months: [...others, ...mine] } }, { upsert: true });
  }
}
