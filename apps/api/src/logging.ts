/**
 * Structured logs (pino): one line per request with its id, route, status and latency.
 *
 * JSON is what log collectors read, so it is the default wherever the output is not a terminal.
 * On a terminal (`npm start` in a shell) the same records are printed readably by pino-pretty,
 * which runs as a pino transport on its own thread, off the request path. LOG_FORMAT overrides the
 * choice either way.
 */
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from './config/env';

/** Whether records are printed for people (`pretty`) or for machines (`json`). */
export function logFormat(
  config: Pick<AppConfig, 'logFormat'>,
  isTTY = Boolean(process.stdout.isTTY),
): 'json' | 'pretty' {
  if (config.logFormat !== 'auto') return config.logFormat;
  return isTTY ? 'pretty' : 'json';
}

export function loggerOptions(config: AppConfig, processName: 'api' | 'worker'): Params {
  const pretty = logFormat(config) === 'pretty';
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { process: processName },
      genReqId: (req) => (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      ...(pretty
        ? {
            transport: {
              target: 'pino-pretty',
              options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
            },
          }
        : {}),
    },
  };
}
