import { DomainError } from '@cbme/decider';
import { WrongExpectedVersionError } from '@cbme/event-sourcing';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Response } from 'express';

const STATUS_OF_DOMAIN_ERROR: Record<DomainError['kind'], number> = {
  'invalid-state': HttpStatus.CONFLICT,
  'rule-violated': HttpStatus.UNPROCESSABLE_ENTITY,
  'not-found': HttpStatus.NOT_FOUND,
  forbidden: HttpStatus.FORBIDDEN,
};

/**
 * One JSON error shape for every service: { statusCode, error, message, details? }.
 * Domain refusals and version conflicts get their 4xx; only real faults are 500, with no internals leaked.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.describe(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    response.status(status).json(body);
  }

  private describe(exception: unknown): { status: number; body: Record<string, unknown> } {
    if (exception instanceof DomainError) {
      const status = STATUS_OF_DOMAIN_ERROR[exception.kind];
      const details = exception.field ? { details: [`${exception.field}: ${exception.message}`] } : {};
      return { status, body: { statusCode: status, error: exception.kind, message: exception.message, ...details } };
    }
    if (exception instanceof WrongExpectedVersionError) {
      return {
        status: HttpStatus.CONFLICT,
        body: { statusCode: 409, error: 'version-conflict', message: exception.message, expected: exception.expected, actual: exception.actual },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      const payload = typeof raw === 'string' ? { message: raw } : (raw as Record<string, unknown>);
      const message = Array.isArray(payload['message']) ? 'invalid request' : payload['message'] ?? exception.message;
      const details = Array.isArray(payload['message']) ? payload['message'] : payload['details'];
      return { status, body: { statusCode: status, error: payload['error'] ?? HttpStatus[status], message, ...(details ? { details } : {}) } };
    }
    // body-parser's JSON syntax errors arrive as plain errors carrying a 4xx status
    const status = (exception as { status?: number })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { status, body: { statusCode: status, error: HttpStatus[status] ?? 'Bad Request', message: (exception as Error).message } };
    }
    return { status: 500, body: { statusCode: 500, error: 'Internal Server Error', message: 'unexpected error; see the service log' } };
  }
}
