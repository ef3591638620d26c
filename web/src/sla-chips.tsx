/** SLA chips (SPEC §8): a case's SLAs with time left, amber after a warning, red when breached; on the inbox and the case form. */
import { slaChip } from './inbox-text.js';
import { useNow } from './ui.js';

/** A case's SLAs as chips: time left, amber after a warning, red when breached (the time is the breach's, read each minute). */
export function SlaChips({ slas }: { slas: readonly (Parameters<typeof slaChip>[0] & { slaId: string })[] }) {
  const now = useNow(60_000);
  const chips = slas.flatMap((s) => {
    const chip = slaChip(s, now);
    return chip ? [{ ...chip, key: s.slaId }] : [];
  });
  if (chips.length === 0) return <span>—</span>;
  return (
    <ul class="chips sla">
      {chips.map((c) => (
        <li key={c.key} class={`sla-${c.tone}`}>
          {c.text}
        </li>
      ))}
    </ul>
  );
}
