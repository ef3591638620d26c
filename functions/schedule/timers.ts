/**
 * The timer sweep (a run a minute): offers whose time is up go back to their
 * queue; cases' SLAs warn and breach. A run sweeps again every SWEEP_MS
 * until the next run is due, so a timer fires within seconds of its due time
 * (SPEC §7: at most 60 s), never before; each firing is conditional, so two
 * sweeps at once fire it once.
 */
import type { Context } from 'aws-lambda';
import { sleep } from '../../lib/concurrency.js';
import { logger, observed } from '../../lib/observability.js';
import { AgentRepository } from '../../lib/store/agents.js';
import { QueueRepository } from '../../lib/store/queues.js';
import { storeFromEnv } from '../../lib/store/store.js';
import { CaseSlaRepository } from '../../lib/store/slas.js';
import { TimerRepository } from '../../lib/store/timers.js';
import { WorkItemRepository } from '../../lib/store/work-items.js';
import { sweepTimers } from '../../lib/usecases/timers.js';
import { repositoriesOf, type Repositories } from '../../lib/usecases/context.js';

/** Between two sweeps of one run. */
export const SWEEP_MS = 2000;
/** How long a run sweeps: until the next one starts (a minute). Locally a run sweeps once (TIMER_RUN_MS=0), and runs come every second. */
const runMs = () => Number(process.env.TIMER_RUN_MS ?? 58_000);
const MARGIN_MS = 8000;

let repos: Repositories | undefined;

export const handler = observed(async (_event: unknown, context: Context) => {
  repos ??= repositoriesOf(storeFromEnv(), { queues: QueueRepository, agents: AgentRepository, workItems: WorkItemRepository, caseSlas: CaseSlaRepository, timers: TimerRepository });
  const started = Date.now();
  const fired = { offers: 0, slas: 0 };
  for (;;) {
    // A full sweep may find more than one call takes: go on at once while it does.
    let found: number;
    do {
      const swept = await sweepTimers(repos);
      fired.offers += swept.offers;
      fired.slas += swept.slas;
      found = swept.offers + swept.slas;
    } while (found > 0 && context.getRemainingTimeInMillis() > MARGIN_MS);
    if (Date.now() - started + SWEEP_MS > runMs() || context.getRemainingTimeInMillis() < MARGIN_MS + SWEEP_MS) break;
    await sleep(SWEEP_MS);
  }
  if (fired.offers || fired.slas) logger.info('timers fired', fired);
  return fired;
});
