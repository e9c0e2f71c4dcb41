import { NotificationChannel } from '@cbme/coaching-application';
import { Logger } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';

/** The default channel: e-mail over SMTP (nodemailer). */
export class SmtpChannel implements NotificationChannel {
  readonly name = 'email';
  private readonly transport: Transporter;

  constructor(smtpUrl: string, private readonly from: string) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(message: { to: string; subject: string; text: string }): Promise<void> {
    await this.transport.sendMail({ from: this.from, ...message });
  }
}

/** Writes reminders to the service log instead of sending them: for a local demo without a mail server. */
export class LogChannel implements NotificationChannel {
  readonly name = 'log';
  private readonly logger = new Logger('Notifications');

  async send(message: { to: string; subject: string; text: string }): Promise<void> {
    this.logger.log({ msg: 'reminder (log channel, not sent)', to: message.to, subject: message.subject });
  }
}
