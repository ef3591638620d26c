/** The operations `sla-api` serves: SLA definitions, and a case's task SLAs. */
import { operations, created, noContent, ok } from '../operation.js';
import { CaseIdParams, PageQuery, SlaBody, SlaIdParams } from '../schemas.js';
import * as res from '../responses.js';
import { MAX_SLA_DEFINITIONS } from '../../domain/sla.js';

export const SLA_API = operations('sla-api', {
  'GET /slas': {
    permission: 'config:read',
    query: PageQuery,
    doc: CONTRACT_DOCS && { summary: 'List SLA definitions', success: [ok(res.SlaDefinitionPage, 'SLA definitions, by name')] },
  },
  'POST /slas': {
    permission: 'config:write',
    body: SlaBody,
    doc: CONTRACT_DOCS && {
      summary: 'Define an SLA',
      description: `Cases that fall under it from now on get a task SLA of it (a case whose priority changes so that it does counts from its creation unless \`retroactive\` is false). At most ${MAX_SLA_DEFINITIONS} definitions. \`schedule\` is \`"24x7"\` or working hours: ISO weekdays (1 = Monday), \`start\` and \`end\` (\`HH:MM\`), an IANA \`timeZone\`, optional \`holidays\` (local dates).`,
      success: [created(res.SlaDefinition, 'The definition, its defaults filled in')],
      errors: { 409: `Already ${MAX_SLA_DEFINITIONS} definitions` },
    },
  },
  'GET /slas/{slaId}': {
    permission: 'config:read',
    params: SlaIdParams,
    doc: CONTRACT_DOCS && { summary: 'Read an SLA definition', success: [ok(res.SlaDefinition, 'The definition')], errors: { 404: 'No such SLA' } },
  },
  'PUT /slas/{slaId}': {
    permission: 'config:write',
    params: SlaIdParams,
    body: SlaBody,
    doc: CONTRACT_DOCS && {
      summary: 'Replace an SLA definition',
      description: "Task SLAs already running keep the terms they started with; SLAs that start afterwards take these. A case that stops falling under it has its SLA cancelled at the case's next change.",
      success: [ok(res.SlaDefinition, 'The definition')],
      errors: { 404: 'No such SLA' },
    },
  },
  'DELETE /slas/{slaId}': {
    permission: 'config:write',
    params: SlaIdParams,
    doc: CONTRACT_DOCS && { summary: 'Delete an SLA definition', success: [noContent('Deleted')], errors: { 404: 'No such SLA' } },
  },
  'GET /cases/{caseId}/slas': {
    permission: 'cases:read',
    params: CaseIdParams,
    doc: CONTRACT_DOCS && {
      summary: "A case's SLAs",
      description: 'One per SLA definition the case has fallen under, with its clock read now: business time elapsed (pauses left out), its share of the target, when it breaches, and whether it has.',
      success: [ok(res.TaskSlaList, 'Task SLAs')],
      errors: { 404: 'No such case' },
    },
  },
});
