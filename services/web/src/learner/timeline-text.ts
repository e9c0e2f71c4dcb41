import { TimelineItem } from '../api/types';
import { formatDate } from '../ui/Status';

/** Says when and by whom an item was entered, when that was not when it happened (a record imported later); else null. */
export function recordedNote(item: Pick<TimelineItem, 'at' | 'recordedAt' | 'actor'>): string | null {
  if (!item.recordedAt || Date.parse(item.recordedAt) === Date.parse(item.at)) return null;
  return `recorded ${formatDate(item.recordedAt)} by ${item.actor.userId}`;
}

/** A sentence for one timeline event, from its type and the fields the reader was given. */
export function describeEvent(item: TimelineItem): string {
  const d = item.data;
  const text = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : undefined);
  const name = item.type.split('.')[1] ?? item.type;
  switch (item.type) {
    case 'feedback.dialogue-opened':
      return `Dialogue opened: ${text('topic') ?? ''}`.trim();
    case 'feedback.dialogue-entry-added':
      return text('text') ? `Entry: ${text('text')}` : 'Entry added';
    case 'feedback.goal-set':
      return `Goal set: ${text('description') ?? ''}`.trim();
    case 'feedback.goal-revised':
      return `Goal revised: ${text('description') ?? ''}${text('rationale') ? ` (because ${text('rationale')})` : ''}`;
    case 'feedback.goal-status-changed':
      if (!text('to')) return 'Goal status changed';
      return text('from') ? `Goal ${text('from')} → ${text('to')}` : `Goal now ${text('to')}`;
    case 'coaching.coach-assigned':
      return `Coach assigned: ${text('coachId') ?? ''}`.trim();
    case 'coaching.meeting-scheduled':
      return `Meeting booked${text('startsAt') ? ` for ${new Date(text('startsAt')!).toLocaleString('en-GB')}` : ''}`;
    default: {
      const words = name.replace(/-/g, ' ');
      return words[0].toUpperCase() + words.slice(1);
    }
  }
}
