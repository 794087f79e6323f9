/**
 * THE step tables (DOMAIN.md §5): the three programmes, their steps, the allowed transitions, the fields each
 * transition requires and who may record it. Everything about steps is decided here, as data: the service
 * validates against it, `GET /programs` returns it, the unit spec and the API specs walk it. No other file
 * names a step.
 */
import { addDays, addMonths } from '../common/dates.js';

export const PROGRAMS = ['community_transition', 'community_settlement', 'post_involuntary_support'] as const;
export type Program = (typeof PROGRAMS)[number];

/** Reasons an enrollment is withdrawn (中止・終了理由). */
export const WITHDRAWAL_REASONS = ['declined', 'condition_worsened', 'transferred', 'died', 'other'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];
export const WITHDRAWAL_REASON_LABELS: Record<WithdrawalReason, string> = {
  declined: '本人の辞退',
  condition_worsened: '病状の悪化',
  transferred: '転院・転居',
  died: '死亡',
  other: 'その他',
};

/** Discharge destinations (退院先), as the `discharge_destination` enum of the admissions table. */
export const DISCHARGE_DESTINATIONS = ['home_alone', 'home_family', 'group_home', 'welfare_facility', 'transfer_hospital', 'death', 'other'] as const;
export type DischargeDestination = (typeof DISCHARGE_DESTINATIONS)[number];
export const DISCHARGE_DESTINATION_LABELS: Record<DischargeDestination, string> = {
  home_alone: '自宅（単身）',
  home_family: '自宅（家族と同居）',
  group_home: 'グループホーム',
  welfare_facility: '福祉施設',
  transfer_hospital: '転院',
  death: '死亡',
  other: 'その他',
};

/**
 * Who may record a transition, relative to the enrollment:
 * - `patient_hospital`: hospital staff (PSW) of the patient's current hospital
 * - `assigned_office`: staff of the support office the enrollment is assigned to
 * - `municipality`: municipal officers of the team's municipality or of the patient's 援護市町村
 * - `admin`: system administrators (corrections; every transition is audited)
 */
export const MOVERS = ['patient_hospital', 'assigned_office', 'municipality', 'admin'] as const;
export type Mover = (typeof MOVERS)[number];

export const MOVER_LABELS: Record<Mover, { label: string; description: string }> = {
  patient_hospital: { label: '入院先病院の職員（PSW）', description: "Hospital staff of the patient's current hospital" },
  assigned_office: { label: '担当の相談支援事業所', description: 'Staff of the support office the enrollment is assigned to' },
  municipality: { label: '市町村（障害福祉課・保健福祉センター）', description: "Municipal officers of the team's municipality or of the patient's 援護市町村" },
  admin: { label: 'システム管理者', description: 'System administrators (corrections)' },
};

/** Fields a transition may carry beyond `to`, `occurredOn` and `note`. */
export const TRANSITION_FIELDS = ['benefitPeriod', 'discharge', 'reason'] as const;
export type TransitionField = (typeof TRANSITION_FIELDS)[number];

export interface FieldSpec {
  name: string;
  type: 'date' | 'enum';
  label: string;
  values?: readonly string[];
}

/** What each transition field holds, so a client can draw the form. */
export const TRANSITION_FIELD_SPECS: Record<TransitionField, { label: string; description: string; fields: FieldSpec[] }> = {
  benefitPeriod: {
    label: '支給決定期間',
    description: 'The municipality’s grant: start and end (at most the programme’s benefitPeriodMaxMonths).',
    fields: [
      { name: 'startsOn', type: 'date', label: '開始日' },
      { name: 'endsOn', type: 'date', label: '終了日' },
    ],
  },
  discharge: {
    label: '退院',
    description: 'Closes the patient’s open admission with this date and destination, in the same transaction.',
    fields: [
      { name: 'dischargedOn', type: 'date', label: '退院日（occurredOn と同じ日）' },
      { name: 'destination', type: 'enum', label: '退院先', values: DISCHARGE_DESTINATIONS },
    ],
  },
  reason: {
    label: '終了理由',
    description: 'Why the enrollment ends before completion.',
    fields: [{ name: 'reason', type: 'enum', label: '理由', values: WITHDRAWAL_REASONS }],
  },
};

