import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { createRemoteJWKSet, JWTVerifyGetKey } from 'jose';
import { randomUUID } from 'node:crypto';
import { ResolvedConfig, SERVICE_CONFIG } from '../config/service-config';
import { RequestContext } from '../http/request-context';
import { InvalidTokenError, resolveActing, verifyAccessToken } from './access-token';

export const PUBLIC = 'cbme:public';
/** Marks a route (or controller) that needs no token: health, login, JWKS, refresh. */
export const Public = () => SetMetadata(PUBLIC, true);

/**
 * Every request needs a valid access token, verified here with identity's published keys (JWKS, cached;
 * an unknown key id triggers one refetch, which is how key rotation needs no downtime).
 * 401: no, forged, expired or foreign token. 403: a valid token without a role in the named school.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    private readonly reflector: Reflector,
    @Inject(SERVICE_CONFIG) private readonly config: ResolvedConfig,
  ) {
    this.keys = createRemoteJWKSet(new URL(config.auth.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 5_000 });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<Request & { caller?: RequestContext }>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw new UnauthorizedException('send an access token: Authorization: Bearer <token>');
    let claims;
    try {
      claims = await verifyAccessToken(token, this.keys, { ...this.config.auth, institutionId: this.config.institutionId });
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(error.message);
      throw error;
    }
    const header = (name: string) => (typeof request.headers[name] === 'string' ? (request.headers[name] as string).trim() : undefined) || undefined;
    const acting = resolveActing(claims, header('x-school-id'), header('x-acting-role'));
    if ('refused' in acting) throw new ForbiddenException(acting.refused);
    const correlation = header('x-correlation-id');
    request.caller = {
      userId: claims.sub,
      role: acting.role,
      roles: acting.roles,
      institutionId: claims.inst,
      schoolId: acting.schoolId,
      correlationId: correlation && /^[\w.@:-]{1,128}$/.test(correlation) ? correlation : (request.id as string | undefined) ?? randomUUID(),
      receivedAt: new Date().toISOString(),
    };
    return true;
  }
}
