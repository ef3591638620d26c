/** The operations `case-lists-api` serves: the case list, by its filters and by SLA breach. */
import { operations, ok } from '../operation.js';
import { CaseListQuery } from '../schemas.js';
import * as res from '../responses.js';

export const CASE_LISTS_API = operations('case-lists-api', {
  'GET /cases': {
    permission: 'cases:read',
    query: CaseListQuery,
    doc: CONTRACT_DOCS && {
      summary: 'List cases',
      description:
        'Newest first, by at most one filter\'s index (the others run in that index). With `slaBreached` or `slaDueBefore`, the cases with an SLA on the clock, earliest breach first: `slaBreached=true` those whose SLA has breached (running, or paused after it breached), `false` those on the clock that have not; `slaDueBefore` those due to breach before that time, breached ones included unless `slaBreached=false`. A completed SLA is off the clock, breached or not. Each case carries its SLAs in brief.',
      success: [ok(res.CasePage, 'A page of cases, each with its SLAs in brief')],
    },
  },
});
