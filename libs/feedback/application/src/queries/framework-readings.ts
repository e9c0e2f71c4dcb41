import { asRecorded, CodeReader, crosswalkReader, readCodes } from '@cbme/contracts';
import { notFound, ruleViolated } from '@cbme/decider';
import { EVENT_STORE, EventStore, loadState } from '@cbme/event-sourcing';
import { competencyFrameworksDecider, frameworksStreamId, SchoolFrameworks, SEED_FRAMEWORKS } from '@cbme/feedback-domain';
import { Inject, Injectable } from '@nestjs/common';

/** A framework version to read evidence under (`?framework=...&frameworkVersion=...`). */
export interface VersionReading {
  frameworkId: string;
  version: number;
}

/** How one answer reads codes; it notes the codes it met that no crosswalk maps, for the answer to report. */
export class Reading {
  private readonly unmapped = new Set<string>();

  constructor(readonly reader: CodeReader, readonly version?: VersionReading) {}

  codes(codes: string[]): string[] {
    for (const code of codes) if (this.reader(code).unmapped) this.unmapped.add(code);
    return readCodes(codes, this.reader);
  }

  /** An item with its codes read under the version (and the codes as recorded beside them); unchanged without a version. */
  item<T extends { competencies: string[] }>(item: T): T & { recordedCompetencies?: string[] } {
    return this.version ? { ...item, competencies: this.codes(item.competencies), recordedCompetencies: item.competencies } : item;
  }

  /** What the answer says about the version it was read under (nothing without one). */
  describe(): { frameworkVersion?: VersionReading & { unmapped: string[] } } {
    return this.version ? { frameworkVersion: { ...this.version, unmapped: [...this.unmapped].sort() } } : {};
  }
}

/** The school's frameworks and crosswalks, read from its stream (so a version published a moment ago counts at once). */
export async function schoolFrameworks(store: EventStore, schoolId: string): Promise<SchoolFrameworks> {
  return (await loadState(store, competencyFrameworksDecider, frameworksStreamId(schoolId))).state;
}

/** The reader of one version; 404 for a framework the school does not have, 422 for a version it never had. */
export function readerOf(state: SchoolFrameworks, { frameworkId, version }: VersionReading): CodeReader {
  const current = state.frameworks.get(frameworkId)?.version ?? (SEED_FRAMEWORKS.some((f) => f.frameworkId === frameworkId) ? 1 : undefined);
  if (current === undefined) throw notFound(`no framework ${frameworkId} in this school`);
  if (version > current) throw ruleViolated(`${frameworkId} has no version ${version} (its latest is ${current})`, 'frameworkVersion');
  return crosswalkReader(state.crosswalks, frameworkId, version);
}

@Injectable()
export class FrameworkReadings {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Codes as recorded when no version is asked for. Call it after the viewer's access is checked. */
  async readingFor(schoolId: string, version?: VersionReading): Promise<Reading> {
    if (!version) return new Reading(asRecorded);
    return new Reading(readerOf(await schoolFrameworks(this.store, schoolId), version), version);
  }
}
