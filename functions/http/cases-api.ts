/** Case routes: create, list, read, change, work notes, history. */
import { httpHandler, json, replayed, route, versioned } from '../../lib/http/handler.js';
import {
  CaseIdOrNumberParams,
  CaseIdParams,
  CaseListQuery,
  CreateCaseBody,
  DEFAULT_PAGE_SIZE,
  PageQuery,
  UpdateCaseBody,
  WorkNoteBody,
} from '../../lib/http/schemas.js';
import { addWorkNote, createManualCase, getCase, updateCase } from '../../lib/usecases/cases.js';

export const routes = {
  'POST /cases': route({
    body: CreateCaseBody,
    idempotency: 'native',
    async handle({ body, user, idempotency, repos, store }) {
      const outcome = await createManualCase(repos, store.tableName, body, user.sub, {
        idempotency: idempotency && { request: idempotency, respond: (c) => versioned(201, c) },
      });
      return outcome.replay ? replayed(outcome.replay) : versioned(201, outcome.result);
    },
  }),
  'GET /cases': route({
    query: CaseListQuery,
    async handle({ query: { limit, cursor, ...filters }, repos }) {
      return json(200, await repos.cases.list(filters, limit ?? DEFAULT_PAGE_SIZE, cursor));
    },
  }),
  'GET /cases/{caseId}': route({
    params: CaseIdOrNumberParams,
    async handle({ params, repos }) {
      return versioned(200, await getCase(repos, params.caseId));
    },
  }),
  'PATCH /cases/{caseId}': route({
    params: CaseIdParams,
    body: UpdateCaseBody,
    async handle({ params, body, user, ifMatch, repos }) {
      return versioned(200, await updateCase(repos, params.caseId, body, user.sub, ifMatch));
    },
  }),
  'POST /cases/{caseId}/work-notes': route({
    params: CaseIdParams,
    body: WorkNoteBody,
    async handle({ params, body, user, repos }) {
      return json(201, await addWorkNote(repos, params.caseId, body.text, user.sub));
    },
  }),
  'GET /cases/{caseId}/work-notes': route({
    params: CaseIdParams,
    query: PageQuery,
    async handle({ params, query, repos }) {
      await repos.cases.require(params.caseId);
      return json(200, await repos.cases.listWorkNotes(params.caseId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor));
    },
  }),
  'GET /cases/{caseId}/history': route({
    params: CaseIdParams,
    query: PageQuery,
    async handle({ params, query, repos }) {
      await repos.cases.require(params.caseId);
      return json(200, await repos.history.list({ kind: 'case', id: params.caseId }, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor));
    },
  }),
};

export const handler = httpHandler('cases-api', routes);
