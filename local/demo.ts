/**
 * `npm start -- --demo`: a small, realistic data set — business services over
 * applications, servers and databases, five customers (one internal), their
 * install base, and a handful of open alerts with their impact calculated —
 * so every step of the README can be tried at once. Loading it again changes
 * nothing.
 */
import type { RaiseAlertInput } from '../lib/usecases/alerts.js';
import { raiseApiAlert } from '../lib/usecases/alerts.js';
import type { Repositories } from '../lib/usecases/context.js';
import { refreshImpact } from '../lib/usecases/impact.js';
import { importInstallBase, importServiceMap, type ServiceMapImport, type InstallBaseImport } from '../lib/usecases/imports.js';
import { alertIdFor } from '../lib/domain/alert.js';

const ci = (ciId: string, name: string, cls: NonNullable<ServiceMapImport['cis']>[number]['class'], operationalStatus?: 'maintenance') => ({
  ciId,
  name,
  class: cls,
  ...(operationalStatus ? { operationalStatus } : {}),
});
const dependsOn = (parentId: string, ...children: string[]) => children.map((childId) => ({ parentId, childId }));

export const DEMO_SERVICE_MAP: ServiceMapImport = {
  cis: [
    ci('bs-online-banking', 'Online Banking', 'business_service'),
    ci('bs-payments', 'Payments', 'business_service'),
    ci('bs-customer-portal', 'Customer Portal', 'business_service'),
    ci('bs-hr-portal', 'HR Portal', 'business_service'),
    ci('as-auth', 'Authentication', 'application_service'),
    ci('as-payments-api', 'Payments API', 'application_service'),
    ci('as-portal-web', 'Portal Web', 'application_service'),
    ci('as-hr-app', 'HR Application', 'application_service'),
    ci('app-auth-server', 'Auth Server', 'application'),
    ci('app-payments-core', 'Payments Core', 'application'),
    ci('app-portal-frontend', 'Portal Frontend', 'application'),
    ci('app-hr-suite', 'HR Suite', 'application'),
    ci('srv-auth-01', 'auth-01.dc1', 'server'),
    ci('srv-pay-01', 'pay-01.dc1', 'server'),
    ci('srv-pay-02', 'pay-02.dc1', 'server', 'maintenance'),
    ci('srv-web-01', 'web-01.dc1', 'server'),
    ci('srv-hr-01', 'hr-01.dc2', 'server'),
    ci('db-customers', 'Customers DB (PostgreSQL)', 'database'),
    ci('db-ledger', 'Ledger DB (Oracle)', 'database'),
    ci('db-hr', 'HR DB (MySQL)', 'database'),
    ci('net-core-lb', 'Core load balancer', 'network'),
  ],
  relationships: [
    ...dependsOn('bs-online-banking', 'as-auth', 'as-payments-api'),
    ...dependsOn('bs-payments', 'as-payments-api'),
    ...dependsOn('bs-customer-portal', 'as-portal-web', 'as-auth'),
    ...dependsOn('bs-hr-portal', 'as-hr-app'),
    ...dependsOn('as-auth', 'app-auth-server'),
    ...dependsOn('as-payments-api', 'app-payments-core'),
    ...dependsOn('as-portal-web', 'app-portal-frontend'),
    ...dependsOn('as-hr-app', 'app-hr-suite'),
    ...dependsOn('app-auth-server', 'srv-auth-01', 'db-customers'),
    ...dependsOn('app-payments-core', 'srv-pay-01', 'srv-pay-02', 'db-ledger'),
    ...dependsOn('app-portal-frontend', 'srv-web-01', 'net-core-lb'),
    ...dependsOn('app-hr-suite', 'srv-hr-01', 'db-hr'),
  ],
};

