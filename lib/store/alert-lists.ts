/**
 * Lists of alerts, newest first, by at most one filter's index (SPEC §4):
 * the read side of alerts, apart from AlertRepository so that a function
 * that only raises and converts alerts (ingest) neither bundles the lists nor
 * is granted their indexes (lib/store/index-grants.ts).
 */
import type { FormattedItem } from 'dynamodb-toolbox/entity';
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import type { Alert } from '../domain/alert.js';
import { ALERT_ID_PATTERN } from '../domain/ids.js';
import { alertFromItem, type AlertFilters } from './alerts.js';
import { batchGet } from './batch.js';
import { ALERT_LISTS, alertKey, type Db } from './entities.js';
import { listByFilters, type FilteredList, type Page, type ReadPage } from './pagination.js';

export class AlertListRepository {
  private readonly listing: FilteredList<FormattedItem<Db['alert']>>;

  constructor(private readonly db: Db) {
    this.listing = {
      name: 'alerts',
      all: ALERT_LISTS.all,
      indexed: [
        ['source', ALERT_LISTS.source],
        ['severity', ALERT_LISTS.severity],
        ['state', ALERT_LISTS.state],
      ],
      idPattern: ALERT_ID_PATTERN,
      keyOf: alertKey,
      read: (ids) => batchGet(db, ids.map((alertId) => db.alert.build(BatchGetRequest).key({ alertId })), false),
      view: alertFromItem,
    };
  }

  async list(filters: AlertFilters, limit: number, cursor?: string): Promise<Page<Alert>> {
    const { items, nextCursor } = await this.listPage(filters, limit, cursor);
    return { items, nextCursor };
  }

  /** A page of alerts, and the cursor that resumes after any number of its first entries (the playbook dry run stops mid-page). */
  async listPage(filters: AlertFilters, limit: number, cursor?: string): Promise<ReadPage<Alert>> {
    const page = await listByFilters(this.db, this.listing, { ...filters }, limit, cursor);
    return { ...page, items: page.items.map(alertFromItem) };
  }
}
