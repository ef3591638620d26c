/**
 * History as people write it (SPEC §8): each entry a sentence (who did what),
 * its changes as labelled "from → to" lines, a creation summed up by the
 * fields someone chose, bookkeeping left out, and a run of updates of the
 * case's alerts gathered into one entry. Pure: the History section draws it.
 */
import type { HistoryEntry } from '../../lib/contract/types.js';

export interface ChangeLine {
  label: string;
  from: string;
  to: string;
}

export interface HistoryItem {
  at: string;
  actor: string;
  /** What happened, as a sentence without its subject ("changed the case", "attached 3 alerts"). */
  what: string;
  lines: ChangeLine[];
  /** A run of the case's alerts' updates, gathered: how many, and the alerts. */
  alertUpdates?: { count: number; alertIds: string[] };
}

const LABELS: Record<string, string> = {
  shortDescription: 'Short description',
  description: 'Description',
  priority: 'Priority',
  stage: 'Stage',
  closedReason: 'Closed reason',
  closedReasonText: 'Closed reason text',
  queue: 'Queue',
  assignee: 'Assigned to',
  accountId: 'Account',
  alertCount: 'Alerts',
  alerts: 'Alerts',
  detections: 'Detections',
  alertAttributes: 'Alert attributes',
  majorCase: 'Major case',
  parentCaseId: 'Major case',
  state: 'State',
  severity: 'Severity',
  occurrences: 'Occurrences',
  firstOccurredAt: 'First occurred',
  lastOccurredAt: 'Last occurred',
  caseId: 'Case',
  caseNumber: 'Case',
  ciId: 'Configuration item',
  type: 'Type',
  attributes: 'Attributes',
  incidentId: 'Incident',
  impact: 'Impact',
  workNote: 'Work note',
};

const ACTIONS: Record<string, string> = {
  created: 'created it',
  created_from_alert: 'created the case from an alert',
  created_from_major_case: 'created the case as a child of a major case',
  updated: 'changed it',
  work_note: 'added a work note',
  alert_attached: 'attached alerts',
  alert_detached: 'detached alerts',
  alert_updated: "updated one of the case's alerts",
  priority_raised: 'raised the priority for an attached alert',
  install_base_item_added: 'added an affected install base item',
  install_base_item_removed: 'removed an affected install base item',
  major_case_proposed: 'proposed it as a major case',
  major_case_accepted: 'accepted it as a major case',
  major_case_rejected: 'rejected it as a major case',
  carried_from_major_case: 'carried a change over from its major case',
  converted_to_case: 'converted it to a case',
  attached_to_case: 'attached it to a case',
  moved_to_case: 'moved it to another case',
  detached_from_case: 'detached it from its case',
  closed_with_case: 'closed it with its case',
  repeated: 'sent it again',
  cleared: 'cleared it',
  impact_refreshed: 'refreshed its impact',
  incident_created: 'linked an incident',
  sla_warning: 'warned that an SLA is running out',
  sla_breached: 'recorded an SLA breach',
  offer_accepted: 'accepted the case from their inbox',
  assigned: 'assigned it automatically',
};

/** Fields a creation sums up: what someone chose, not what every record has. */
const CREATION_FIELDS = ['shortDescription', 'priority', 'stage', 'queue', 'assignee', 'accountId', 'severity', 'source', 'ciId', 'caseNumber'];
/** Fields no person reads in a change: ids and bookkeeping. */
const HIDDEN = new Set(['caseId', 'alertId', 'number', 'createdAt', 'createdBy', 'origin', 'links']);

export const labelOf = (field: string) =>
  field.startsWith('affectedInstallBase.') ? 'Affected item' : (LABELS[field] ?? field.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()));

/** Fields whose values are codes (`awaiting_info`), read as words. */
const CODE_FIELDS = new Set(['stage', 'closedReason', 'state', 'majorCase', 'origin']);

