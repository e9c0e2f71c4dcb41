import { AuditKeyRing } from '@cbme/event-sourcing';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.guard';
import { ApiResult, schema as s } from '../http/openapi';
import { AUDIT_KEYS } from '../event-sourcing/tokens';

const KEY = s.object({
  kty: s.enum(['OKP']), crv: s.enum(['Ed25519']), x: s.string('11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'),
  kid: s.string('audit-2026-12-01-1a2b3c4d'), alg: s.enum(['EdDSA']), use: s.enum(['sig']),
});

/** The public audit keys that sign this service's event store checkpoints, like a JWKS: old keys stay listed. */
@ApiTags('audit')
@Public()
@Controller('.well-known')
export class AuditKeysController {
  constructor(@Inject(AUDIT_KEYS) private readonly keys: AuditKeyRing) {}

  @Get('audit-keys')
  @ApiResult(s.object({ keys: s.array(KEY) }), 'the Ed25519 public keys of the signed checkpoints, newest last')
  auditKeys() {
    return this.keys.publicKeys();
  }
}
