/**
 * The Chrome Web Store listing's screenshots (docs/store/<locale>/*.png, 1280×800), written by this
 * ordinary e2e run in English and Simplified Chinese so that they never go stale: the events with the
 * JSON tree, the reassembled message, the timing, and the popup over the page it acts on.
 *
 * The scene is a small chat site that streams an LLM answer (OpenAI's chunk shape, with a stall in the
 * middle for the timing chart), beside a live ticker, a job's named events and a failed call.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { pngSize } from '../build/png';
import { sse } from './panel-helpers';
import { DIST, expect, test } from './support/fixtures';
import { connectionRows, eventRows } from './support/panel';
import type { SseServer, Step } from './support/sse-server';

const SIZE = { width: 1280, height: 800 };

interface Locale {
  /** Chromium's --lang, and the folder under docs/store/ (Chrome's locale name). */
  lang: string;
  folder: string;
  title: string;
  question: string;
  /** The answer, cut into the tokens the stream sends. */
  tokens: string[];
}

const LOCALES: Locale[] = [
  {
    lang: 'en-US',
    folder: 'en',
    title: 'Acme Chat',
    question: 'What are server-sent events?',
    tokens: (
      'Server-sent events let a server push a stream of text events to the browser over one long-lived ' +
      'HTTP response. Each event is a few lines such as data: and id:, ended by a blank line. ' +
      'Chat apps use them to show an answer word by word, as the model writes it.'
    ).split(/(?<= )/),
  },
  {
    lang: 'zh-CN',
    folder: 'zh_CN',
    title: 'Acme 聊天',
    question: '什么是服务器发送事件？',
    tokens: (
      '服务器发送事件（SSE）让服务器通过一个长时间保持的 HTTP 响应，向浏览器推送一串文本事件。' +
      '每个事件由 data:、id: 等几行组成，以空行结束。聊天应用用它在模型生成答案的同时逐字显示。'
    ).match(/.{1,3}/gsu) as string[],
  },
];

/** A chat site: asks its question and writes the streamed answer as it arrives. */
function chatPage(locale: Locale): string {
  return `<!doctype html><html lang="${locale.lang}"><meta charset="utf-8"><title>${locale.title}</title>
<style>
  body { margin: 0; font: 15px/1.55 system-ui, sans-serif; background: #f4f6f8; color: #1f2328; }
  header { padding: 14px 28px; background: #fff; border-bottom: 1px solid #d8dee4; font-weight: 600; font-size: 17px; }
  main { max-width: 640px; margin: 28px 0 0 120px; display: grid; gap: 14px; }
  .user, .bot { padding: 12px 16px; border-radius: 12px; white-space: pre-wrap; }
  .user { justify-self: end; background: #0b5d86; color: #fff; }
  .bot { background: #fff; border: 1px solid #d8dee4; min-height: 1.5em; }
</style>
<header>${locale.title}</header>
<main><div class="user">${locale.question}</div><div class="bot" id="answer"></div></main>
<script>
  window.ask = async (body) => {
    const res = await fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-demo-123' },
      body,
    });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += value;
      const blocks = buffer.split('\\n\\n');
      buffer = blocks.pop();
      for (const block of blocks) {
        const data = block.replace(/^data: /, '');
        if (data === '[DONE]') continue;
        const delta = JSON.parse(data).choices[0]?.delta?.content;
        if (delta) document.getElementById('answer').textContent += delta;
      }
    }
  };
  window.readAll = async (url) => {
    const reader = (await fetch(url)).body.getReader();
    while (!(await reader.read()).done);
  };
  window.readForever = (url) => void window.readAll(url).catch(() => {});
  window.listen = (url) => new EventSource(url).addEventListener('notice', () => {});
  window.readXhr = (url) =>
    new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open('GET', url);
      xhr.onloadend = resolve;
      xhr.send();
    });
</script></html>`;
}

