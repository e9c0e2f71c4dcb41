import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Provider } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Queue } from 'bullmq';
import { Connection } from 'mongoose';
import { NotificationSettings } from './notification.config';
import { NOTIFICATION_QUEUE, NotificationOutbox } from './notification-outbox';
import { NotificationSenderProcessor } from './notification-sender.processor';
import { transportFor } from './notification-transports';

/** What a service adds to its module to send notifications through its outbox (bind its port to NotificationOutbox). */
export function notifications(settings: NotificationSettings) {
  const providers: Provider[] = [
    {
      provide: NotificationOutbox,
      inject: [getConnectionToken(), getQueueToken(NOTIFICATION_QUEUE)],
      useFactory: (connection: Connection, queue: Queue) => new NotificationOutbox(connection, queue, transportFor(settings)),
    },
    NotificationSenderProcessor,
  ];
  return { queue: BullModule.registerQueue({ name: NOTIFICATION_QUEUE }), providers };
}
