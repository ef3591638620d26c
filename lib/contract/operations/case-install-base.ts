/**
 * The operations `case-install-base-api` serves: a case's affected install
 * base, its health and the case's details. A function of their own: in
 * cases-api they would take it past the 250 KB bar, and they read the
 * install base and the impact beside the case.
 */
import { created, noContent, ok, operations } from '../operation.js';
import { AddInstallBaseItemBody, CaseIdParams, CaseItemParams } from '../schemas.js';
import * as res from '../responses.js';

export const CASE_INSTALL_BASE_API = operations('case-install-base-api', {
  'GET /cases/{caseId}/affected-install-base': {
    permission: 'cases:read',
    params: CaseIdParams,
    doc: CONTRACT_DOCS && {
      summary: 'Affected install base of a case',
      success: [ok(res.CaseAffectedInstallBase, "The case's install base items, grouped by account")],
      errors: { 404: 'No such case' },
    },
  },
  'POST /cases/{caseId}/affected-install-base': {
    permission: 'cases:write',
    params: CaseIdParams,
    body: AddInstallBaseItemBody,
    ifMatch: true,
    doc: CONTRACT_DOCS && {
      summary: 'Attach an install base item',
      success: [created(res.CaseAffectedInstallBase, "The case's install base items after the change")],
      errors: { 404: 'No such case, install base item or account', 409: 'The case is closed or cancelled' },
    },
  },
  'DELETE /cases/{caseId}/affected-install-base/{installBaseItemId}': {
    permission: 'cases:write',
    params: CaseItemParams,
    ifMatch: true,
    doc: CONTRACT_DOCS && {
      summary: 'Detach an install base item',
      success: [noContent('Detached')],
      errors: { 404: 'No such case, or the item is not attached to it', 409: 'The case is closed or cancelled' },
    },
  },
  'POST /cases/{caseId}/install-base-health/refresh': {
    permission: 'cases:write',
    params: CaseIdParams,
    doc: CONTRACT_DOCS && {
      summary: 'Refresh install base health',
      description: "Health of the case's items (or, when it has none, its account's): the worst severity among open alerts impacting each item's CI, else `ok`.",
      success: [ok(res.InstallBaseHealth, 'Health of each item')],
      errors: { 404: 'No such case', 409: 'The case has no account, or neither the case nor its account has install base items (`missing` names which)' },
    },
  },
  'GET /cases/{caseId}/details': {
    permission: 'cases:read',
    params: CaseIdParams,
    doc: CONTRACT_DOCS && {
      summary: 'Sold products and source alert of a case',
      success: [ok(res.CaseDetails, "The sold products behind the case's items (else its account's) and the alert it came from")],
      errors: { 404: 'No such case' },
    },
  },
});
