/**
 * Case numbers without a serialising counter (SPEC §2 Case). Each function
 * instance reserves a block of numbers with one atomic ADD on the counter and
 * hands them out itself, as ServiceNow caches numbers per node: numbers grow
 * within an instance and may interleave or skip across instances (a block an
 * instance did not use up is never handed out again), and no creation ever
 * waits on another's number or retries because of it. Each number is still
 * written with its case under `attribute_not_exists`, so none is used twice.
 */
import { UpdateItemCommand, $add } from 'dynamodb-toolbox/entity/actions/update';
import { caseNumberFor, sequenceOf } from '../domain/case.js';
import type { Db } from './entities.js';
import { guard } from './errors.js';

/** Numbers per reservation: one extra call per this many creations (docs/decisions.md). */
export const CASE_NUMBER_BLOCK = Math.max(1, Number(process.env.CASE_NUMBER_BLOCK) || 20);

/** The numbers one function instance hands out (exported for tests that play several instances). */
export class NumberBlocks {
  /** Reserved and not yet handed out (numbers given back first, lowest first). */
  private free: number[] = [];
  private refill: Promise<void> | undefined;

  constructor(private readonly db: Db) {}

  async take(): Promise<string> {
    for (;;) {
      const next = this.free.shift();
      if (next !== undefined) return caseNumberFor(next);
      this.refill ??= this.reserve().finally(() => (this.refill = undefined));
      await this.refill;
    }
  }

  /** A number whose creation was refused (nothing written): the next creation takes it. */
  giveBack(number: string): void {
    this.free.push(sequenceOf(number));
    this.free.sort((a, b) => a - b);
  }

  private async reserve(): Promise<void> {
    const out = await guard(() =>
      this.db.counter
        .build(UpdateItemCommand)
        .item({ counter: 'case', value: $add(CASE_NUMBER_BLOCK) })
        .options({ returnValues: 'UPDATED_NEW' })
        .send(),
    );
    const last = Number(out.Attributes?.value);
    for (let n = last - CASE_NUMBER_BLOCK + 1; n <= last; n++) this.free.push(n);
  }
}

/** One allocator per table per process: every repository of an instance shares its block. */
const allocators = new Map<string, NumberBlocks>();

export function caseNumbersOf(db: Db): NumberBlocks {
  const table = db.table.getName();
  let blocks = allocators.get(table);
  if (!blocks) allocators.set(table, (blocks = new NumberBlocks(db)));
  return blocks;
}
