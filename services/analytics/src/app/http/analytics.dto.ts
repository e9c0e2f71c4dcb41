import { Granularity, GRANULARITIES } from '@cbme/analytics-domain';
import { MIN_GROUP_SIZE_FLOOR } from '@cbme/contracts';
import { PickType } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const ID = 128;

export class AnalyticsFilterDto {
  @IsOptional() @IsString() @MaxLength(ID) cohortId?: string;
  @IsOptional() @IsString() @MaxLength(ID) competency?: string;
  @IsOptional() @IsIn(GRANULARITIES) granularity?: Granularity;
  /** one period of the granularity: `2026-W36`, `2026-09` or `2026-T3` */
  @IsOptional() @Matches(/^\d{4}-(W\d{2}|\d{2}|T[123])$/) period?: string;
  /** the instant "now" means for cadence (default: when the request arrived) */
  @IsOptional() @IsISO8601({ strict: true }) asOf?: string;
}

/** The schools side by side: no cohort or competency (each school has its own). */
export class InstitutionAnalyticsFilterDto extends PickType(AnalyticsFilterDto, ['granularity', 'period', 'asOf'] as const) {}

export class AnalyticsSettingsDto {
  @IsInt() @Min(MIN_GROUP_SIZE_FLOOR) @Max(100) minimumGroupSize: number;
}
