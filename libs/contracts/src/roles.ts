export const ROLES = [
  'learner',
  'coach',
  'coaching-lead',
  'committee-member',
  'school-admin',
  'institution-admin',
  'system',
] as const;

export type Role = (typeof ROLES)[number];
