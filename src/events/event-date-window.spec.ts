import { describe, expect, it } from '@jest/globals';
import { eventDateWindow } from './event-date-window.js';
import { kindViolation } from './event-kinds.js';

describe('event list date window', () => {
  it('turns fiscal year 2026 into 1 April 2026 … 31 March 2027', () => {
    expect(eventDateWindow({ fiscalYear: 2026 })).toEqual({ from: '2026-04-01', to: '2027-03-31', empty: false });
  });

  it('puts 31 March in the previous fiscal year and 1 April in the next', () => {
    const fy2025 = eventDateWindow({ fiscalYear: 2025 });
    const fy2026 = eventDateWindow({ fiscalYear: 2026 });
    const inside = (w: { from: string | null; to: string | null }, d: string) => d >= w.from! && d <= w.to!;
    expect(inside(fy2025, '2026-03-31')).toBe(true);
    expect(inside(fy2026, '2026-03-31')).toBe(false);
    expect(inside(fy2026, '2026-04-01')).toBe(true);
    expect(inside(fy2025, '2026-04-01')).toBe(false);
  });

  it('intersects from/to with the fiscal year', () => {
    expect(eventDateWindow({ fiscalYear: 2026, from: '2026-10-01' })).toEqual({ from: '2026-10-01', to: '2027-03-31', empty: false });
    expect(eventDateWindow({ fiscalYear: 2026, from: '2025-01-01', to: '2026-06-30' })).toEqual({ from: '2026-04-01', to: '2026-06-30', empty: false });
  });

  it('is empty when the filters cannot overlap', () => {
    expect(eventDateWindow({ fiscalYear: 2026, to: '2026-03-31' }).empty).toBe(true);
    expect(eventDateWindow({ from: '2026-05-02', to: '2026-05-01' }).empty).toBe(true);
  });

  it('is open-ended without filters', () => {
    expect(eventDateWindow({})).toEqual({ from: null, to: null, empty: false });
    expect(eventDateWindow({ from: '2026-05-01' })).toEqual({ from: '2026-05-01', to: null, empty: false });
  });

  it('handles a leap year’s end of February inside the fiscal year', () => {
    expect(eventDateWindow({ fiscalYear: 2027 })).toEqual({ from: '2027-04-01', to: '2028-03-31', empty: false });
  });
});

describe('event kind rules', () => {
  it('requires a hospital for transition_program sessions only', () => {
    expect(kindViolation('transition_program', null)).toMatch(/hospitalId is required/);
    expect(kindViolation('transition_program', 'some-id')).toBeNull();
    expect(kindViolation('supporter_training', null)).toBeNull();
    expect(kindViolation('liaison_conference', null)).toBeNull();
  });
});
