/**
 * X-Ray tracing without the X-Ray SDK: a subsegment for each invocation's
 * handler and one for every AWS SDK call, sent to the X-Ray daemon over UDP the
 * way the SDK sends them in Lambda (each subsegment on its own, parented by the
 * trace header Lambda hands the invocation).
 *
 * Why not Powertools Tracer: it brings aws-xray-sdk-core and cls-hooked, ~118 KB
 * and ~45 ms of module init in every bundle, on its own more than twice SPEC
 * §7's 20 ms budget for a function's own init (docs/performance.md). What we
 * used of it fits here.
 *
 * Off unless the invocation's trace header says `Sampled=1` (never locally).
 */
import type { Socket } from 'node:dgram';
import type { MiddlewareStack } from '@smithy/types';

/** node:dgram and node:crypto load on the first sampled invocation, not at every cold start. */
const dgram = () => process.getBuiltinModule('node:dgram');
const crypto = () => process.getBuiltinModule('node:crypto');

export interface TraceHeader {
  root: string;
  parent: string;
  sampled: boolean;
}

export interface Subsegment {
  name: string;
  id: string;
  trace_id: string;
  parent_id: string;
  type: 'subsegment';
  start_time: number;
  end_time?: number;
  namespace?: 'aws';
  annotations?: Record<string, string | number | boolean>;
  aws?: Record<string, unknown>;
  http?: { response: { status: number } };
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  cause?: { exceptions: { id: string; message: string; type: string }[] };
}

/** `Root=1-…;Parent=…;Sampled=1` → its parts; undefined when absent or incomplete. */
export function parseTraceHeader(header: string | undefined): TraceHeader | undefined {
  if (!header) return undefined;
  const fields = new Map(header.split(';').map((field) => field.trim().split('=', 2) as [string, string]));
  const root = fields.get('Root');
  const parent = fields.get('Parent');
  if (!root || !parent) return undefined;
  return { root, parent, sampled: fields.get('Sampled') === '1' };
}

/** The invocation's trace header, from the runtime's per-invocation store or the environment Lambda sets. */
export function currentTrace(): TraceHeader | undefined {
  const store = (globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId(): string | undefined } } }).awslambda?.InvokeStore;
  return parseTraceHeader(store?.getXRayTraceId() ?? process.env._X_AMZN_TRACE_ID);
}

const now = () => Date.now() / 1000;
const newId = () => crypto().randomBytes(8).toString('hex');

function open(name: string, trace: TraceHeader, parentId: string): Subsegment {
  return { name, id: newId(), trace_id: trace.root, parent_id: parentId, type: 'subsegment', start_time: now() };
}

/** Marks the subsegment as X-Ray classifies an HTTP status: 429 throttle, 4xx error, 5xx fault. */
function flagStatus(subsegment: Subsegment, status: number | undefined) {
  if (status === undefined) return;
  if (status === 429) subsegment.throttle = true;
  if (status >= 400 && status < 500) subsegment.error = true;
  if (status >= 500) subsegment.fault = true;
}

/** DynamoDB and EventBridge throttling comes as a 400 with one of these names. */
const THROTTLED = /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|TooManyRequests/;

function fail(subsegment: Subsegment, error: unknown) {
  const e = error as { name?: string; message?: string };
  const type = e?.name ?? 'Error';
  subsegment.cause = { exceptions: [{ id: newId(), type, message: e?.message ?? String(error) }] };
  if (THROTTLED.test(type)) subsegment.throttle = true;
  if (!subsegment.error && !subsegment.throttle) subsegment.fault = true;
}

let socket: Socket | undefined;

/** `169.254.79.129:2000`, or the `udp:host:port tcp:host:port` form. */
function daemonAddress(): { host: string; port: number } {
  const value = process.env.AWS_XRAY_DAEMON_ADDRESS ?? '127.0.0.1:2000';
  const udp = value.split(' ').find((part) => part.startsWith('udp:'))?.slice(4) ?? value;
  const at = udp.lastIndexOf(':');
  return { host: udp.slice(0, at), port: Number(udp.slice(at + 1)) };
}

/** Sends one closed subsegment to the daemon; tracing never fails the work it traces. */
export function emit(subsegment: Subsegment): void {
  subsegment.end_time = now();
  try {
    socket ??= dgram().createSocket('udp4').unref();
    const { host, port } = daemonAddress();
    socket.send(`{"format":"json","version":1}\n${JSON.stringify(subsegment)}`, port, host, () => undefined);
  } catch {
    // A missing daemon or a full buffer loses a trace, never a request.
  }
}

