/**
 * A Chromium with the extension driven over a raw CDP pipe (`--remote-debugging-pipe`), for what
 * Playwright's own attachment to every page prevents: Chromium refuses speculation-rules prerendering
 * while such a DevTools client is attached ("PrerenderingDisabledByDevTools"). Only the targets a
 * test attaches to (the service worker, a panel page) have a session; the pages under test have none.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { DIST } from './fixtures';

interface Reply {
  id?: number;
  result?: unknown;
  error?: { message: string };
}

export class PipeBrowser {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();

  private constructor(
    private readonly process: ChildProcess,
    private readonly userDataDir: string,
    private readonly out: Writable,
    input: Readable,
  ) {
    let buffer = '';
    input.on('data', (data: Buffer) => {
      buffer += data.toString('utf8');
      for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
        const reply = JSON.parse(buffer.slice(0, end)) as Reply;
        buffer = buffer.slice(end + 1);
        if (reply.id !== undefined) this.pending.get(reply.id)?.(reply);
      }
    });
  }

  static async launch(): Promise<PipeBrowser> {
    const userDataDir = await mkdtemp(join(tmpdir(), 'sse-devtools-pipe-'));
    const child = spawn(
      process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      [
        '--headless=new',
        '--no-sandbox',
        '--remote-debugging-pipe',
        `--user-data-dir=${userDataDir}`,
        `--disable-extensions-except=${DIST}`,
        `--load-extension=${DIST}`,
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    return new PipeBrowser(child, userDataDir, child.stdio[3] as Writable, child.stdio[4] as Readable);
  }

  send<T>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer within 10 s`));
      }, 10_000);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        this.pending.delete(id);
        if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
        else resolve(reply.result as T);
      });
      this.out.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
  }

  async targets(): Promise<{ targetId: string; type: string; url: string }[]> {
    return (
      await this.send<{ targetInfos: { targetId: string; type: string; url: string }[] }>('Target.getTargets')
    ).targetInfos;
  }

  /** Attaches to a target and returns an `evaluate` in its main world. */
  async attach(targetId: string): Promise<<T>(expression: string) => Promise<T>> {
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', {
      targetId,
      flatten: true,
    });
    return async <T>(expression: string) => {
      const { result, exceptionDetails } = await this.send<{
        result: { value?: unknown };
        exceptionDetails?: { text: string; exception?: { description?: string } };
      }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId);
      if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
      return result.value as T;
    };
  }

  /**
   * Opens `url` (no session on it) and returns its target id; in a window of its own with
   * `newWindow`, which leaves the other windows' pages visible (a hidden page stops prerendering).
   */
  async open(url: string, newWindow = false): Promise<string> {
    return (await this.send<{ targetId: string }>('Target.createTarget', { url, newWindow })).targetId;
  }

  async close(): Promise<void> {
    await this.send('Browser.close').catch(() => undefined);
    if (this.process.exitCode === null) {
      await new Promise((resolve) => {
        this.process.once('exit', resolve);
        setTimeout(() => this.process.kill(), 5000);
      });
    }
    await rm(this.userDataDir, { recursive: true, force: true, maxRetries: 3 });
  }
}
