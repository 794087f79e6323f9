/**
 * The indicator sheet (指標シート, DOMAIN.md §8): the built-in indicators, and the defaults taken from the seed
 * (千葉市 平成30年度「事前課題」シート, table 課題解決の達成度を測る指標 / 指標の設定理由 / 現状値 / 目標値) for a year
 * in which neither the municipality nor the administrator stored a target row.
 */
export type Direction = 'higher' | 'lower';

export interface IndicatorDefault {
  reason: string | null;
  baseline: number | null;
  baselineText: string | null;
  target: number | null;
  targetText: string | null;
}

export interface IndicatorDef {
  code: string;
  /** 指標 as the sheet names it. */
  name: string;
  nameEn: string;
  unit: string;
  /** "higher is better" (sessions, discharges) or "lower is better" (long-stay inpatients). */
  direction: Direction;
  /** Reason, baseline and target when no row is stored. */
  defaults: IndicatorDefault;
}

const none = { baseline: null, baselineText: null, target: null, targetText: null };

export const INDICATORS: readonly IndicatorDef[] = [
  {
    code: 'transition_program_sessions',
    name: '地域移行支援プログラムの実施',
    nameEn: 'In-hospital transition-programme sessions held',
    unit: '件',
    direction: 'higher',
    // Seed: ①地域移行支援プログラムの実施 | 広く医療機関が絡んだプログラムの実績がない | ３件（２病院） | ９件（各病院１件）
    defaults: {
      reason: '広く医療機関が絡んだプログラムの実績がない',
      baseline: 3,
      baselineText: '３件（２病院）',
      target: 9,
      targetText: '９件（各病院１件）',
    },
  },
  {
    code: 'transition_program_hospitals',
    name: '地域移行支援プログラムを実施した病院数',
    nameEn: 'Hospitals with at least one session (target by default: every hospital)',
    unit: '病院',
    direction: 'higher',
    // Seed: the same row's "（２病院）" and "（各病院１件）": by default the target is every hospital in scope.
    defaults: {
      reason: '広く医療機関が絡んだプログラムの実績がない',
      baseline: 2,
      baselineText: '２病院',
      target: null,
      targetText: '全病院（各病院１件以上）',
    },
  },
  {
    code: 'peer_involvement',
    name: 'ピアの方が関わる場の実施',
    nameEn: 'Contacts and events with peer supporters involved',
    unit: '件',
    direction: 'higher',
    // Seed: ②ピアの方が関わる場の実施 | 活用モデルとして確立していない | (no figures)
    defaults: { reason: '活用モデルとして確立していない', ...none },
  },
  {
    code: 'supporter_training',
    name: 'サポーター養成研修の実施',
    nameEn: 'Peer-supporter training sessions held',
    unit: '回',
    direction: 'higher',
    // Seed: ②サポーター養成研修の実施 | 未実施 | 未実施 | １回
    defaults: { reason: '未実施', baseline: 0, baselineText: '未実施', target: 1, targetText: '１回' },
  },
  {
    code: 'peers_employed',
    name: 'ピアサポーターの雇用',
    nameEn: 'Peer supporters employed',
    unit: '人',
    direction: 'higher',
    // Seed, 現時点での課題・悩み (1): 最終的にはピア雇用につなげるのが理想
    defaults: {
      reason: '最終的にはピア雇用につなげるのが理想であるが、地域でのピア雇用の現状を把握できていない',
      ...none,
    },
  },
  {
    code: 'program_discharges',
    name: '構築推進事業を利用して退院につなげた件数',
    nameEn: 'Discharges achieved through the programme',
    unit: '人',
    direction: 'higher',
    // Seed, 他自治体へ聞いてみたいこと (1): 構築推進事業を利用して、実際に退院につなげた事例やその件数
    defaults: { reason: '構築推進事業を利用して、実際に退院につなげた事例やその件数を把握する', ...none },
  },
  {
    code: 'long_stay_inpatients',
    name: '長期入院患者数（入院期間1年以上）',
    nameEn: 'Long-stay inpatients (≥ 1 year), from the hospitals’ latest figures',
    unit: '人',
    direction: 'lower',
    // Seed, ３ 病院との連携状況: 長期入院患者を抱える5病院
    defaults: { reason: '長期入院患者を抱える病院と連携し、地域移行を進める', ...none },
  },
];

export const INDICATOR_CODES = INDICATORS.map((i) => i.code);

export function indicatorOf(code: string): IndicatorDef | undefined {
  return INDICATORS.find((i) => i.code === code);
}

/** Whether `actual` meets `target`; null when either is unknown. */
export function isMet(direction: Direction, actual: number | null, target: number | null): boolean | null {
  if (actual === null || target === null) return null;
  return direction === 'higher' ? actual >= target : actual <= target;
}
