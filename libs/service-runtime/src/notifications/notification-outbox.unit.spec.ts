import { loadNotificationSettings } from './notification.config';
import { notificationJobId, notificationMessageId } from './notification-outbox';

describe('notification keys', () => {
  const key = 'meeting:m-1:2026-12-24T09:00:00.000Z:lea';

  it('gives one BullMQ job id per key, without the colons BullMQ refuses', () => {
    expect(notificationJobId(key)).toBe(notificationJobId(key));
    expect(notificationJobId(key)).toMatch(/^notify-[0-9a-f]{64}$/);
    expect(notificationJobId(`${key}x`)).not.toBe(notificationJobId(key));
  });

  it('gives every attempt of a key the same RFC 5322 Message-ID on the sender\'s domain', () => {
    expect(notificationMessageId(key, 'med.example')).toMatch(/^<[0-9a-f]{64}\.notification@med\.example>$/);
    expect(notificationMessageId(key, 'med.example')).toBe(notificationMessageId(key, 'med.example'));
    expect(notificationMessageId('meeting:m-2:2026-12-24T09:00:00.000Z:lea', 'med.example')).not.toBe(notificationMessageId(key, 'med.example'));
  });
});

describe('notification settings', () => {
  it('defaults to SMTP on the local port with the service as sender', () => {
    expect(loadNotificationSettings('feedback', {})).toEqual({ channel: 'email', smtpUrl: 'smtp://127.0.0.1:1025', from: 'feedback@localhost' });
  });

  it('refuses a channel it does not know and a sender that is not an address', () => {
    expect(() => loadNotificationSettings('feedback', { NOTIFY_CHANNEL: 'pigeon' })).toThrow('NOTIFY_CHANNEL must be email or log');
    expect(() => loadNotificationSettings('feedback', { NOTIFY_FROM: 'nobody' })).toThrow('NOTIFY_FROM must be an e-mail address');
  });
});
