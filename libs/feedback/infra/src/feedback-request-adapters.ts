import { FeedbackRequestJob, FeedbackRequestJobs, Notifier, RequestTokenClaims, RequestTokens } from '@cbme/feedback-application';
import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { jwtVerify, SignJWT } from 'jose';
import nodemailer, { Transporter } from 'nodemailer';

export const FEEDBACK_REQUEST_QUEUE = 'feedback-request-jobs';

/** Link tokens: HS256 JWTs over the request id and school, expiring with the request; a key of this service only. */
export class JoseRequestTokens implements RequestTokens {
  private readonly key: Uint8Array;
  private static readonly AUDIENCE = 'feedback-request-link';

  constructor(secret: string, private readonly issuer: string) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(claims: RequestTokenClaims): Promise<string> {
    // no iat: the same request gets the same token, so the reminder's link is the invitation's
    return new SignJWT({ sch: claims.schoolId, inst: claims.institutionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.requestId)
      .setIssuer(this.issuer)
      .setAudience(JoseRequestTokens.AUDIENCE)
      .setExpirationTime(Math.floor(Date.parse(claims.expiresAt) / 1000))
      .sign(this.key);
  }

  async verify(token: string): Promise<RequestTokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: this.issuer, audience: JoseRequestTokens.AUDIENCE });
      if (typeof payload.sub !== 'string' || typeof payload['sch'] !== 'string' || typeof payload['inst'] !== 'string' || typeof payload.exp !== 'number') return null;
      return { requestId: payload.sub, schoolId: payload['sch'], institutionId: payload['inst'], expiresAt: new Date(payload.exp * 1000).toISOString() };
    } catch {
      return null;
    }
  }
}

/**
 * The notifier for now: e-mail over SMTP (nodemailer), sending on every call. The outbox of
 * libs/service-runtime/src/notifications (same signature) records the intent first and sends each key once.
 */
export class SmtpNotifier implements Notifier {
  private readonly transport: Transporter;

  constructor(smtpUrl: string, private readonly from: string) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async notify(message: { key: string; to: string; subject: string; text: string }): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text, headers: { 'X-Idempotency-Key': message.key } });
  }
}

/** Writes the mail to the service log instead of sending it (NOTIFY_CHANNEL=log): a local demo without a mail server. */
export class LogNotifier implements Notifier {
  private readonly logger = new Logger('FeedbackRequestMail');

  async notify(message: { key: string; to: string; subject: string; text: string }): Promise<void> {
    this.logger.log({ msg: 'feedback request mail (log channel, not sent)', key: message.key, subject: message.subject });
  }
}

/** One delayed BullMQ job per request and kind (adding an existing job id is a no-op, so replays add nothing). */
export class BullmqFeedbackRequestJobs implements FeedbackRequestJobs {
  constructor(private readonly queue: Queue) {}

  async schedule(job: FeedbackRequestJob): Promise<void> {
    await this.queue.add(job.kind, job, {
      jobId: `feedback-request-${job.kind}-${job.schoolId}-${job.requestId}`,
      delay: Math.max(0, Date.parse(job.at) - Date.now()),
      attempts: 5,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: { age: 7 * 86_400 },
      removeOnFail: { age: 30 * 86_400 },
    });
  }
}
