import { BadRequestException, Inject, Injectable, Logger, NotFoundException, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { BaseClient, CallbackParamsType, errors, generators, Issuer } from 'openid-client';
import { AUTH_REDIS, AuthService, TokenPair } from './auth.service';
import { Credentials } from './credentials';

export const SSO_SETTINGS = Symbol('SSO_SETTINGS');

/** The institution's OpenID Connect provider; `null` when single sign-on is off. */
export interface SsoSettings {
  issuerUrl: string;
  clientId: string;
  /** absent: a public client that proves itself with PKCE alone (token_endpoint_auth_method "none") */
  clientSecret?: string;
  /** identity's own callback, registered at the provider */
  redirectUrl: string;
  namespace: string;
}

/** What the callback receives from the provider (RFC 6749 4.1.2, RFC 9207 `iss`, OIDC session management). */
export interface SsoCallback {
  state: string;
  code?: string;
  iss?: string;
  session_state?: string;
  error?: string;
  error_description?: string;
  error_uri?: string;
}

interface Attempt {
  codeVerifier: string;
  nonce: string;
  returnTo?: string;
}

const ATTEMPT_SECONDS = 10 * 60;
const NO_ACCOUNT = 'single sign-on failed: no active account for this identity';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Single sign-on with the institution's identity provider: OpenID Connect authorization code flow with PKCE
 * (S256), state and nonce, through openid-client. Each attempt's verifier and nonce stay in Redis under the
 * hashed `state` for ten minutes and are taken exactly once (GETDEL), so a callback cannot be replayed.
 * The provider's verified `email` picks an account registered here; nobody is created on the fly, and an
 * unknown, unverified or deactivated identity gets one message that does not say which it was.
 */
@Injectable()
export class SsoService {
  private readonly logger = new Logger(SsoService.name);
  private client?: Promise<BaseClient>;

  constructor(
    @Inject(SSO_SETTINGS) private readonly settings: SsoSettings | null,
    @Inject(AUTH_REDIS) private readonly redis: Redis,
    private readonly auth: AuthService,
    private readonly credentials: Credentials,
  ) {}

  /** The provider's authorization URL for a new attempt. */
  async start(returnTo?: string): Promise<string> {
    const settings = this.enabled();
    const client = await this.discovered();
    const attempt: Attempt = { codeVerifier: generators.codeVerifier(), nonce: generators.nonce(), returnTo };
    const state = generators.state();
    await this.redis.set(this.attemptKey(state), JSON.stringify(attempt), 'EX', ATTEMPT_SECONDS);
    return client.authorizationUrl({
      scope: 'openid email',
      redirect_uri: settings.redirectUrl,
      code_challenge: generators.codeChallenge(attempt.codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce: attempt.nonce,
    });
  }

  /** Completes an attempt: exchanges the code, checks the id token, and signs the matching account in. */
  async complete(callback: SsoCallback): Promise<TokenPair & { returnTo?: string }> {
    const settings = this.enabled();
    const client = await this.discovered();
    const stored = await this.redis.getdel(this.attemptKey(callback.state));
    if (!stored) throw new BadRequestException('single sign-on attempt unknown, already used or expired; start again at /auth/sso/start');
    const attempt = JSON.parse(stored) as Attempt;
    const params = Object.fromEntries(Object.entries(callback).filter(([, value]) => value !== undefined)) as CallbackParamsType;
    const claims = await this.verifiedClaims(client, settings, params, attempt);
    const userId = claims ? await this.credentials.userIdOf(claims.email) : null;
    if (!userId) throw new UnauthorizedException(NO_ACCOUNT);
    const tokens = await this.auth.issue(userId, NO_ACCOUNT);
    return attempt.returnTo ? { ...tokens, returnTo: attempt.returnTo } : tokens;
  }

  /** The e-mail the provider vouches for; null when it gives none or says it is not verified. */
  private async verifiedClaims(client: BaseClient, settings: SsoSettings, params: CallbackParamsType, attempt: Attempt): Promise<{ email: string } | null> {
    try {
      const tokens = await client.callback(settings.redirectUrl, params, { state: params.state, nonce: attempt.nonce, code_verifier: attempt.codeVerifier, response_type: 'code' });
      let claims: Record<string, unknown> = tokens.claims();
      // many providers put e-mail only in userinfo for the code flow; openid-client checks its `sub` matches the id token's
      if (typeof claims['email'] !== 'string' && tokens.access_token) claims = { ...claims, ...(await client.userinfo(tokens)) };
      const email = claims['email'];
      if (typeof email !== 'string' || (claims['email_verified'] !== undefined && claims['email_verified'] !== true)) return null;
      return { email };
    } catch (error) {
      if (error instanceof errors.OPError) {
        throw new UnauthorizedException(`the identity provider refused the sign-in: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}`);
      }
      if (error instanceof errors.RPError) throw new UnauthorizedException(`single sign-on response rejected: ${error.message}`);
      this.logger.warn(`identity provider unreachable: ${(error as Error).message}`);
      throw new ServiceUnavailableException('the identity provider is unreachable; try again later');
    }
  }

  /** Discovery runs once, on first use; a failure is retried on the next request rather than stopping identity. */
  private discovered(): Promise<BaseClient> {
    const settings = this.enabled();
    this.client ??= Issuer.discover(settings.issuerUrl).then((issuer) =>
      new issuer.Client({
        client_id: settings.clientId,
        ...(settings.clientSecret ? { client_secret: settings.clientSecret, token_endpoint_auth_method: 'client_secret_basic' } : { token_endpoint_auth_method: 'none' }),
        redirect_uris: [settings.redirectUrl],
        response_types: ['code'],
      }),
    );
    return this.client.catch((error: Error) => {
      this.client = undefined;
      this.logger.warn(`OpenID Connect discovery at ${settings.issuerUrl} failed: ${error.message}`);
      throw new ServiceUnavailableException('the identity provider is unreachable; try again later');
    });
  }

  private enabled(): SsoSettings {
    if (!this.settings) throw new NotFoundException('single sign-on is not configured');
    return this.settings;
  }

  private attemptKey(state: string) {
    return `${this.settings?.namespace}:sso-attempt:${sha256(state)}`;
  }
}
