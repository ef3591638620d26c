/**
 * The API's records and request bodies as TypeScript types, inferred from the
 * contract's schemas: what a client (the console) sends and reads. Types
 * only: importing them costs a bundle nothing.
 */
import type * as z from 'zod/mini';
import type { Api, RouteKey } from './api.js';
import type * as res from './responses.js';
import type * as req from './schemas.js';

type Out<S> = S extends z.ZodMiniType ? z.output<S> : never;

export type Alert = Out<typeof res.Alert>;
export type AlertState = Out<typeof res.AlertState>;
export type Case = Out<typeof res.Case>;
/** A case as the case list shows it: with its SLAs in brief. */
export type CaseListItem = Out<typeof res.CaseListItem>;
export type HistoryEntry = Out<typeof res.HistoryEntry>;
export type WorkNote = Out<typeof res.WorkNote>;
export type ImpactedCi = Out<typeof res.ImpactedCi>;
export type AccountGroup = Out<typeof res.AccountGroup>;
export type InstallBaseItem = Out<typeof req.InstallBaseItemRow>;
export type Account = Out<typeof req.AccountRow>;
export type Queue = Out<typeof res.Queue>;
export type Playbook = Out<typeof res.Playbook>;
export type Integration = Out<typeof res.Integration>;
/** The caller's inbox: presence, capacity, capacity in use, offers and assigned cases. */
export type Inbox = Out<typeof res.Inbox>;
/** An offer waiting for the caller's answer: the work item with its case. */
export type Offer = Inbox['offers'][number];
/** A case the caller works. */
export type AssignedCase = Inbox['assigned'][number];
/** A case's SLA of one definition, its clock read when answered. */
export type TaskSla = Out<typeof res.TaskSla>;
/** An SLA definition. */
export type SlaDefinition = Out<typeof res.SlaDefinition>;
/** A case waiting in a queue for an agent. */
export type WorkItem = Out<typeof res.WorkItem>;
/** A person who takes work: presence, capacity and capacity in use. */
export type Agent = Out<typeof res.User>;
export type Presence = Agent['presence'];
export type Severity = Out<typeof req.Severity>;
export type Priority = Out<typeof res.CasePriority>;
export type Stage = Out<typeof req.Stage>;
/** One alert's outcome in an attach or a bulk conversion. */
export type AlertResult = Out<typeof res.AttachResult>['results'][number] | Out<typeof res.ConvertResult>['results'][number];

/** A page of a list (SPEC §4). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The body an operation takes, as a client sends it. */
export type BodyOf<K extends RouteKey> = Api[K] extends { body: infer S extends z.ZodMiniType } ? z.input<S> : never;
/** The query string an operation takes, as a client sends it. */
export type QueryOf<K extends RouteKey> = Api[K] extends { query: infer S extends z.ZodMiniType } ? z.input<S> : never;
