import { describe, expect, it } from '@jest/globals';
import { todayInTokyo } from '../common/dates.js';
import {
  isLongStay,
  lengthOfStayDays,
  overlapsAnother,
  previousDischargeOf,
  readmissionWithin,
} from './stay.js';

describe('length of stay and long-stay (長期入院 ≥ 365 days)', () => {
  it('counts the admission day as day 0', () => {
    expect(lengthOfStayDays('2026-04-01', null, '2026-04-01')).toBe(0);
    expect(lengthOfStayDays('2026-04-01', null, '2026-04-02')).toBe(1);
  });

  it('is not long-stay at 364 days and is at 365 days', () => {
    expect(lengthOfStayDays('2025-04-01', null, '2026-03-31')).toBe(364);
    expect(isLongStay(lengthOfStayDays('2025-04-01', null, '2026-03-31'))).toBe(false);
    expect(lengthOfStayDays('2025-04-01', null, '2026-04-01')).toBe(365);
    expect(isLongStay(lengthOfStayDays('2025-04-01', null, '2026-04-01'))).toBe(true);
  });

  it('counts 29 February in a leap year: 365 days are reached one calendar day early', () => {
    // 2023-03-01 → 2024-02-29 spans 29 Feb 2024: 365 days, although the calendar year ends on 2024-03-01.
    expect(lengthOfStayDays('2023-03-01', null, '2024-02-28')).toBe(364);
    expect(lengthOfStayDays('2023-03-01', null, '2024-02-29')).toBe(365);
    expect(isLongStay(lengthOfStayDays('2023-03-01', null, '2024-02-29'))).toBe(true);
    // Admitted on 29 Feb: 365 days later is 28 Feb of the next year.
    expect(lengthOfStayDays('2024-02-29', null, '2025-02-27')).toBe(364);
    expect(lengthOfStayDays('2024-02-29', null, '2025-02-28')).toBe(365);
    // A year without 29 Feb: exactly one calendar year is 365 days.
    expect(lengthOfStayDays('2025-03-01', null, '2026-03-01')).toBe(365);
  });

  it('switches at midnight in Tokyo, not at midnight UTC', () => {
    // 2026-03-31T14:59:59Z is 23:59:59 on 31 March in Tokyo; one second later it is 1 April there.
    const before = todayInTokyo(new Date('2026-03-31T14:59:59Z'));
    const after = todayInTokyo(new Date('2026-03-31T15:00:00Z'));
    expect([before, after]).toEqual(['2026-03-31', '2026-04-01']);
    expect(isLongStay(lengthOfStayDays('2025-04-01', null, before))).toBe(false);
    expect(isLongStay(lengthOfStayDays('2025-04-01', null, after))).toBe(true);
  });

  it('stops counting at discharge, and is null before the admission', () => {
    expect(lengthOfStayDays('2024-01-01', '2024-12-31', '2026-01-01')).toBe(365);
    expect(isLongStay(lengthOfStayDays('2024-01-01', '2024-12-30', '2026-01-01'))).toBe(false);
    expect(lengthOfStayDays('2024-01-01', '2024-12-31', '2024-06-01')).toBe(152);
    expect(lengthOfStayDays('2024-01-01', null, '2023-12-31')).toBeNull();
    expect(isLongStay(null)).toBe(false);
  });
});

describe('readmission within 3 / 6 / 12 months of a discharge', () => {
  it('includes the day exactly 3 months after the discharge in the 3-month window', () => {
    expect(readmissionWithin('2025-07-15', ['2025-04-15'])).toBe(3);
    expect(readmissionWithin('2025-07-16', ['2025-04-15'])).toBe(6);
  });

  it('gives the narrowest window, then 6 and 12 months, then null', () => {
    expect(readmissionWithin('2025-04-15', ['2025-04-15'])).toBe(3); // readmitted on the day of discharge
    expect(readmissionWithin('2025-10-15', ['2025-04-15'])).toBe(6);
    expect(readmissionWithin('2025-10-16', ['2025-04-15'])).toBe(12);
    expect(readmissionWithin('2026-04-15', ['2025-04-15'])).toBe(12);
    expect(readmissionWithin('2026-04-16', ['2025-04-15'])).toBeNull();
  });

  it('clamps month ends (30 Nov + 3 months = 28 Feb, or 29 Feb in a leap year)', () => {
    expect(readmissionWithin('2026-02-28', ['2025-11-30'])).toBe(3);
    expect(readmissionWithin('2026-03-01', ['2025-11-30'])).toBe(6);
    expect(readmissionWithin('2024-02-29', ['2023-11-30'])).toBe(3);
    expect(readmissionWithin('2024-03-01', ['2023-11-30'])).toBe(6);
  });

  it('uses the latest discharge on or before the admission and ignores later ones', () => {
    expect(readmissionWithin('2025-05-01', ['2020-01-01', '2025-03-01'])).toBe(3);
    expect(readmissionWithin('2025-05-01', ['2026-01-01'])).toBeNull();
    expect(readmissionWithin('2025-05-01', [])).toBeNull();
  });
});

describe('stays of one patient', () => {
  const a = { id: 'a', admittedOn: '2020-01-01', dischargedOn: '2021-01-01' };
  const b = { id: 'b', admittedOn: '2021-03-01', dischargedOn: '2022-01-01' };

  it('finds the discharge that preceded a stay', () => {
    const c = { id: 'c', admittedOn: '2022-02-01', dischargedOn: null };
    expect(previousDischargeOf(c, [a, b, c])).toBe('2022-01-01');
    expect(previousDischargeOf(b, [a, b, c])).toBe('2021-01-01');
    expect(previousDischargeOf(a, [a, b, c])).toBeNull();
  });

  it('finds overlaps, but lets a stay begin on the day the previous one ended', () => {
    expect(overlapsAnother({ id: 'n', admittedOn: '2021-01-01', dischargedOn: null }, [a])).toBeNull();
    expect(overlapsAnother({ id: 'n', admittedOn: '2020-06-01', dischargedOn: null }, [a])).toBe(a);
    expect(overlapsAnother({ id: 'n', admittedOn: '2019-06-01', dischargedOn: null }, [a])).toBe(a);
    expect(
      overlapsAnother({ id: 'n', admittedOn: '2021-01-02', dischargedOn: '2021-02-01' }, [a, b]),
    ).toBeNull();
    expect(overlapsAnother({ ...a }, [a])).toBeNull(); // itself
  });
});
