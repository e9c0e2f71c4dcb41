import { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { Query } from '../ui/Status';
import { useSchools } from './school-data';

/** The institution admin picks a school (kept in the address as ?school=, so a reload keeps it); then what is of it. */
export function SchoolChooser({ id, children }: { id: string; children: (schoolId: string) => ReactNode }) {
  const schools = useSchools();
  const [params, setParams] = useSearchParams();
  const schoolId = params.get('school') ?? '';
  return (
    <Query query={schools} what="the schools">
      {(list) => (
        <>
          <div className="field">
            <label htmlFor={id}>School</label>
            <select id={id} value={schoolId} onChange={(e) => setParams(e.target.value ? { school: e.target.value } : {})}>
              <option value="">Choose a school</option>
              {list.map((s) => <option key={s.schoolId} value={s.schoolId}>{s.name} ({s.schoolId})</option>)}
            </select>
          </div>
          {list.some((s) => s.schoolId === schoolId) && children(schoolId)}
        </>
      )}
    </Query>
  );
}
