import { REDIS, ResolvedConfig, SERVICE_CONFIG } from '@cbme/service-runtime';
import { CanActivate, ExecutionContext, HttpException, Inject, Injectable } from '@nestjs/common';
import { Request } from 'express';
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** Requests per client address to the public link routes in 15 minutes: plenty to read, answer or decline. */
export const LINK_REQUESTS_PER_WINDOW = 30;
export const LINK_RATE_LIMITER = Symbol('LINK_RATE_LIMITER');

export const linkRateLimiter = (redis: Redis, namespace: string, points = LINK_REQUESTS_PER_WINDOW) =>
  new RateLimiterRedis({ storeClient: redis, keyPrefix: `${namespace}:feedback-link-requests`, points, duration: 15 * 60 });

/**
 * The routes behind an external assessor's link need no sign-in, so a guessed or stolen token could be tried at
 * will: like identity's sign-in, each client address gets a budget per window (429 with the wait once spent).
 */
@Injectable()
export class LinkRateLimitGuard implements CanActivate {
  constructor(@Inject(LINK_RATE_LIMITER) private readonly limiter: RateLimiterRedis) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    try {
      await this.limiter.consume(address);
      return true;
    } catch (limited) {
      if (!(limited instanceof RateLimiterRes)) throw limited;
      throw new HttpException(
        { statusCode: 429, error: 'Too Many Requests', message: `too many requests for feedback links; try again in ${Math.ceil(limited.msBeforeNext / 1000)} s` }, 429,
      );
    }
  }
}

export const linkRateLimitProvider = {
  provide: LINK_RATE_LIMITER,
  inject: [REDIS, SERVICE_CONFIG],
  useFactory: (redis: Redis, config: ResolvedConfig) => linkRateLimiter(redis, config.namespace),
};
