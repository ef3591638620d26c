/**
 * Where the ingest route spends its CPU (issue 20): starts the local runtime
 * in this process, sends Alertmanager webhooks of 1,000 new alerts, and
 * prints the CPU the profile saw, by where the code lives and by function.
 * `npx tsx scripts/profile-ingest.ts [webhooks] [alerts a webhook] [senders]`
 * (DynamoDB Local's own CPU is another process: not in it). Writes the
 * profile to /tmp for a closer look.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

// Before the runtime's modules load: the functions' logger reads it once.
process.env.LOG_LEVEL ??= 'ERROR';
const { mapLimit } = await import('../lib/concurrency.js');
const { startRuntime } = await import('../local/runtime.js');
const { signLocalToken } = await import('../local/tokens.js');
// The bench's own webhook (Alertmanager's payload version 4, `n` new firing alerts).
const { webhook } = await import('../bench/ingest.js');

const WEBHOOKS = Number(process.argv[2]) || 8;
/** Alerts in a webhook, and webhooks in flight at once: 1,000 and 1 by default; the bench's sustained phase is 20 and 16. */
const PER_WEBHOOK = Number(process.argv[3]) || 1000;
const SENDERS = Number(process.argv[4]) || 1;
const runtime = await startRuntime({ tableName: `profile-${Date.now()}`, impactIntervalSeconds: 0, log: () => undefined });
const admin = await signLocalToken({ sub: 'profile', roles: ['evt_mgmt_admin'] });
const { key } = (await fetch(`${runtime.url}/integrations`, {
  method: 'POST',
  headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
  body: JSON.stringify({ name: `profile-${Date.now()}`, kind: 'alertmanager' }),
}).then((r) => r.json())) as { key: string };

const send = async (body: unknown) => {
  for (;;) {
    const res = await fetch(`${runtime.url}/integrations/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.text();
    if (res.status !== 503) return res.status;
  }
};
// Warm-up: modules, clients, the key in the cache, DynamoDB Local's JIT.
await mapLimit(Array.from({ length: Math.ceil(3000 / PER_WEBHOOK) }, (_, i) => webhook(`warm${i}`, PER_WEBHOOK)), SENDERS, send);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const started = performance.now();
const cpu = process.cpuUsage();
await mapLimit(Array.from({ length: WEBHOOKS }, (_, i) => webhook(`p${i}`, PER_WEBHOOK)), SENDERS, send);
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
const { profile } = await session.post('Profiler.stop');
session.disconnect();
await runtime.stop();
const file = `/tmp/ingest-${Date.now()}.cpuprofile`;
writeFileSync(file, JSON.stringify(profile));

// Self time per node, from the samples.
const self = new Map<number, number>();
profile.samples!.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas![i] ?? 0)));
const where = (url: string) => {
  if (!url) return '(native, GC, idle)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const own = /\/work\/[^/]+\/([^?]*)/.exec(url);
  return own ? own[1].split('/').slice(0, 2).join('/') : url.startsWith('node:') ? 'node' : url;
};
const byWhere = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const us = self.get(node.id) ?? 0;
  if (!us) continue;
  const w = where(node.callFrame.url);
  byWhere.set(w, (byWhere.get(w) ?? 0) + us);
  const name = `${node.callFrame.functionName || '(anonymous)'} ${w}:${node.callFrame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
}
const alerts = WEBHOOKS * PER_WEBHOOK;
const top = (m: Map<string, number>, n: number) =>
  Object.fromEntries([...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => [k, { ms: Math.round(us / 1000), usPerAlert: Math.round((us / alerts) * 10) / 10 }]));
console.log(`${alerts} new alerts in ${WEBHOOKS} webhooks: ${Math.round(wallMs)} ms wall, ${Math.round((used.user + used.system) / 1000)} ms CPU in this process (${Math.round((used.user + used.system) / alerts)} µs an alert)`);
console.table(top(byWhere, 20));
console.table(top(byFunction, 40));
// Time spent under each of these (inclusive), outermost call counted once.
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const inclusive = new Map<number, number>();
const totalOf = (id: number): number => {
  if (inclusive.has(id)) return inclusive.get(id)!;
  const t = (self.get(id) ?? 0) + (byId.get(id)!.children ?? []).reduce((s, c) => s + totalOf(c), 0);
  inclusive.set(id, t);
  return t;
};
const STEPS = ['handle', 'dispatch', 'applySignals', 'standings', 'createMany', 'raiseNewAlerts', 'applyPlaybooks', 'alertmanagerSignals', 'checkSignals', 'readBody', 'integrationOfKey', 'poll', 'deliver', 'putEvents'];
const steps = new Map<string, number>();
for (const node of profile.nodes) {
  const name = node.callFrame.functionName;
  if (!STEPS.includes(name)) continue;
  let a = parentOf.get(node.id);
  let nested = false;
  while (a !== undefined) {
    if (byId.get(a)!.callFrame.functionName === name) nested = true;
    a = parentOf.get(a);
  }
  if (!nested) steps.set(name, (steps.get(name) ?? 0) + totalOf(node.id));
}
console.table(top(steps, STEPS.length));
console.log(`profile: ${file}`);
process.exit(0);
