/** The operations `cases-api` serves. */
import { operations, created, noContent, ok } from '../operation.js';
import { AttachAlertsBody, CaseAlertParams, CaseIdOrNumberParams, CaseIdParams, CreateCaseBody, HistoryQuery, PageQuery, ProposeMajorCaseBody, RejectMajorCaseBody, UpdateCaseBody, WorkNoteBody } from '../schemas.js';
import * as res from '../responses.js';
import { MAX_CASE_ALERTS } from '../../domain/case-alerts.js';

const stageConflict = 'The stage change is not allowed (the problem names both stages), or a closed or cancelled case would change more than its stage';
export const CASES_API = operations('cases-api', {
  'POST /cases': {
    permission: 'cases:write',
    body: CreateCaseBody,
    idempotency: 'native',
    doc: CONTRACT_DOCS && {
      summary: 'Create a manual case',
      description: 'A case naming an unknown queue is a 400; an assignee who is not a member of the queue leaves the case unassigned, with `warnings` saying why.',
      success: [created(res.Case, 'The case', true)],
    },
  },
  'GET /cases/{caseId}': {
    permission: 'cases:read',
    params: CaseIdOrNumberParams,
    doc: CONTRACT_DOCS && { summary: 'Read a case by id or by number (CS0001001)', success: [ok(res.Case, 'The case', true)], errors: { 404: 'No such case' } },
  },
  'PATCH /cases/{caseId}': {
    permission: 'cases:write',
    params: CaseIdParams,
    body: UpdateCaseBody,
    ifMatch: true,
    doc: CONTRACT_DOCS && {
      summary: 'Change a case',
      description: 'Any field of `POST /cases`; `null` removes an optional one. Changes of a major case carry to its open children.',
      success: [ok(res.Case, 'The changed case', true)],
      errors: { 404: 'No such case', 409: stageConflict },
    },
  },
  'POST /cases/{caseId}/work-notes': {
    permission: 'cases:work-note',
    params: CaseIdParams,
    body: WorkNoteBody,
    doc: CONTRACT_DOCS && {
      summary: 'Add a work note',
      description: 'A work note on an accepted major case is written on its open children too.',
      success: [created(res.WorkNote, 'The work note')],
      errors: { 404: 'No such case' },
    },
  },
  'GET /cases/{caseId}/work-notes': {
    permission: 'cases:read',
    params: CaseIdParams,
    query: PageQuery,
    doc: CONTRACT_DOCS && {
      summary: 'List work notes',
      success: [ok(res.WorkNotePage, 'A page of work notes')],
      errors: { 404: 'No such case' },
    },
  },
  'GET /cases/{caseId}/history': {
    permission: 'cases:read',
    params: CaseIdParams,
    query: HistoryQuery,
    doc: CONTRACT_DOCS && {
      summary: 'History of a case',
      description:
        'A look for news (`order=newest&limit=1`) is answered with a validator naming where the newest entry stands (`ETag: W/"h.<time>#<change>"`); the same look with `If-None-Match` naming it is answered 304 while no entry came after, without reading an item.',
      success: [ok(res.HistoryPage, 'History entries, oldest first (`order=newest`: newest first)')],
      errors: { 404: 'No such case' },
    },
  },
  'GET /cases/{caseId}/alerts': {
    permission: 'cases:read',
    params: CaseIdParams,
    query: PageQuery,
    doc: CONTRACT_DOCS && {
      summary: "A case's alerts",
      success: [ok(res.AlertPage, 'The alerts attached now, in the order they joined the case')],
      errors: { 404: 'No such case' },
    },
  },
  'POST /cases/{caseId}/alerts': {
    permission: 'cases:attach',
    params: CaseIdParams,
    body: AttachAlertsBody,
    doc: CONTRACT_DOCS && {
      summary: 'Attach (or move) alerts to a case',
      description:
        'Each alert answers on its own: `attached`, `already_attached`, `attached_elsewhere` (with that case; send `move: true` to take it from there), `moved`, `not_found`. ' +
        "The case gains the alerts' detections (each id once) and each alert names the case, in the same write. Of two cases attaching one alert at once, exactly one wins.",
      success: [ok(res.AttachResult, "Each alert's outcome")],
      errors: {
        404: 'No such case',
        409: `The case, or (\`move\`) a case an alert would leave, is closed or cancelled: reopen it first (nothing is written); or the alerts would take the case past ${MAX_CASE_ALERTS} (\`limit\`, \`alertCount\`)`,
      },
    },
  },
  'DELETE /cases/{caseId}/alerts/{alertId}': {
    permission: 'cases:attach',
    params: CaseAlertParams,
    doc: CONTRACT_DOCS && {
      summary: 'Detach an alert from a case',
      description: 'The case keeps the detections it copied; its origin alert stays its provenance (`alertId`).',
      success: [noContent('Detached')],
      errors: { 404: 'No such case, or the alert is not attached to it', 409: 'The case is closed or cancelled: it keeps its alerts (reopen it first)' },
    },
  },
  'POST /cases/{caseId}/major-case/propose': {
    permission: 'cases:write',
    params: CaseIdParams,
    body: ProposeMajorCaseBody,
    ifMatch: true,
    doc: CONTRACT_DOCS && {
      summary: 'Propose a case as a major case',
      description: 'A case in `new`, `open` or `awaiting_info` whose install base spans at least the threshold of accounts (default 2). A reason becomes a work note.',
      success: [ok(res.Case, 'The proposed major case', true)],
      errors: { 404: 'No such case', 409: 'The case is a child, already proposed or accepted, in another stage, or spans too few accounts' },
    },
  },
  'POST /cases/{caseId}/major-case/accept': {
    permission: 'cases:decide-major',
    params: CaseIdParams,
    ifMatch: true,
    doc: CONTRACT_DOCS && {
      summary: 'Accept a proposed major case',
      description: 'Opens one child case per affected account, never two for the same account; accepting again completes missing children.',
      success: [ok(res.Case, 'The accepted major case', true)],
      errors: { 404: 'No such case', 409: 'The case is not proposed as a major case' },
    },
  },
  'POST /cases/{caseId}/major-case/reject': {
    permission: 'cases:decide-major',
    params: CaseIdParams,
    body: RejectMajorCaseBody,
    ifMatch: true,
    doc: CONTRACT_DOCS && {
      summary: 'Reject a proposed major case',
      description: 'The reason becomes a work note.',
      success: [ok(res.Case, 'The rejected major case', true)],
      errors: { 404: 'No such case', 409: 'The case is not proposed as a major case' },
    },
  },
});
