/**
 * Walks over JSON values a page sent that never recurse deeper than `JSON_WALK_LIMITS.maxNesting`
 * (src/limits.ts), so no event, however deep, can overflow the stack of the panel or the exporter.
 */
import { JSON_WALK_LIMITS } from './limits';

/** Whether `value` nests objects or arrays deeper than `limit` levels (iterative, stops early). */
export function nestsDeeperThan(value: unknown, limit: number = JSON_WALK_LIMITS.maxNesting): boolean {
  const stack: [value: unknown, depth: number][] = [[value, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [current, depth] = top;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * `JSON.stringify(value)`, cut after `maxChars` characters (`…`), with values nested deeper than the
 * walk limit written as `"…"`. Never throws: what it cannot write (a BigInt, a cycle) is `"…"` too.
 */
export function boundedJsonText(value: unknown, maxChars: number = JSON_WALK_LIMITS.maxSummaryChars): string {
  let out = '';
  const write = (current: unknown, depth: number): void => {
    if (out.length > maxChars) return;
    if (typeof current !== 'object' || current === null) {
      out += JSON.stringify(current) ?? 'null';
      return;
    }
    if (depth >= JSON_WALK_LIMITS.maxNesting) {
      out += '"…"';
      return;
    }
    const array = Array.isArray(current);
    out += array ? '[' : '{';
    let first = true;
    for (const [key, child] of Object.entries(current)) {
      if (out.length > maxChars) break;
      if (!array && child === undefined) continue;
      if (!first) out += ',';
      first = false;
      if (!array) out += `${JSON.stringify(key)}:`;
      write(child, depth + 1);
    }
    out += array ? ']' : '}';
  };
  try {
    write(value, 0);
  } catch {
    out += '"…"';
  }
  return out.length > maxChars ? `${out.slice(0, maxChars)}…` : out;
}
