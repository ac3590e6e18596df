import type { TextMatcher } from '../event-filter';

/**
 * `text` with the matcher's matches wrapped in `<mark>`. Built from React text nodes only: the text
 * comes from the page and is never parsed as HTML.
 */
export function Highlighted({ text, matcher }: { text: string; matcher: TextMatcher | null }) {
  if (!matcher || text === '') return <>{text}</>;
  const ranges = matcher.ranges(text);
  if (ranges.length === 0) return <>{text}</>;
  const parts: (string | React.JSX.Element)[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
