/**
 * The operations `catalog-api` serves. An alert's impact is a walk of the
 * service map into the install base, so it is served here, beside them.
 */
import { ok, operations } from '../operation.js';
import { AccountIdParams, AccountListQuery, AlertIdParams, CiIdParams, InstallBaseImportBody, PageQuery, ServiceMapImportBody } from '../schemas.js';
import * as req from '../schemas.js';
import * as res from '../responses.js';

export const CATALOG_API = operations('catalog-api', {
  'POST /service-map/import': {
    permission: 'config:write',
    body: ServiceMapImportBody,
    doc: CONTRACT_DOCS && {
      summary: 'Import CIs and relationships',
      description: `At most ${req.MAX_IMPORT_ROWS} rows. Every row is checked before anything is written (an error's path names its row); an import can be sent again safely.`,
      success: [ok(res.ServiceMapImportResult, 'Rows written')],
      errors: { 409: 'Another service map import is running; send this one again when it has finished' },
    },
  },
  'GET /cis/{ciId}': {
    permission: 'config:read',
    params: CiIdParams,
    doc: CONTRACT_DOCS && { summary: 'Read a CI with its parents and children', success: [ok(res.Ci, 'The CI with its parents and children')], errors: { 404: 'No such CI' } },
  },
  'POST /install-base/import': {
    permission: 'config:write',
    body: InstallBaseImportBody,
    doc: CONTRACT_DOCS && {
      summary: 'Import accounts, sold products and install base items',
      description: `At most ${req.MAX_IMPORT_ROWS} rows. Every row is checked before anything is written (an error's path names its row); an import can be sent again safely.`,
      success: [ok(res.InstallBaseImportResult, 'Rows written')],
    },
  },
  'GET /accounts': {
    permission: 'cases:read',
    query: AccountListQuery,
    doc: CONTRACT_DOCS && {
      summary: 'Find accounts by name',
      description: 'Accounts whose name begins with `q` (any case), A to Z; every account without `q`. What a picker offers as someone types.',
      success: [ok(res.AccountPage, 'A page of accounts')],
    },
  },
  'GET /accounts/{accountId}/install-base': {
    permission: 'config:read',
    params: AccountIdParams,
    query: PageQuery,
    doc: CONTRACT_DOCS && {
      summary: "Read an account's install base",
      success: [ok(res.AccountInstallBase, 'The account, its sold products and install base items')],
      errors: { 404: 'No such account' },
    },
  },
  'POST /alerts/{alertId}/impact/refresh': {
    permission: 'alerts:write',
    params: AlertIdParams,
    doc: CONTRACT_DOCS && {
      summary: 'Recalculate impacted CIs and affected install base',
      description: 'Walks the service map from the alert CI to the services that depend on it, and the install base items running on them.',
      success: [ok(res.ImpactRefresh, 'The recalculated impact')],
      errors: { 404: 'No such alert' },
    },
  },
  'GET /alerts/{alertId}/impacted-cis': {
    permission: 'alerts:read',
    params: AlertIdParams,
    query: PageQuery,
    doc: CONTRACT_DOCS && {
      summary: 'Impacted CIs of an alert',
      success: [ok(res.AlertImpactedCis, 'Impacted CIs as last calculated, in walk order, a page at a time')],
      errors: { 404: 'No such alert' },
    },
  },
  'GET /alerts/{alertId}/affected-install-base': {
    permission: 'alerts:read',
    params: AlertIdParams,
    doc: CONTRACT_DOCS && {
      summary: 'Affected install base of an alert',
      success: [ok(res.AlertAffectedInstallBase, 'Affected install base items as last calculated, grouped by account')],
      errors: { 404: 'No such alert' },
    },
  },
});
