import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { defineEvent } from '../catalog';

const KINDS = ['projection', 'consumer'] as const;

/** Which dead letter an operation was about: its id in the service's `dead_letters` and where it was parked. */
export class DeadLetterRef {
  @IsString() @IsNotEmpty() @MaxLength(500) deadLetterId: string;
  @IsIn(KINDS) kind: (typeof KINDS)[number];
  /** the projection, or the inbox consumer's dead-letter topic */
  @IsString() @IsNotEmpty() name: string;
}

/** An admin looked at a dead letter's content (which may hold learners' text). */
export class DeadLetterInspected extends DeadLetterRef {}

/** An admin ran a dead letter again: `applied`, or `failed` with the new reason (the letter then stays). */
export class DeadLetterReplayed extends DeadLetterRef {
  @IsIn(['applied', 'failed']) outcome: 'applied' | 'failed';
  @IsOptional() @IsString() @MaxLength(300) reason?: string;
  @IsInt() @Min(1) attempt: number;
}

/** An admin gave a dead letter up, saying why; its content is dropped. */
export class DeadLetterDiscarded extends DeadLetterRef {
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

/**
 * Operations on a service's dead letters, in that service's own store (stream `dead-letter-<id>`), with the admin as
 * actor. Not published: they concern the service's own plumbing, and no other service acts on them.
 */
export const DeadLetterEvents = {
  Inspected: defineEvent('operations.dead-letter-inspected', DeadLetterInspected),
  Replayed: defineEvent('operations.dead-letter-replayed', DeadLetterReplayed),
  Discarded: defineEvent('operations.dead-letter-discarded', DeadLetterDiscarded),
};
export const deadLetterStreamId = (deadLetterId: string) => `dead-letter-${deadLetterId}`;