export const DEMO_INSTALL_BASE: InstallBaseImport = {
  accounts: [
    { accountId: 'acme', name: 'Acme Retail', type: 'external' },
    { accountId: 'globex', name: 'Globex Bank', type: 'external' },
    { accountId: 'initech', name: 'Initech', type: 'external' },
    { accountId: 'umbrella', name: 'Umbrella Insurance', type: 'external' },
    { accountId: 'corp-it', name: 'Corporate IT', type: 'internal' },
  ],
  soldProducts: [
    { soldProductId: 'sp-acme-banking', accountId: 'acme', name: 'Online Banking Premium' },
    { soldProductId: 'sp-acme-portal', accountId: 'acme', name: 'Customer Portal' },
    { soldProductId: 'sp-globex-payments', accountId: 'globex', name: 'Payments Gateway' },
    { soldProductId: 'sp-initech-portal', accountId: 'initech', name: 'Customer Portal' },
    { soldProductId: 'sp-umbrella-banking', accountId: 'umbrella', name: 'Online Banking Standard' },
    { soldProductId: 'sp-corpit-hr', accountId: 'corp-it', name: 'HR Portal' },
    { soldProductId: 'sp-corpit-auth', accountId: 'corp-it', name: 'Single sign-on' },
  ],
  installBaseItems: [
    { installBaseItemId: 'ib-acme-banking', accountId: 'acme', soldProductId: 'sp-acme-banking', ciId: 'bs-online-banking', name: 'Acme online banking' },
    { installBaseItemId: 'ib-acme-portal', accountId: 'acme', soldProductId: 'sp-acme-portal', ciId: 'bs-customer-portal', name: 'Acme customer portal' },
    { installBaseItemId: 'ib-globex-payments', accountId: 'globex', soldProductId: 'sp-globex-payments', ciId: 'bs-payments', name: 'Globex payments' },
    { installBaseItemId: 'ib-globex-api', accountId: 'globex', soldProductId: 'sp-globex-payments', ciId: 'as-payments-api', name: 'Globex payments API' },
    { installBaseItemId: 'ib-initech-portal', accountId: 'initech', soldProductId: 'sp-initech-portal', ciId: 'bs-customer-portal', name: 'Initech portal' },
    { installBaseItemId: 'ib-umbrella-banking', accountId: 'umbrella', soldProductId: 'sp-umbrella-banking', ciId: 'bs-online-banking', name: 'Umbrella online banking' },
    { installBaseItemId: 'ib-corpit-hr', accountId: 'corp-it', soldProductId: 'sp-corpit-hr', ciId: 'bs-hr-portal', name: 'HR portal (staff)' },
    { installBaseItemId: 'ib-corpit-sso', accountId: 'corp-it', soldProductId: 'sp-corpit-auth', ciId: 'as-auth', name: 'Staff SSO' },
  ],
};

export const DEMO_ALERTS: RaiseAlertInput[] = [
  { source: 'prometheus', sourceAlertId: 'demo-db-customers', severity: 'critical', ciId: 'db-customers', description: 'Connection pool exhausted on the customers database', type: 'availability' },
  { source: 'prometheus', sourceAlertId: 'demo-db-ledger', severity: 'major', ciId: 'db-ledger', description: 'Replication lag of 12 minutes on the ledger database', type: 'performance' },
  { source: 'nagios', sourceAlertId: 'demo-srv-hr-01', severity: 'minor', ciId: 'srv-hr-01', description: 'Disk 85% full on hr-01', type: 'capacity' },
  { source: 'nagios', sourceAlertId: 'demo-net-core-lb', severity: 'warning', ciId: 'net-core-lb', description: 'Packet loss on the core load balancer', type: 'network' },
  {
    source: 'siem',
    sourceAlertId: 'demo-impossible-travel',
    severity: 'major',
    description: 'Impossible travel: jdoe signed in from Lisbon and Singapore within 20 minutes',
    type: 'security',
    attributes: { user: 'jdoe', srcIp: '203.0.113.7', country: 'SG' },
    detections: [{ id: 'det-ua-01', name: 'Impossible travel', tactic: 'Initial Access', technique: 'T1078' }],
  },
];

export async function loadDemo(repos: Repositories): Promise<{ alerts: string[] }> {
  await importServiceMap(repos, DEMO_SERVICE_MAP);
  await importInstallBase(repos, DEMO_INSTALL_BASE);
  const alerts: string[] = [];
  for (const input of DEMO_ALERTS) {
    const alertId = alertIdFor(input.source, input.sourceAlertId);
    // Raised once: loading the demo again must not count another occurrence.
    if (!(await repos.alerts.get(alertId))) await raiseApiAlert(repos, input, 'demo');
    await refreshImpact(repos, alertId, 'demo', { onlyIfChanged: true });
    alerts.push(alertId);
  }
  return { alerts };
}
