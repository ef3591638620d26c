/** The role matrix of SPEC §3: which roles hold each permission. Routes name a permission. */
export const ROLES = ['evt_mgmt_admin', 'evt_mgmt_operator', 'sn_customerservice_agent', 'sn_customerservice_manager'] as const;
export type Role = (typeof ROLES)[number];

const [admin, operator, agent, manager] = ROLES;
const everyone = [...ROLES];

export const PERMISSIONS = {
  /** raise and update alerts, refresh impact */
  'alerts:write': [admin, operator],
  'alerts:read': everyone,
  /** create a case from an alert; bulk convert */
  'alerts:convert': [admin, operator],
  /** attach, detach and move alerts on a case */
  'cases:attach': everyone,
  /** read cases, their install base, details and history; add work notes */
  'cases:read': everyone,
  'cases:work-note': everyone,
  /** change cases, create manual cases */
  'cases:write': [agent, manager],
  'cases:decide-major': [manager],
  /** the proactive rule, playbooks, integrations, imports */
  'config:write': [admin],
  'config:read': everyone,
  'queues:write': [admin, manager],
  /** one's own inbox: presence, accept and reject one's offers */
  'inbox:own': [agent, manager],
  /** queues' work items, agents' presence and load; another's presence, anyone's capacity */
  'team:manage': [manager],
  /** team metrics (SPEC §3: every role) */
  'metrics:read': everyone,
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function isAllowed(roles: readonly string[], permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly string[]).some((r) => roles.includes(r));
}
