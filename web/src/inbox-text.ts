/**
 * The inbox and the team's waiting work in people's words (SPEC §8): how long
 * an offer has left ("1:42 left", and for a screen reader "1 minute 42
 * seconds left"), how long a case has waited ("waiting 3 min"), capacity in
 * use ("1 of 2 in use"), and whether a typed reject reason is a code the API
 * takes. Pure: the pages draw them.
 */

/** An identifier as the API takes it (lib/domain/alert.ts IDENTIFIER_PATTERN), for an input's `pattern` too. */
export const IDENTIFIER_PATTERN_SOURCE = '[A-Za-z0-9][A-Za-z0-9._:@+\\-]*';

/** Whole seconds from `now` (ms since the epoch) to `iso`, never below 0. */
export function secondsLeft(iso: string, now: number): number {
  const ms = Date.parse(iso) - now;
  return Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 1000) : 0;
}

const two = (n: number) => String(n).padStart(2, '0');

/** "1:42 left", "1:02:05 left" past an hour, "expired" at 0. */
export function countdownText(expiresAt: string, now: number): string {
  const s = secondsLeft(expiresAt, now);
  if (s === 0) return 'expired';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h ? `${h}:${two(m)}` : m}:${two(s % 60)} left`;
}

const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The countdown as a screen reader says it: "1 minute 42 seconds left to answer", "expired". */
export function countdownLabel(expiresAt: string, now: number): string {
  const s = secondsLeft(expiresAt, now);
  if (s === 0) return 'The offer has expired';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [h && unit(h, 'hour'), m && unit(m, 'minute'), s % 60 && unit(s % 60, 'second')].filter(Boolean);
  return `${parts.join(' ')} left to answer`;
}

/** "waiting 45 s", "waiting 3 min", "waiting 2 h 5 min", "waiting 3 days". */
export function waitText(waitSeconds: number): string {
  const s = Math.max(0, Math.floor(waitSeconds));
  if (s < 60) return `waiting ${s} s`;
  if (s < 3600) return `waiting ${Math.floor(s / 60)} min`;
  if (s < 86_400) {
    const m = Math.floor((s % 3600) / 60);
    return `waiting ${Math.floor(s / 3600)} h${m ? ` ${m} min` : ''}`;
  }
  return `waiting ${unit(Math.floor(s / 86_400), 'day')}`;
}

/** "1 of 2 in use". */
export const capacityText = (inUse: number, capacity: number) => `${inUse} of ${capacity} in use`;

/** Whether a typed reject reason is a code the API takes (identifier characters, at most 64). */
export const isReasonCode = (text: string) => text.length > 0 && text.length <= 64 && new RegExp(`^${IDENTIFIER_PATTERN_SOURCE}$`).test(text);

/** A duration in seconds as people read a setting: "2 min", "90 s", "1 h 30 min". */
export function durationText(seconds: number): string {
  if (seconds < 60 || seconds % 60 !== 0) return `${seconds} s`;
  const m = seconds / 60;
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** An SLA as a chip shows it: what is left of it, or how it ended; `tone` colours it (amber after a warning, red when breached). */
export function slaChip(s: { name: string; stage: string; breachAt: string; warned: boolean; hasBreached: boolean }, now: number): { text: string; tone: 'ok' | 'warned' | 'breached' } | undefined {
  if (s.stage === 'cancelled') return undefined;
  const tone = s.hasBreached ? 'breached' : s.warned ? 'warned' : 'ok';
  if (s.stage === 'completed') return { text: `${s.name}: ${s.hasBreached ? 'met late' : 'met'}`, tone };
  if (s.stage === 'paused') return { text: `${s.name}: paused${s.hasBreached ? ', breached' : s.warned ? ', warned' : ''}`, tone };
  const seconds = secondsLeft(s.breachAt, now);
  // Past its breach by the clock, though the sweep that records it may be a minute behind.
  if (s.hasBreached || seconds <= 0) return { text: `${s.name}: breached`, tone: 'breached' };
  const minutes = Math.ceil(seconds / 60);
  const left = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  // The tone is said in words too, not by colour alone.
  return { text: `${s.name}: ${left} left${s.warned ? ', warned' : ''}`, tone };
}
