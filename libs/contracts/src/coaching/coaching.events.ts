import { IsNotEmpty, IsString } from 'class-validator';
import { defineEvent } from '../catalog';

export class CoachAssigned {
  @IsString() @IsNotEmpty() relationshipId: string;
  @IsString() @IsNotEmpty() learnerId: string;
  @IsString() @IsNotEmpty() coachId: string;
}

export const CoachingEvents = {
  CoachAssigned: defineEvent('coaching.coach-assigned', CoachAssigned),
};
