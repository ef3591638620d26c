/**
 * The events this service takes in from the bus (SPEC §5), one zod schema
 * each; a detail that does not parse is refused before anything is written.
 */
import * as z from 'zod/mini';
import { identifier, RaiseAlertBody } from '../contract/schemas.js';
import { ALERT_ID_PATTERN } from '../domain/ids.js';

/** `Alert Raised`: the detail is the body of `POST /alerts`. */
export const AlertRaisedDetail = RaiseAlertBody;

/** `Incident Created`: an ITSM tool opened an incident from one of our alerts. */
export const IncidentCreatedDetail = z.lazy(() =>
  z.strictObject({
    alertId: z.string().check(z.regex(ALERT_ID_PATTERN)),
    incidentId: identifier(),
  }),
);
