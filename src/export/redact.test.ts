import { describe, expect, it } from 'vitest';
import { isSecretHeader, isSecretParam, REDACTED, redactBody, redactUrl } from './redact';

const R = REDACTED;

describe('redactUrl', () => {
  it('redacts query parameters named like secrets, keeping every other byte of the URL', () => {
    const cases: [string, string][] = [
      [
        'https://generativelanguage.googleapis.com/v1beta/models/g:streamGenerateContent?alt=sse&key=AIzaSyA-123',
        `https://generativelanguage.googleapis.com/v1beta/models/g:streamGenerateContent?alt=sse&key=${R}`,
      ],
      [
        'https://x.test/s?access_token=a&token=b&api_key=c&apikey=d',
        `https://x.test/s?access_token=${R}&token=${R}&api_key=${R}&apikey=${R}`,
      ],
      [
        'https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2026&sp=r&sig=abc%2Fdef%3D',
        `https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2026&sp=r&sig=${R}`,
      ],
      [
        'https://x.test/?signature=s&password=p&client_secret=c&q=keep',
        `https://x.test/?signature=${R}&password=${R}&client_secret=${R}&q=keep`,
      ],
      [
        'https://x.test/?X-Amz-Signature=s&X-Amz-Credential=c&x=1',
        `https://x.test/?X-Amz-Signature=${R}&X-Amz-Credential=${R}&x=1`,
      ],
      [
        'https://x.test/?refresh_token=r&id_token=i&session_token=s',
        `https://x.test/?refresh_token=${R}&id_token=${R}&session_token=${R}`,
      ],
      ['https://x.test/?API%5FKEY=v&Key=w', `https://x.test/?API%5FKEY=${R}&Key=${R}`],
      ['https://x.test/?key', 'https://x.test/?key'],
      ['https://x.test/?keyboard=1&monkey=2&tokens=3', 'https://x.test/?keyboard=1&monkey=2&tokens=3'],
    ];
    for (const [url, redacted] of cases) expect(redactUrl(url, false), url).toBe(redacted);
  });

  it('redacts tokens in an OAuth fragment and the password of user info', () => {
    expect(
      redactUrl('https://app.test/cb#access_token=ya29.a&token_type=Bearer&expires_in=3599', false),
    ).toBe(`https://app.test/cb#access_token=${R}&token_type=Bearer&expires_in=3599`);
    expect(redactUrl('https://app.test/cb?state=s#id_token=eyJ&state=x', false)).toBe(
      `https://app.test/cb?state=s#id_token=${R}&state=x`,
    );
    expect(redactUrl('https://app.test/page#section-2', false)).toBe('https://app.test/page#section-2');
    expect(redactUrl('https://user:hunter2@app.test/x?token=t', false)).toBe(
      `https://user:${R}@app.test/x?token=${R}`,
    );
    expect(redactUrl('about:srcdoc (https://app.test)', false)).toBe('about:srcdoc (https://app.test)');
  });

  it('keeps everything with Include secrets', () => {
    const url = 'https://u:p@x.test/?key=k#access_token=t';
    expect(redactUrl(url, true)).toBe(url);
  });
});

describe('redactBody', () => {
  it('redacts JSON fields named like secrets at any depth, keeping the text around them', () => {
    const body =
      '{"model":"m","api_key":"sk-1","nested":{"apiKey":"k","password":"p","list":[{"token":"t"}]},\n "secret": 42, "keep": "token"}';
    expect(redactBody(body, false)).toBe(
      `{"model":"m","api_key":"${R}","nested":{"apiKey":"${R}","password":"${R}","list":[{"token":"${R}"}]},\n "secret": "${R}", "keep": "token"}`,
    );
    expect(redactBody('{"a":"x\\"api_key\\":\\"no\\"","client_secret":"c"}', false)).toBe(
      `{"a":"x\\"api_key\\":\\"no\\"","client_secret":"${R}"}`,
    );
  });

  it('redacts a value cut short to the end, and a body of escaped quotes in one pass', () => {
    expect(redactBody('{"model":"m","password":"hunter', false)).toBe(`{"model":"m","password":"${R}"`);
    const quotes = `{"a":"${'\\"'.repeat(200_000)}`;
    expect(redactBody(quotes, false)).toBe(quotes);
  });

  it('redacts a deep body without recursion', () => {
    const deep = `${'{"a":'.repeat(20_000)}{"token":"t"}${'}'.repeat(20_000)}`;
    expect(redactBody(deep, false)).toBe(deep.replace('"token":"t"', `"token":"${R}"`));
  });

  it('redacts form fields, and leaves other text and null alone', () => {
    expect(redactBody('grant_type=refresh&refresh_token=r&client_secret=s', false)).toBe(
      `grant_type=refresh&refresh_token=${R}&client_secret=${R}`,
    );
    expect(redactBody('hello world', false)).toBe('hello world');
    expect(redactBody('[Blob, 3 bytes]', false)).toBe('[Blob, 3 bytes]');
    expect(redactBody(null, false)).toBeNull();
    expect(redactBody('{"token":"t"}', true)).toBe('{"token":"t"}');
  });
});

describe('secret names', () => {
  it('covers the headers of common gateways', () => {
    for (const name of ['x-csrftoken', 'X-Authorization', 'ocp-apim-subscription-key', 'x-functions-key']) {
      expect(isSecretHeader(name), name).toBe(true);
    }
    expect(isSecretHeader('content-type')).toBe(false);
  });

  it('params', () => {
    expect(isSecretParam('key')).toBe(true);
    expect(isSecretParam('alt')).toBe(false);
    expect(isSecretParam('progressToken')).toBe(false);
  });
});
