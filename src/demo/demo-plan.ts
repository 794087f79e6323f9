/**
 * The demo city, as data: a fictional city modelled on the seed's planning sheet (6 wards, 5 long-stay hospitals
 * of which 4 are matched into 4 transition teams, 5 support offices, 3 visiting-nurse stations, the city office),
 * its prefecture and a neighbouring city with its own teams (#12), so that the city-to-city comparison has
 * something to compare. Every name here is invented.
 */
import type { Program } from '../enrollments/programs.js';

export const WARDS = ['中央区', '花見川区', '稲毛区', '若葉区', '緑区', '美浜区'] as const;

export interface OrgPlan {
  key: string;
  name: string;
  kana: string;
  ward: string | null;
  address: string;
}
export interface HospitalPlan extends OrgPlan {
  beds: number;
  longStay: number;
  /** Long-stay patients generated for this hospital; `otherCity` of them have the neighbour as 援護市町村. */
  patients: number;
  otherCity?: number;
  recordPrefix: string;
}
export interface OfficePlan extends OrgPlan {
  capacity: number;
}
export interface TeamPlan {
  key: string;
  name: string;
  hospital: string;
  offices: string[];
  stations: string[];
  /** Months after the teams were formed (the seed: matched in August). */
  startOffsetMonths: number;
}
export type Profile = 'steady' | 'at_risk' | 'missed' | 'expiring';
export interface EnrollmentPlan {
  program: Program;
  /** The step the enrollment stands at today. */
  step: string;
  team: string;
  office: string;
  station?: string;
  profile?: Profile;
  /** For `withdrawn`: the last step before withdrawal, and why. */
  withdrawnAfter?: string;
  reason?: 'declined' | 'condition_worsened' | 'transferred' | 'died' | 'other';
  /** A settlement enrollment that follows a discharge by the transition enrollment at this index. */
  follows?: number;
}
export interface CityPlan {
  key: string;
  name: string;
  kana: string;
  address: string;
  wards: readonly string[];
  hospitals: HospitalPlan[];
  offices: OfficePlan[];
  stations: OrgPlan[];
  teams: TeamPlan[];
  /** Membership history: an organization that left one team and joined another (months after formation). */
  moves: { org: string; from: string; to: string; afterMonths: number }[];
  enrollments: EnrollmentPlan[];
  peers: number;
}

export const PREFECTURE = { key: 'pref', name: 'みずほ県', kana: 'ミズホケン', address: 'みずほ県みずほ市本町1-1' };

const CT: Program = 'community_transition';
const CS: Program = 'community_settlement';
const PIS: Program = 'post_involuntary_support';

