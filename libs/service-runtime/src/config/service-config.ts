import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { describeErrors } from '@cbme/contracts';
import path from 'node:path';

/** Settings every service reads from its environment; defaults fit the local stack in infra/. */
export class ServiceConfig {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  PORT?: number;

  @Matches(/^[\w.-]+:\d+(,[\w.-]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS = '127.0.0.1:9092';

  @Matches(/^mongodb(\+srv)?:\/\/\S+$/, { message: 'MONGO_URL must be a mongodb:// URL' })
  MONGO_URL = 'mongodb://127.0.0.1:27017';

  @IsOptional() @IsString() @Matches(/^[\w-]+$/, { message: 'MONGO_DB may only hold letters, digits, _ and -' })
  MONGO_DB?: string;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** prefixes Kafka topics, consumer groups and BullMQ queues, so deployments and test runs can share servers */
  @IsString() @IsNotEmpty() @Matches(/^[a-z0-9-]+$/, { message: 'CBME_NAMESPACE may only hold a-z, 0-9 and -' })
  CBME_NAMESPACE = 'cbme';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Type(() => Number) @IsInt() @Min(10) @Max(60_000)
  PROJECTION_POLL_MS = 100;

  /** how often a busy projection saves its checkpoint at most (it always does once caught up); 0: after every batch */
  @Type(() => Number) @IsInt() @Min(0) @Max(60_000)
  PROJECTION_CHECKPOINT_MS = 1_000;

  /**
   * the leases under which one instance of a service runs each projection, the relay and the other once-per-service
   * work (README, "Replicas"): unrenewed for LEASE_TTL_MS the lease is free; its holder renews every LEASE_RENEW_MS
   * and gives it up by its own clock before the TTL ends; the other instances try to take it every LEASE_RETRY_MS.
   * Failover after a holder's death takes at most about TTL + retry.
   */
  @Type(() => Number) @IsInt() @Min(500) @Max(600_000)
  LEASE_TTL_MS = 5_000;

  @Type(() => Number) @IsInt() @Min(100) @Max(300_000)
  LEASE_RENEW_MS = 1_500;

  @Type(() => Number) @IsInt() @Min(100) @Max(300_000)
  LEASE_RETRY_MS = 1_000;

  /** the one institution this deployment serves; tokens of another are refused */
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'INSTITUTION_ID must be a lower-case slug' })
  INSTITUTION_ID = 'demo-university';

  @Matches(/^https?:\/\/\S+$/, { message: 'AUTH_JWKS_URL must be an http(s) URL' })
  AUTH_JWKS_URL = 'http://127.0.0.1:3001/.well-known/jwks.json';

  @IsString() @IsNotEmpty()
  AUTH_ISSUER = 'cbme-identity';

  @IsString() @IsNotEmpty()
  AUTH_AUDIENCE = 'cbme';

  /**
   * the proxies whose X-Forwarded-For names the client (Express's "trust proxy": loopback, linklocal,
   * uniquelocal, addresses, CIDRs); unset: the peer is the client. Sign-in limits count per client address.
   */
  @IsOptional() @Matches(/^(loopback|linklocal|uniquelocal|[\da-fA-F.:]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[\da-fA-F.:]+(\/\d{1,3})?))*$/, {
    message: 'TRUST_PROXY must be a comma-separated list of loopback, linklocal, uniquelocal, addresses or CIDRs',
  })
  TRUST_PROXY?: string;

  /** the audit key file (Ed25519, created on first start); default .local/audit-keys/<database>.json, never in git */
  @IsOptional() @IsString() @IsNotEmpty()
  AUDIT_KEYS_FILE?: string;

  /**
   * the master key (32 bytes, base64) that wraps the data keys of personal fields; unset: one generated into
   * PERSONAL_DATA_MASTER_KEY_FILE (default .local/data-keys/<database>.key, never in git), for local development
   */
  @IsOptional() @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'PERSONAL_DATA_MASTER_KEY must be 32 bytes in base64' })
  PERSONAL_DATA_MASTER_KEY?: string;

  @IsOptional() @IsString() @IsNotEmpty()
  PERSONAL_DATA_MASTER_KEY_FILE?: string;

  /**
   * the key (32 bytes, base64) shared by every service of the deployment that wraps the transport keys on the key
   * topics; unset: read from, or generated into, TRANSPORT_MASTER_KEY_FILE (default .local/data-keys/<namespace>.transport.key)
   */
  @IsOptional() @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'TRANSPORT_MASTER_KEY must be 32 bytes in base64' })
  TRANSPORT_MASTER_KEY?: string;

  @IsOptional() @IsString() @IsNotEmpty()
  TRANSPORT_MASTER_KEY_FILE?: string;

  /** a signed checkpoint once this many positions are unsigned, or this long after the last one */
  @Type(() => Number) @IsInt() @Min(1)
  AUDIT_CHECKPOINT_POSITIONS = 1_000;

  @Type(() => Number) @IsInt() @Min(1_000)
  AUDIT_CHECKPOINT_MS = 60_000;

  /** how often the disclosure log appends the reads it buffered (README, "Disclosure log"): at most this long is lost on a crash */
  @Type(() => Number) @IsInt() @Min(50) @Max(60_000)
  DISCLOSURE_FLUSH_MS = 1_000;
}

