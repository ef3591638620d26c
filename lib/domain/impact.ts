/**
 * The impact walk (SPEC §2): from the alert's CI up through everything that
 * depends on it, breadth first, one frontier at a time. Pure: the CIs come
 * through a port that answers a whole frontier in one call, so the number of
 * round trips follows the depth of the graph, not its size.
 */
import { carriesImpact, isService, type Ci, type CiNode } from './service-map.js';

export const DEFAULT_MAX_DEPTH = 64;

export interface ServiceMapPort {
  /** The CIs with these ids and their parents; unknown ids are left out. */
  nodes(ciIds: string[]): Promise<Map<string, CiNode>>;
}

export interface ImpactedCi extends Pick<Ci, 'ciId' | 'name' | 'class'> {
  kind: 'alert_ci' | 'service';
  /** ciIds from the alert CI up to this one, both ends included. */
  path: string[];
}

export interface ImpactResult {
  impactedCis: ImpactedCi[];
  /** The walk stopped at the depth bound with CIs still to visit. */
  truncated: boolean;
  /** Sequential calls made to the port (round-trip waves). */
  waves: number;
}

export async function impactedCisOf(alertCiId: string | undefined, port: ServiceMapPort, maxDepth = DEFAULT_MAX_DEPTH): Promise<ImpactResult> {
  if (!alertCiId) return { impactedCis: [], truncated: false, waves: 0 };
  const impacted: ImpactedCi[] = [];
  const seen = new Set([alertCiId]);
  let frontier: { ciId: string; path: string[] }[] = [{ ciId: alertCiId, path: [alertCiId] }];
  let waves = 0;
  let depth = 0;
  while (frontier.length > 0) {
    if (depth > maxDepth) return { impactedCis: impacted, truncated: true, waves };
    const nodes = await port.nodes(frontier.map((f) => f.ciId));
    waves += 1;
    const next: typeof frontier = [];
    for (const { ciId, path } of frontier) {
      const ci = nodes.get(ciId);
      if (!ci || !carriesImpact(ci)) continue;
      if (depth === 0) impacted.push({ ciId, name: ci.name, class: ci.class, kind: 'alert_ci', path });
      else if (isService(ci)) impacted.push({ ciId, name: ci.name, class: ci.class, kind: 'service', path });
      for (const parent of ci.parents) {
        if (seen.has(parent)) continue;
        seen.add(parent);
        next.push({ ciId: parent, path: [...path, parent] });
      }
    }
    frontier = next;
    depth += 1;
  }
  return { impactedCis: impacted, truncated: false, waves };
}