export const CITY: CityPlan = {
  key: 'city',
  name: 'きずな市',
  kana: 'キズナシ',
  address: 'きずな市中央区ひかり町1-1',
  wards: WARDS,
  hospitals: [
    { key: 'h1', name: 'あけぼの台病院', kana: 'アケボノダイビョウイン', ward: '若葉区', address: 'きずな市若葉区あけぼの台2-10', beds: 320, longStay: 168, patients: 36, otherCity: 6, recordPrefix: 'AK' },
    { key: 'h2', name: 'しらさぎ湖病院', kana: 'シラサギコビョウイン', ward: '花見川区', address: 'きずな市花見川区しらさぎ5-3', beds: 250, longStay: 131, patients: 30, recordPrefix: 'SR' },
    { key: 'h3', name: 'つむぎの森病院', kana: 'ツムギノモリビョウイン', ward: '稲毛区', address: 'きずな市稲毛区つむぎ3-8', beds: 210, longStay: 104, patients: 28, recordPrefix: 'TM' },
    { key: 'h4', name: 'ほしかげ記念病院', kana: 'ホシカゲキネンビョウイン', ward: '緑区', address: 'きずな市緑区ほしかげ1-20', beds: 180, longStay: 92, patients: 22, recordPrefix: 'HK' },
    // The fifth hospital is not matched yet (the seed: "5病院中4病院").
    { key: 'h5', name: 'なぎさ浜病院', kana: 'ナギサハマビョウイン', ward: '美浜区', address: 'きずな市美浜区なぎさ4-1', beds: 150, longStay: 77, patients: 14, recordPrefix: 'NG' },
  ],
  offices: [
    { key: 'o1', name: '相談支援センターこもれび', kana: 'ソウダンシエンセンターコモレビ', ward: '中央区', address: 'きずな市中央区ひかり町3-4', capacity: 12 },
    { key: 'o2', name: '相談支援事業所あゆみ', kana: 'ソウダンシエンジギョウショアユミ', ward: '稲毛区', address: 'きずな市稲毛区つむぎ1-2', capacity: 8 },
    { key: 'o3', name: '相談支援センターみちしるべ', kana: 'ソウダンシエンセンターミチシルベ', ward: '若葉区', address: 'きずな市若葉区あけぼの台6-1', capacity: 10 },
    { key: 'o4', name: '相談支援事業所ひだまり', kana: 'ソウダンシエンジギョウショヒダマリ', ward: '緑区', address: 'きずな市緑区ほしかげ2-7', capacity: 6 },
    { key: 'o5', name: '相談支援センターともしび', kana: 'ソウダンシエンセンタートモシビ', ward: '美浜区', address: 'きずな市美浜区なぎさ1-9', capacity: 8 },
  ],
  stations: [
    { key: 's1', name: '訪問看護ステーションそよかぜ', kana: 'ホウモンカンゴステーションソヨカゼ', ward: '花見川区', address: 'きずな市花見川区しらさぎ2-2' },
    { key: 's2', name: '訪問看護ステーションはるにれ', kana: 'ホウモンカンゴステーションハルニレ', ward: '中央区', address: 'きずな市中央区ひかり町8-1' },
    { key: 's3', name: '訪問看護ステーションあおば', kana: 'ホウモンカンゴステーションアオバ', ward: '緑区', address: 'きずな市緑区ほしかげ5-5' },
  ],
  teams: [
    { key: 't1', name: 'あけぼの台病院 地域移行チーム', hospital: 'h1', offices: ['o3', 'o1'], stations: ['s2'], startOffsetMonths: 0 },
    { key: 't2', name: 'しらさぎ湖病院 地域移行チーム', hospital: 'h2', offices: ['o5'], stations: ['s1'], startOffsetMonths: 0 },
    { key: 't3', name: 'つむぎの森病院 地域移行チーム', hospital: 'h3', offices: ['o2'], stations: ['s3'], startOffsetMonths: 0 },
    { key: 't4', name: 'ほしかげ記念病院 地域移行チーム', hospital: 'h4', offices: ['o4', 'o1'], stations: [], startOffsetMonths: 0 },
  ],
  moves: [{ org: 's3', from: 't3', to: 't4', afterMonths: 5 }],
  enrollments: [
    /* 0 */ { program: CT, step: 'referred', team: 't1', office: 'o1', station: 's2' },
    /* 1 */ { program: CT, step: 'referred', team: 't3', office: 'o2' },
    /* 2 */ { program: CT, step: 'engaged', team: 't1', office: 'o3' },
    /* 3 */ { program: CT, step: 'engaged', team: 't4', office: 'o4' },
    /* 4 */ { program: CT, step: 'applied', team: 't2', office: 'o5' },
    /* 5 */ { program: CT, step: 'applied', team: 't4', office: 'o1' },
    /* 6 */ { program: CT, step: 'granted', team: 't1', office: 'o1' },
    /* 7 */ { program: CT, step: 'granted', team: 't3', office: 'o2' },
    /* 8 */ { program: CT, step: 'planned', team: 't1', office: 'o3', station: 's2', profile: 'expiring' },
    /* 9 */ { program: CT, step: 'planned', team: 't2', office: 'o5', station: 's1' },
    /* 10 */ { program: CT, step: 'planned', team: 't4', office: 'o4', station: 's3' },
    /* 11 */ { program: CT, step: 'supporting', team: 't1', office: 'o1', station: 's2', profile: 'steady' },
    /* 12 */ { program: CT, step: 'supporting', team: 't1', office: 'o3', profile: 'missed' },
    /* 13 */ { program: CT, step: 'supporting', team: 't2', office: 'o5', station: 's1', profile: 'at_risk' },
    /* 14 */ { program: CT, step: 'supporting', team: 't3', office: 'o2', profile: 'expiring' },
    /* 15 */ { program: CT, step: 'supporting', team: 't4', office: 'o1', station: 's3', profile: 'at_risk' },
    /* 16 */ { program: CT, step: 'supporting', team: 't4', office: 'o4', profile: 'missed' },
    /* 17 */ { program: CT, step: 'discharged', team: 't1', office: 'o1' },
    /* 18 */ { program: CT, step: 'discharged', team: 't3', office: 'o2' },
    /* 19 */ { program: CT, step: 'settling', team: 't2', office: 'o5', station: 's1' },
    /* 20 */ { program: CT, step: 'settling', team: 't4', office: 'o4', station: 's3' },
    /* 21 */ { program: CT, step: 'completed', team: 't1', office: 'o3' },
    /* 22 */ { program: CT, step: 'completed', team: 't3', office: 'o2' },
    /* 23 */ { program: CT, step: 'withdrawn', team: 't1', office: 'o1', withdrawnAfter: 'engaged', reason: 'declined' },
    /* 24 */ { program: CT, step: 'withdrawn', team: 't2', office: 'o5', withdrawnAfter: 'supporting', reason: 'condition_worsened' },
    /* 25 */ { program: CS, step: 'supporting', team: 't2', office: 'o5', station: 's1', follows: 19 },
    /* 26 */ { program: CS, step: 'supporting', team: 't4', office: 'o4', station: 's3', follows: 20 },
    /* 27 */ { program: CS, step: 'granted', team: 't1', office: 'o1', follows: 17 },
    /* 28 */ { program: CS, step: 'supporting', team: 't3', office: 'o2', profile: 'expiring' },
    /* 29 */ { program: CS, step: 'referred', team: 't3', office: 'o2', follows: 18 },
    /* 30 */ { program: CS, step: 'completed', team: 't1', office: 'o3' },
    /* 31 */ { program: CS, step: 'withdrawn', team: 't4', office: 'o4', withdrawnAfter: 'supporting', reason: 'transferred' },
    /* 32 */ { program: PIS, step: 'referred', team: 't1', office: 'o1' },
    /* 33 */ { program: PIS, step: 'planned', team: 't3', office: 'o2' },
    /* 34 */ { program: PIS, step: 'discharged', team: 't2', office: 'o5' },
    /* 35 */ { program: PIS, step: 'supporting', team: 't4', office: 'o4', station: 's3' },
    /* 36 */ { program: PIS, step: 'completed', team: 't1', office: 'o3' },
    /* 37 */ { program: PIS, step: 'withdrawn', team: 't3', office: 'o2', withdrawnAfter: 'discharged', reason: 'condition_worsened' },
  ],
  peers: 8,
};

