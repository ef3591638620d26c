/** The operations `alerts-api` serves. */
import { operations, created, ok } from '../operation.js';
import { AlertIdParams, AlertListQuery, ConvertAlertBody, ConvertAlertsBody, HistoryQuery, RaiseAlertBody, UpdateAlertBody } from '../schemas.js';
import * as res from '../responses.js';

export const ALERTS_API = operations('alerts-api', {
  'POST /alerts': {
    permission: 'alerts:write',
    body: RaiseAlertBody,
    doc: CONTRACT_DOCS && {
      summary: 'Raise, repeat or clear an alert',
      description:
        '`source` + `sourceAlertId` is the de-duplication key: a repeat updates the known alert (occurrences + 1) instead of creating a second one. ' +
        'Severity `clear` closes the known alert with that key. Enabled playbooks may convert a new or repeated alert at once.',
      success: [created(res.Alert, 'A new alert', true), ok(res.Alert, 'A repeat of a known alert, or the alert a `clear` closed', true)],
      errors: {
        404: "Severity `clear` for a key that names no known alert (nothing is created)",
        409: "The `source` is a live integration's own: its alerts arrive through that integration",
      },
    },
  },
  'GET /alerts': {
    permission: 'alerts:read',
    query: AlertListQuery,
    doc: CONTRACT_DOCS && { summary: 'List alerts', success: [ok(res.AlertPage, 'A page of alerts, newest first')] },
  },
  'GET /alerts/{alertId}': {
    permission: 'alerts:read',
    params: AlertIdParams,
    doc: CONTRACT_DOCS && { summary: 'Read an alert', success: [ok(res.Alert, 'The alert', true)], errors: { 404: 'No such alert' } },
  },
  'PATCH /alerts/{alertId}': {
    permission: 'alerts:write',
    params: AlertIdParams,
    body: UpdateAlertBody,
    ifMatch: true,
    doc: CONTRACT_DOCS && {
      summary: 'Change the state of an alert',
      description: 'Closing an alert never closes its case.',
      success: [ok(res.Alert, 'The alert in its new state', true)],
      errors: { 404: 'No such alert' },
    },
  },
  'POST /alerts/{alertId}/case': {
    permission: 'alerts:convert',
    params: AlertIdParams,
    body: ConvertAlertBody,
    idempotency: 'native',
    doc: CONTRACT_DOCS && {
      summary: 'Convert an alert into a case',
      description:
        "The alert's attributes and detections are copied onto the case; priority follows the severity unless given. " +
        'An alert converts once: every other attempt, however simultaneous, gets a 409 naming the case.',
      success: [created(res.Case, 'The case', true)],
      errors: {
        404: 'No such alert',
        409: { description: 'The alert is already converted: `caseId` and `caseNumber` name its case', schema: res.AlreadyConverted },
      },
    },
  },
  'POST /alerts/convert': {
    permission: 'alerts:convert',
    body: ConvertAlertsBody,
    doc: CONTRACT_DOCS && {
      summary: 'Convert many alerts at once',
      description:
        '`one_case`: one case holding every alert that has no case yet, opened from the most severe of them (its priority, unless given, and its attributes); ' +
        '`case_per_alert`: a case for each. Without `shortDescription`, each case takes the description of the alert it is opened from. Each alert answers on its own, in the order sent: `converted` with its case, `attached_elsewhere` with the case it is already in, `not_found`. ' +
        'With `Idempotency-Key`, a retry answers as the first request did and converts nothing twice.',
      success: [ok(res.ConvertResult, 'Each alert\'s outcome')],
    },
  },
  'GET /alerts/{alertId}/history': {
    permission: 'alerts:read',
    params: AlertIdParams,
    query: HistoryQuery,
    doc: CONTRACT_DOCS && {
      summary: 'History of an alert',
      success: [ok(res.HistoryPage, 'History entries, oldest first (`order=newest`: newest first)')],
      errors: { 404: 'No such alert' },
    },
  },
});
