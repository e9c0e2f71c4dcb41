import { BadRequestException, Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../http/ids';
import { ApiResult, schema as s } from '../http/openapi';
import { Caller, RequestContext } from '../http/request-context';
import { Discloses } from '../disclosure/discloses';
import { AuditExporter } from './audit-exporter';
import { LEARNER_STREAMS, LearnerStreams } from './learner-streams';

const HEX = (example: string) => s.string(example, { pattern: '^[0-9a-f]{64}$' });
const CHECKPOINT = s.object({
  _id: s.string('4', { description: 'its sequence number' }), store: s.string('events'), from: s.integer(3001), to: s.integer(4000),
  events: s.integer(1012), root: HEX('9f2c0e6a4b1d8e7f3a5c2b9d0e1f4a6b8c7d5e3f2a1b0c9d8e7f6a5b4c3d2e1f'), kid: s.string('audit-2026-12-01-1a2b3c4d'),
  alg: s.enum(['EdDSA']), signedAt: s.instant(), signature: s.string('base64url Ed25519 signature'),
});
const PART = s.object({
  format: s.enum(['cbme-audit-export-part/1']), service: s.string('feedback'), store: s.string('events'), schoolId: s.string('medicine'),
  learnerId: s.string('lea-1'), exportedAt: s.instant(),
  streams: s.array(s.object({
    streamId: s.string('feedback-plan-medicine-lea-1'),
    whole: s.boolean(true),
    events: s.array(s.object({
      position: s.integer(3456),
      previousHash: HEX('0000000000000000000000000000000000000000000000000000000000000000'),
      event: s.any('the event as stored, with its hash'),
      proof: s.nullable(s.object({ checkpoint: s.string('4'), leafIndex: s.integer(455), auditPath: s.array(HEX('5d41402abc4b2a76b9719d911017c592ae0f0a6c3b1e3c2b9d0e1f4a6b8c7d5e')) })),
    }, ['previousHash'])),
  })),
  checkpoints: s.array(CHECKPOINT),
  notYetCovered: s.integer(2),
  keys: s.array(s.object({ kty: s.enum(['OKP']), crv: s.enum(['Ed25519']), x: s.string('11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'), kid: s.string('audit-2026-12-01-1a2b3c4d'), alg: s.enum(['EdDSA']), use: s.enum(['sig']) })),
});

/** Who may export a learner's record: an institution admin acting in a school, or that school's admin. */
export const mayExportLearner = (caller: RequestContext) => caller.role === 'institution-admin' || caller.role === 'school-admin';

/**
 * This service's part of a learner's verifiable export (docs/tamper-evidence.md, "Verifiable export"): every event of
 * its own store about the learner, as stored, with inclusion proofs in the signed checkpoints and the public keys.
 * Anyone but an admin gets the 404 of an unknown learner, decided before anything is read.
 */
@ApiTags('audit')
@Controller('learners')
export class AuditExportController {
  constructor(private readonly exporter: AuditExporter, private readonly moduleRef: ModuleRef) {}

  @Get(':learnerId/audit-export')
  @Discloses('audit-export')
  @ApiResult(PART, "this service's part of the learner's verifiable export; the export is recorded")
  async export(@Caller() caller: RequestContext, @Param('learnerId', ParseIdPipe) learnerId: string) {
    const unknown = new NotFoundException('no such learner in this school');
    if (!mayExportLearner(caller)) throw unknown;
    if (caller.schoolId === '*') throw new BadRequestException('name the learner\'s school in x-school-id');
    const streams = this.learnerStreams();
    const found = streams ? await streams.of(caller.schoolId, learnerId) : { whole: [], shared: [] };
    if (!found) throw unknown;
    return this.exporter.export(caller, learnerId, found);
  }

  private learnerStreams(): LearnerStreams | undefined {
    try {
      return this.moduleRef.get<LearnerStreams>(LEARNER_STREAMS, { strict: false });
    } catch {
      return undefined;
    }
  }
}
