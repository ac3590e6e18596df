/**
 * `npm run replay -- FILE [--port N] [--speed X] [--loop] [--host H]`: serves the connections of FILE
 * (our JSON export, a HAR, or a timed stream) over HTTP until Ctrl+C. A file that cannot be read is
 * refused with the reason, as the panel's Import refuses it.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { importProblemText } from '../panel/import-problem';
import { IMPORT_LIMITS, readExportText } from '../src/export/read-export';
import { startReplayServer } from './server';

const USAGE = `Usage: npm run replay -- FILE [--port N] [--speed X] [--loop] [--host H]

  FILE       an SSE DevTools export (.json), a HAR (.har) or a timed stream (.jsonl)
  --port N   port to listen on (default 0: a free one)
  --speed X  play the recorded timing X times as fast (default 1; 0.5 is half speed)
  --loop     replay each stream again from its start when it ends
  --host H   address to listen on (default 127.0.0.1)`;

/** What the command printed and how it ended, for the caller to exit with. */
export interface CliOutput {
  out(line: string): void;
  error(line: string): void;
}

/** Runs the command; resolves with the server's closer, or with an exit code when it refused. */
export async function main(argv: readonly string[], io: CliOutput): Promise<number | (() => Promise<void>)> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { file, port, speed, loop, host } = parsed;
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    io.error(`${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const text = size > IMPORT_LIMITS.maxBytes ? '' : await readFile(file, 'utf8');
  const result = readExportText(text, size);
  if (!result.ok) {
    io.error(importProblemText(basename(file), result.problem));
    return 1;
  }
  const server = await startReplayServer(result.connections, { port, speed, loop, host });
  io.out(
    `Replaying ${result.connections.length} connection${result.connections.length === 1 ? '' : 's'} of ${basename(file)} at ${speed}× speed${loop ? ', looping' : ''}:`,
  );
  for (const route of server.routes) io.out(`  ${route.method.padEnd(6)} ${route.url}`);
  io.out('Press Ctrl+C to stop.');
  return server.close;
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '0' },
      speed: { type: 'string', default: '1' },
      loop: { type: 'boolean', default: false },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const [file, ...extra] = positionals;
  if (!file) throw new Error('No FILE given.');
  if (extra.length) throw new Error(`One FILE only (also got ${extra.join(' ')}).`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port ${values.port}: not a port.`);
  const speed = Number(values.speed);
  if (!Number.isFinite(speed) || speed <= 0)
    throw new Error(`--speed ${values.speed}: not a positive number.`);
  return { file, port, speed, loop: values.loop, host: values.host };
}