export interface ResolvedConfig {
  service: string;
  port: number;
  kafkaBrokers: string[];
  mongoUrl: string;
  mongoDb: string;
  redisUrl: string;
  namespace: string;
  logLevel: string;
  projectionPollMs: number;
  projectionCheckpointMs: number;
  lease: { ttlMs: number; renewMs: number; retryMs: number };
  institutionId: string;
  auth: { jwksUrl: string; issuer: string; audience: string };
  /** Express's "trust proxy", when set */
  trustProxy?: string;
  /** signed checkpoints of the event stores (docs/tamper-evidence.md) */
  audit: { keysFile: string; everyPositions: number; everyMs: number; disclosureFlushMs: number };
  /** the master key of the personal fields' data keys (README, "Erasure") */
  personalData: { masterKey?: string; masterKeyFile: string; transportMasterKey?: string; transportMasterKeyFile: string };
}

export class InvalidConfigError extends Error {}

/** Reads and checks the environment; a bad setting stops the service with a message naming it. */
export function loadServiceConfig(service: string, defaultPort: number, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const known = Object.keys(new ServiceConfig());
  const optional = ['PORT', 'MONGO_DB', 'TRUST_PROXY', 'AUDIT_KEYS_FILE', 'PERSONAL_DATA_MASTER_KEY', 'PERSONAL_DATA_MASTER_KEY_FILE', 'TRANSPORT_MASTER_KEY', 'TRANSPORT_MASTER_KEY_FILE'];
  const relevant = Object.fromEntries(Object.entries(env).filter(([key, value]) => (known.includes(key) || optional.includes(key)) && value !== ''));
  const config = readSettings(ServiceConfig, service, relevant);
  if (config.LEASE_RENEW_MS * 2 > config.LEASE_TTL_MS) {
    throw new InvalidConfigError(`${service}: invalid configuration: LEASE_RENEW_MS must be at most half of LEASE_TTL_MS, so that one missed renewal keeps the lease`);
  }
  const mongoDb = config.MONGO_DB ?? `${config.CBME_NAMESPACE.replace(/-/g, '_')}_${service}`;
  return {
    service,
    port: config.PORT ?? defaultPort,
    kafkaBrokers: config.KAFKA_BROKERS.split(','),
    mongoUrl: config.MONGO_URL,
    mongoDb,
    redisUrl: config.REDIS_URL,
    namespace: config.CBME_NAMESPACE,
    logLevel: config.LOG_LEVEL,
    projectionPollMs: config.PROJECTION_POLL_MS,
    projectionCheckpointMs: config.PROJECTION_CHECKPOINT_MS,
    lease: { ttlMs: config.LEASE_TTL_MS, renewMs: config.LEASE_RENEW_MS, retryMs: config.LEASE_RETRY_MS },
    institutionId: config.INSTITUTION_ID,
    auth: { jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE },
    ...(config.TRUST_PROXY ? { trustProxy: config.TRUST_PROXY } : {}),
    audit: {
      keysFile: config.AUDIT_KEYS_FILE ?? path.join('.local', 'audit-keys', `${mongoDb}.json`),
      everyPositions: config.AUDIT_CHECKPOINT_POSITIONS,
      everyMs: config.AUDIT_CHECKPOINT_MS,
      disclosureFlushMs: config.DISCLOSURE_FLUSH_MS,
    },
    personalData: {
      ...(config.PERSONAL_DATA_MASTER_KEY ? { masterKey: config.PERSONAL_DATA_MASTER_KEY } : {}),
      masterKeyFile: config.PERSONAL_DATA_MASTER_KEY_FILE ?? path.join('.local', 'data-keys', `${mongoDb}.key`),
      ...(config.TRANSPORT_MASTER_KEY ? { transportMasterKey: config.TRANSPORT_MASTER_KEY } : {}),
      transportMasterKeyFile: config.TRANSPORT_MASTER_KEY_FILE ?? path.join('.local', 'data-keys', `${config.CBME_NAMESPACE}.transport.key`),
    },
  };
}

/**
 * Reads the settings a class-validator `schema` declares (defaults from its initialisers, empty values
 * count as unset) and refuses invalid ones with a message naming them. Services use it for their own settings too.
 */
export function readSettings<T extends object>(schema: new () => T, service: string, env: NodeJS.ProcessEnv = process.env): T {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const settings = plainToInstance(schema, set, { exposeDefaultValues: true });
  const errors = validateSync(settings);
  if (errors.length > 0) throw new InvalidConfigError(`${service}: invalid configuration: ${describeErrors(errors)}`);
  return settings;
}

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
