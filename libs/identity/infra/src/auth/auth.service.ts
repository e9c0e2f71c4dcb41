import { Role } from '@cbme/contracts';
import { EVENT_STORE, EventStore, loadState } from '@cbme/event-sourcing';
import { rolesBySchool, userDecider, userStreamId } from '@cbme/identity-domain';
import { HttpException, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { Credentials } from './credentials';
import { SigningKeys } from './signing-keys';

export const AUTH_REDIS = Symbol('AUTH_REDIS');
export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

export interface AuthSettings {
  issuer: string;
  audience: string;
  institutionId: string;
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
  namespace: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const FAILED_LOGIN = 'invalid e-mail or password';

/**
 * Local sign-in and token refresh. Access tokens are short-lived EdDSA JWTs with the caller's roles per school,
 * read from the user's own event stream (never a stale copy). Refresh tokens are random, stored hashed in Redis,
 * single use. Failed sign-ins are limited per e-mail and address and never say whether the account exists.
 */
@Injectable()
export class AuthService {
  private readonly failures: RateLimiterRedis;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUTH_REDIS) private readonly redis: Redis,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly keys: SigningKeys,
    private readonly credentials: Credentials,
  ) {
    this.failures = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${settings.namespace}:login-failures`, points: 5, duration: 15 * 60 });
  }

  async login(email: string, password: string, address: string): Promise<TokenPair> {
    const key = `${email.toLowerCase()}|${address}`;
    const state = await this.failures.get(key);
    if (state && state.remainingPoints <= 0) throw this.tooMany(state);
    const userId = await this.credentials.check(email, password);
    if (!userId) {
      const after = await this.failures.consume(key).catch((limited: RateLimiterRes) => limited);
      if (after.remainingPoints <= 0 && after.consumedPoints > 5) throw this.tooMany(after);
      throw new UnauthorizedException(FAILED_LOGIN);
    }
    await this.failures.delete(key);
    return this.issue(userId);
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const userId = await this.redis.getdel(this.refreshKey(refreshToken));
    if (!userId) throw new UnauthorizedException('refresh token unknown, used or expired');
    return this.issue(userId);
  }

  /**
   * Tokens for a user whose identity was established elsewhere (password or single sign-on);
   * `refusal` is the message when the account is unknown, deactivated or holds no role.
   */
  async issue(userId: string, refusal = FAILED_LOGIN): Promise<TokenPair> {
    const schools = await this.rolesOf(userId);
    if (Object.keys(schools).length === 0) throw new UnauthorizedException(refusal);
    const accessToken = await this.keys.sign({ inst: this.settings.institutionId, schools }, userId, {
      issuer: this.settings.issuer, audience: this.settings.audience, ttlSeconds: this.settings.accessTokenSeconds,
    });
    const refreshToken = randomBytes(32).toString('base64url');
    await this.redis.set(this.refreshKey(refreshToken), userId, 'EX', this.settings.refreshTokenSeconds);
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.settings.accessTokenSeconds };
  }

  private async rolesOf(userId: string): Promise<Record<string, Role[]>> {
    const { state } = await loadState(this.store, userDecider, userStreamId(userId));
    return rolesBySchool(state);
  }

  private refreshKey(token: string) {
    return `${this.settings.namespace}:refresh:${sha256(token)}`;
  }

  private tooMany(state: RateLimiterRes) {
    return new HttpException(
      { statusCode: 429, error: 'Too Many Requests', message: `too many failed sign-ins; try again in ${Math.ceil(state.msBeforeNext / 1000)} s` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
