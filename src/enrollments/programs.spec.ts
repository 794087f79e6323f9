import { describe, expect, it } from '@jest/globals';
import type { Actor } from '../auth/actor.js';
import { moversOf } from './movers.js';
import { ProgramsView } from './program.view.js';
import {
  authorityFor,
  benefitPeriodProblem,
  checkFields,
  checkMove,
  PROGRAMS,
  STEP_TABLES,
  transitionsOf,
  type Program,
} from './programs.js';

const stepsOf = (p: Program) => Object.keys(STEP_TABLES[p].steps);

/** Every step reachable from `from` by following the table. */
function reachable(p: Program, from: string): Set<string> {
  const seen = new Set<string>([from]);
  const queue = [from];
  while (queue.length) {
    for (const n of STEP_TABLES[p].steps[queue.shift() as string].next) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

describe('step tables', () => {
  describe.each(PROGRAMS)('%s', (program) => {
    const def = STEP_TABLES[program];

    it('starts at referred and names only its own steps as targets', () => {
      expect(def.initial).toBe('referred');
      for (const [, s] of Object.entries(def.steps)) for (const n of s.next) expect(stepsOf(program)).toContain(n);
    });

    it('has completed and withdrawn as its only final steps, with no way out', () => {
      const finals = Object.entries(def.steps).filter(([, s]) => s.final).map(([n]) => n);
      expect(finals.sort()).toEqual(['completed', 'withdrawn']);
      for (const f of finals) expect(def.steps[f].next).toEqual([]);
    });

    it('allows withdrawn from every active step (with a reason) and nothing else to require a reason', () => {
      for (const [name, s] of Object.entries(def.steps)) {
        if (!s.final) expect({ name, next: s.next }).toEqual({ name, next: expect.arrayContaining(['withdrawn']) });
        expect(s.requires.includes('reason')).toBe(name === 'withdrawn');
      }
    });

    it('reaches every step from referred, and completed from every active step', () => {
      expect([...reachable(program, 'referred')].sort()).toEqual(stepsOf(program).sort());
      for (const [name, s] of Object.entries(def.steps)) if (!s.final) expect(reachable(program, name).has('completed')).toBe(true);
    });

    it('accepts exactly the transitions the table lists, for every (from, to) pair', () => {
      const listed = new Set(transitionsOf(program).map((t) => `${t.from}>${t.to}`));
      for (const from of stepsOf(program)) {
        for (const to of stepsOf(program)) {
          const result = checkMove(program, from, to);
          expect({ move: `${from}>${to}`, ok: result.ok }).toEqual({ move: `${from}>${to}`, ok: listed.has(`${from}>${to}`) });
          if (!result.ok) expect(result.allowed).toEqual(def.steps[from].next);
        }
      }
    });

    it('refuses a step of no programme and every move out of a final step', () => {
      const bogus = checkMove(program, 'referred', 'teleported');
      expect(bogus).toMatchObject({ ok: false, allowed: def.steps.referred.next });
      for (const to of stepsOf(program)) {
        expect(checkMove(program, 'completed', to)).toMatchObject({ ok: false, allowed: [] });
        expect(checkMove(program, 'withdrawn', to)).toMatchObject({ ok: false, allowed: [] });
      }
    });

    it('requires a benefit period exactly for granted and a discharge exactly for discharged', () => {
      for (const [name, s] of Object.entries(def.steps)) {
        expect(s.requires.includes('benefitPeriod')).toBe(name === 'granted');
        expect(s.requires.includes('discharge')).toBe(name === 'discharged');
      }
    });

    it('lets the hospital of the patient and the assigned office move every step but granted', () => {
      for (const [name, s] of Object.entries(def.steps)) {
        if (name === 'granted') continue;
        expect(s.enteredBy).toEqual(expect.arrayContaining(['patient_hospital', 'assigned_office']));
      }
    });
  });

  it('walks community_transition through its whole path', () => {
    const path = ['referred', 'engaged', 'applied', 'granted', 'planned', 'supporting', 'discharged', 'settling', 'completed'];
    for (let i = 1; i < path.length; i++) expect(checkMove('community_transition', path[i - 1], path[i]).ok).toBe(true);
  });

  it('skips only where the table says: supporting → discharged yes, referred → discharged no', () => {
    expect(checkMove('community_transition', 'supporting', 'discharged').ok).toBe(true);
    const r = checkMove('community_transition', 'referred', 'discharged');
    expect(r).toMatchObject({ ok: false, allowed: ['engaged', 'withdrawn'] });
    expect(!r.ok && r.detail).toMatch(/allowed: engaged, withdrawn/);
  });

  it('has granted recorded by the municipality, or by the assigned office on its behalf — never by the hospital', () => {
    for (const program of ['community_transition', 'community_settlement'] as const) {
      const granted = STEP_TABLES[program].steps.granted;
      expect(authorityFor(granted.enteredBy, granted.onBehalfOfMunicipalityBy, ['municipality'])).toEqual({ allowed: true, onBehalfOfMunicipality: false });
      expect(authorityFor(granted.enteredBy, granted.onBehalfOfMunicipalityBy, ['assigned_office'])).toEqual({ allowed: true, onBehalfOfMunicipality: true });
      expect(authorityFor(granted.enteredBy, granted.onBehalfOfMunicipalityBy, ['patient_hospital'])).toEqual({ allowed: false });
      expect(authorityFor(granted.enteredBy, granted.onBehalfOfMunicipalityBy, [])).toEqual({ allowed: false });
    }
  });

  it('keeps municipal officers to granted in the benefit programmes, but lets them move every post-involuntary step', () => {
    const engaged = STEP_TABLES.community_transition.steps.engaged;
    expect(authorityFor(engaged.enteredBy, engaged.onBehalfOfMunicipalityBy, ['municipality'])).toEqual({ allowed: false });
    for (const s of Object.values(STEP_TABLES.post_involuntary_support.steps)) expect(s.enteredBy).toContain('municipality');
  });

  describe('checkFields', () => {
    const granted = STEP_TABLES.community_transition.steps.granted;
    it('names a missing required field', () => {
      expect(checkFields(granted, 'granted', {})).toEqual([{ field: 'benefitPeriod', message: 'benefitPeriod is required to move to granted' }]);
    });
    it('names a field that belongs to another step', () => {
      expect(checkFields(granted, 'granted', { benefitPeriod: {}, reason: 'other' }).map((p) => p.field)).toEqual(['reason']);
    });
    it('treats null as absent', () => {
      expect(checkFields(STEP_TABLES.community_transition.steps.engaged, 'engaged', { discharge: null })).toEqual([]);
    });
  });

  describe('benefit periods (支給決定期間)', () => {
    it('allows 6 months for transition: 1 June to 30 November, not 1 December', () => {
      expect(benefitPeriodProblem('community_transition', '2026-06-01', '2026-11-30')).toBeNull();
      expect(benefitPeriodProblem('community_transition', '2026-06-01', '2026-12-01')).toMatch(/at most 6 months.*2026-11-30/);
    });
    it('clamps at month ends (31 August + 6 months → 28 February)', () => {
      expect(benefitPeriodProblem('community_transition', '2026-08-31', '2027-02-27')).toBeNull();
      expect(benefitPeriodProblem('community_transition', '2026-08-31', '2027-02-28')).not.toBeNull();
    });
    it('allows one year for settlement, across a leap day', () => {
      expect(benefitPeriodProblem('community_settlement', '2027-04-01', '2028-03-31')).toBeNull();
      expect(benefitPeriodProblem('community_settlement', '2027-04-01', '2028-04-01')).toMatch(/12 months/);
    });
    it('refuses an end before the start and a period for a programme without one', () => {
      expect(benefitPeriodProblem('community_transition', '2026-06-02', '2026-06-01')).toMatch(/before it starts/);
      expect(benefitPeriodProblem('post_involuntary_support', '2026-06-01', '2026-06-30')).toMatch(/no benefit period/);
    });
  });

  describe('moversOf', () => {
    const parties = { patientHospitalId: 'h1', supportOfficeId: 'o1', municipalityId: 'm1', responsibleMunicipalityId: 'm2' };
    const actor = (role: Actor['role'], organizationId: string | null): Actor => ({ userId: 'u', role, organizationId });
    it.each([
      ['admin', null, ['admin']],
      ['hospital_staff', 'h1', ['patient_hospital']],
      ['hospital_staff', 'h2', []],
      ['support_office_staff', 'o1', ['assigned_office']],
      ['support_office_staff', 'o2', []],
      ['municipal_officer', 'm1', ['municipality']],
      ['municipal_officer', 'm2', ['municipality']],
      ['municipal_officer', 'm3', []],
      ['nurse_staff', 'o1', []],
      ['prefectural_officer', 'm1', []],
    ] as const)('%s of %s is %j', (role, org, expected) => {
      expect(moversOf(actor(role, org), parties)).toEqual(expected);
    });
  });

  it('GET /programs carries every step with a Japanese label and one transition row per allowed move', () => {
    const view = ProgramsView.build();
    expect(view.programs.map((p) => p.program)).toEqual([...PROGRAMS]);
    for (const p of view.programs) {
      expect(p.transitions).toHaveLength(p.steps.reduce((n, s) => n + s.next.length, 0));
      for (const s of p.steps) expect(s.label).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    }
    expect(view.programs.find((p) => p.program === 'community_transition')?.benefitPeriodMaxMonths).toBe(6);
    expect(view.programs.find((p) => p.program === 'community_settlement')?.benefitPeriodMaxMonths).toBe(12);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});
