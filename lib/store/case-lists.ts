/**
 * Lists of cases, newest first, by at most one filter's index (SPEC §4), a
 * major case's children, and a case's alerts in the order they joined it:
 * the read side of cases, apart from CaseRepository and CaseAlertRepository
 * so that a function that only creates cases and attaches alerts (ingest)
 * neither bundles the lists nor is granted their indexes
 * (lib/store/index-grants.ts).
 */
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import type { Alert } from '../domain/alert.js';
import { caseView, type StoredCase } from '../domain/case.js';
import { ALERT_ID_PATTERN, CASE_ID_PATTERN } from '../domain/ids.js';
import { alertFromItem } from './alerts.js';
import { batchGet } from './batch.js';
import type { CaseFilters } from './cases.js';
import { breachWindow, type BreachWindow } from '../domain/sla.js';
import { alertsOfCase, CASE_LISTS, caseKey, casesBySlaBreach, idInListSortKey, isEmptyRange, type Db } from './entities.js';
import { guard } from './errors.js';
import { allPages, filteredListName, givenFilters, invalidCursor, listByFilters, listedItems, listPage, withinBudget, type FilteredList, type Page } from './pagination.js';

type Item = Record<string, unknown>;

export class CaseListRepository {
  private readonly listing: FilteredList<StoredCase>;

  constructor(private readonly db: Db) {
    this.listing = {
      name: 'cases',
      all: CASE_LISTS.all,
      indexed: [
        ['parentCaseId', CASE_LISTS.parentCaseId],
        ['accountId', CASE_LISTS.accountId],
        ['assignee', CASE_LISTS.assignee],
        ['queue', CASE_LISTS.queue],
        ['stage', CASE_LISTS.stage],
      ],
      idPattern: CASE_ID_PATTERN,
      keyOf: caseKey,
      read: (ids) => batchGet(db, ids.map((caseId) => db.case.build(BatchGetRequest).key({ caseId })), false),
      view: (item) => caseView(item),
    };
  }

  /** A case, read consistently (the case of an alert). */
  private async get(caseId: string): Promise<StoredCase | undefined> {
    const out = await guard(() => this.db.case.build(GetItemCommand).key({ caseId }).options({ consistent: true }).send());
    return out.Item;
  }

  /**
   * `GET /cases?alertId=`: the case the alert is attached to now (not the
   * cases it is the origin of, once detached), if it matches the other
   * filters. A list of at most one: it hands out no cursor and takes none.
   */
  private async caseOfAlert({ alertId, ...rest }: CaseFilters, cursor: string | undefined): Promise<Page<StoredCase>> {
    if (cursor !== undefined) throw invalidCursor();
    const alert = await guard(() => this.db.alert.build(GetItemCommand).key({ alertId: alertId! }).options({ consistent: true }).send());
    const caseId = alert.Item?.caseId;
    const found = caseId ? await this.get(caseId) : undefined;
    const matches = found && Object.entries(rest).every(([field, value]) => value === undefined || (found as Item)[field] === value);
    return { items: matches ? [found] : [], nextCursor: null };
  }

  /** Every child of a major case. */
  children(parentCaseId: string): Promise<StoredCase[]> {
    return allPages((cursor) => this.list({ parentCaseId }, 100, cursor));
  }

  /** A page of cases: newest first, or by their SLAs' breach, earliest first, when an SLA filter is given (its window as of `at`). */
  async list(filters: CaseFilters, limit: number, cursor?: string, at = new Date().toISOString()): Promise<Page<StoredCase>> {
    if (filters.alertId !== undefined) return this.caseOfAlert(filters, cursor);
    const { slaBreached, slaDueBefore, ...fields } = filters;
    const page =
      slaBreached === undefined && slaDueBefore === undefined
        ? await listByFilters(this.db, this.listing, { ...fields }, limit, cursor)
        : await this.bySlaBreach(filters, breachWindow({ slaBreached, slaDueBefore }, at), limit, cursor);
    return { items: page.items, nextCursor: page.nextCursor };
  }

  /**
   * Cases by the breach their SLAs are listed by, in a window: the SLA list,
   * its other filters run in the index (the SLA item carries the case's list
   * fields), then checked again on the cases read.
   */
  private async bySlaBreach(filters: CaseFilters, window: BreachWindow, limit: number, cursor: string | undefined): Promise<Page<StoredCase>> {
    const given = givenFilters({ ...filters });
    const { slaBreached, slaDueBefore, ...fields } = given;
    const pattern = casesBySlaBreach(window);
    // A window no time fits (not breached, due before now): nothing to read.
    if (isEmptyRange(pattern)) return { items: [], nextCursor: null };
    return listedItems(this.db, this.listing, fields, { list: filteredListName(this.listing, given), ...pattern, newestFirst: false, filters: fields }, limit, cursor);
  }

  /** A page of a case's alerts, in the order they joined it. */
  async alertsOf(caseId: string, limit: number, cursor?: string): Promise<Page<Alert>> {
    const page = await listPage(this.db, { list: `case-alerts:${caseId}`, ...alertsOfCase(caseId), newestFirst: false }, limit, cursor);
    const ids = page.sortKeys.map((sortKey) => idInListSortKey(sortKey, ALERT_ID_PATTERN)!);
    const items = await batchGet(this.db, ids.map((alertId) => this.db.alert.build(BatchGetRequest).key({ alertId })), false);
    // An alert that left the case since the index saw it is passed over.
    const alerts = items.map((item) => (item && item.caseId === caseId ? alertFromItem(item) : undefined));
    return withinBudget(alerts, page);
  }

  /** Every alert of a case (at most MAX_CASE_ALERTS). */
  allAlertsOf(caseId: string): Promise<Alert[]> {
    return allPages((cursor) => this.alertsOf(caseId, 100, cursor));
  }
}
