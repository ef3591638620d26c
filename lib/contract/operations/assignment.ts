/** The operations `assignment-api` serves: the agent's inbox, presence and capacity, queues' waiting work, accept and reject. */
import { operations, ok } from '../operation.js';
import { PutUserBody, QueueIdParams, RejectBody, SubParams, UserListQuery, WorkItemIdParams, WorkItemListQuery } from '../schemas.js';
import * as res from '../responses.js';

export const ASSIGNMENT_API = operations('assignment-api', {
  'GET /inbox': {
    permission: 'inbox:own',
    doc: CONTRACT_DOCS && {
      summary: "The caller's inbox",
      description: 'Offers waiting for an answer (each with its case and `expiresAt`) and the cases the caller works (assigned, in a working stage, with their SLAs); each list highest priority first, then nearest SLA breach, then oldest.',
      success: [ok(res.Inbox, 'Presence, capacity, capacity in use, offers and assigned cases')],
    },
  },
  'PUT /users/{sub}': {
    permission: 'inbox:own',
    params: SubParams,
    body: PutUserBody,
    doc: CONTRACT_DOCS && {
      summary: 'Set presence or capacity',
      description: '`me` names the caller. Anyone in an inbox sets their own presence; a manager sets anyone\'s presence and capacity. Becoming `available` (or more room) offers the next queued work within seconds.',
      success: [ok(res.User, 'The person, with capacity in use')],
    },
  },
  'GET /users': {
    permission: 'team:manage',
    query: UserListQuery,
    doc: CONTRACT_DOCS && {
      summary: "Agents' presence and load",
      description: 'The members of `queue`, or of every queue: presence, capacity, capacity in use (assigned working cases and pending offers) and when they were last given work.',
      success: [ok(res.UserPage, 'The members, by `sub`')],
      errors: { 404: 'No such queue' },
    },
  },
  'GET /queues/{queueId}/work-items': {
    permission: 'team:manage',
    params: QueueIdParams,
    query: WorkItemListQuery,
    doc: CONTRACT_DOCS && {
      summary: "A queue's waiting work",
      description: 'Open work items in one state (`queued` unless `state=offered`), highest priority first, then oldest.',
      success: [ok(res.WorkItemPage, 'Work items')],
      errors: { 404: 'No such queue' },
    },
  },
  'POST /work-items/{workItemId}/accept': {
    permission: 'inbox:own',
    params: WorkItemIdParams,
    doc: CONTRACT_DOCS && {
      summary: 'Accept an offer',
      description: 'The caller becomes the case\'s assignee (its history shows the assignment, by the caller). Of two accepts at once one wins; the other is 409. An offer made to someone else is 403.',
      success: [ok(res.Case, 'The case, assigned to the caller', true)],
      errors: { 404: 'No such work item', 409: 'No longer offered to the caller (accepted, rejected, timed out, cancelled, or expired)' },
    },
  },
  'POST /work-items/{workItemId}/reject': {
    permission: 'inbox:own',
    params: WorkItemIdParams,
    body: RejectBody,
    doc: CONTRACT_DOCS && {
      summary: 'Reject an offer',
      description: "`reason` is one of the queue's reject reason codes (any code when the queue defines none, then not reassignable). The item goes back to the queue and is offered to another member; never again to the caller unless the reason is reassignable.",
      success: [ok(res.WorkItem, 'The work item, queued again')],
      errors: { 404: 'No such work item', 409: 'No longer offered to the caller' },
    },
  },
});
