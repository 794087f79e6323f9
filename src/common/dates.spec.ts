import { describe, expect, it } from '@jest/globals';
import { addMonths, daysBetween, fiscalYearOf, fiscalYearRange, isCalendarDate, todayInTokyo } from './dates.js';

describe('calendar dates (Asia/Tokyo)', () => {
  it.each(['2026-02-30', '2026-13-01', '2025-02-29', '2026-00-10', '26-01-01', '2026-1-1', ''])('refuses %s', (d) => {
    expect(isCalendarDate(d)).toBe(false);
  });
  it.each(['2024-02-29', '2026-12-31', '2026-01-01'])('accepts %s', (d) => expect(isCalendarDate(d)).toBe(true));

  it('takes today from the Tokyo calendar: 15:00Z is already the next day in Japan', () => {
    expect(todayInTokyo(new Date('2026-03-31T14:59:59Z'))).toBe('2026-03-31');
    expect(todayInTokyo(new Date('2026-03-31T15:00:00Z'))).toBe('2026-04-01');
  });

  it('counts days across leap years', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2023-03-01', '2024-03-01')).toBe(366);
  });

  it('adds months, clamping to the end of shorter months', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-03-15', -3)).toBe('2025-12-15');
  });

  it('splits fiscal years at 1 April (年度)', () => {
    expect(fiscalYearOf('2026-03-31')).toBe(2025);
    expect(fiscalYearOf('2026-04-01')).toBe(2026);
    expect(fiscalYearRange(2026)).toEqual({ from: '2026-04-01', to: '2027-03-31' });
  });
});
