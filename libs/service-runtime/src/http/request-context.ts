import { EventMetadata, ROLES, Role } from '@cbme/contracts';
import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Request } from 'express';

/**
 * Who is calling, for which school, and the ids that tie their request to the events it causes.
 * Until the identity issue brings signed tokens, the caller is named by headers:
 * x-user-id, x-user-role, x-institution-id, x-school-id (x-correlation-id optional).
 */
export interface RequestContext {
  userId: string;
  role: Role;
  institutionId: string;
  schoolId: string;
  correlationId: string;
  /** the instant the request was accepted: the domain's only clock */
  receivedAt: string;
}

const ID = /^[\w.@:-]{1,128}$|^\*$/;

export function readRequestContext(request: Request): RequestContext {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value.trim() : undefined;
  };
  const missing = ['x-user-id', 'x-user-role', 'x-institution-id', 'x-school-id'].filter((h) => !header(h) || !ID.test(header(h)!));
  if (missing.length > 0) throw new UnauthorizedException(`missing or malformed caller headers: ${missing.join(', ')}`);
  const role = header('x-user-role') as Role;
  if (!ROLES.includes(role) || role === 'system') throw new UnauthorizedException(`unknown role ${role}`);
  if (header('x-school-id') === '*' && role !== 'institution-admin') throw new UnauthorizedException('only an institution admin acts institution-wide (x-school-id: *)');
  const correlation = header('x-correlation-id');
  return {
    userId: header('x-user-id')!,
    role,
    institutionId: header('x-institution-id')!,
    schoolId: header('x-school-id')!,
    correlationId: correlation && ID.test(correlation) ? correlation : (request.id as string | undefined) ?? randomUUID(),
    receivedAt: new Date().toISOString(),
  };
}

export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext) => readRequestContext(ctx.switchToHttp().getRequest()));

/** Event metadata for a command caused directly by an HTTP request. */
export function metadataOf(caller: RequestContext): EventMetadata {
  return {
    occurredAt: caller.receivedAt,
    tenant: { institutionId: caller.institutionId, schoolId: caller.schoolId },
    actor: { userId: caller.userId, role: caller.role },
    correlationId: caller.correlationId,
    causationId: null,
  };
}
