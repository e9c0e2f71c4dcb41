import { Service } from '../api/http';

/** The services whose parts make a learner's verifiable export, in the bundle's order. */
export const EXPORT_SERVICES: Service[] = ['identity', 'coaching', 'feedback', 'analytics'];

/** One service's part as `GET /learners/:id/audit-export` answers it (its full shape: libs/contracts audit-export.ts). */
export interface ExportPart {
  service: string;
  schoolId: string;
  learnerId: string;
  streams: { events: unknown[] }[];
}

/** The bundle `npm run verify-export` checks: the parts under one header, all about the same learner. */
export function bundleOf(parts: ExportPart[], exportedAt: string) {
  const [first] = parts;
  if (!first || parts.some((p) => p.learnerId !== first.learnerId || p.schoolId !== first.schoolId)) {
    throw new Error('The services did not all answer about the same learner.');
  }
  return { format: 'cbme-audit-export/1' as const, schoolId: first.schoolId, learnerId: first.learnerId, exportedAt, parts };
}

export const eventsIn = (parts: ExportPart[]) => parts.reduce((n, p) => n + p.streams.reduce((m, s) => m + s.events.length, 0), 0);

/** Saves text as a file the browser downloads. */
export function saveFile(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
