import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Max, Min, ValidateIf, ValidateNested,
} from 'class-validator';
import { ROLES, Role } from './roles';

/** Who the event belongs to: every event is scoped to one school of one institution. */
export interface Tenant {
  institutionId: string;
  schoolId: string;
}

/** Who caused it. `system` is used for process managers and imports. */
export interface Actor {
  userId: string;
  role: Role;
}

/** The context every event carries, whatever its type. */
export interface EventContext {
  /** when it happened in the world */
  occurredAt: string;
  tenant: Tenant;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
}

/** What a command is given besides its input: the context of the events it causes. */
export interface EventMetadata extends EventContext {
  /**
   * The instant the command is judged at ("now" for its decider's date rules). A live command's events are then
   * stamped by the store with one clock read (occurredAt = recordedAt); a backdated one's keep this occurredAt.
   */
  occurredAt: string;
  /**
   * Only for trusted internal callers (a history import), never set from an HTTP request: the command happened at
   * `occurredAt`, an earlier date from its source record (see `backdated` in @cbme/event-sourcing).
   */
  backdated?: true;
}

/**
 * Version 1 had no `envelopeVersion` and no `recordedAt`; version 2 added both (v1 reads as recordedAt = occurredAt,
 * see upcastEnvelope). The payload has its own `schemaVersion` per type.
 */
export const ENVELOPE_VERSION = 2;

/** An event as stored and as published on Kafka (always the current envelope version once read). */
export interface EventEnvelope<TType extends string = string, TData = unknown> extends EventContext {
  envelopeVersion: number;
  /** when the platform stored it: set by the event store's append, never by the caller */
  recordedAt: string;
  eventId: string;
  type: TType;
  schemaVersion: number;
  streamId: string;
  streamVersion: number;
  data: TData;
}

class TenantSchema implements Tenant {
  @IsString() @IsNotEmpty() institutionId: string;
  @IsString() @IsNotEmpty() schoolId: string;
}

class ActorSchema implements Actor {
  @IsString() @IsNotEmpty() userId: string;
  @IsIn(ROLES) role: Role;
}

/** Runtime schema of the envelope; the payload is checked separately against its type's schema. */
export class EnvelopeSchema implements Omit<EventEnvelope, 'envelopeVersion' | 'recordedAt'> {
  /** absent in version 1 */
  @IsOptional() @IsInt() @Min(1) @Max(ENVELOPE_VERSION) envelopeVersion?: number;
  @ValidateIf((e: EnvelopeSchema) => (e.envelopeVersion ?? 1) >= 2) @IsISO8601({ strict: true }) recordedAt?: string;
  @IsUUID() eventId: string;
  @IsString() @IsNotEmpty() type: string;
  @IsInt() @Min(1) schemaVersion: number;
  @IsString() @IsNotEmpty() streamId: string;
  @IsInt() @Min(1) streamVersion: number;
  @IsISO8601({ strict: true }) occurredAt: string;
  @IsObject() @ValidateNested() @Type(() => TenantSchema) tenant: Tenant;
  @IsObject() @ValidateNested() @Type(() => ActorSchema) actor: Actor;
  @IsString() @IsNotEmpty() correlationId: string;
  @IsOptional() @IsString() causationId: string | null;
  @IsObject() data: unknown;
}

/**
 * Lifts an envelope of an older version to the current one, for events read from a store and from Kafka (pure; the
 * stored event is untouched). v1 -> v2: an event stored before the platform kept two times was recorded when it occurred.
 */
export function upcastEnvelope<E extends Omit<EventEnvelope, 'envelopeVersion' | 'recordedAt'> & { envelopeVersion?: number; recordedAt?: string }>(
  envelope: E,
): E & Pick<EventEnvelope, 'envelopeVersion' | 'recordedAt'> {
  if ((envelope.envelopeVersion ?? 1) >= ENVELOPE_VERSION && envelope.recordedAt) return envelope as E & Pick<EventEnvelope, 'envelopeVersion' | 'recordedAt'>;
  return { ...envelope, envelopeVersion: ENVELOPE_VERSION, recordedAt: envelope.recordedAt ?? envelope.occurredAt };
}
