/**
 * The programme's events (会議・研修) and the rule each kind carries, as data (DOMAIN.md §9). Reports count
 * transition_program sessions per hospital (the seed's first indicator) and supporter_training marks peers trained.
 */
export const EVENT_KINDS = [
  'liaison_conference',
  'working_group',
  'peer_exchange',
  'public_seminar',
  'supporter_training',
  'transition_program',
  'other',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface EventKindRule {
  /** Japanese name, for OpenAPI and CSV headers. */
  label: string;
  /** Held inside a psychiatric hospital, which must be named (hospitalId). */
  requiresHospital: boolean;
  /** Listing a peer completes their 養成研修 on heldOn. */
  completesTraining: boolean;
}

export const EVENT_KIND_RULES: Record<EventKind, EventKindRule> = {
  liaison_conference: { label: '連携会議', requiresHospital: false, completesTraining: false },
  working_group: { label: '地域移行推進隊（分科会）', requiresHospital: false, completesTraining: false },
  peer_exchange: { label: '交流会', requiresHospital: false, completesTraining: false },
  public_seminar: { label: '公開セミナー', requiresHospital: false, completesTraining: false },
  supporter_training: { label: 'ピアサポーター養成研修', requiresHospital: false, completesTraining: true },
  transition_program: { label: '院内地域移行プログラム', requiresHospital: true, completesTraining: false },
  other: { label: 'その他', requiresHospital: false, completesTraining: false },
};

/** What is wrong with this kind/hospital pair, or null. */
export function kindViolation(kind: EventKind, hospitalId: string | null): string | null {
  if (EVENT_KIND_RULES[kind].requiresHospital && hospitalId === null) {
    return `An event of kind ${kind} (${EVENT_KIND_RULES[kind].label}) is held in a hospital: hospitalId is required.`;
  }
  return null;
}

export const EVENT_KINDS_DESCRIPTION = EVENT_KINDS.map((k) => `\`${k}\` ${EVENT_KIND_RULES[k].label}`).join(', ');
