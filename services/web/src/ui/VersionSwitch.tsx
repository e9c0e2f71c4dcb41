import { useQuery } from '@tanstack/react-query';
import { useSignedIn } from '../auth/SessionProvider';
import { VersionedFramework, versionOptions } from './framework-version';

/**
 * "Show competencies as": recorded, or under a version of one of the school's frameworks (old evidence is read through
 * the crosswalks the admin published; the records themselves never change). Hidden while no framework has a second version.
 */
export function VersionSwitch({ value, onChange, headers }: { value: string; onChange: (value: string) => void; headers?: Record<string, string> }) {
  const { api } = useSignedIn();
  const frameworks = useQuery({
    queryKey: ['frameworks', headers?.['x-school-id'] ?? ''],
    queryFn: async () => (await api<{ frameworks: VersionedFramework[] }>('feedback', '/frameworks', { headers })).frameworks,
  });
  const options = versionOptions(frameworks.data ?? []);
  if (options.length === 0) return null;
  return (
    <label className="version-switch">
      Show competencies as{' '}
      <select aria-label="Framework version" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">recorded</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </label>
  );
}

/** The codes an answer could not read under the version asked for (they show as recorded). */
export function UnmappedNote({ read }: { read?: { unmapped: string[]; version: number } }) {
  if (!read || read.unmapped.length === 0) return null;
  return <p className="notice" role="note">No crosswalk maps {read.unmapped.join(', ')} onto version {read.version}: shown as recorded.</p>;
}