export interface StepDef {
  label: string;
  description: string;
  /** Steps this one may move to. A final step has none. */
  next: readonly string[];
  /** Fields a transition INTO this step must carry (and no transition into another step may carry). */
  requires: readonly TransitionField[];
  /** Who may record a transition into this step. */
  enteredBy: readonly Mover[];
  /**
   * Who may record it on behalf of the municipality (audited: the history row stores the team's municipality as
   * `onBehalfOfId`). A support office often carries the 支給決定通知 back from the city the same day.
   */
  onBehalfOfMunicipalityBy?: readonly Mover[];
  /** The enrollment ends here: no further transition, `isActive` false. A new attempt is a new enrollment. */
  final?: boolean;
  /** The benefit is being used in this step: a benefit period may be renewed (支給決定の更新). */
  benefitRunning?: boolean;
}

export interface ProgramDef {
  label: string;
  description: string;
  /** Longest benefit period (支給決定期間) in months; null when the programme has no benefit period. */
  benefitPeriodMaxMonths: number | null;
  /** Who may grant and renew benefit periods (the same people who record `granted`). */
  benefitGrantedBy: readonly Mover[];
  benefitOnBehalfOfMunicipalityBy: readonly Mover[];
  /** The team's hospital must be the patient's hospital (the team works inside that hospital). */
  teamHospitalMustBePatients: boolean;
  initial: string;
  steps: Readonly<Record<string, StepDef>>;
}

// Hospital PSWs and the assigned office carry the case; the city decides the benefit (支給決定).
const CASE_TEAM: readonly Mover[] = ['patient_hospital', 'assigned_office', 'admin'];
const GRANTERS: readonly Mover[] = ['municipality', 'admin'];
const ON_BEHALF_OF_GRANTERS: readonly Mover[] = ['assigned_office'];
// 措置入院者退院後支援: the municipality makes the 退院後支援計画 (2018 guideline), so it moves every step too.
const POST_INVOLUNTARY_TEAM: readonly Mover[] = ['patient_hospital', 'assigned_office', 'municipality', 'admin'];

const withdrawn = (enteredBy: readonly Mover[]): StepDef => ({
  label: '中止・終了',
  description: 'Ended before completion, with a reason.',
  next: [],
  requires: ['reason'],
  enteredBy,
  final: true,
});

const completed = (enteredBy: readonly Mover[], description: string): StepDef => ({
  label: '完了',
  description,
  next: [],
  requires: [],
  enteredBy,
  final: true,
});

