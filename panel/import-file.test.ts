import { beforeEach, describe, expect, it } from 'vitest';
import { IMPORT_LIMITS } from '../src/export/read-export';
import { buildExportFile } from '../src/export/write-export';
import { testInfo, testRecords } from '../src/test-records';
import { importFile } from './import-file';
import { usePanelStore } from './store';

const initial = usePanelStore.getState();
const store = () => usePanelStore.getState();

const exported = buildExportFile(
  [{ info: testInfo('a'), records: testRecords([['event', 'message', 'hello']]), bytes: 5, end: null }],
  { tool: { name: 'SSE DevTools', version: '0.1.0' } },
);

beforeEach(() => {
  usePanelStore.setState(initial, true);
  store().apply([{ type: 'connection-start', connection: testInfo('live') }]);
});

describe('importFile', () => {
  it('adds the connections of a valid file and says so', async () => {
    await importFile(new File([JSON.stringify(exported)], 'capture.json'));
    expect(store().capture.order).toHaveLength(2);
    expect(store().notice).toEqual({ kind: 'info', text: 'Imported capture.json: 1 connection, read-only.' });
  });

  it('refuses a foreign or malformed file with a message naming it, and changes nothing else', async () => {
    const before = store().capture;
    await importFile(new File(['{"log":{}}'], 'network.har'));
    expect(store().notice).toEqual({
      kind: 'error',
      text: 'network.har was not imported: it is not an SSE DevTools export, a HAR or a timed stream.',
    });
    await importFile(new File(['{"log":{"entries":[]}}'], 'empty.har'));
    expect(store().notice?.text).toBe(
      'empty.har was not imported: none of its 0 HAR entries is an event stream or NDJSON response.',
    );
    await importFile(new File(['{"version":1,'], 'cut.json'));
    expect(store().notice?.text).toMatch(/^cut\.json was not imported: it is not JSON \(.+\)\.$/);
    expect(store().capture).toBe(before);
    expect(store().imported.size).toBe(0);
  });

  it('refuses a file over the size limit without reading it', async () => {
    let read = false;
    const huge = {
      name: 'huge.json',
      size: IMPORT_LIMITS.maxBytes + 1,
      text: async () => {
        read = true;
        return '';
      },
    } as unknown as File;
    await importFile(huge);
    expect(read).toBe(false);
    expect(store().notice?.text).toBe(
      'huge.json was not imported: it is 100.0 MB, more than the 100.0 MB an import may have.',
    );
  });
});
