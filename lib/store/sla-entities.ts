/**
 * The entities of service levels (SLA definitions, a case's task SLAs),
 * defined apart from the table's others so that only the functions that
 * keep or read SLAs bundle them (an API function's own code stays under 250 KB).
 */
import { Entity } from 'dynamodb-toolbox/entity';
import { any } from 'dynamodb-toolbox/schema/any';
import { boolean } from 'dynamodb-toolbox/schema/boolean';
import { item } from 'dynamodb-toolbox/schema/item';
import { list } from 'dynamodb-toolbox/schema/list';
import { number } from 'dynamodb-toolbox/schema/number';
import { string } from 'dynamodb-toolbox/schema/string';
import type { Schedule } from '../domain/business-time.js';
import { PRIORITIES } from '../domain/priority.js';
import { listedBreach, SLA_KINDS, type TaskSla } from '../domain/sla.js';
import { STAGES } from '../domain/stage-transitions.js';
import { breachSortKey, CASE_SLA_LIST, caseSlasKey, partitionFor, slaDefinitionKey, TIMER_LIST, perTable, timerSortKey, type Db } from './entities.js';

function define(table: Db['table']) {
  const common = { table, timestamps: false } as const;
  const slaDefinition = new Entity({
    ...common,
    name: 'sladefinition',
    schema: item({
      slaId: string().key(),
      name: string(),
      kind: string().enum(...SLA_KINDS),
      priorities: list(string().enum(...PRIORITIES)),
      queues: list(string()).optional(),
      proactive: boolean().optional(),
      targetMinutes: number(),
      // '24x7' or working hours: validated on the way in (SlaBody).
      schedule: any().castAs<Schedule>(),
      pauseStages: list(string().enum(...STAGES)),
      warnAtPercent: list(number()),
      retroactive: boolean(),
      updatedAt: string(),
      updatedBy: string(),
    }),
    computeKey: ({ slaId }: { slaId: string }) => slaDefinitionKey(slaId),
  });

  /**
   * A case's task SLAs, beside the case: the case version they follow, the
   * case's list filter fields as of that version, when the next threshold of
   * one is due (the timer) and the breach the case is listed by (the SLA list).
   */
  const caseSlas = new Entity({
    ...common,
    name: 'caseslas',
    schema: item({
      caseId: string().key(),
      caseVersion: number(),
      stage: string().enum(...STAGES).optional(),
      queue: string().optional(),
      assignee: string().optional(),
      accountId: string().optional(),
      proactive: boolean().optional(),
      parentCaseId: string().optional(),
      priority: string().enum(...PRIORITIES).optional(),
      source: string().optional(),
      slas: list(any().castAs<TaskSla>()),
      nextDueAt: string().optional(),
      version: number(),
    }).and((prev) => ({
      gsi2pk: string()
        .optional()
        .hidden()
        .putLink<typeof prev>(({ slas, caseId }) => (listedBreach(slas) ? partitionFor(CASE_SLA_LIST, '', caseId) : undefined)),
      gsi2sk: string()
        .optional()
        .hidden()
        .putLink<typeof prev>(({ slas, caseId }) => {
          const breach = listedBreach(slas);
          return breach ? breachSortKey(breach, caseId) : undefined;
        }),
      gsi8pk: string()
        .optional()
        .hidden()
        .putLink<typeof prev>(({ nextDueAt, caseId }) => (nextDueAt ? partitionFor(TIMER_LIST, '', caseId) : undefined)),
      gsi8sk: string()
        .optional()
        .hidden()
        .putLink<typeof prev>(({ nextDueAt, caseId }) => (nextDueAt ? timerSortKey(nextDueAt, 'sla', caseId) : undefined)),
    })),
    computeKey: ({ caseId }: { caseId: string }) => caseSlasKey(caseId),
  });

  return { slaDefinition, caseSlas };
}

/** The SLA entities on a table (defined once per table). */
export const slaEntities = /* @__PURE__ */ perTable(define);
