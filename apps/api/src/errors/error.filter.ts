/**
 * Every failure leaves as `{code, message, details}`: our AppError, zod validation failures,
 * Nest's own HTTP exceptions (unknown route, …) and body-parser errors (oversize, bad JSON).
 */
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ErrorBody, ErrorCode } from '@borda/api-contract';
import type { Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import { ZodError } from 'zod';
import { AppError } from './app-error';
import { dependencyOutage } from './dependency-outage';

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** What a 503 tells clients to wait: dependencies supervised by the launcher come back within seconds. */
const RETRY_AFTER_SECONDS = 2;

export function zodIssues(error: ZodError) {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}

/** Maps any thrown value to a status and body. */
export function toErrorBody(exception: unknown): { status: number; body: ErrorBody } {
  if (exception instanceof AppError) {
    return {
      status: exception.status,
      body: { code: exception.code, message: exception.message, details: exception.details },
    };
  }
  if (exception instanceof ZodValidationException) {
    const zodError = exception.getZodError();
    const issues = zodError instanceof ZodError ? zodIssues(zodError) : [];
    const message = issues.length
      ? issues.map((i) => `${i.path}: ${i.message}`).join('; ')
      : 'the request failed validation';
    return { status: 400, body: { code: 'VALIDATION_FAILED', message, details: { issues } } };
  }
  if (exception instanceof ZodError) {
    const issues = zodIssues(exception);
    return {
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        message: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
        details: { issues },
      },
    };
  }
  const parserError = exception as { type?: string; status?: number; limit?: number; message?: string };
  if (parserError?.type === 'entity.too.large') {
    return {
      status: 413,
      body: {
        code: 'PAYLOAD_TOO_LARGE',
        message: `the request body exceeds the limit of ${parserError.limit} bytes`,
        details: { limit: parserError.limit },
      },
    };
  }
  if (parserError?.type === 'entity.parse.failed') {
    return {
      status: 400,
      body: { code: 'VALIDATION_FAILED', message: `the body is not valid JSON: ${parserError.message}` },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : String((response as { message?: unknown }).message ?? exception.message);
    return {
      status,
      body: { code: STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED'), message },
    };
  }
  const dependency = dependencyOutage(exception);
  if (dependency) {
    return {
      status: 503,
      body: {
        code: 'SERVICE_UNAVAILABLE',
        message: `the ${dependency === 'database' ? 'database' : 'job queue'} is unavailable; try again shortly`,
        details: { dependency, retryAfterSeconds: RETRY_AFTER_SECONDS },
      },
    };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error' } };
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, body } = toErrorBody(exception);
    if (status === 503)
      this.logger.warn(`${body.message}: ${exception instanceof Error ? exception.message : String(exception)}`);
    else if (status >= 500)
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) {
      // A streamed response (export) failed midway: the status is gone, so end the stream.
      response.destroy(exception instanceof Error ? exception : undefined);
      return;
    }
    if (status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(status).json(body);
  }
}
