import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Min, ValidateNested,
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

/** The metadata every event carries, whatever its type. */
export interface EventMetadata {
  occurredAt: string;
  tenant: Tenant;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
}

/** An event as stored and as published on Kafka. */
export interface EventEnvelope<TType extends string = string, TData = unknown> extends EventMetadata {
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
export class EnvelopeSchema implements EventEnvelope {
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
