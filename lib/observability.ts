/**
 * Powertools logger and metrics shared by every handler, and `observed()`: the
 * one way a Lambda handler gets tracing (lib/tracing.ts), the Lambda context
 * and a correlation id in its logs, and its metrics flushed.
 */
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { METRICS_NAMESPACE, SERVICE_NAME as serviceName } from './observability-names.js';
import { traceHandler } from './tracing.js';

const functionLogger = new Logger({ serviceName, logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO' });
/** The logger of the function running; in Lambda, the one logger of the one function its process runs. */
export let logger: Logger = functionLogger;
export const metrics = new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE });

export { MetricUnit };

/**
 * For a process that hosts several functions (the local runtime), which would otherwise share one logger and
 * so one Lambda context: a line logged while one function's invocation awaited would name the function whose
 * invocation started last. Given which function is running, each gets a logger of its own, as each has in
 * Lambda. Called before the handlers load; never in Lambda, where `logger` stays the plain instance.
 */
export function oneLoggerPerFunction(functionRunning: () => string | undefined): void {
  // Once: handlers already loaded hold the logger given to them when they loaded.
  if (logger !== functionLogger) return;
  const loggers = new Map<string, Logger>();
  const current = () => {
    const name = functionRunning();
    if (!name) return functionLogger;
    return loggers.get(name) ?? loggers.set(name, functionLogger.createChild()).get(name)!;
  };
  logger = new Proxy(functionLogger, {
    get(_, key) {
      const target = current();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** What a handler's correlation id is, given its event: a caller's header, else the request or event id. */
export function correlationIdOf(event: unknown): string | undefined {
  const e = event as { headers?: Record<string, string>; requestContext?: { requestId?: string }; id?: string; Records?: { eventID?: string }[] };
  const header = Object.entries(e?.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-correlation-id')?.[1];
  return header ?? e?.requestContext?.requestId ?? e?.id ?? e?.Records?.[0]?.eventID;
}

async function flushMetrics() {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

/** Wraps a handler with tracing, the Lambda context and correlation id in logs, and metrics. */
export function observed<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return middy<E, R>(handler)
    .use(traceHandler(serviceName))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .before(async (request) => {
      const correlationId = correlationIdOf(request.event);
      if (correlationId) logger.setCorrelationId(correlationId);
    })
    // Flushed after every invocation, failed ones too; an invocation that counted nothing writes nothing.
    .after(flushMetrics)
    .onError(flushMetrics);
}

/** A stream record handler whose failures are logged with the record before the batch reports them. */
export function logged<R extends { eventID?: string; dynamodb?: { SequenceNumber?: string } }>(handle: (record: R) => Promise<void>) {
  return async (record: R) => {
    try {
      await handle(record);
    } catch (error) {
      logger.error('stream record failed', { eventID: record.eventID, sequenceNumber: record.dynamodb?.SequenceNumber, error: error as Error });
      throw error;
    }
  };
}
