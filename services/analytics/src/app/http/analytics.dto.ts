import { ApiExample } from '@cbme/service-runtime';
import { Granularity, GRANULARITIES } from '@cbme/analytics-domain';
import { MIN_GROUP_SIZE_FLOOR } from '@cbme/contracts';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

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

// extends the institution's filter (rather than PickType from it) so the examples are inherited with the validators
export class AnalyticsFilterDto extends InstitutionAnalyticsFilterDto {
  @ApiExample('md-2030')
  @IsOptional() @IsString() @MaxLength(ID) cohortId?: string;
  @ApiExample('ICS')
  @IsOptional() @IsString() @MaxLength(ID) competency?: string;
}

export class AnalyticsSettingsDto {
  @ApiExample(10)
  @IsInt() @Min(MIN_GROUP_SIZE_FLOOR) @Max(100) minimumGroupSize: number;
}
