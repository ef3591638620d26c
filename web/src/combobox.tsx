/**
 * A picker with type-ahead (ARIA 1.2 combobox with a list popup): an input
 * with `role=combobox` whose options come from `search` as someone types,
 * chosen by mouse or keyboard (↓/↑ to move, Enter to pick, Escape to
 * close). What is typed only searches; a value is set only by picking an
 * option, so nobody types an internal id.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Option } from './pickers.js';

export type { Option };

const SEARCH_DELAY_MS = 150;

export function Combobox(props: {
  id: string;
  describedBy?: string;
  /** What the options are, for the listbox's name ("Accounts"). */
  listLabel: string;
  search: (text: string) => Promise<Option[]>;
  onPick: (option: Option) => void;
  /** What the input shows before anything is typed (the current choice's label). */
  initial?: string;
  placeholder?: string;
  /** Empties the input after a pick (a picker that adds to a list). */
  clearOnPick?: boolean;
  disabled?: boolean;
}) {
  const [text, setText] = useState(props.initial ?? '');
  const [options, setOptions] = useState<Option[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [searching, setSearching] = useState(false);
  const latest = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => setText(props.initial ?? ''), [props.initial]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const listId = `${props.id}-options`;

  const search = (value: string, delay = SEARCH_DELAY_MS) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      const request = ++latest.current;
      setSearching(true);
      try {
        const found = await props.search(value.trim());
        if (request !== latest.current) return;
        setOptions(found);
        setActive(found.length ? 0 : -1);
        setOpen(true);
      } catch {
        if (request === latest.current) setOptions([]);
      } finally {
        if (request === latest.current) setSearching(false);
      }
    }, delay);
  };
  const pick = (option: Option) => {
    // A search still on its way (typed before the pick) must not open the list again.
    clearTimeout(timer.current);
    latest.current++;
    setSearching(false);
    setText(props.clearOnPick ? '' : option.label);
    setOpen(false);
    setActive(-1);
    props.onPick(option);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open) search(text, 0);
      else setActive((a) => Math.min(options.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter') {
      if (open && active >= 0 && options[active]) {
        e.preventDefault();
        pick(options[active]);
      }
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
    }
  };
  const expanded = open && (options.length > 0 || !searching);
  return (
    <div class="combobox">
      <input
        id={props.id}
        type="text"
        role="combobox"
        autocomplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded ? 'true' : 'false'}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={props.describedBy}
        value={text}
        placeholder={props.placeholder}
        disabled={props.disabled}
        onInput={(e) => {
          const value = (e.currentTarget as HTMLInputElement).value;
          setText(value);
          search(value);
        }}
        onFocus={() => search(text, 0)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label={props.listLabel} class="options" hidden={!expanded}>
        {options.map((o, i) => (
          <li
            key={o.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active ? 'true' : 'false'}
            class={i === active ? 'active' : undefined}
            onMouseDown={(e) => {
              e.preventDefault();
              pick(o);
            }}
          >
            {o.label}
            {o.hint && <small> {o.hint}</small>}
          </li>
        ))}
        {expanded && options.length === 0 && (
          <li role="option" aria-disabled="true" aria-selected="false" class="none">
            Nothing matches
          </li>
        )}
      </ul>
    </div>
  );
}
