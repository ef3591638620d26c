/**
 * Which open alerts bear on CIs now (install base health, SPEC §2): the
 * impacted-CI index lists the alerts whose impact named a CI, and an entry
 * counts only while its generation is its alert's current one. A repository
 * of its own, so the cases API reads it without bringing the impact
 * refresh's writes (impact.ts).
 */
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { EntityFormatter } from 'dynamodb-toolbox/entity/actions/format';
import { OPEN_ALERT_STATES } from '../domain/alert.js';
import type { Severity } from '../domain/priority.js';
import { mapLimit } from '../concurrency.js';
import { batchGet } from './batch.js';
import { impactsOnCi, type Db } from './entities.js';
import { guard } from './errors.js';
import { queryWhole } from './pagination.js';

export class CiAlertRepository {
  constructor(private readonly db: Db) {}

  /** The severities of the open alerts whose current impact includes each CI. */
  async openAlertSeveritiesOn(ciIds: string[]): Promise<Map<string, Severity[]>> {
    const listed = await mapLimit(ciIds, 32, async (ciId) => {
      const out = await guard(() =>
        queryWhole(this.db, this.db.impactedCi, impactsOnCi(ciId))
          .options((options) => ({ ...options, attributes: ['alertId', 'generation'] }))
          .send(),
      );
      return { ciId, entries: out.Items ?? [] };
    });
    const alertIds = [...new Set(listed.flatMap((l) => l.entries.map((e) => e.alertId)))];
    const read = await batchGet(this.db, alertIds.map((alertId) => this.db.alert.build(BatchGetRequest).key({ alertId })));
    // What is read of an alert here: its state, severity and the impact generation that is current.
    const format = this.db.alert.build(EntityFormatter);
    const alerts = new Map(alertIds.map((id, i) => [id, read[i] && format.format(read[i], { attributes: ['state', 'severity', 'impact'] })]));
    return new Map(
      listed.map(({ ciId, entries }) => [
        ciId,
        entries.flatMap(({ alertId, generation }) => {
          const alert = alerts.get(alertId);
          const current = alert && alert.impact?.generation === generation;
          return current && OPEN_ALERT_STATES.includes(alert.state) ? [alert.severity] : [];
        }),
      ]),
    );
  }
}
