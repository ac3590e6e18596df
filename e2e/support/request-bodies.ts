/**
 * One request of each body kind (fetch and XHR), and the request body the export must show for
 * each: shared by the Chromium and Firefox capture specs, which must agree.
 */

/** The streams' paths are `<base>/<kind>`. */
export const REQUEST_BODY_KINDS = [
  'text',
  'params',
  'buffer',
  'view',
  'dataview',
  'blob',
  'form',
  'xhr-blob',
  'xhr-view',
] as const;

/** What the export holds of each kind: text as sent, bytes decoded, a Blob or a form described. */
export const EXPECTED_REQUEST_BODIES: Record<(typeof REQUEST_BODY_KINDS)[number], string> = {
  text: '{"q":"hi"}',
  params: 'q=a+b&n=1',
  buffer: '[{"é":1}]',
  view: '{"é":1}',
  dataview: '{"é',
  blob: '[Blob, 5 bytes, text/plain]',
  form: '[FormData]',
  'xhr-blob': '[Blob, 3 bytes]',
  'xhr-view': '{"é":1}',
};

/** Runs in the page (self-contained, for `evaluate`): POSTs each kind to `<base>/<kind>`, one after the other. */
export async function postEveryRequestBody(base: string): Promise<void> {
  const bytes = new TextEncoder().encode('[{"é":1}]');
  const bodies: Record<string, BodyInit> = {
    text: '{"q":"hi"}',
    params: new URLSearchParams({ q: 'a b', n: '1' }),
    buffer: bytes.buffer,
    view: bytes.subarray(1, bytes.length - 1),
    dataview: new DataView(bytes.buffer, 1, 4),
    blob: new Blob(['12345'], { type: 'text/plain' }),
    form: new FormData(),
  };
  for (const [kind, body] of Object.entries(bodies)) {
    await (await fetch(`${base}/${kind}`, { method: 'POST', body })).text();
  }
  for (const [kind, body] of [
    ['xhr-blob', new Blob(['123'])],
    ['xhr-view', bytes.subarray(1, bytes.length - 1)],
  ] as const) {
    await new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${base}/${kind}`);
      xhr.onloadend = resolve;
      xhr.send(body);
    });
  }
}