/** The chat stream: the tokens ~25 ms apart, a 1.2 s stall a third of the way, finish, usage, [DONE]. */
function chatSteps(locale: Locale): Step[] {
  const chunk = (choices: unknown[], extra: object = {}) =>
    sse({
      data: JSON.stringify({
        id: 'chatcmpl-9j8ie47j7l',
        object: 'chat.completion.chunk',
        created: 1_795_556_013,
        model: 'gpt-4o-mini',
        choices,
        ...extra,
      }),
    });
  const stallAt = Math.floor(locale.tokens.length / 3);
  return [
    ...locale.tokens.flatMap((content, i): Step[] => [
      {
        write: chunk([
          { index: 0, delta: i === 0 ? { role: 'assistant', content } : { content }, finish_reason: null },
        ]),
      },
      { pause: i === stallAt ? 1200 : 25 },
    ]),
    { write: chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]) },
    {
      write: chunk([], {
        usage: {
          prompt_tokens: 14,
          completion_tokens: locale.tokens.length,
          total_tokens: 14 + locale.tokens.length,
        },
      }),
    },
    { write: sse({ data: '[DONE]' }) },
  ];
}

async function stage(page: Page, server: SseServer, locale: Locale): Promise<void> {
  server.page('/chat', chatPage(locale));
  server.stream('/v1/chat/completions', { steps: chatSteps(locale) });
  server.stream('/api/ticker', {
    steps: [
      { write: ': connected\n\nretry: 3000\n\n' },
      {
        repeat: {
          write: sse({ event: 'price', data: '{"symbol":"ACME","price":101.25,"change":"+0.4%"}' }),
          intervalMs: 150,
        },
      },
    ],
  });
  server.stream('/jobs/42/events', {
    steps: [
      { write: sse({ id: '1', event: 'progress', data: '{"step":"build","pct":40}' }) },
      { pause: 40 },
      { write: sse({ id: '2', event: 'progress', data: '{"step":"test","pct":80}' }) },
      { pause: 40 },
      { write: sse({ id: '3', event: 'done', data: '{"ok":true}' }) },
    ],
  });
  server.stream('/notifications', {
    steps: [
      { write: sse({ id: 'n1', event: 'notice', data: '{"text":"Build 42 passed"}' }) },
      { write: sse({ id: 'n2', event: 'notice', data: '{"text":"2 new comments"}' }) },
      { waitFor: 'never' },
    ],
  });
  server.stream('/v1/logs', {
    steps: [
      { write: sse({ data: '{"level":"info","msg":"worker started"}' }) },
      { pause: 30 },
      { write: sse({ data: '{"level":"warn","msg":"slow upstream: 812 ms"}' }) },
    ],
  });
  server.stream('/v1/overloaded', {
    status: 503,
    steps: [{ write: sse({ event: 'error', data: 'overloaded' }) }],
  });
  await page.goto(server.url('/chat'));
}

/** What the page runs: the chat question (to its end), then the others. */
async function run(page: Page, locale: Locale): Promise<void> {
  const body = JSON.stringify({
    model: 'gpt-4o-mini',
    stream: true,
    messages: [{ role: 'user', content: locale.question }],
  });
  type Scene = {
    ask(b: string): Promise<void>;
    readAll(u: string): Promise<void>;
    readForever(u: string): void;
    listen(u: string): void;
    readXhr(u: string): Promise<void>;
  };
  await page.evaluate(async (b) => {
    const w = window as unknown as Scene;
    await w.ask(b);
    await w.readAll('/jobs/42/events');
    await w.readXhr('/v1/logs');
    await w.readAll('/v1/overloaded');
    w.readForever('/api/ticker');
    w.listen('/notifications');
  }, body);
}

/** The store wants the popup in context: the page under a browser toolbar, the popup open from our icon. */
async function popupScene(page: Page, popupPng: Buffer, pagePng: Buffer, url: string, badge: string) {
  const icon = await readFile(`${DIST}/icons/icon-32.png`);
  const uri = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
  await page.setContent(`<!doctype html><meta charset="utf-8">
<style>
  body { margin: 0; width: 1280px; height: 800px; overflow: hidden; background: #dee1e6; font: 13px system-ui, sans-serif; }
  .bar { height: 44px; display: flex; align-items: center; gap: 12px; padding: 0 12px; background: #fff; border-bottom: 1px solid #c7c7c7; }
  .url { flex: 1; height: 30px; border-radius: 15px; background: #f1f3f4; display: flex; align-items: center; padding: 0 16px; color: #3c4043; }
  .action { position: relative; width: 32px; height: 32px; display: grid; place-items: center; border-radius: 50%; background: #e8eaed; }
  .action img { width: 16px; height: 16px; }
  .badge { position: absolute; right: -2px; bottom: 0; min-width: 12px; padding: 0 2px; border-radius: 3px; background: #1a73e8; color: #fff; font-size: 9px; line-height: 12px; text-align: center; }
  .page { display: block; width: 1280px; }
  .popup { position: absolute; top: 42px; right: 8px; border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.28); }
</style>
<div class="bar"><div class="url">${url}</div><div class="action"><img src="${uri(icon)}" alt=""><span class="badge">${badge}</span></div></div>
<img class="page" src="${uri(pagePng)}" alt="">
<img class="popup" src="${uri(popupPng)}" alt="">`);
  await page.locator('img.popup').evaluate((img: HTMLImageElement) => img.decode());
}