/** Handler subsegments still open, by the Parent of their invocation's trace header (one per invocation). */
const openHandlers = new Map<string, Subsegment>();

/** The parent for a subsegment started now: the invocation's handler subsegment, else Lambda's own segment. */
function parentFor(trace: TraceHeader): string {
  return openHandlers.get(trace.parent)?.id ?? trace.parent;
}

let coldStart = true;

interface HandlerRequest {
  response?: unknown;
  error?: unknown;
}

/**
 * A middy middleware: a `## <handler>` subsegment per sampled invocation, with
 * ColdStart and Service annotations; a response's status code or a thrown
 * error flags it. Registered first, so it closes after every other middleware
 * (an error the HTTP layer turned into a 4xx closes as an error, not a fault).
 */
export function traceHandler(service: string) {
  const close = (request: HandlerRequest) => {
    const trace = currentTrace();
    const subsegment = trace && openHandlers.get(trace.parent);
    if (!trace || !subsegment) return;
    openHandlers.delete(trace.parent);
    flagStatus(subsegment, (request.response as { statusCode?: number } | undefined)?.statusCode);
    if (request.response === undefined && request.error !== undefined) fail(subsegment, request.error);
    emit(subsegment);
  };
  return {
    before: async () => {
      const wasCold = coldStart;
      coldStart = false;
      const trace = currentTrace();
      if (!trace?.sampled) return;
      const subsegment = open(`## ${process.env._HANDLER ?? 'handler'}`, trace, trace.parent);
      subsegment.annotations = { ColdStart: wasCold, Service: service };
      openHandlers.set(trace.parent, subsegment);
    },
    after: async (request: HandlerRequest) => close(request),
    onError: async (request: HandlerRequest) => close(request),
  };
}

interface CommandContext {
  clientName?: string;
  commandName?: string;
}

interface CommandOutput {
  $metadata?: { requestId?: string; httpStatusCode?: number; attempts?: number };
}

/**
 * Adds a subsegment per call to an AWS SDK v3 client (namespace `aws`, the
 * service, operation, table, request id and retries), and sends the trace
 * header on with the request so the call joins the trace.
 */
export function traceAwsClient<C extends { middlewareStack: unknown; config: { region: unknown } }>(client: C): C {
  const stack = client.middlewareStack as MiddlewareStack<object, object>;
  const region = client.config.region as () => Promise<string>;
  stack.remove('alert-to-case-tracing');
  stack.add(
    (next, context: CommandContext) => async (args) => {
      const trace = currentTrace();
      if (!trace?.sampled) return next(args);
      const subsegment = open((context.clientName ?? 'AWS').replace(/Client$/, ''), trace, parentFor(trace));
      subsegment.namespace = 'aws';
      const input = (args as { input?: { TableName?: string } }).input;
      const request = (args as { request?: { headers?: Record<string, string> } }).request;
      if (request?.headers) request.headers['X-Amzn-Trace-Id'] = `Root=${trace.root};Parent=${subsegment.id};Sampled=1`;
      const describe = async (metadata: CommandOutput['$metadata']) => {
        subsegment.aws = {
          operation: (context.commandName ?? '').replace(/Command$/, ''),
          region: await region().catch(() => undefined),
          request_id: metadata?.requestId,
          retries: Math.max(0, (metadata?.attempts ?? 1) - 1),
          ...(input?.TableName ? { table_name: input.TableName } : {}),
        };
        if (metadata?.httpStatusCode) subsegment.http = { response: { status: metadata.httpStatusCode } };
        flagStatus(subsegment, metadata?.httpStatusCode);
      };
      try {
        const result = await next(args);
        await describe((result.output as CommandOutput).$metadata);
        emit(subsegment);
        return result;
      } catch (error) {
        await describe((error as CommandOutput).$metadata);
        fail(subsegment, error);
        emit(subsegment);
        throw error;
      }
    },
    { step: 'build', name: 'alert-to-case-tracing' },
  );
  return client;
}

/**
 * Takes the SDK's logger middleware off a client. We give the SDK no logger
 * (we log ourselves), yet that middleware copies every request and response
 * through the schema's sensitive-data filter before handing them to the
 * no-op logger: ~0.3 ms of CPU per call, measured in a profile of conversions.
 */
export function withoutSdkLogging<C extends { middlewareStack: { remove(name: string): boolean } }>(client: C): C {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
