/**
 * Real SSE client libraries, bundled into one IIFE by e2e/libraries.spec.ts (Vite `build()`, lib
 * mode) and loaded by its test page as `/lib/clients.js`. Each function runs one library against a
 * URL the way an app would and resolves with what the library handed to the app.
 */
import { fetchEventSource } from '@microsoft/fetch-event-source';
import OpenAI from 'openai';
import { SSE } from 'sse.js';

/** sse.js's `readyState` once the request ended (a static of `SSE`, not of its instances). */
const CLOSED = 2;

/** One event as the library reported it. */
export interface LibraryEvent {
  type: string;
  data: string;
}

/** `@microsoft/fetch-event-source`: a POST with headers and a JSON body, read with fetch. */
export async function runFetchEventSource(url: string): Promise<LibraryEvent[]> {
  const events: LibraryEvent[] = [];
  await fetchEventSource(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer fes-token', 'X-Client': 'fes' },
    body: JSON.stringify({ prompt: 'Hello', temperature: 0.5 }),
    openWhenHidden: true,
    onmessage(event) {
      events.push({ type: event.event || 'message', data: event.data });
    },
    onerror(error) {
      throw error; // no retries: one request per test
    },
  });
  return events;
}

/** `sse.js`: a POST with headers and a payload, read with XMLHttpRequest. */
export function runSseJs(url: string, types: string[]): Promise<LibraryEvent[]> {
  return new Promise((resolve) => {
    const events: LibraryEvent[] = [];
    const source = new SSE(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Client': 'sse.js' },
      payload: JSON.stringify({ prompt: 'Hello', stream: true }),
      start: false,
    });
    const record = (event: Event) => {
      const { type, data } = event as unknown as LibraryEvent;
      events.push({ type, data });
    };
    for (const type of ['message', ...types]) source.addEventListener(type, record);
    source.addEventListener('readystatechange', (event: Event) => {
      if ((event as unknown as { readyState: number }).readyState === CLOSED) resolve(events);
    });
    source.stream();
  });
}

/** The OpenAI SDK in the browser: a streamed chat completion; resolves with the deltas' text. */
export async function runOpenAi(baseURL: string): Promise<string> {
  const client = new OpenAI({
    apiKey: 'sk-test-openai',
    baseURL,
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
  });
  const stream = await client.chat.completions.create({
    model: 'gpt-test',
    messages: [{ role: 'user', content: 'Say hello' }],
    stream: true,
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  return text;
}