for (const locale of LOCALES) {
  test.describe(`store screenshots, ${locale.folder}`, () => {
    test.use({ chromiumArgs: [`--lang=${locale.lang}`] });

    test('events with the JSON tree, the message, the timing, the popup', async ({
      page,
      context,
      server,
      tabIdOf,
      openPanel,
      openPopup,
    }) => {
      test.setTimeout(60_000);
      if (locale.folder === 'zh_CN') {
        const fonts = execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim();
        // Without one, Chinese text is drawn as empty boxes: screenshots nobody should publish.
        expect(fonts, 'a font with Chinese glyphs (apt-get install fonts-wqy-microhei)').not.toBe('');
      }
      const dir = `docs/store/${locale.folder}`;
      await mkdir(dir, { recursive: true });
      const messages = JSON.parse(
        await readFile(`${DIST}/_locales/${locale.folder}/messages.json`, 'utf8'),
      ) as Record<string, { message: string }>;
      const say = (key: string) => messages[key]?.message ?? key;

      await page.setViewportSize({ width: SIZE.width, height: SIZE.height - 44 });
      await stage(page, server, locale);
      const tabId = await tabIdOf(page);
      const panel = await openPanel(tabId);
      await panel.setViewportSize(SIZE);
      await panel.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
      await run(page, locale);
      await expect(connectionRows(panel)).toHaveCount(6);
      await expect(page.locator('#answer')).toHaveText(locale.tokens.join(''));

      // 1. The chat stream's events, one token chunk opened as a JSON tree.
      await connectionRows(panel).first().click();
      const token = locale.tokens[Math.floor(locale.tokens.length / 2)] as string;
      await eventRows(panel)
        .filter({ hasText: JSON.stringify(token).slice(1, -1) })
        .first()
        .click();
      await expect(panel.locator('.event-detail [role="tree"]')).toContainText('delta');
      await panel.screenshot({ path: `${dir}/1-events.png` });

      // 2. The answer reassembled from the events, with its finish reason and usage.
      await panel.getByRole('tab', { name: say('llmTab') }).click();
      await expect(
        panel.getByText(locale.tokens.slice(0, 3).join(''), { exact: false }).first(),
      ).toBeVisible();
      await expect(panel.locator('.llm-status-done')).toHaveText(say('llmComplete'));
      await panel.screenshot({ path: `${dir}/2-message.png` });

      // 3. The timing: first token, gaps, the stall, the arrivals chart.
      await panel.getByRole('tab', { name: say('timingTab') }).click();
      await expect(panel.locator('svg').first()).toBeVisible();
      await panel.screenshot({ path: `${dir}/3-timing.png` });

      // 4. The popup, open from the toolbar over the page it acts on.
      const popup = await openPopup(tabId);
      await popup.setViewportSize({ width: 340, height: 600 });
      await expect(popup.getByRole('switch')).toBeChecked();
      await expect(popup.getByTestId('stream-counts')).toContainText('6');
      const popupBox = await popup.locator('body').boundingBox();
      const popupPng = await popup.screenshot({
        clip: { x: 0, y: 0, width: 340, height: Math.ceil(popupBox?.height ?? 400) },
      });
      const pagePng = await page.screenshot();
      const scene = await context.newPage();
      await scene.setViewportSize(SIZE);
      await popupScene(scene, popupPng, pagePng, server.url('/chat'), '2');
      await scene.screenshot({ path: `${dir}/4-popup.png` });

      // The store takes 1280×800 (or 640×400) screenshots only.
      for (const name of ['1-events', '2-message', '3-timing', '4-popup']) {
        expect(pngSize(await readFile(`${dir}/${name}.png`)), name).toEqual({ width: 1280, height: 800 });
      }
    });
  });
}
