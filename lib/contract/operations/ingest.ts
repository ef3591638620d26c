/** The operations `ingest-api` serves. */
import { operations, ok } from '../operation.js';
import { SenderPayload } from '../schemas.js';
import * as res from '../responses.js';
import { AlertmanagerWebhook } from '../../sources/alertmanager.js';
import { PagerDutyAccepted, PagerDutyEvent, PagerDutyInvalid } from '../../sources/pagerduty.js';

export const INGEST_API = operations('ingest-api', {
  'POST /integrations/alertmanager': {
    ingest: 'alertmanager',
    body: SenderPayload,
    doc: CONTRACT_DOCS && {
      summary: 'Alertmanager webhook (payload version 4)',
      bodyDoc: AlertmanagerWebhook,
      description:
        "Point an Alertmanager `webhook_configs` receiver here with `http_config: { authorization: { credentials: <key> } }` (sent as `Authorization: Bearer <key>`). " +
        'One alert per entry of `alerts`, keyed by `fingerprint`: `firing` raises or repeats, `resolved` clears. The same `fingerprint` and `startsAt` again changes nothing. ' +
        'The payload is checked whole before anything is written (a 400 names the entry and field, such as `alerts.3.labels`); over 1,000 alerts is 413. ' +
        'A missing, unknown or revoked key, or a user token, is 401.',
      success: [ok(res.IngestSummary, 'Every alert of the payload applied')],
    },
  },
  'POST /integrations/pagerduty/v2/enqueue': {
    ingest: 'pagerduty',
    body: SenderPayload,
    doc: CONTRACT_DOCS && {
      summary: 'PagerDuty Events API v2',
      bodyDoc: PagerDutyEvent,
      description:
        "Send PagerDuty Events API v2 events here with an integration's key as `routing_key`. `trigger` raises or repeats by `dedup_key` (one is made and returned when absent), " +
        '`acknowledge` acknowledges, `resolve` clears. Answers as PagerDuty does: 202 on success; an invalid event, or an unknown or revoked `routing_key`, is 400 ' +
        '`{ status: "invalid event", message, errors }`.',
      success: [{ status: 202, description: 'The event was applied', schema: PagerDutyAccepted }],
      errors: { 400: { description: 'An invalid event, or an unknown or revoked `routing_key`, answered as PagerDuty does', schema: PagerDutyInvalid, json: true } },
    },
  },
});
