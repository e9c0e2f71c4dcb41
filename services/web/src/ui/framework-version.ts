/** A framework as GET /frameworks lists it (what the version switch needs). */
export interface VersionedFramework {
  frameworkId: string;
  name: string;
  version: number;
  origin?: 'seed' | 'school';
}

export interface VersionChoice {
  framework: string;
  frameworkVersion: number;
}

/** The versions one can read evidence under: every version of a school framework that has more than one. */
export function versionOptions(frameworks: VersionedFramework[]): { value: string; label: string }[] {
  return frameworks
    .filter((f) => f.origin === 'school' && f.version > 1)
    .flatMap((f) => Array.from({ length: f.version }, (_, i) => f.version - i).map((v) => ({ value: `${f.frameworkId}@${v}`, label: `${f.name}, version ${v}${v === f.version ? ' (current)' : ''}` })));
}

/** `epas@2` as the query parameters the services take; '' (as recorded) as none. */
export function versionQuery(value: string): Partial<VersionChoice> {
  const at = value.lastIndexOf('@');
  const version = Number(value.slice(at + 1));
  if (at <= 0 || !Number.isInteger(version) || version < 1) return {};
  return { framework: value.slice(0, at), frameworkVersion: version };
}