/** A value as people read it: words for codes, an item by its name, a list by its entries, a time as a local time. */
export function valueText(value: unknown, field = ''): string {
  if (value === null || value === undefined || value === '') return '—';
  // An alert's impact as people count it, not its bookkeeping (generation, digest).
  if (field === 'impact' && typeof value === 'object') {
    const i = value as { impactedCis?: number; affectedAccounts?: number; affectedItems?: number };
    return `${i.impactedCis ?? 0} impacted CIs, ${i.affectedAccounts ?? 0} accounts, ${i.affectedItems ?? 0} install base items`;
  }
  if (Array.isArray(value)) return value.length ? value.map((v) => valueText(v)).join(', ') : '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') {
    const named = value as { name?: unknown };
    if (typeof named.name === 'string') return named.name;
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length ? entries.map(([k, v]) => `${k}: ${valueText(v)}`).join(', ') : '—';
  }
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return new Date(value).toLocaleString();
  if (typeof value === 'string' && CODE_FIELDS.has(field)) return value.replace(/_/g, ' ');
  return String(value);
}

/** Who did it, as people say it: a user by name; an alert, a playbook, a queue, the schedule by what they are. */
export function actorText(actor: string): string {
  if (actor.startsWith('playbook:')) return `Playbook ${actor.slice('playbook:'.length)}`;
  if (actor.startsWith('alert:')) return 'An alert';
  if (actor.startsWith('integration:')) return `Integration ${actor.slice('integration:'.length)}`;
  // A queue that hands out its cases (`auto`): it assigns them itself.
  if (actor.startsWith('queue:')) return `Queue ${actor.slice('queue:'.length)}`;
  if (actor === 'schedule' || actor === 'system') return 'The service';
  return actor;
}

function itemOf(entry: HistoryEntry): HistoryItem {
  const creation = entry.changes.length > 0 && entry.changes.every((c) => c.from === null || c.from === undefined) && entry.action.startsWith('created');
  const shown = entry.changes.filter((c) => !HIDDEN.has(c.field) && (!creation || CREATION_FIELDS.includes(c.field)) && valueText(c.from, c.field) !== valueText(c.to, c.field));
  const count = entry.changes.find((c) => c.field === 'alerts');
  const alerts = Array.isArray(count?.to ?? count?.from) ? ((count!.to ?? count!.from) as unknown[]).length : 0;
  const what =
    entry.action === 'alert_attached' && alerts ? `attached ${alerts === 1 ? 'an alert' : `${alerts} alerts`}`
    : entry.action === 'alert_detached' && alerts ? `detached ${alerts === 1 ? 'an alert' : `${alerts} alerts`}`
    : (ACTIONS[entry.action] ?? entry.action.replace(/_/g, ' '));
  return {
    at: entry.at,
    actor: actorText(entry.actor),
    what,
    lines: shown.filter((c) => !(c.field === 'alerts' || c.field === 'alertCount')).map((c) => ({ label: labelOf(c.field), from: valueText(c.from, c.field), to: valueText(c.to, c.field) })),
  };
}

/**
 * Entries (in the order given, newest first as the console asks for them) as
 * people read them; consecutive updates of the case's alerts become one item.
 */
export function readableHistory(entries: readonly HistoryEntry[]): HistoryItem[] {
  const out: HistoryItem[] = [];
  for (const entry of entries) {
    const last = out[out.length - 1];
    if (entry.action === 'alert_updated' && last?.alertUpdates) {
      last.alertUpdates.count++;
      if (entry.alertId && !last.alertUpdates.alertIds.includes(entry.alertId)) last.alertUpdates.alertIds.push(entry.alertId);
      last.what = `updated the case's alerts ${last.alertUpdates.count} times (${last.alertUpdates.alertIds.length === 1 ? 'one alert' : `${last.alertUpdates.alertIds.length} alerts`})`;
      last.lines = [];
      continue;
    }
    const item = itemOf(entry);
    out.push(entry.action === 'alert_updated' ? { ...item, alertUpdates: { count: 1, alertIds: entry.alertId ? [entry.alertId] : [] } } : item);
  }
  return out;
}
