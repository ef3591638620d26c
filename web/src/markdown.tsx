/**
 * Light Markdown as safe text (SPEC §8: a closed reason's text): paragraphs,
 * line breaks, `- ` lists, **bold**, *emphasis*, `code` and [links](https://…)
 * to http(s) only. Built as elements, never as HTML: whatever the text holds
 * stays text.
 */
import type { ComponentChildren } from 'preact';

const INLINE = /(\*\*[^*]+\*\*|\*[^*]+\*|`[^`]+`|\[[^\]]+\]\((https?:\/\/[^\s)]+)\))/g;

function inline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index! > last) out.push(text.slice(last, m.index));
    const token = m[0];
    if (token.startsWith('**')) out.push(<strong>{token.slice(2, -2)}</strong>);
    else if (token.startsWith('`')) out.push(<code>{token.slice(1, -1)}</code>);
    else if (token.startsWith('[')) out.push(<a href={m[2]} rel="noopener noreferrer nofollow" target="_blank">{token.slice(1, token.indexOf(']'))}</a>);
    else out.push(<em>{token.slice(1, -1)}</em>);
    last = m.index! + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function Markdown({ text }: { text: string }) {
  const blocks = text.split(/\n\s*\n/).filter((b) => b.trim());
  return (
    <div class="markdown">
      {blocks.map((block) => {
        const lines = block.split('\n');
        if (lines.every((l) => /^\s*[-*] /.test(l))) {
          return (
            <ul>
              {lines.map((l) => (
                <li>{inline(l.replace(/^\s*[-*] /, ''))}</li>
              ))}
            </ul>
          );
        }
        return <p>{lines.flatMap((l, i) => (i ? [<br />, ...inline(l)] : inline(l)))}</p>;
      })}
    </div>
  );
}
