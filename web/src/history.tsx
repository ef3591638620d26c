/** The History section of a case or an alert: newest first, as people write it (history-text.ts). */
import { useEffect } from 'preact/hooks';
import { api, query, type Page } from './api.js';
import type { HistoryEntry } from '../../lib/contract/types.js';
import { readableHistory } from './history-text.js';
import { More, Section, usePaged, when } from './ui.js';

/** `path`: the record's history route (`/cases/<id>/history`); `version` changes when the record did. */
export function History({ path, version }: { path: string; version: unknown }) {
  const history = usePaged((cursor) => api<Page<HistoryEntry>>('GET', `${path}${query({ order: 'newest', limit: 100, cursor })}`), [path, version]);
  // History is written from the table's stream a moment after a change: look again shortly.
  useEffect(() => {
    const timer = setTimeout(() => void history.reload(), 1500);
    return () => clearTimeout(timer);
  }, [version]);
  const items = readableHistory(history.items);
  return (
    <Section title="History">
      <ol class="timeline" aria-label="History, newest first">
        {items.map((h, i) => (
          <li key={`${h.at}-${i}`}>
            <p>
              <strong>{h.actor}</strong> {h.what} <small class="muted">{when(h.at)}</small>
            </p>
            {h.lines.length > 0 && (
              <ul>
                {h.lines.map((line, k) => (
                  <li key={k}>
                    {line.label}: {line.from === '—' ? line.to : `${line.from} → ${line.to}`}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      {history.loaded && items.length === 0 && <p>No history yet.</p>}
      <More list={history} label="Show older history" />
    </Section>
  );
}
