import { FrameworkCrosswalkPublished } from './feedback.events';

/** How one recorded code reads under a framework version: the code(s) it counts as, and whether a crosswalk left it out. */
export interface CodeReading {
  codes: string[];
  /** a crosswalk on the way dropped the code without a mapping: it reads as itself, and is reported */
  unmapped: boolean;
}

export type CodeReader = (code: string) => CodeReading;

/** Codes as recorded (no version asked for). */
export const asRecorded: CodeReader = (code) => ({ codes: [code], unmapped: false });

/**
 * Reads codes recorded under earlier versions of one framework as codes of `version`, through every crosswalk
 * of that framework up to it, oldest first (v1 -> v2 -> v3 compose). A mapped code reads as its new code(s): one to
 * many counts the evidence toward each new code (it was evidence of the whole old competency, which they divide).
 * A kept code and the codes of other frameworks read as themselves. Later versions are never read back onto
 * earlier ones: asking for version n leaves codes of later versions as recorded.
 * Shared by the feedback service's read side and analytics, so both read a crosswalk the same way.
 */
export function crosswalkReader(crosswalks: FrameworkCrosswalkPublished[], frameworkId: string, version: number): CodeReader {
  const steps = crosswalks
    .filter((c) => c.frameworkId === frameworkId && c.toVersion <= version)
    .sort((a, b) => a.toVersion - b.toVersion)
    .map((c) => ({ to: new Map(c.mappings.map((m) => [m.from, m.to])), unmapped: new Set(c.unmapped) }));
  return (code) => {
    let current = [{ code, unmapped: false }];
    for (const step of steps) {
      current = current.flatMap((c) => {
        const targets = step.to.get(c.code);
        if (targets) return targets.map((t) => ({ code: t, unmapped: false }));
        return [{ code: c.code, unmapped: c.unmapped || step.unmapped.has(c.code) }];
      });
    }
    return { codes: [...new Set(current.map((c) => c.code))], unmapped: current.some((c) => c.unmapped) };
  };
}

/** A list of recorded codes as read under a version (deduplicated, in order). */
export const readCodes = (codes: string[], reader: CodeReader): string[] => [...new Set(codes.flatMap((c) => reader(c).codes))];
