import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { FrameworkVersionDto } from './feedback.dto';

const DIALOGUE_STATUSES = ['open', 'closed'] as const;
type DialogueStatus = (typeof DIALOGUE_STATUSES)[number];

export class ListDialoguesQueryDto extends FrameworkVersionDto {
  @ApiPropertyOptional({ enum: DIALOGUE_STATUSES, description: 'only the dialogues of this status (all when left out)', example: 'open' })
  @IsOptional() @IsIn(DIALOGUE_STATUSES) status?: DialogueStatus;
}

/** One dialogue as the caller may read it: counts and last activity cover only the entries the caller reads. */
export class OpenActionItemResponse {
  @ApiProperty({ example: '5b0c6f7e-1d2a-4c3b-9e8f-0a1b2c3d4e5f' }) actionId: string;
  @ApiProperty({ example: 'Practise SBAR handovers on two shifts' }) description: string;
  @ApiProperty({ description: 'who is to do it', example: 'medicine-ada' }) ownerId: string;
  @ApiProperty({ type: String, nullable: true, description: 'ISO 8601, as agreed', example: '2026-12-15' }) dueDate: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:20:00.000Z' }) agreedAt: string;
  @ApiProperty({ description: 'past its due date (the due day is over, UTC) at the time of the request', example: false }) overdue: boolean;
}

export class DialogueSummaryResponse {
  @ApiProperty({ format: 'uuid', example: '5b0e8a52-6f1c-4c3e-9d3a-1f0c2b7d9e41' }) dialogueId: string;
  @ApiProperty({ description: 'the coach the dialogue was opened with', example: 'medicine-coach-1' }) coachId: string;
  @ApiProperty({ example: 'Handover on night shift' }) topic: string;
  @ApiProperty({ type: [String], description: 'competency codes (under frameworkVersion when one was asked for)', example: ['PC'] }) competencies: string[];
  @ApiPropertyOptional({ type: [String], description: 'the codes as recorded (only when read under a framework version)', example: ['PC'] }) recordedCompetencies?: string[];
  @ApiProperty({ enum: DIALOGUE_STATUSES, example: 'open' }) status: DialogueStatus;
  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:15:00.000Z' }) openedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when it was last closed; null while open', example: null }) closedAt: string | null;
  @ApiProperty({
    format: 'date-time', example: '2026-11-30T18:02:11.000Z',
    description: 'the latest of its opening, the entries the caller may read, action items, closing, reopening and references',
  }) lastActivityAt: string;
  @ApiProperty({ description: 'who did that', example: 'medicine-ada' }) lastActivityBy: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'entries the caller may read (the learner: all; others: the shared ones)', example: 3 }) entries: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'action items agreed in it and neither done nor dropped yet', example: 1 }) openActionItems: number;
  @ApiProperty({ type: [OpenActionItemResponse], description: 'those items, oldest first' }) openActions: OpenActionItemResponse[];
  @ApiProperty({
    enum: ['learner', 'coach'], nullable: true, example: 'coach',
    description: 'who is expected to write next in an open dialogue: the other side of the latest shared entry\'s author (the coach when there is none); null when closed',
  }) awaiting: 'learner' | 'coach' | null;
}

export class FrameworkVersionReadResponse {
  @ApiProperty({ example: 'medicine-epas' }) frameworkId: string;
  @ApiProperty({ type: 'integer', example: 2 }) version: number;
  @ApiProperty({ type: [String], description: 'recorded codes in this answer that no crosswalk maps onto the version (they read as recorded)', example: ['EPA-13'] }) unmapped: string[];
}

export class LearnerDialoguesResponse {
  @ApiProperty({ example: 'medicine-ada' }) learnerId: string;
  @ApiProperty({ type: [DialogueSummaryResponse], description: 'latest activity first' }) dialogues: DialogueSummaryResponse[];
  @ApiPropertyOptional({ type: FrameworkVersionReadResponse, description: 'the version the competencies were read under (only when one was asked for)' }) frameworkVersion?: FrameworkVersionReadResponse;
}
