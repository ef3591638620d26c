/**
 * The pause around the metrics rebuild in AWS: the metrics function's stream
 * mapping is disabled, found stopped, and enabled again whatever the rebuild's
 * outcome (a Lambda API stand-in records the calls; no database is involved).
 */
import { whilePaused, type MappingControl } from '../../lib/stream-pause.js';

const times = { pollMs: 1, stopWithinMs: 200, inFlightMs: 1 };

/** The Lambda API as the pause sees it: the mapping takes `disablingLooks` looks to stop. */
function lambda(disablingLooks: number) {
  const calls: string[] = [];
  let looks = 0;
  const control: MappingControl = {
    async send(command) {
      const input = command.input as { UUID?: string; Enabled?: boolean };
      if ('Enabled' in input) {
        calls.push(input.Enabled ? 'enable' : 'disable');
        return {};
      }
      calls.push('look');
      return { State: ++looks > disablingLooks ? 'Disabled' : 'Disabling' };
    },
  };
  return { control, calls };
}

it('disables the mapping, waits until it has stopped, rebuilds, then enables it', async () => {
  const { control, calls } = lambda(2);
  const out = await whilePaused(control, 'uuid-1', async () => {
    calls.push('rebuild');
    return 7;
  }, times);
  expect([out, calls]).toEqual([7, ['disable', 'look', 'look', 'look', 'rebuild', 'enable']]);
});

it('enables the mapping again when the rebuild fails, and when the mapping never stops (no rebuild then)', async () => {
  const failing = lambda(0);
  await expect(whilePaused(failing.control, 'uuid-1', async () => Promise.reject(new Error('boom')), times)).rejects.toThrow('boom');
  expect(failing.calls).toEqual(['disable', 'look', 'enable']);

  const stuck = lambda(Number.POSITIVE_INFINITY);
  let rebuilt = false;
  await expect(whilePaused(stuck.control, 'uuid-1', async () => (rebuilt = true), { ...times, stopWithinMs: 5 })).rejects.toThrow(/did not stop/);
  expect([rebuilt, stuck.calls[0], stuck.calls.at(-1)]).toEqual([false, 'disable', 'enable']);
});
