import { Logger } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { NotificationSettings } from './notification.config';

/** One message as the outbox hands it to a transport: `messageId` is derived from the idempotency key. */
export interface OutgoingMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
}

/** Delivers a message; resolves once the channel accepted it. */
export interface NotificationTransport {
  readonly name: string;
  /** the domain of the sender, for Message-IDs */
  readonly domain: string;
  send(mail: OutgoingMail): Promise<void>;
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1) || 'localhost';

/** E-mail over SMTP (nodemailer), with the outbox's Message-ID so a receiver can drop a repeat. */
export class SmtpTransport implements NotificationTransport {
  readonly name = 'email';
  readonly domain: string;
  private readonly transport: Transporter;

  constructor(smtpUrl: string, private readonly from: string) {
    this.transport = nodemailer.createTransport(smtpUrl);
    this.domain = domainOf(from);
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail({ from: this.from, ...mail });
  }
}

/** Writes messages to the service log instead of sending them: for a local demo without a mail server. */
export class LogTransport implements NotificationTransport {
  readonly name = 'log';
  readonly domain = 'localhost';
  private readonly logger = new Logger('Notifications');

  async send(mail: OutgoingMail): Promise<void> {
    this.logger.log({ msg: 'notification (log channel, not sent)', messageId: mail.messageId, to: mail.to, subject: mail.subject });
  }
}

export const transportFor = (settings: NotificationSettings): NotificationTransport =>
  (settings.channel === 'email' ? new SmtpTransport(settings.smtpUrl, settings.from) : new LogTransport());
