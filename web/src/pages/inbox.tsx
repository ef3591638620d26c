/**
 * The Inbox (SPEC §8), for agents and managers: the offers waiting for their
 * answer (Accept, or Reject with one of the queue's reasons, before the
 * countdown runs out), the cases they work, and their presence and capacity
 * in use. It reads the inbox again every few seconds while the page is
 * visible, so an offer appears within seconds of being made.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, apiAll, ApiError, type Inbox, type Offer } from '../api.js';
import { capacityText, countdownLabel, countdownText, IDENTIFIER_PATTERN_SOURCE, isReasonCode, secondsLeft } from '../inbox-text.js';
import { SlaChips } from '../sla-chips.js';
import { presenceIs, presenceLabel, usePresence } from '../presence.js';
import type { Case, Queue } from '../../../lib/contract/types.js';
import { Confirm, Field, Link, Problem, Section, useAction, useLoad, useNow, usePoll, words } from '../ui.js';

/** How often the inbox is read again (an offer lasts 10 s at the least). */
const POLL_MS = 3000;

type RejectReason = Queue['rejectReasons'][number];

export function InboxPage() {
  const box = useLoad(async () => {
    const read = await api<Inbox>('GET', '/inbox');
    presenceIs(read.presence);
    return read;
  }, []);
  usePoll(box.reload, POLL_MS);
  const queues = useLoad(() => apiAll<Queue>('/queues'), []);
  const presence = usePresence() ?? box.data?.presence;
  const [news, setNews] = useState<string>();
  const [problem, setProblem] = useState<unknown>();
  // After an answer the keyboard focus goes to what it did: the accepted case under "Assigned to you", else the news.
  const [focusCase, setFocusCase] = useState<string>();
  const [focusNews, setFocusNews] = useState(0);
  const newsRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (!focusCase || !box.data) return;
    const link = document.getElementById(`assigned-${focusCase}`);
    if (!link) {
      // Not listed yet (the assignment is followed from the stream, a moment later): the news meanwhile, the case once a
      // read lists it.
      newsRef.current?.focus();
      return;
    }
    // Unless the user has moved on from the news since.
    const active = document.activeElement;
    if (!active || active === document.body || active === newsRef.current) link.focus();
    setFocusCase(undefined);
  }, [box.data, focusCase]);
  useEffect(() => {
    if (focusNews) newsRef.current?.focus();
  }, [focusNews]);
  const reasonsOf = (queueId: string): RejectReason[] | undefined => (queues.data ? (queues.data.items.find((q) => q.queueId === queueId)?.rejectReasons ?? []) : undefined);
  const answered = async (text: string, caseId?: string) => {
    setProblem(undefined);
    setNews(text);
    await box.reload();
    if (caseId) setFocusCase(caseId);
    else setFocusNews((n) => n + 1);
  };
  // An offer that went meanwhile (taken back at its timeout, the case assigned by hand): said, and the inbox read again.
  const gone = async (text: string) => {
    setNews(undefined);
    setProblem(new Error(text));
    await box.reload();
  };
  const b = box.data;
  if (!b && box.error) return <Problem error={box.error} />;
  return (
    <div>
      <h1>Inbox</h1>
      <p class="news" role="status" aria-live="polite" tabIndex={-1} ref={newsRef}>
        {news}
      </p>
      <Problem error={problem ?? box.error} />
      {!b ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <>
          <p class="summary">
            You are <strong>{presence ? presenceLabel(presence).toLowerCase() : '—'}</strong> · <span>{capacityText(b.inUse, b.capacity)}</span>
          </p>
          {presence && presence !== 'available' && <p class="muted">Nothing is offered to you unless you are available: choose Available under Presence at the top of the page.</p>}
          <Section title="Offers">
            {b.offers.length === 0 ? (
              <p>No offers waiting for you.</p>
            ) : (
              <ul class="offers" aria-label="Offers waiting for your answer">
                {b.offers.map((o) => (
                  <li key={o.workItemId}>
                    <OfferCard offer={o} reasons={reasonsOf(o.queueId)} onAnswered={answered} onGone={gone} />
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <Section title="Assigned to you">
            {b.assigned.length === 0 ? (
              <p>No cases assigned to you.</p>
            ) : (
              <div class="table-wrap">
                <table class="cards" role="table">
                  <caption class="visually-hidden">Cases assigned to you, highest priority first, then nearest SLA breach</caption>
                  <thead role="rowgroup">
                    <tr role="row">
                      <th scope="col" role="columnheader">Number</th>
                      <th scope="col" role="columnheader">Short description</th>
                      <th scope="col" role="columnheader">Priority</th>
                      <th scope="col" role="columnheader">Stage</th>
                      <th scope="col" role="columnheader">SLAs</th>
                    </tr>
                  </thead>
                  <tbody role="rowgroup">
                    {b.assigned.map((c) => (
                      <tr role="row" key={c.caseId}>
                        <td role="cell" data-label="Number">
                          <Link to={`/cases/${c.caseId}`} id={`assigned-${c.caseId}`}>
                            {c.number}
                          </Link>
                        </td>
                        <td role="cell" data-label="Short description">
                          {c.shortDescription}
                        </td>
                        <td role="cell" data-label="Priority">
                          {c.priority}
                        </td>
                        <td role="cell" data-label="Stage">
                          {words(c.stage)}
                        </td>
                        <td role="cell" data-label="SLAs">
                          <SlaChips slas={c.slas} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Section>
        </>
      )}
    </div>
  );
}

/** How much is left of an offer: "1:42 left", updated each second, read out whole (never announced by itself). */
export function Countdown({ expiresAt }: { expiresAt: string }) {
  const now = useNow(1000);
  const left = secondsLeft(expiresAt, now);
  return (
    <span class={`countdown${left <= 20 ? ' urgent' : ''}`} role="timer" aria-label={countdownLabel(expiresAt, now)}>
      {countdownText(expiresAt, now)}
    </span>
  );
}

/**
 * One offer: its case, priority and countdown; Accept, or Reject with a
 * reason (one of the queue's, or a short code when the queue has none). Both
 * ask first.
 */
function OfferCard(props: { offer: Offer; reasons: RejectReason[] | undefined; onAnswered: (text: string, caseId?: string) => Promise<void>; onGone: (text: string) => Promise<void> }) {
  const { offer, reasons } = props;
  const c = offer.case;
  const now = useNow(1000);
  const [reason, setReason] = useState('');
  const act = useAction();
  const expired = !offer.expiresAt || secondsLeft(offer.expiresAt, now) === 0;
  const chosen = reasons?.find((r) => r.code === reason);
  const validReason = reasons === undefined ? false : reasons.length ? !!chosen : isReasonCode(reason);
  const answer = (work: () => Promise<string>, caseId?: string) =>
    void act.run(async () => {
      try {
        const text = await work();
        await props.onAnswered(text, caseId);
      } catch (e) {
        // No longer offered (or no longer there): the page says so; a reason the API refused stays beside its field.
        if (e instanceof ApiError && (e.status === 409 || e.status === 404)) await props.onGone(`The offer of ${c.number} is no longer yours to answer: it ran out, or the case was taken meanwhile.`);
        else throw e;
      }
    });
  const accept = () =>
    answer(async () => {
      await api<Case>('POST', `/work-items/${offer.workItemId}/accept`);
      return `You accepted ${c.number}. It is under Assigned to you.`;
    }, c.caseId);
  const reject = () =>
    answer(async () => {
      await api('POST', `/work-items/${offer.workItemId}/reject`, { reason });
      return `You rejected ${c.number} (${chosen?.label ?? reason}). It goes back to its queue.`;
    });
  const titleId = `offer-${offer.workItemId}`;
  return (
    <article class="offer" aria-labelledby={titleId}>
      <p class="offer-head" id={titleId}>
        <Link to={`/cases/${c.caseId}`}>{c.number}</Link> <span>{c.shortDescription}</span>
      </p>
      <p class="tags">
        <span class="badge">{c.priority}</span> <span class="muted">queue {offer.queueId}</span> {offer.expiresAt && <Countdown expiresAt={offer.expiresAt} />}
      </p>
      {expired ? (
        <p class="muted">This offer has run out; it goes back to its queue.</p>
      ) : (
        <div class="inline offer-actions">
          <Confirm label="Accept" primary ariaLabel={`Accept ${c.number}`} question={`Accept ${c.number}? It becomes yours to work.`} disabled={act.busy} onConfirm={accept} />
          {reasons && reasons.length > 0 ? (
            <Field label="Reason to reject" name="reason" error={act.error}>
              {(id, d) => (
                <select id={id} aria-describedby={d} value={reason} onChange={(e) => setReason((e.currentTarget as HTMLSelectElement).value)}>
                  <option value="">Pick a reason</option>
                  {reasons.map((r) => (
                    <option key={r.code} value={r.code}>
                      {r.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <Field label="Reason to reject" name="reason" error={act.error} hint="A short code, such as busy or not_my_area">
              {(id, d) => (
                <input
                  id={id}
                  aria-describedby={d}
                  value={reason}
                  maxLength={64}
                  pattern={IDENTIFIER_PATTERN_SOURCE}
                  disabled={reasons === undefined}
                  onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value.trim())}
                />
              )}
            </Field>
          )}
          <Confirm
            label="Reject"
            ariaLabel={`Reject ${c.number}`}
            question={`Reject ${c.number} (${chosen?.label ?? reason})?`}
            disabled={act.busy || !validReason}
            onConfirm={reject}
          />
        </div>
      )}
      {!(act.error instanceof ApiError && act.error.fieldError('reason')) && <Problem error={act.error} />}
    </article>
  );
}
