import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_PRIVATE_NAMES, agentPrivateNamesPattern } from './agent-private-names';

/** TypeScript's declarations of the browser's objects (typescript, or its native package). */
function domDeclarations(): string {
  const dirs = [join('node_modules', 'typescript', 'lib')];
  for (const name of readdirSync(join('node_modules', '@typescript'))) {
    dirs.push(join('node_modules', '@typescript', name, 'lib'));
  }
  const texts: string[] = [];
  for (const dir of dirs) {
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      continue;
    }
    for (const file of files)
      if (/^lib\.(dom|es\d+|esnext).*\.d\.ts$/.test(file)) texts.push(readFileSync(join(dir, file), 'utf8'));
  }
  return texts.join('\n');
}

const sourcesOf = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n');

describe('page agent private property names', () => {
  const dom = domDeclarations();
  const others = {
    'the browser': dom,
    'src/protocol.ts': readFileSync('src/protocol.ts', 'utf8'),
    'src/model.ts': readFileSync('src/model.ts', 'utf8'),
    'the replay agent': `${readFileSync('content-scripts/replay-agent.ts', 'utf8')}\n${sourcesOf('content-scripts/replay-agent')}`,
  };

  it('finds the declarations of the browser', () => {
    expect(dom).toContain('interface XMLHttpRequest ');
  });

  it.each(AGENT_PRIVATE_NAMES)('%s names nothing outside the agent', (name) => {
    const word = new RegExp(`\\b${name}\\b`);
    for (const [where, text] of Object.entries(others)) expect(word.test(text), where).toBe(false);
  });

  it('matches exactly the listed names', () => {
    const pattern = agentPrivateNamesPattern();
    expect(AGENT_PRIVATE_NAMES.every((name) => pattern.test(name))).toBe(true);
    expect(pattern.test('status')).toBe(false);
    expect(pattern.test('xpushBytes')).toBe(false);
  });
});
