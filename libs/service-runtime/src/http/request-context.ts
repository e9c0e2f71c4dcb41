import { EventMetadata, Role } from '@cbme/contracts';
import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';

/**
 * Who is calling, in which school and role, and the ids that tie their request to the events it causes.
 * Set by the AuthGuard from a verified access token.
 */
export interface RequestContext {
  userId: string;
  /** the role this request acts in */
  role: Role;
  /** every role the caller holds in this school */
  roles: Role[];
  institutionId: string;
  /** "*" for an institution admin acting institution-wide */
  schoolId: string;
  correlationId: string;
  /** the instant the request was accepted: the domain's only clock */
  receivedAt: string;
}

export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext => {
  const caller = ctx.switchToHttp().getRequest().caller as RequestContext | undefined;
  if (!caller) throw new UnauthorizedException('this route needs an access token');
  return caller;
});

/**
 * Event metadata for a command caused directly by an HTTP request: always live (never `backdated`, whatever the body
 * says), so the store stamps its events' occurredAt and recordedAt with one clock read.
 */
export function metadataOf(caller: RequestContext): EventMetadata {
  return {
    occurredAt: caller.receivedAt,
    tenant: { institutionId: caller.institutionId, schoolId: caller.schoolId },
    actor: { userId: caller.userId, role: caller.role },
    correlationId: caller.correlationId,
    causationId: null,
  };
}