export const STEP_TABLES: Readonly<Record<Program, ProgramDef>> = {
  community_transition: {
    label: '地域移行支援',
    description: 'Support for a long-stay inpatient to move into the community (障害者総合支援法).',
    benefitPeriodMaxMonths: 6,
    benefitGrantedBy: GRANTERS,
    benefitOnBehalfOfMunicipalityBy: ON_BEHALF_OF_GRANTERS,
    teamHospitalMustBePatients: true,
    initial: 'referred',
    steps: {
      referred: {
        label: '把握・紹介',
        description: 'Case found (by the hospital PSW, the city or the person themself).',
        next: ['engaged', 'withdrawn'],
        requires: [],
        enteredBy: CASE_TEAM,
      },
      engaged: {
        label: '意向確認',
        description: "The person's will confirmed and consent recorded.",
        next: ['applied', 'withdrawn'],
        requires: [],
        enteredBy: CASE_TEAM,
      },
      applied: {
        label: '支給申請',
        description: 'Benefit application made to the city.',
        next: ['granted', 'withdrawn'],
        requires: [],
        enteredBy: CASE_TEAM,
      },
      granted: {
        label: '支給決定',
        description: 'The city granted the benefit for a period of at most 6 months (renewable).',
        next: ['planned', 'withdrawn'],
        requires: ['benefitPeriod'],
        enteredBy: GRANTERS,
        onBehalfOfMunicipalityBy: ON_BEHALF_OF_GRANTERS,
        benefitRunning: true,
      },
      planned: {
        label: '計画作成',
        description: '地域移行支援計画 made, with goals.',
        next: ['supporting', 'withdrawn'],
        requires: [],
        enteredBy: CASE_TEAM,
        benefitRunning: true,
      },
      supporting: {
        label: '支援実施',
        description: 'Visits, 同行支援, 体験利用・体験宿泊, housing search.',
        next: ['discharged', 'withdrawn'],
        requires: [],
        enteredBy: CASE_TEAM,
        benefitRunning: true,
      },
      discharged: {
        label: '退院',
        description: 'Discharged: closes the admission in the same transaction.',
        next: ['settling', 'completed', 'withdrawn'],
        requires: ['discharge'],
        enteredBy: CASE_TEAM,
      },
      settling: {
        label: '地域定着',
        description: 'Follow-up after discharge (often a community_settlement enrollment).',
        next: ['completed', 'withdrawn'],
        requires: [],
        enteredBy: CASE_TEAM,
      },
      completed: completed(CASE_TEAM, 'Transition support completed.'),
      withdrawn: withdrawn(CASE_TEAM),
    },
  },
  community_settlement: {
    label: '地域定着支援',
    description: 'A 24-hour contact system and crisis visits for a person living in the community.',
    benefitPeriodMaxMonths: 12,
    benefitGrantedBy: GRANTERS,
    benefitOnBehalfOfMunicipalityBy: ON_BEHALF_OF_GRANTERS,
    // Settlement follows a discharge: the person may live anywhere and the team may be another hospital's.
    teamHospitalMustBePatients: false,
    initial: 'referred',
    steps: {
      referred: {
        label: '把握・紹介',
        description: 'Case found.',
        next: ['granted', 'withdrawn'],
        requires: [],
        enteredBy: CASE_TEAM,
      },
      granted: {
        label: '支給決定',
        description: 'The city granted the benefit for a period of at most 1 year (renewable).',
        next: ['supporting', 'withdrawn'],
        requires: ['benefitPeriod'],
        enteredBy: GRANTERS,
        onBehalfOfMunicipalityBy: ON_BEHALF_OF_GRANTERS,
        benefitRunning: true,
      },
      supporting: {
        label: '支援実施',
        description: '24-hour contact system, crisis visits.',
        next: ['completed', 'withdrawn'],
        requires: [],
        enteredBy: CASE_TEAM,
        benefitRunning: true,
      },
      completed: completed(CASE_TEAM, 'Settlement support completed.'),
      withdrawn: withdrawn(CASE_TEAM),
    },
  },
  post_involuntary_support: {
    label: '措置入院者退院後支援',
    description: 'Support after discharge from an involuntary admission (措置入院), 2018 guideline.',
    benefitPeriodMaxMonths: null,
    benefitGrantedBy: [],
    benefitOnBehalfOfMunicipalityBy: [],
    teamHospitalMustBePatients: false,
    initial: 'referred',
    steps: {
      referred: {
        label: '措置入院の通知',
        description: 'Involuntary admission notified.',
        next: ['planned', 'withdrawn'],
        requires: [],
        enteredBy: POST_INVOLUNTARY_TEAM,
      },
      planned: {
        label: '退院後支援計画',
        description: '退院後支援計画 made before discharge.',
        next: ['discharged', 'withdrawn'],
        requires: [],
        enteredBy: POST_INVOLUNTARY_TEAM,
      },
      discharged: {
        label: '退院',
        description: 'Discharged: closes the admission in the same transaction.',
        next: ['supporting', 'withdrawn'],
        requires: ['discharge'],
        enteredBy: POST_INVOLUNTARY_TEAM,
      },
      supporting: {
        label: '退院後支援',
        description: 'Support after discharge (up to 6 months, extendable to 1 year).',
        next: ['completed', 'withdrawn'],
        requires: [],
        enteredBy: POST_INVOLUNTARY_TEAM,
      },
      completed: completed(POST_INVOLUNTARY_TEAM, 'Post-discharge support completed.'),
      withdrawn: withdrawn(POST_INVOLUNTARY_TEAM),
    },
  },
};

