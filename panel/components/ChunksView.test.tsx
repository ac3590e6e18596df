import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { scanChunks } from '../../src/chunks/chunk-scan';
import { chunksOf } from '../../src/chunks/test-support';
import { Chunks } from './ChunksView';

/** The chunk view of these chunks, as markup. */
function render(texts: string[]): string {
  const chunks = chunksOf(texts);
  const scan = scanChunks('sse', chunks);
  return renderToStaticMarkup(
    <Chunks
      chunks={chunks}
      scan={scan}
      count={chunks.length}
      startedAt={900}
      onRecord={() => {}}
      resetKey="c"
    />,
  );
}

const count = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;

describe('Chunks (rendered from fixture chunks)', () => {
  const html = render([
    'data: {"a":1}\n\ndata: {"a"',
    ':2}\n\n',
    ': ping\n',
    'data: 3\n\ndata: 4\n\ndata: 5\n\n',
  ]);

  it('lists every chunk with the records it completed, split records marked', () => {
    expect(count(html, /data-chunk-seq=/g)).toBe(4);
    expect(count(html, /class="record-link"/g)).toBe(5);
    expect(count(html, /class="record-link split"/g)).toBe(1);
    expect(html).toContain(
      '4 chunks · 5 events · records split across chunks: 1 · chunks that completed no record: 0',
    );
  });

  it('marks where each chunk starts in the raw text, line endings shown', () => {
    expect(count(html, /data-chunk-mark=/g)).toBe(4);
    expect(html).toContain('data: {&quot;a&quot;:1}<span class="raw-escape">\\n</span>');
  });

  it('renders page data as text, never as markup', () => {
    const hostile = render(['data: <img src=x onerror=alert(1)>\n\n']);
    expect(hostile).not.toContain('<img');
    expect(hostile).toContain('&lt;img');
  });
});
