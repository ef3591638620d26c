/** Key shapes of every item in the table (docs/access-patterns.md lists them with their access patterns). */
export const keys = {
  alert: (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' }),
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  caseNumber: (number: string) => ({ pk: `CASENUMBER#${number}`, sk: 'CASENUMBER' }),
  caseCounter: () => ({ pk: 'COUNTER#case', sk: 'COUNTER' }),
  queue: (queueId: string) => ({ pk: `QUEUE#${queueId}`, sk: 'QUEUE' }),
  idempotency: (id: string) => ({ pk: `IDEMPOTENCY#${id}`, sk: 'IDEMPOTENCY' }),
  workNote: (caseId: string, createdAt: string, noteId: string) => ({ pk: `CASE#${caseId}`, sk: `NOTE#${createdAt}#${noteId}` }),
  history: (owner: { pk: string }, at: string, changeId: string) => ({ pk: owner.pk, sk: `HISTORY#${at}#${changeId}` }),
  ci: (ciId: string) => ({ pk: `CI#${ciId}`, sk: 'CI' }),
  account: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'ACCOUNT' }),
  soldProduct: (soldProductId: string) => ({ pk: `SOLDPRODUCT#${soldProductId}`, sk: 'SOLDPRODUCT' }),
  installBaseItem: (itemId: string) => ({ pk: `INSTALLBASEITEM#${itemId}`, sk: 'INSTALLBASEITEM' }),
  /** One impacted CI of an alert's impact generation, in walk order. */
  impactedCi: (alertId: string, generation: string, position: number) => ({
    pk: `ALERT#${alertId}`,
    sk: `IMPACT#${generation}#${String(position).padStart(6, '0')}`,
  }),
};

export const SK_PREFIX = { note: 'NOTE#', history: 'HISTORY#', impact: 'IMPACT#' } as const;

/** Index keys of an alert: all alerts, by state, by severity, by source. Newest first by creation. */
export function alertIndexKeys(a: { alertId: string; createdAt: string; state: string; severity: string; source: string }) {
  const sk = `${a.createdAt}#${a.alertId}`;
  return {
    gsi1pk: 'ALERT',
    gsi1sk: sk,
    gsi2pk: `ALERT#STATE#${a.state}`,
    gsi2sk: sk,
    gsi3pk: `ALERT#SEVERITY#${a.severity}`,
    gsi3sk: sk,
    gsi4pk: `ALERT#SOURCE#${a.source}`,
    gsi4sk: sk,
  };
}

/** Index keys of a case: all cases, by stage, queue, assignee, account, alert, parent case. */
export function caseIndexKeys(c: {
  caseId: string;
  createdAt: string;
  stage: string;
  queue?: string | null;
  assignee?: string | null;
  accountId?: string | null;
  alertId?: string | null;
  parentCaseId?: string | null;
}) {
  const sk = `${c.createdAt}#${c.caseId}`;
  const optional = (index: string, value: string | null | undefined, pk: string) =>
    value ? { [`${index}pk`]: `${pk}#${value}`, [`${index}sk`]: sk } : {};
  return {
    gsi1pk: 'CASE',
    gsi1sk: sk,
    gsi2pk: `CASE#STAGE#${c.stage}`,
    gsi2sk: sk,
    ...optional('gsi3', c.queue, 'CASE#QUEUE'),
    ...optional('gsi4', c.assignee, 'CASE#ASSIGNEE'),
    ...optional('gsi5', c.accountId, 'CASE#ACCOUNT'),
    ...optional('gsi6', c.alertId, 'CASE#ALERT'),
    ...optional('gsi7', c.parentCaseId, 'CASE#PARENT'),
  };
}
