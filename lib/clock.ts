/**
 * The clock deadlines are measured by (epoch ms). Always `Date.now` in the
 * service; a test replaces `now` to measure the deadline logic itself (each
 * database call costing a set time, say) without timing the machine it runs on.
 */
export const clock = { now: (): number => Date.now() };
