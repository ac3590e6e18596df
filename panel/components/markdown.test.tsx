import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown';

const render = (text: string, live = false) => renderToStaticMarkup(createElement(Markdown, { text, live }));

describe('Markdown', () => {
  it('renders GitHub-flavoured Markdown', () => {
    const html = render(
      '# Title\n\nSome **bold** and `code`.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n- [x] done',
    );
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<table>');
    expect(html).toContain('type="checkbox"');
  });

  it('shows raw HTML as the text it is, never as markup', () => {
    const html = render('A <b>not HTML</b> & <img src=x onerror=alert(1)>\n\n<script>alert(1)</script>');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;b&gt;not HTML&lt;/b&gt;');
    expect(html).toContain('&lt;script&gt;');
  });

  it('shows links without an address to follow, and does not load images', () => {
    const html = render('See [the docs](https://example.com/docs) and ![a chart](https://example.com/c.png)');
    expect(html).not.toContain('href');
    expect(html).not.toContain('<img');
    expect(html).toContain('title="https://example.com/docs (not opened from the panel)"');
    expect(html).toContain('[image: a chart]');
  });

  it('while live, closes what the model opened but has not closed yet', () => {
    expect(render('Half **bold', true)).toContain('<strong>bold</strong>');
    expect(render('Half **bold', false)).not.toContain('<strong>');
  });
});
