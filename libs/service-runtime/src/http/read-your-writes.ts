import { recordWritesIn, WrittenPosition } from '@cbme/event-sourcing';
import { BadRequestException, CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { EventSourcingRuntime } from '../event-sourcing/event-sourcing-runtime';

/** Read-your-writes over HTTP (README, "Read your writes"): the headers and how long a query may wait. */
export const READ_YOUR_WRITES = {
  /** response: the global position, in this service's own event store, of the last commit the request appended */
  written: 'x-written-position',
  /** request: answer only after this service's own projections have applied this position */
  readAfter: 'x-read-after',
  /** response: `true` when the wait ran out and the answer may not show that position yet */
  behind: 'x-read-model-behind',
  /** how long a query waits for the projections before it answers anyway */
  maxWaitMs: 3_000,
} as const;

/** A position as the client sent it back: decimal digits, at most 15 (a safe integer). Anything else is a 400. */
export function parseReadAfter(value: string | string[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^[0-9]{1,15}$/.test(value)) return Number(value);
  throw new BadRequestException(`${READ_YOUR_WRITES.readAfter} must be a position this service answered in ${READ_YOUR_WRITES.written} (decimal digits)`);
}

/**
 * On every route: waits (bounded) for `X-Read-After` before the handler runs, and tells the client in
 * `X-Written-Position` where the request's appends landed. Runs after the guard; only a signed-in caller waits (a
 * public route reads no projection a client wrote to, and an anonymous client must not hold requests open).
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(private readonly runtime: EventSourcingRuntime) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const given = parseReadAfter(request.headers[READ_YOUR_WRITES.readAfter]);
    const readAfter = (request as Request & { caller?: unknown }).caller ? given : undefined;
    return new Observable((subscriber) => {
      let inner: { unsubscribe(): void } | undefined;
      let closed = false;
      const run = async () => {
        if (readAfter !== undefined && !(await this.runtime.readAfter(readAfter, READ_YOUR_WRITES.maxWaitMs))) {
          response.setHeader(READ_YOUR_WRITES.behind, 'true');
        }
        if (closed) return;
        const written: WrittenPosition = {};
        // the handler runs on subscription: subscribe inside the recording context so its appends are recorded there
        inner = recordWritesIn(written, () => next.handle().subscribe({
          next: (value) => {
            if (written.position !== undefined) {
              this.runtime.appended();
              if (!response.headersSent) response.setHeader(READ_YOUR_WRITES.written, String(written.position));
            }
            subscriber.next(value);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }));
      };
      run().catch((error: unknown) => subscriber.error(error));
      return () => {
        closed = true;
        inner?.unsubscribe();
      };
    });
  }
}
