import { DisclosedRecord } from '@cbme/contracts';
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Observable, tap } from 'rxjs';
import { RequestContext } from '../http/request-context';
import { DisclosureLog } from './disclosure-log';

const DISCLOSES = 'cbme:discloses';

/** The disclosure log of the service (one per process, written in batches). */
export const DISCLOSURE_LOG = Symbol('DISCLOSURE_LOG');

/**
 * Marks a query route as a read of a learner's record: each successful answer to someone other than the learner is
 * recorded (README, "Disclosure log"). The learner is the route's `:learnerId`, or else the answer's `learnerId`.
 */
export const Discloses = (record: DisclosedRecord) => SetMetadata(DISCLOSES, record);

const learnerOf = (request: Request, answer: unknown): string | undefined => {
  const fromRoute = request.params?.['learnerId'];
  if (typeof fromRoute === 'string' && fromRoute) return fromRoute;
  const fromAnswer = (answer as { learnerId?: unknown } | null)?.learnerId;
  return typeof fromAnswer === 'string' && fromAnswer ? fromAnswer : undefined;
};

/** Records the reads of routes marked `@Discloses`; an error answer (a 404 included) discloses nothing. */
@Injectable()
export class DisclosureInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector, @Inject(DISCLOSURE_LOG) private readonly log: DisclosureLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const record = this.reflector.get<DisclosedRecord | undefined>(DISCLOSES, context.getHandler());
    if (!record || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request & { caller?: RequestContext }>();
    return next.handle().pipe(tap((answer) => {
      const { caller } = request;
      const learnerId = learnerOf(request, answer);
      if (!caller || !learnerId || learnerId === caller.userId) return;
      this.log.record({ learnerId, record, route: `${request.method} ${request.path}`, reader: caller, at: new Date().toISOString() });
    }));
  }
}
