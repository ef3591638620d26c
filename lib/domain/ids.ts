/**
 * The shapes of the ids the service makes (each made next to its record:
 * `alertIdFor`, `newCaseId`, `newIntegrationId`, a playbook's on creation).
 * One home for each, read by the request schemas, the answers' schemas, the
 * events and the store's cursors.
 */
export const ALERT_ID_PATTERN = /^alr_[0-9a-f]{24}$/;
export const CASE_ID_PATTERN = /^case_[0-9a-f]{32}$/;
export const PLAYBOOK_ID_PATTERN = /^pb_[0-9a-f]{16}$/;
export const INTEGRATION_ID_PATTERN = /^int_[0-9a-f]{24}$/;
export const SLA_ID_PATTERN = /^sla_[0-9a-f]{16}$/;
