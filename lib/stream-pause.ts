/**
 * Pausing a stream function's event source mapping while an operator's work
 * runs (the metrics rebuild): the stack names the mapping in
 * PAUSED_MAPPING_UUID and lets only that function disable and enable it.
 */
import { GetEventSourceMappingCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { sleep } from './concurrency.js';

/** The mapping to pause (set by the stack). */
export const PAUSED_MAPPING_ENV = 'PAUSED_MAPPING_UUID';

/** What of the Lambda API the pause needs. */
export interface MappingControl {
  send(command: UpdateEventSourceMappingCommand | GetEventSourceMappingCommand): Promise<{ State?: string }>;
}

export interface PauseTimes {
  /** Between two looks at the mapping's state. */
  pollMs: number;
  /** How long the mapping may take to stop. */
  stopWithinMs: number;
  /** Once stopped, how long a batch in flight may still run (the metrics function's timeout). */
  inFlightMs: number;
}

/**
 * Runs `work` while the mapping is paused: disables it, waits for it to be
 * Disabled and for a batch in flight to end, runs the work, and enables the
 * mapping again whatever the work's outcome.
 */
export async function whilePaused<R>(lambda: MappingControl, uuid: string, work: () => Promise<R>, times: PauseTimes): Promise<R> {
  await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
  try {
    const deadline = Date.now() + times.stopWithinMs;
    for (;;) {
      const { State } = await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
      if (State === 'Disabled') break;
      if (Date.now() > deadline) throw new Error(`the stream mapping ${uuid} did not stop in ${times.stopWithinMs} ms (state ${State})`);
      await sleep(times.pollMs);
    }
    await sleep(times.inFlightMs);
    return await work();
  } finally {
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
  }
}
