import { AuthSettings, SsoSettings } from '@cbme/identity-infra';
import { readSettings, ResolvedConfig } from '@cbme/service-runtime';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Min, ValidateIf } from 'class-validator';
import { BootstrapSettings } from './identity-bootstrap';

const HTTP_URL = /^https?:\/\/\S+$/;
const wholeSeconds = (name: string, minimum: number) => ({ message: `${name} must be a whole number of seconds >= ${minimum}` });

/** Settings only identity reads, on top of every service's (see ServiceConfig). */
export class IdentityConfig {
  @IsString() @IsNotEmpty()
  INSTITUTION_NAME = 'Demo University';

  @IsOptional() @IsEmail()
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @IsOptional() @IsString()
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  @Type(() => Number) @IsInt(wholeSeconds('ACCESS_TOKEN_SECONDS', 10)) @Min(10, wholeSeconds('ACCESS_TOKEN_SECONDS', 10))
  ACCESS_TOKEN_SECONDS = 900;

  @Type(() => Number) @IsInt(wholeSeconds('REFRESH_TOKEN_SECONDS', 10)) @Min(10, wholeSeconds('REFRESH_TOKEN_SECONDS', 10))
  REFRESH_TOKEN_SECONDS = 12 * 3600;

  @Type(() => Number) @IsInt(wholeSeconds('KEY_ACTIVATION_SECONDS', 0)) @Min(0, wholeSeconds('KEY_ACTIVATION_SECONDS', 0))
  KEY_ACTIVATION_SECONDS = 10;

  /** single sign-on is on exactly when this is set: the provider's issuer, where discovery starts */
  @IsOptional() @Matches(HTTP_URL, { message: 'OIDC_ISSUER_URL must be an http(s) URL' })
  OIDC_ISSUER_URL?: string;

  @ValidateIf((config: IdentityConfig) => config.OIDC_ISSUER_URL !== undefined)
  @IsString() @IsNotEmpty({ message: 'OIDC_CLIENT_ID must be set when OIDC_ISSUER_URL is' })
  OIDC_CLIENT_ID?: string;

  /** unset: a public client, PKCE only */
  @IsOptional() @IsString()
  OIDC_CLIENT_SECRET?: string;

  /** identity's callback as the provider knows it; default http://127.0.0.1:<PORT>/auth/sso/callback */
  @IsOptional() @Matches(HTTP_URL, { message: 'OIDC_REDIRECT_URL must be an http(s) URL' })
  OIDC_REDIRECT_URL?: string;
}

export interface IdentitySettings {
  bootstrap: BootstrapSettings;
  auth: AuthSettings;
  keyActivationSeconds: number;
  sso: SsoSettings | null;
}

/** Reads identity's own settings; an invalid one stops identity (exit 78) with a message naming it. */
export function loadIdentitySettings(config: ResolvedConfig, env: NodeJS.ProcessEnv = process.env): IdentitySettings {
  const own = readSettings(IdentityConfig, config.service, env);
  return {
    bootstrap: { institutionId: config.institutionId, institutionName: own.INSTITUTION_NAME, adminEmail: own.BOOTSTRAP_ADMIN_EMAIL, adminPassword: own.BOOTSTRAP_ADMIN_PASSWORD },
    auth: {
      issuer: config.auth.issuer, audience: config.auth.audience, institutionId: config.institutionId, namespace: config.namespace,
      accessTokenSeconds: own.ACCESS_TOKEN_SECONDS, refreshTokenSeconds: own.REFRESH_TOKEN_SECONDS,
    },
    keyActivationSeconds: own.KEY_ACTIVATION_SECONDS,
    sso: own.OIDC_ISSUER_URL
      ? {
          issuerUrl: own.OIDC_ISSUER_URL,
          clientId: own.OIDC_CLIENT_ID as string,
          clientSecret: own.OIDC_CLIENT_SECRET,
          redirectUrl: own.OIDC_REDIRECT_URL ?? `http://127.0.0.1:${config.port}/auth/sso/callback`,
          namespace: config.namespace,
        }
      : null,
  };
}
