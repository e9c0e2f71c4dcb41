import { COMPETENCY_CODE, REQUESTED_ASSESSOR_KINDS, RequestedAssessorKind } from '@cbme/contracts';
import { ApiExample } from '@cbme/service-runtime';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsEmail, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf, ValidateNested,
} from 'class-validator';

/** Lengths and counts beyond what a request may hold are the decider's rules (422 at the field); these bound the input. */
const competencyList = { each: true, message: 'each competency must be a code like ICS or EPA-1' };

export class AskedPersonDto {
  @ApiExample('external', { description: '`coach`: my current coach; `colleague`: someone with an account in the school (userId); `external`: by e-mail (name, email)' })
  @IsIn(REQUESTED_ASSESSOR_KINDS) kind: RequestedAssessorKind;
  @ApiExample('medicine-coach-2')
  @ValidateIf((o: AskedPersonDto) => o.kind === 'colleague') @IsString() @IsNotEmpty() @MaxLength(128) userId?: string;
  @ApiExample('r.rivera@hospital.org')
  @ValidateIf((o: AskedPersonDto) => o.kind === 'external') @IsEmail() @MaxLength(320) email?: string;
  @ApiExample('Dr. Rivera')
  @ValidateIf((o: AskedPersonDto) => o.kind === 'external') @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
}

export class FeedbackRequestContextDto {
  @ApiExample('Cardiology ward')
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) rotation?: string;
  @ApiExample('2026-09-14', { format: 'date' })
  @IsOptional() @IsISO8601({ strict: true }) date?: string;
  @ApiExample('Handover of a septic patient at 8 pm')
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(1000) encounter?: string;
}

export class RequestFeedbackDto {
  @ApiExample('3fa85f64-5717-4562-b3fc-2c963f66afa6', { description: "a coach's prompt to turn into this request, or a new id (made up when left out)" })
  @IsOptional() @IsUUID() requestId?: string;
  @ValidateNested() @Type(() => AskedPersonDto) asked: AskedPersonDto;
  @ApiExample(['ICS', 'EPA-8'])
  @IsArray() @ArrayMaxSize(50) @Matches(COMPETENCY_CODE, competencyList) competencies: string[];
  @IsOptional() @ValidateNested() @Type(() => FeedbackRequestContextDto) context?: FeedbackRequestContextDto;
}

export class PromptFeedbackDto {
  @ApiExample(['ICS'])
  @IsArray() @ArrayMaxSize(50) @Matches(COMPETENCY_CODE, competencyList) competencies: string[];
  @ApiExample('Ask the night nurse how your handovers land')
  @IsOptional() @IsString() @MaxLength(1000) message?: string;
}

export class RatingDto {
  @ApiExample('ICS')
  @IsString() @Matches(COMPETENCY_CODE) competency: string;
  @ApiExample(4, { description: '1-5: the competency scale (novice .. expert), or for an EPA the entrustment level (observe only .. supervise others)' })
  @IsInt() level: number;
}

export class AnswerFeedbackDto {
  @ApiExample('Clear SBAR structure; ask for a read-back of the plan.')
  @IsString() @MaxLength(20_000) text: string;
  @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => RatingDto) ratings: RatingDto[];
}

export class DeclineFeedbackDto {
  @ApiExample('I did not see enough of the rotation')
  @IsOptional() @IsString() @MaxLength(5000) reason?: string;
}

/** The token of an external assessor's link (from the link's fragment). */
export class LinkTokenDto {
  @ApiExample('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl')
  @IsString() @IsNotEmpty() @MaxLength(2000) token: string;
}

export class AnswerByLinkDto extends AnswerFeedbackDto {
  @ApiExample('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl')
  @IsString() @IsNotEmpty() @MaxLength(2000) token: string;
}

export class DeclineByLinkDto extends DeclineFeedbackDto {
  @ApiExample('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl')
  @IsString() @IsNotEmpty() @MaxLength(2000) token: string;
}
