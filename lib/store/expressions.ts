/** Builds SET/ADD update expressions with placeholder names, so field names never clash with reserved words. */
export interface UpdateParts {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

export function updateParts(set: Record<string, unknown>, add: Record<string, number> = {}, condition?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> }): UpdateParts & { ConditionExpression?: string } {
  const names: Record<string, string> = { ...condition?.names };
  const values: Record<string, unknown> = { ...condition?.values };
  const clause = (entries: [string, unknown][], prefix: string, render: (n: string, v: string) => string) =>
    entries.map(([field, value], i) => {
      names[`#${prefix}${i}`] = field;
      values[`:${prefix}${i}`] = value;
      return render(`#${prefix}${i}`, `:${prefix}${i}`);
    });
  const sets = clause(Object.entries(set).filter(([, v]) => v !== undefined), 's', (n, v) => `${n} = ${v}`);
  const adds = clause(Object.entries(add), 'a', (n, v) => `${n} ${v}`);
  return {
    UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', adds.length ? `ADD ${adds.join(', ')}` : ''].filter(Boolean).join(' '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ...(condition ? { ConditionExpression: condition.expression } : {}),
  };
}
