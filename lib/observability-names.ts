/** The names CloudWatch knows the service by: what the functions write (Powertools) and what the stack's dashboard and alarms read. */
export const SERVICE_NAME = 'alert-to-case';
/** The EMF namespace; each figure's one dimension is `service`. */
export const METRICS_NAMESPACE = 'AlertToCase';

/** Team metrics' headline figures (SPEC §2), written by the metrics functions and drawn by the stack's team dashboard. */
export const TEAM_FIGURES = {
  casesCreated: 'TeamCasesCreated',
  casesResolved: 'TeamCasesResolved',
  casesClosed: 'TeamCasesClosed',
  alertsRaised: 'TeamAlertsRaised',
  alertsConverted: 'TeamAlertsConverted',
  slaAchieved: 'TeamSlaAchieved',
  slaBreached: 'TeamSlaBreached',
  /** Seconds from creation to first assignee, one value per case. */
  toAssign: 'TeamTimeToAssign',
  /** Seconds from creation to resolved or closed, one value per case. */
  toResolve: 'TeamTimeToResolve',
  /** Open cases now, from the roll-up. */
  backlog: 'TeamBacklog',
} as const;
