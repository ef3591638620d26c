/** The service map (SPEC §2): configuration items and `parent depends_on child` relationships. */
export const CI_CLASSES = [
  'business_service',
  'application_service',
  'technical_service',
  'application',
  'server',
  'database',
  'network',
  'storage',
  'other',
] as const;
export type CiClass = (typeof CI_CLASSES)[number];

export const OPERATIONAL_STATUSES = ['operational', 'maintenance', 'retired'] as const;
export type OperationalStatus = (typeof OPERATIONAL_STATUSES)[number];

export interface Ci {
  ciId: string;
  name: string;
  class: CiClass;
  operationalStatus: OperationalStatus;
}

/** A CI as the impact walk sees it: itself and the CIs that depend on it. */
export interface CiNode extends Ci {
  parents: string[];
}

/** Only operational CIs are impacted and pass impact on. */
export const carriesImpact = (ci: Ci) => ci.operationalStatus === 'operational';

export const isService = (ci: Pick<Ci, 'class'>) => ci.class.endsWith('_service');
