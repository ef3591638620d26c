/**
 * The subset of EventBridge event-pattern matching this service's patterns use
 * (exact values, `anything-but`, `prefix`), so the local runtime routes events
 * and filters stream records by the very patterns the stack deploys.
 */
export type PatternValue = string | number | boolean | { 'anything-but': (string | number)[] } | { prefix: string };
export interface Pattern {
  [field: string]: PatternValue[] | Pattern;
}

function matchesValue(value: unknown, allowed: PatternValue[]): boolean {
  return allowed.some((rule) => {
    if (rule !== null && typeof rule === 'object') {
      if ('anything-but' in rule) return value !== undefined && !rule['anything-but'].includes(value as string);
      if ('prefix' in rule) return typeof value === 'string' && value.startsWith(rule.prefix);
      return false;
    }
    return Array.isArray(value) ? value.includes(rule) : value === rule;
  });
}

export function matchesPattern(event: unknown, pattern: Pattern): boolean {
  if (event === null || typeof event !== 'object') return false;
  return Object.entries(pattern).every(([field, rule]) => {
    const value = (event as Record<string, unknown>)[field];
    return Array.isArray(rule) ? matchesValue(value, rule) : matchesPattern(value, rule);
  });
}
