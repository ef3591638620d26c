/**
 * The impact walk (SPEC §2): from the alert's CI up through everything that
 * depends on it, breadth first, one frontier at a time. Pure: the CIs come
 * through a port that answers a whole frontier in one call, so the number of
 * round trips follows the depth of the graph, not its size.
 */
import { carriesImpact, isService, type Ci, type CiNode } from './service-map.js';

export const DEFAULT_MAX_DEPTH = 64;

export interface ServiceMapPort {
  /**
   * The CIs with these ids and their parents; unknown ids are left out. A
   * read the database is slow to answer may be tried again until `readUntil`
   * (epoch ms), and at least for a store call's own budget.
   */
  nodes(ciIds: string[], readUntil?: number): Promise<Map<string, CiNode>>;
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

/** SPEC §4: at most this many impacted CIs per alert (`truncated: true` beyond). */
export const MAX_IMPACTED_CIS = 10_000;
/** A walk reads at most this many CIs (services and what lies between them), whatever the graph. */
export const MAX_VISITED_CIS = 50_000;

export interface WalkBounds {
  maxDepth?: number;
  maxImpacted?: number;
  maxVisited?: number;
  /** True once the walk must stop (its function's time is running out): what was found so far is the answer, truncated. */
  outOfTime?: () => boolean;
  /** Until when (epoch ms) a frontier's read may be tried again while the database is slow (the walk's own deadline). */
  readUntil?: number;
}

/**
 * The walk, bounded: by depth, by the number of impacted CIs it lists, by the
 * CIs it reads, and by time. Any bound reached ends it with `truncated: true`
 * and what it found up to there.
 */
export async function impactedCisOf(alertCiId: string | undefined, port: ServiceMapPort, bounds: number | WalkBounds = {}): Promise<ImpactResult> {
  const { maxDepth = DEFAULT_MAX_DEPTH, maxImpacted = MAX_IMPACTED_CIS, maxVisited = MAX_VISITED_CIS, outOfTime = () => false, readUntil } =
    typeof bounds === 'number' ? { maxDepth: bounds } : bounds;
  if (!alertCiId) return { impactedCis: [], truncated: false, waves: 0 };
  const impacted: ImpactedCi[] = [];
  const seen = new Set([alertCiId]);
  let frontier: { ciId: string; path: string[] }[] = [{ ciId: alertCiId, path: [alertCiId] }];
  let waves = 0;
  let depth = 0;
  let visited = 0;
  while (frontier.length > 0) {
    if (depth > maxDepth || visited + frontier.length > maxVisited || (waves > 0 && outOfTime())) return { impactedCis: impacted, truncated: true, waves };
    const nodes = await port.nodes(frontier.map((f) => f.ciId), readUntil);
    waves += 1;
    visited += frontier.length;
    const next: typeof frontier = [];
    for (const { ciId, path } of frontier) {
      const ci = nodes.get(ciId);
      if (!ci || !carriesImpact(ci)) continue;
      if (depth === 0 || isService(ci)) {
        if (impacted.length >= maxImpacted) return { impactedCis: impacted, truncated: true, waves };
        impacted.push({ ciId, name: ci.name, class: ci.class, kind: depth === 0 ? 'alert_ci' : 'service', path });
      }
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
