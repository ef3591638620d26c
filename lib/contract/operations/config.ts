/** The operations `config-api` serves. */
import { operations, created, noContent, ok } from '../operation.js';
import { CaseSyncRuleBody, IntegrationBody, IntegrationIdParams, PageQuery, PlaybookBody, PlaybookIdParams, ProactiveRuleBody, PutQueueBody, QueueIdParams } from '../schemas.js';
import * as res from '../responses.js';
import { MAX_INTEGRATIONS } from '../../domain/integration.js';

export const CONFIG_API = operations('config-api', {
  'GET /rules/proactive-case': {
    permission: 'config:read',
    doc: CONTRACT_DOCS && { summary: 'Read the Create Proactive Case rule', success: [ok(res.ProactiveRule, 'The rule (off until turned on)')] },
  },
  'PUT /rules/proactive-case': {
    permission: 'config:write',
    body: ProactiveRuleBody,
    doc: CONTRACT_DOCS && {
      summary: 'Turn the Create Proactive Case rule on or off',
      description: 'Takes effect for the next Incident Created event.',
      success: [ok(res.ProactiveRule, 'The rule')],
    },
  },
  'GET /rules/case-sync': {
    permission: 'config:read',
    doc: CONTRACT_DOCS && { summary: 'Read the case-sync rule', success: [ok(res.CaseSyncRule, 'The rule (raising priority on escalation on, closing alerts with their case off, until changed)')] },
  },
  'PUT /rules/case-sync': {
    permission: 'config:write',
    body: CaseSyncRuleBody,
    doc: CONTRACT_DOCS && {
      summary: 'Set the case-sync rule',
      success: [ok(res.CaseSyncRule, 'The rule')],
    },
  },
  'GET /playbooks': {
    permission: 'config:read',
    query: PageQuery,
    doc: CONTRACT_DOCS && { summary: 'List playbooks in evaluation order', success: [ok(res.PlaybookList, 'Every playbook, in evaluation order')] },
  },
  'POST /playbooks': {
    permission: 'config:write',
    body: PlaybookBody,
    doc: CONTRACT_DOCS && {
      summary: 'Create a playbook',
      description: 'A new playbook is disabled unless `enabled` says otherwise; its action must be one a conversion can carry out (a known queue, a closed stage with its reason).',
      success: [created(res.Playbook, 'The playbook')],
    },
  },
  'GET /playbooks/{playbookId}': {
    permission: 'config:read',
    params: PlaybookIdParams,
    doc: CONTRACT_DOCS && { summary: 'Read a playbook', success: [ok(res.Playbook, 'The playbook')], errors: { 404: 'No such playbook' } },
  },
  'PUT /playbooks/{playbookId}': {
    permission: 'config:write',
    params: PlaybookIdParams,
    body: PlaybookBody,
    doc: CONTRACT_DOCS && {
      summary: 'Replace a playbook',
      success: [ok(res.Playbook, 'The playbook')],
      errors: { 404: 'No such playbook' },
    },
  },
  'DELETE /playbooks/{playbookId}': {
    permission: 'config:write',
    params: PlaybookIdParams,
    doc: CONTRACT_DOCS && { summary: 'Delete a playbook', success: [noContent('Deleted')], errors: { 404: 'No such playbook' } },
  },
  'POST /playbooks/{playbookId}/test': {
    permission: 'config:write',
    params: PlaybookIdParams,
    query: PageQuery,
    idempotency: 'none',
    doc: CONTRACT_DOCS && {
      summary: 'Dry run: which open alerts the playbook would convert',
      description:
        'A dry run over open alerts without a case, enabled or not: converts nothing. Paged: up to `limit` matches and 1,000 alerts looked at per request; `nextCursor` goes on.',
      success: [ok(res.PlaybookTestResult, 'The alerts the playbook would convert')],
      errors: { 404: 'No such playbook' },
    },
  },
  'GET /queues': {
    permission: 'config:read',
    query: PageQuery,
    doc: CONTRACT_DOCS && { summary: 'List queues', success: [ok(res.QueueList, 'Every queue (tier1, tier2 and tier3 always exist)')] },
  },
  'GET /integrations': {
    permission: 'config:write',
    query: PageQuery,
    doc: CONTRACT_DOCS && { summary: 'List integrations (never their keys)', success: [ok(res.IntegrationPage, 'Every integration, oldest first')] },
  },
  'POST /integrations': {
    permission: 'config:write',
    body: IntegrationBody,
    doc: CONTRACT_DOCS && {
      summary: 'Create an integration and its key',
      description:
        'The answer holds the key: the only time it is shown (only its hash is kept; a retry with the same `Idempotency-Key` is answered without it). It works at once. `mapping.ciField` names the label (Alertmanager, default `instance`) or field ' +
        '(PagerDuty: `source` by default, `component`, `group`, `class` or `custom_details.<name>`) that names the CI; `mapping.severityMap` maps sender severities over the defaults; ' +
        "`mapping.source` is the `source` its alerts carry (default: the name). A source is its integration's own: one another live integration carries, one alerts raised through `POST /alerts` or `Alert Raised` carry, or one beginning `aws.` is a 409 naming `source`. " +
        'To rotate a key, revoke the integration and create it again with the same name: its open alerts go on under the new key.',
      success: [created(res.IntegrationCreated, 'The integration, with its key')],
      errors: { 409: `The source is taken (\`source\`), or there are already ${MAX_INTEGRATIONS} integrations, the most there may be` },
    },
  },
  'DELETE /integrations/{integrationId}': {
    permission: 'config:write',
    params: IntegrationIdParams,
    doc: CONTRACT_DOCS && {
      summary: 'Revoke an integration and its key',
      description: 'The key stops working within 5 s (instances may cache a key that long).',
      success: [noContent('Revoked')],
      errors: { 404: 'No such integration' },
    },
  },
  'PUT /queues/{queueId}': {
    permission: 'queues:write',
    params: QueueIdParams,
    body: PutQueueBody,
    doc: CONTRACT_DOCS && {
      summary: 'Create a queue, or set its members and how it hands out cases',
      description:
        'Creates the queue or replaces its settings: a field left out takes its default (`members` `[]`, `assignment` `manual`, `strategy` `most_capacity`, `offerTimeoutSeconds` 120, no target wait, `rejectReasons` `[]`, `onTimeout` `away`). ' +
        '`offer`: each unassigned case in a working stage is offered to one available member with room, who accepts or rejects within the timeout; `auto`: it is assigned at once. ' +
        '`most_capacity` picks the member with the most free capacity (ties: longest since their last assignment); `round_robin` the one longest since their last assignment.',
      success: [ok(res.Queue, 'The queue')],
    },
  },
});
