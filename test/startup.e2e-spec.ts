import { spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';

/** A bad configuration stops the process with exactly one clear line, never a stack trace. */
describe('start-up configuration check', () => {
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['dist/src/main.js'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: '/tmp/kizuna-startup-spec', ...env },
      encoding: 'utf8',
      timeout: 20000,
    });

  it.each([
    [{ PORT: 'abc' }, /^kizuna: configuration error: PORT must be an integer/],
    [{ DATABASE_URL: 'http//nonsense' }, /^kizuna: configuration error: DATABASE_URL is not a valid URL/],
  ])('exits 1 with one line for %j', (env, line) => {
    const r = run(env);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
