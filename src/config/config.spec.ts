import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './config.js';

const base = { JWT_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp/kizuna-config-spec' };

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const c = loadConfig({ ...base });
    expect(c).toMatchObject({ port: 3000, dbPoolSize: 10, logLevel: 'info', demo: false, databaseUrl: undefined });
  });

  it.each(['abc', '0', '70000', '3000.5', '-1'])('refuses PORT=%s with a clear message', (port) => {
    expect(() => loadConfig({ ...base, PORT: port })).toThrow(new ConfigError(`PORT must be an integer between 1 and 65535, got "${port}"`));
  });

  it.each([
    ['not a url', 'DATABASE_URL is not a valid URL'],
    ['mysql://u@h/db', 'DATABASE_URL must start with postgres://'],
  ])('refuses DATABASE_URL=%s', (url, message) => {
    expect(() => loadConfig({ ...base, DATABASE_URL: url })).toThrow(message);
  });

  it('accepts postgres:// and postgresql:// URLs', () => {
    expect(loadConfig({ ...base, DATABASE_URL: 'postgresql://u:p@db:5432/k' }).databaseUrl).toBe('postgresql://u:p@db:5432/k');
  });

  it('requires JWT_SECRET in production, and a long one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: base.DATA_DIR })).toThrow('JWT_SECRET is required');
    expect(() => loadConfig({ ...base, JWT_SECRET: 'short' })).toThrow('at least 32 characters');
  });

  it('requires ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(() => loadConfig({ ...base, ADMIN_EMAIL: 'a@b.example' })).toThrow('must be set together');
  });
});
