import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';

/**
 * JSON logs with the request id. Patient data must never reach a log line, so requests are logged as
 * method + path only: no query string (it may hold a name search), no headers, no bodies.
 */
export function loggerOptions(level: string, destination?: DestinationStream): Params {
  const options = {
    level,
    genReqId: (req: IncomingMessage) => String(req.headers['x-request-id'] ?? ''),
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.body', 'res.body'],
      remove: true,
    },
    serializers: {
      req: (req: IncomingMessage & { id?: string }) => ({
        id: req.id,
        method: req.method,
        path: (req.url ?? '').split('?')[0],
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    quietReqLogger: true,
  };
  return {
    pinoHttp: destination ? [options, destination] : options,
    // Probes and scrapes would drown the log (and were logged twice under the global-prefix exclusion).
    exclude: ['health/live', 'health/ready', 'metrics'].map((path) => ({ method: RequestMethod.ALL, path })),
  } as Params;
}
