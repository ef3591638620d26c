/**
 * Agents: presence, capacity, and the cases held against capacity. `holding`
 * is a set, so the stream adding a case it already holds (a retried batch,
 * an accept after its offer) counts it once, and removing one it does not
 * hold does nothing.
 */
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update';
import { $add, $delete, $get } from 'dynamodb-toolbox/entity/actions/update';
import { DEFAULT_CAPACITY, newAgent, type Agent, type Presence } from '../domain/assignment.js';
import { assignmentEntities } from './assignment-entities.js';
import { batchGet, chunks } from './batch.js';
import type { Db } from './entities.js';
import { guard, isConditionFailure } from './errors.js';

const EPOCH = new Date(0).toISOString();

type AgentItem = { sub: string; presence: Presence; capacity: number; holding?: Set<string>; lastAssignedAt?: string; updatedAt: string };

export const agentOf = (item: AgentItem | undefined, sub: string): Agent =>
  item
    ? {
        sub,
        presence: item.presence,
        capacity: item.capacity,
        holding: [...(item.holding ?? [])].sort(),
        ...(item.lastAssignedAt ? { lastAssignedAt: item.lastAssignedAt } : {}),
        // A record the stream made (a case counted before they set anything) has no real time of change.
        ...(item.updatedAt !== EPOCH ? { updatedAt: item.updatedAt } : {}),
      }
    : newAgent(sub);

export class AgentRepository {
  private readonly entities;

  constructor(private readonly db: Db) {
    this.entities = assignmentEntities(db);
  }

  async get(sub: string): Promise<Agent> {
    const out = await guard(() => this.entities.agent.build(GetItemCommand).key({ sub }).options({ consistent: true }).send());
    return agentOf(out.Item, sub);
  }

  /** Several agents at once (those with no record: offline, default capacity). */
  async getMany(subs: string[]): Promise<Agent[]> {
    const unique = [...new Set(subs)];
    const found = (await Promise.all(chunks(unique, 100).map((part) => batchGet(this.db, part.map((sub) => this.entities.agent.build(BatchGetRequest).key({ sub })))))).flat();
    return unique.map((sub, i) => agentOf(found[i], sub));
  }

  /** Sets presence and/or capacity (a record is made on first use). */
  async set(sub: string, change: { presence?: Presence; capacity?: number }, by: { at: string; actor: string }): Promise<Agent> {
    const out = await guard(() =>
      this.entities.agent
        .build(UpdateItemCommand)
        .item({ ...this.defaults(sub), ...change, updatedAt: by.at, updatedBy: by.actor })
        .options({ returnValues: 'ALL_NEW' })
        .send(),
    );
    return agentOf(out.Attributes as AgentItem, sub);
  }

  /**
   * Stops counting these cases against the agent and, after a timeout,
   * gives them `timeout.presence` unless their record changed after
   * `timeout.at` (they chose a presence since): one write when it can.
   */
  async free(sub: string, caseIds: string[], timeout?: { presence: Presence; at: string }): Promise<void> {
    const update = (withPresence: boolean) =>
      this.entities.agent
        .build(UpdateItemCommand)
        .item({
          ...this.defaults(sub),
          holding: $delete(new Set(caseIds)),
          ...(withPresence && timeout ? { presence: timeout.presence, updatedAt: timeout.at, updatedBy: 'schedule' } : {}),
        })
        .options(withPresence && timeout ? { condition: { or: [{ attr: 'updatedAt', exists: false }, { attr: 'updatedAt', lte: timeout.at }] } } : {})
        .send();
    try {
      await guard(() => update(true));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      await guard(() => update(false));
    }
  }

  /** What an agent's first write leaves beside what it sets: offline, the default capacity. */
  private defaults(sub: string) {
    return { sub, presence: $get('presence', 'offline' as Presence), capacity: $get('capacity', DEFAULT_CAPACITY), updatedAt: $get('updatedAt', EPOCH), updatedBy: $get('updatedBy', 'assignment') };
  }

  /**
   * Counts cases against their holder, or stops counting them: adding or
   * removing what is already so changes nothing (a retried stream batch).
   */
  async hold(sub: string, change: { add?: string[]; remove?: string[] }): Promise<void> {
    for (const [ids, op] of [
      [change.add, $add],
      [change.remove, $delete],
    ] as const) {
      if (!ids?.length) continue;
      await guard(() =>
        this.entities.agent
          .build(UpdateItemCommand)
          .item({ ...this.defaults(sub), holding: op(new Set(ids)) })
          .send(),
      );
    }
  }
}
