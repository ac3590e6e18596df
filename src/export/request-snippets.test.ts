import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { testInfo } from '../test-records';
import { requestAsCurl, requestAsFetch, shellQuote } from './request-snippets';

const post = testInfo('c:1', {
  method: 'POST',
  url: 'https://api.example.com/v1/chat?x=1&y=2',
  requestHeaders: { authorization: 'Bearer sk-secret', 'content-type': 'application/json' },
  requestBody: '{"q":"it\'s $HOME `date`"}',
});

describe('Copy as cURL', () => {
  it('quotes every word so that a shell passes it through unchanged', () => {
    for (const text of ["it's", '$HOME `date` "x"', 'a\nb', '']) {
      // printf %s prints its argument as the shell gave it.
      expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(text)}`], { encoding: 'utf8' })).toBe(text);
    }
  });

  it('writes the method, headers and body, redacting secrets unless asked not to', () => {
    expect(requestAsCurl(post, false)).toBe(
      [
        "curl 'https://api.example.com/v1/chat?x=1&y=2'",
        "-H 'authorization: [redacted]'",
        "-H 'content-type: application/json'",
        `--data-raw '{"q":"it'\\''s $HOME \`date\`"}'`,
        '-N',
      ].join(' \\\n  '),
    );
    expect(requestAsCurl(post, true)).toContain("-H 'authorization: Bearer sk-secret'");
    expect(requestAsCurl({ ...post, method: 'PUT' }, false)).toContain("-X 'PUT'");
    expect(requestAsCurl({ ...post, method: 'GET', requestBody: null }, false)).not.toMatch(/-X|--data/);
  });

  it('asks for an event stream for a native EventSource, whose headers the page never sees', () => {
    const es = testInfo('es:1', { transport: 'eventsource', requestHeaders: {} });
    expect(requestAsCurl(es, false)).toBe(
      `curl 'http://127.0.0.1/es:1' \\\n  -H 'accept: text/event-stream' \\\n  -N`,
    );
  });
});

describe('Copy as fetch', () => {
  it('is a fetch call with the method, headers and body', () => {
    const code = requestAsFetch(post, false);
    expect(code).toMatch(/^fetch\("https:\/\/api\.example\.com\/v1\/chat\?x=1&y=2", \{/);
    const init = JSON.parse(code.slice(code.indexOf(', ') + 2, -2));
    expect(init).toEqual({
      method: 'POST',
      headers: { authorization: '[redacted]', 'content-type': 'application/json' },
      body: post.requestBody,
    });
    expect(requestAsFetch(post, true)).toContain('Bearer sk-secret');
  });
});
