import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ArrayMaxSize, IsOptional, IsString, MaxLength } from 'class-validator';
import { buildAsyncApiDocument, schemaChangesWithoutNewVersion } from './asyncapi';
import { defineEvent } from './catalog';
import { catalogText, readCommittedCatalog } from './catalog-file';
import { FeedbackEvents } from './feedback/feedback.events';
import { allPublicEvents, publicCatalog } from './public-catalog';

const generated = buildAsyncApiDocument();
const committed = readCommittedCatalog();

/** The public events with one definition replaced. */
const replacing = (replacement: (typeof allPublicEvents)[number]) => allPublicEvents.map((d) => (d.type === replacement.type ? replacement : d));

describe('the event catalog (docs/asyncapi.json)', () => {
  it('is a valid AsyncAPI 3.0 document, read without fetching anything', async () => {
    const remote: string[] = [];
    // a resolver of ours answers first for every scheme, so the parser's own http and file readers are never asked
    const refuse = (schema: string) => ({ schema, order: 1, read: (uri: { toString(): string }) => { remote.push(uri.toString()); return '{}'; } });
    const parser = new Parser({ __unstable: { resolver: { resolvers: ['http', 'https', 'file'].map(refuse) } } });
    const { document, diagnostics } = await parser.parse(catalogText(committed));
    // a hint remains: AsyncAPI 3.1 exists (the issue asks for 3.0)
    expect(diagnostics.filter((d) => d.severity <= DiagnosticSeverity.Warning).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(remote).toEqual([]);
    expect(JSON.stringify(committed).match(/"\$ref":"(?!#\/)[^"]*"/g)).toBeNull();
    expect(document?.version()).toBe('3.0.0');
    // every event type, and the transport key
    expect(document?.messages().length).toBe(allPublicEvents.length + 1);
    const feedbackEvents = document?.channels().get('feedbackEvents');
    expect(feedbackEvents?.address()).toBe('{prefix}.feedback.events');
    const goalSet = feedbackEvents?.messages().get('feedback.goal-set');
    expect(goalSet?.bindings().get('kafka')?.value()).toMatchObject({ key: { type: 'string' } });
    // a consumer learns from the document which fields travel sealed, whose they are, and where the keys are
    expect(goalSet?.extensions().get('x-personal')?.value()).toMatchObject({ fields: ['description', 'measureOfSuccess'], subject: 'learnerId', encoding: expect.stringContaining('tpt1:') });
    expect(document?.channels().get('feedbackTransportKeys')?.address()).toBe('{prefix}.feedback.transport-keys');
  });

  it('equals the one generated from the contracts (if not: run `npm run catalog` and commit docs/asyncapi.json)', () => {
    expect(catalogText(committed) === catalogText(generated) || 'docs/asyncapi.json is not the generated catalog: run `npm run catalog`').toBe(true);
  });

  it('has every event type with its schema version, topic and payload schema', () => {
    for (const d of allPublicEvents) {
      expect(generated.components.schemas[`${d.type}.v${d.schemaVersion}`]).toMatchObject({ type: 'object', additionalProperties: false });
      expect(generated.components.messages[d.type]).toMatchObject({ title: `${d.type} v${d.schemaVersion}` });
    }
    expect(generated.components.schemas['feedback.goal-set.v3'].properties?.visibility).toEqual({ type: 'string', enum: ['shared', 'private'] });
  });

  it('takes the events the contracts take and refuses what they refuse (checked with Ajv)', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const { payload } = generated.components.messages['feedback.goal-set'] as { payload: object };
    const validate = ajv.compile({ ...payload, components: generated.components });
    const goalSet = {
      envelopeVersion: 2, recordedAt: '2026-09-01T10:00:00.000Z', eventId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', type: 'feedback.goal-set', schemaVersion: 3,
      streamId: 'goal-g1', streamVersion: 1, occurredAt: '2026-09-01T10:00:00.000Z', tenant: { institutionId: 'inst-1', schoolId: 'med' },
      actor: { userId: 'learner-1', role: 'learner' }, correlationId: 'corr-1', causationId: null,
      data: { goalId: 'g1', learnerId: 'learner-1', description: 'Present cases concisely', measureOfSuccess: null, competencies: ['ICS'], targetDate: '2026-12-01', visibility: 'shared' },
    };
    expect(publicCatalog().parse(goalSet).ok).toBe(true);
    expect(validate(goalSet) || validate.errors).toBe(true);
    const refused = [
      { ...goalSet, data: { ...goalSet.data, visibility: 'public' } },
      { ...goalSet, data: { ...goalSet.data, note: 'not in the contract' } },
      { ...goalSet, data: { ...goalSet.data, competencies: 'ICS' } },
      { ...goalSet, streamVersion: 0 },
      { ...goalSet, occurredAt: 'yesterday' },
    ];
    for (const event of refused) {
      expect(publicCatalog().parse(event).ok).toBe(false);
      expect(validate(event)).toBe(false);
    }
    expect(validate({ ...goalSet, type: 'feedback.goal-revised' })).toBe(false);
  });

  it('has no payload schema changed under a schema version the committed document already has', () => {
    expect(schemaChangesWithoutNewVersion(committed, generated)).toEqual([]);
  });

  describe('the schema-version check', () => {
    const GoalSet = FeedbackEvents.GoalSet;

    it('names the event type whose field changed under the same schema version', () => {
      class FewerCompetencies extends GoalSet.schema {
        @ArrayMaxSize(10) @IsString({ each: true }) declare competencies: string[];
      }
      const changed = buildAsyncApiDocument(replacing(defineEvent(GoalSet.type, FewerCompetencies, { schemaVersion: GoalSet.schemaVersion, upcasters: GoalSet.upcasters })));
      expect(changed.components.schemas['feedback.goal-set.v3'].properties?.competencies).toMatchObject({ maxItems: 10 });
      expect(schemaChangesWithoutNewVersion(committed, changed)).toEqual([
        'feedback.goal-set (schema version 3): the payload schema changed under the same schema version: raise its schemaVersion and add an upcaster',
      ]);
    });

    it('names the event type that gained a field under the same schema version, and accepts it under a new one', () => {
      class WithNote extends GoalSet.schema {
        @IsOptional() @IsString() @MaxLength(200) note?: string;
      }
      const sameVersion = buildAsyncApiDocument(replacing(defineEvent(GoalSet.type, WithNote, { schemaVersion: GoalSet.schemaVersion })));
      expect(schemaChangesWithoutNewVersion(committed, sameVersion)).toEqual([expect.stringContaining('feedback.goal-set (schema version 3)')]);
      const newVersion = buildAsyncApiDocument(replacing(defineEvent(GoalSet.type, WithNote, { schemaVersion: GoalSet.schemaVersion + 1 })));
      expect(schemaChangesWithoutNewVersion(committed, newVersion)).toEqual([]);
    });
  });
});
