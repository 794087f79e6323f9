import { describe, expect, it } from '@jest/globals';
import { auditRange, isBackwards, isInstant } from './audit-range.js';

describe('audit trail time range', () => {
  it('reads a date as the whole Tokyo day', () => {
    expect(auditRange('2026-04-01', '2026-04-30')).toEqual({
      fromAt: '2026-04-01T00:00:00+09:00',
      toBefore: '2026-05-01T00:00:00+09:00',
    });
  });

  it('keeps instants as given, `to` inclusive', () => {
    expect(auditRange('2026-04-01T09:00:00Z', '2026-04-01T10:00:00.5+09:00')).toEqual({
      fromAt: '2026-04-01T09:00:00Z',
      toAt: '2026-04-01T10:00:00.5+09:00',
    });
  });

  it('crosses the year end for a date range ending on 31 December', () => {
    expect(auditRange(undefined, '2026-12-31')).toEqual({ toBefore: '2027-01-01T00:00:00+09:00' });
  });

  it.each(['2026-04-01T09:00:00', '2026-02-30T00:00:00Z', '2026-04-01 09:00:00Z', '2026-04-01T24:00:00Z', 'yesterday', '2026-04-01'])(
    'does not take %j as an instant',
    (s) => {
      expect(isInstant(s)).toBe(false);
    },
  );

  it('detects a backwards range', () => {
    expect(isBackwards('2026-04-02', '2026-04-01')).toBe(true);
    expect(isBackwards('2026-04-01', '2026-04-01')).toBe(false);
    expect(isBackwards('2026-04-01T10:00:00Z', '2026-04-01T09:00:00Z')).toBe(true);
  });
});