/** The neighbouring city: its own hospital and teams, and one team working in the first city's hospital. */
export const NEIGHBOUR: CityPlan = {
  key: 'city2',
  name: 'はなみずき市',
  kana: 'ハナミズキシ',
  address: 'はなみずき市本町2-1',
  wards: [],
  hospitals: [
    { key: 'hb', name: 'はなみずき丘病院', kana: 'ハナミズキガオカビョウイン', ward: null, address: 'はなみずき市丘の上3-1', beds: 160, longStay: 85, patients: 20, recordPrefix: 'HM' },
  ],
  offices: [
    { key: 'ob1', name: '相談支援センターさくらんぼ', kana: 'ソウダンシエンセンターサクランボ', ward: null, address: 'はなみずき市本町4-4', capacity: 8 },
    { key: 'ob2', name: '相談支援事業所しおさい', kana: 'ソウダンシエンジギョウショシオサイ', ward: null, address: 'はなみずき市港町1-6', capacity: 6 },
  ],
  stations: [{ key: 'sb1', name: '訪問看護ステーションこだま', kana: 'ホウモンカンゴステーションコダマ', ward: null, address: 'はなみずき市本町7-2' }],
  teams: [
    { key: 'tb1', name: 'はなみずき丘病院 地域移行チーム', hospital: 'hb', offices: ['ob1'], stations: ['sb1'], startOffsetMonths: 2 },
    // Patients of the neighbour admitted to the first city's hospital (援護市町村 = the neighbour).
    { key: 'tb2', name: 'はなみずき市・あけぼの台病院 連携チーム', hospital: 'h1', offices: ['ob2'], stations: [], startOffsetMonths: 2 },
  ],
  moves: [],
  enrollments: [
    /* 0 */ { program: CT, step: 'referred', team: 'tb1', office: 'ob1', station: 'sb1' },
    /* 1 */ { program: CT, step: 'granted', team: 'tb1', office: 'ob1' },
    /* 2 */ { program: CT, step: 'supporting', team: 'tb1', office: 'ob1', station: 'sb1', profile: 'steady' },
    /* 3 */ { program: CT, step: 'supporting', team: 'tb2', office: 'ob2', profile: 'at_risk' },
    /* 4 */ { program: CT, step: 'planned', team: 'tb2', office: 'ob2' },
    /* 5 */ { program: CT, step: 'discharged', team: 'tb1', office: 'ob1' },
    /* 6 */ { program: CT, step: 'completed', team: 'tb1', office: 'ob1', station: 'sb1' },
    /* 7 */ { program: CS, step: 'supporting', team: 'tb1', office: 'ob1', station: 'sb1', follows: 6 },
    /* 8 */ { program: PIS, step: 'planned', team: 'tb1', office: 'ob1' },
  ],
  peers: 2,
};
