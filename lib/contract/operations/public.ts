/** The operations `public-api` serves. */
import { operations, ok } from '../operation.js';
import * as res from '../responses.js';

export const PUBLIC_API = operations('public-api', {
  'GET /health': {
    doc: CONTRACT_DOCS && { summary: 'Liveness', success: [ok(res.HealthStatus, 'The service is up')] },
  },
  'GET /openapi.json': {
    doc: CONTRACT_DOCS && {
      summary: 'This API as an OpenAPI 3.1 document',
      success: [{ status: 200, description: 'This document', content: { mediaType: 'application/json', schema: { type: 'object', description: 'An OpenAPI 3.1 document' } } }],
    },
  },
  'GET /docs': {
    doc: CONTRACT_DOCS && {
      summary: 'A readable reference of this API (HTML)',
      success: [{ status: 200, description: 'A readable reference page of this API (self-contained HTML)', content: { mediaType: 'text/html', schema: { type: 'string' } } }],
    },
  },
  'GET /console': {
    doc: CONTRACT_DOCS && {
      summary: 'The console',
      description: 'The console is a single page served from its own CloudFront distribution; this page leads there. Locally the local server serves the console itself at this path.',
      success: [{ status: 200, description: 'A page that leads to the console', content: { mediaType: 'text/html', schema: { type: 'string' } } }],
      errors: { 404: 'This deployment has no console' },
    },
  },
});
