import { FeedbackRequestJob, FeedbackRequestJobs, RequestTokenClaims, RequestTokens } from '@cbme/feedback-application';
import { Queue } from 'bullmq';
import { jwtVerify, SignJWT } from 'jose';

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