/** Every step name of every programme (for validating `?step=` and `to`). */
export const ALL_STEPS: readonly string[] = [...new Set(PROGRAMS.flatMap((p) => Object.keys(STEP_TABLES[p].steps)))];

export function programOf(program: string): ProgramDef {
  const def = (STEP_TABLES as Record<string, ProgramDef>)[program];
  if (!def) throw new Error(`unknown programme ${program}`);
  return def;
}

export function stepOf(program: string, step: string): StepDef {
  const def = programOf(program).steps[step];
  if (!def) throw new Error(`unknown step ${step} of ${program}`);
  return def;
}

export function isFinal(program: string, step: string): boolean {
  return stepOf(program, step).final === true;
}

/** A transition as one row: from, to, the fields it requires and who records it. */
export interface TransitionDef {
  program: Program;
  from: string;
  to: string;
  requires: readonly TransitionField[];
  enteredBy: readonly Mover[];
  onBehalfOfMunicipalityBy: readonly Mover[];
}

export function transitionsOf(program: Program): TransitionDef[] {
  const def = STEP_TABLES[program];
  return Object.entries(def.steps).flatMap(([from, s]) =>
    s.next.map((to) => {
      const target = def.steps[to];
      return { program, from, to, requires: target.requires, enteredBy: target.enteredBy, onBehalfOfMunicipalityBy: target.onBehalfOfMunicipalityBy ?? [] };
    }),
  );
}

/** What checking a move against the table found. */
export type MoveCheck = { ok: true; target: StepDef } | { ok: false; detail: string; allowed: readonly string[] };

/** May an enrollment of `program` at `from` move to `to`? Illegal moves name the allowed targets. */
export function checkMove(program: string, from: string, to: string): MoveCheck {
  const def = programOf(program);
  const current = stepOf(program, from);
  if (current.final) {
    return { ok: false, detail: `Step ${from} is final: a new attempt is a new enrollment.`, allowed: [] };
  }
  if (!current.next.includes(to)) {
    return { ok: false, detail: `A ${program} enrollment at ${from} cannot move to ${to}; allowed: ${current.next.join(', ')}.`, allowed: current.next };
  }
  return { ok: true, target: def.steps[to] };
}

/**
 * The fields a transition into `target` carries must be exactly those the table requires: missing ones and
 * ones that belong to another step are both named.
 */
export function checkFields(target: StepDef, to: string, given: Partial<Record<TransitionField, unknown>>): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  for (const f of TRANSITION_FIELDS) {
    const present = given[f] !== undefined && given[f] !== null;
    if (target.requires.includes(f) && !present) problems.push({ field: f, message: `${f} is required to move to ${to}` });
    if (!target.requires.includes(f) && present) problems.push({ field: f, message: `${f} does not apply to a move to ${to}` });
  }
  return problems;
}

/** How the caller stands to a transition: directly, on behalf of the municipality, or not at all. */
export type Authority = { allowed: true; onBehalfOfMunicipality: boolean } | { allowed: false };

export function authorityFor(enteredBy: readonly Mover[], onBehalfBy: readonly Mover[] | undefined, callerIs: readonly Mover[]): Authority {
  if (callerIs.some((m) => enteredBy.includes(m))) return { allowed: true, onBehalfOfMunicipality: false };
  if (callerIs.some((m) => (onBehalfBy ?? []).includes(m))) return { allowed: true, onBehalfOfMunicipality: true };
  return { allowed: false };
}

/**
 * A benefit period (支給決定期間) must end on or after it starts and last at most the programme's maximum: a
 * 6-month period starting 1 June ends 30 November at the latest (the day before addMonths(start, 6)).
 * Returns what is wrong, or null.
 */
export function benefitPeriodProblem(program: string, startsOn: string, endsOn: string): string | null {
  const max = programOf(program).benefitPeriodMaxMonths;
  if (max === null) return `${program} has no benefit period.`;
  if (endsOn < startsOn) return `The benefit period cannot end (${endsOn}) before it starts (${startsOn}).`;
  const latest = addDays(addMonths(startsOn, max), -1);
  if (endsOn > latest) return `A ${program} benefit period lasts at most ${max} months: starting ${startsOn}, it ends ${latest} at the latest.`;
  return null;
}
