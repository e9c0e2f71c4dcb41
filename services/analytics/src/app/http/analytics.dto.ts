import { ApiExample } from '@cbme/service-runtime';
import { Granularity, GRANULARITIES } from '@cbme/analytics-domain';
import { COMPETENCY_CODE, MIN_GROUP_SIZE_FLOOR } from '@cbme/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';

const ID = 128;

/** The schools side by side: no cohort or competency (each school has its own). */
export class InstitutionAnalyticsFilterDto {
  @ApiExample('month')
  @IsOptional() @IsIn(GRANULARITIES) granularity?: Granularity;
  @ApiExample('2026-09', { description: 'one period of the granularity: `2026-W36`, `2026-09` or `2026-T3`' })
  @IsOptional() @Matches(/^\d{4}-(W\d{2}|\d{2}|T[123])$/) period?: string;
  @ApiExample('2026-12-01T00:00:00.000Z', { description: 'the instant "now" means for cadence (default: when the request arrived)' })
  @IsOptional() @IsISO8601({ strict: true }) asOf?: string;
}

const readsVersion = (o: { framework?: unknown; frameworkVersion?: unknown }) => o.framework !== undefined || o.frameworkVersion !== undefined;

// extends the institution's filter (rather than PickType from it) so the examples are inherited with the validators
export class AnalyticsFilterDto extends InstitutionAnalyticsFilterDto {
  @ApiExample('md-2030')
  @IsOptional() @IsString() @MaxLength(ID) cohortId?: string;
  @ApiExample('ICS', { description: 'a code of the framework version asked for, if one is' })
  @IsOptional() @IsString() @MaxLength(ID) competency?: string;
  @ApiExample('medicine-epas', { description: 'with frameworkVersion: count dialogues and goals under that version of this framework (as recorded when both are left out)' })
  @ValidateIf(readsVersion) @IsString() @Matches(COMPETENCY_CODE, { message: 'framework must be a framework id like medicine-epas' }) framework?: string;
  @ApiExample(2, { description: 'with framework: the version to read under' })
  @ValidateIf(readsVersion) @Type(() => Number) @IsInt() @Min(1) @Max(100_000) frameworkVersion?: number;
}

export class AnalyticsSettingsDto {
  @ApiExample(10)
  @IsInt() @Min(MIN_GROUP_SIZE_FLOOR) @Max(100) minimumGroupSize: number;
}
