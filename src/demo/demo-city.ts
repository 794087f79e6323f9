/**
 * Builds the demo city's rows from the plan (demo-plan.ts), a reference date and a seed. Pure: no database, so
 * the same date and seed give the same rows on every machine. Dates are relative to `today` (the demo always
 * looks current): the teams were formed in an August at least 15 months ago, contacts cover the last 12 months,
 * discharges and the seed's 3 transition-programme sessions in 2 hospitals fall in the current fiscal year.
 */
import { addDays, addMonths, daysBetween, daysInMonth, fiscalYearOf, fiscalYearRange } from '../common/dates.js';
import { checkMove, STEP_TABLES, type Program } from '../enrollments/programs.js';
import { demoId } from './ids.js';
import { personName, PEER_PSEUDONYMS } from './names.js';
import { Prng } from './prng.js';
import { CITY, NEIGHBOUR, PREFECTURE, type CityPlan, type EnrollmentPlan, type HospitalPlan } from './demo-plan.js';

export type Row = Record<string, unknown>;

export interface DemoAccountPlan {
  role: 'admin' | 'municipal_officer' | 'prefectural_officer' | 'hospital_staff' | 'support_office_staff' | 'nurse_staff';
  email: string;
  userId: string;
  organizationId: string | null;
  organizationName: string | null;
}

export interface DemoRows {
  organizations: Row[];
  users: Row[];
  teams: Row[];
  team_members: Row[];
  patients: Row[];
  admissions: Row[];
  enrollments: Row[];
  enrollment_steps: Row[];
  benefit_periods: Row[];
  peer_supporters: Row[];
  contacts: Row[];
  contact_revisions: Row[];
  events: Row[];
  event_attendance: Row[];
  event_peer_supporters: Row[];
  indicator_targets: Row[];
}

export interface DemoCity {
  rows: DemoRows;
  /** Users who may sign in (their password hashes are set by the loader); the rest are no-login staff. */
  accounts: DemoAccountPlan[];
  ids: { city: string; neighbour: string; prefecture: string };
  today: string;
}

export const DEMO_SEED = 20180601;
export const DEMO_EMAIL_DOMAIN = 'kizuna-demo.example';
/** Staff who appear in records but have no password: a hash that never verifies. */
export const NO_LOGIN_HASH = '!demo-staff-no-login';

const HOSPITAL_WARDS = ['東1病棟', '東2病棟', '西2病棟', '西3病棟', '北病棟', '南病棟'];
const CONSENT_SCOPE = '地域移行モデル実践チーム内での情報共有';

type Kind = 'face_to_face' | 'phone' | 'accompanied_outing' | 'trial_stay' | 'trial_service_use' | 'home_visit' | 'case_conference' | 'peer_visit' | 'other';
const PLACE: Record<Kind, string> = {
  face_to_face: 'hospital',
  phone: 'phone',
  accompanied_outing: 'community',
  trial_stay: 'community',
  trial_service_use: 'community',
  home_visit: 'home',
  case_conference: 'hospital',
  peer_visit: 'hospital',
  other: 'office',
};
const SUMMARIES: Record<Kind, string[]> = {
  face_to_face: [
    '病棟で面接。退院後の暮らしについて本人の希望を確認した。',
    '面接。グループホームの見学について話し合い、前向きな発言があった。',
    '病棟面接。服薬の自己管理の練習状況を確認した。',
    '面接。不安の訴えがあり、ゆっくり傾聴した。次回は外出練習を予定。',
    '面接。地域での日中活動の候補を一緒に検討した。',
  ],
  accompanied_outing: ['スーパーでの買い物に同行。金銭管理の練習。', '区役所での手続きに同行した。', '不動産店での物件見学に同行した。', '通院予定のクリニックまでの経路を一緒に確認した。'],
  trial_stay: ['グループホームで体験宿泊。夜間も落ち着いて過ごせた。', '体験宿泊。朝の服薬と食事の準備を自分で行えた。'],
  trial_service_use: ['就労継続支援B型事業所を体験利用。作業に集中して取り組めた。', '地域活動支援センターを体験利用。ほかの利用者と会話できた。'],
  home_visit: ['自宅訪問。生活リズムは安定している。', '自宅訪問。ゴミ出しの曜日を一緒に確認した。', '訪問。通院と服薬は継続できている。', '訪問。近所づきあいの悩みを聞き、対応を一緒に考えた。'],
  peer_visit: ['ピアサポーターと病棟訪問。退院後の生活体験を聞き、表情が和らいだ。', 'ピアサポーター同行で面接。地域の居場所を紹介した。'],
  phone: ['電話で体調を確認した。', '病院PSWと電話で日程を調整した。', '本人より電話。不安の相談に対応した。'],
  case_conference: ['病院でケア会議。退院に向けた役割分担を確認した。', 'ケア会議。地域移行支援計画を見直した。'],
  other: ['関係機関との連絡調整。'],
};
const AMENDMENT_REASONS = ['所要時間の記載誤りを訂正', '記録内容の追記', '場所の記載誤りを訂正'];
const STEP_NOTES: Record<string, string> = {
  referred: '支援の対象として把握・紹介',
  engaged: '本人の退院意向と情報共有への同意を確認',
  applied: '支給申請を受理',
  granted: '支給決定',
  planned: '支援計画を作成',
  supporting: '支援を開始',
  discharged: '退院',
  settling: '退院後のフォローを開始',
  completed: '支援を終了',
  withdrawn: '支援を中止',
};
/** Days between consecutive steps [min, max] (typical of the programme's practice). */
const STEP_GAP: Record<string, [number, number]> = {
  'community_transition:referred>engaged': [10, 30],
  'community_transition:engaged>applied': [7, 21],
  'community_transition:applied>granted': [10, 25],
  'community_transition:granted>planned': [5, 14],
  'community_transition:planned>supporting': [5, 20],
  'community_transition:supporting>discharged': [60, 150],
  'community_transition:discharged>settling': [0, 3],
  'community_transition:settling>completed': [60, 120],
  'community_settlement:referred>granted': [7, 21],
  'community_settlement:granted>supporting': [0, 7],
  'community_settlement:supporting>completed': [200, 330],
  'post_involuntary_support:referred>planned': [14, 40],
  'post_involuntary_support:planned>discharged': [7, 30],
  'post_involuntary_support:discharged>supporting': [0, 3],
  'post_involuntary_support:supporting>completed': [150, 180],
};
const F2F_KINDS: readonly (readonly [Kind, number])[] = [
  ['face_to_face', 40],
  ['accompanied_outing', 15],
  ['trial_service_use', 10],
  ['trial_stay', 7],
  ['peer_visit', 12],
];

const monthStart = (d: string) => `${d.slice(0, 7)}-01`;
const maxDate = (a: string, b: string) => (a > b ? a : b);
const minDate = (a: string, b: string) => (a < b ? a : b);
const at = (date: string, hh: number, mm = 0) => `${date}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+09:00`;

interface Patient {
  id: string;
  hospitalKey: string;
  hospitalId: string;
  municipalityId: string | null;
  admittedOn: string;
  birthDate: string;
  admissionType: string;
  dischargedOn: string | null;
  destination: string | null;
  usedFor: Set<Program>;
  consentOn: string | null;
  /** An open admission after a discharge (readmission), if any. */
  readmittedOn?: string;
  /** Earlier admissions are written after enrollments may have moved `admittedOn`. */
  history: boolean;
  community?: boolean;
  row: Row;
}

/** Build every row of the demo city for `today` (YYYY-MM-DD, Asia/Tokyo). */
export function buildDemoCity(today: string, seed = DEMO_SEED): DemoCity {
  const rng = new Prng(seed);
  const fy = fiscalYearOf(today);
  const fyStart = fiscalYearRange(fy).from;
  // The seed's teams were matched in August: the latest 1 August at least 15 months ago.
  const latest = addMonths(today, -15);
  const teamsFormed = `${latest.slice(5, 7) >= '08' ? latest.slice(0, 4) : String(Number(latest.slice(0, 4)) - 1)}-08-01`;
  const windowStart = monthStart(addMonths(today, -11));
  const rows: DemoRows = {
    organizations: [], users: [], teams: [], team_members: [], patients: [], admissions: [], enrollments: [],
    enrollment_steps: [], benefit_periods: [], peer_supporters: [], contacts: [], contact_revisions: [], events: [],
    event_attendance: [], event_peer_supporters: [], indicator_targets: [],
  };
  const accounts: DemoAccountPlan[] = [];
  const orgId = (key: string) => demoId(`org:${key}`);
  const orgName = new Map<string, string>();
  const userOf = new Map<string, string>(); // organization key → staff user id

  // ---- organizations -------------------------------------------------------------------------------------
  const prefectureId = orgId(PREFECTURE.key);
  const org = (key: string, kind: string, fields: Row) => {
    rows.organizations.push({
      id: orgId(key), kind, name: fields.name, name_kana: fields.name_kana ?? null, ward: fields.ward ?? null, address: fields.address ?? null,
      municipality_id: fields.municipality_id ?? null, prefecture_id: fields.prefecture_id ?? null,
      psychiatric_beds: fields.psychiatric_beds ?? null, long_stay_inpatients: fields.long_stay_inpatients ?? null,
      long_stay_as_of: fields.long_stay_as_of ?? null, case_capacity: fields.case_capacity ?? null, active: true,
      created_at: at(addDays(teamsFormed, -60), 9),
    });
    orgName.set(key, String(fields.name));
  };
  org(PREFECTURE.key, 'prefecture', { name: PREFECTURE.name, name_kana: PREFECTURE.kana, address: PREFECTURE.address });
  // 630調査 (the yearly 30 June survey) is where long-stay counts come from.
  const june30 = `${fy}-06-30` <= today ? `${fy}-06-30` : `${fy - 1}-06-30`;
  for (const city of [CITY, NEIGHBOUR]) {
    org(city.key, 'municipality', { name: city.name, name_kana: city.kana, address: city.address, prefecture_id: prefectureId });
    const m = orgId(city.key);
    for (const h of city.hospitals) {
      org(h.key, 'hospital', { name: h.name, name_kana: h.kana, ward: h.ward, address: h.address, municipality_id: m, psychiatric_beds: h.beds, long_stay_inpatients: h.longStay, long_stay_as_of: june30 });
    }
    for (const o of city.offices) org(o.key, 'support_office', { name: o.name, name_kana: o.kana, ward: o.ward, address: o.address, municipality_id: m, case_capacity: o.capacity });
    for (const s of city.stations) org(s.key, 'nurse_station', { name: s.name, name_kana: s.kana, ward: s.ward, address: s.address, municipality_id: m });
  }

  // ---- users: one staff member per organization; some are the demo accounts --------------------------------
  const user = (key: string, role: DemoAccountPlan['role'], orgKey: string | null, email: string, displayName: string, login: boolean) => {
    const id = demoId(`user:${key}`);
    rows.users.push({
      id, email, display_name: displayName, role, organization_id: orgKey ? orgId(orgKey) : null,
      password_hash: NO_LOGIN_HASH, active: true, created_at: at(addDays(teamsFormed, -30), 9), tokens_valid_after: at(addDays(teamsFormed, -30), 9),
    });
    if (login) accounts.push({ role, email, userId: id, organizationId: orgKey ? orgId(orgKey) : null, organizationName: orgKey ? (orgName.get(orgKey) ?? null) : null });
    if (orgKey) userOf.set(orgKey, id);
    return id;
  };
  const staffName = (suffix: string) => {
    const n = personName(rng);
    return `${n.familyName} ${n.givenName}（${suffix}）`;
  };
  const mail = (local: string) => `${local}@${DEMO_EMAIL_DOMAIN}`;
  user('admin', 'admin', null, mail('admin'), 'デモ管理者', true);
  user('city', 'municipal_officer', 'city', mail('city'), staffName('きずな市 障害福祉課'), true);
  user('city2', 'municipal_officer', 'city2', mail('city2'), staffName('はなみずき市 障害福祉課'), true);
  user('pref', 'prefectural_officer', 'pref', mail('prefecture'), staffName('みずほ県 障害福祉課'), true);
  for (const city of [CITY, NEIGHBOUR]) {
    for (const h of city.hospitals) user(h.key, 'hospital_staff', h.key, h.key === 'h1' ? mail('hospital') : mail(`staff-${h.key}`), staffName(`${h.name} PSW`), h.key === 'h1');
    for (const o of city.offices) user(o.key, 'support_office_staff', o.key, o.key === 'o1' ? mail('office') : mail(`staff-${o.key}`), staffName(`${o.name} 相談支援専門員`), o.key === 'o1');
    for (const s of city.stations) user(s.key, 'nurse_staff', s.key, s.key === 's2' ? mail('nurse') : mail(`staff-${s.key}`), staffName(`${s.name} 看護師`), s.key === 's2');
  }

  // ---- teams and their membership history ---------------------------------------------------------------
  const teamStart = new Map<string, string>();
  const teamCity = new Map<string, string>();
  const teamHospital = new Map<string, string>();
  for (const city of [CITY, NEIGHBOUR]) {
    for (const t of city.teams) {
      const started = addMonths(teamsFormed, t.startOffsetMonths);
      teamStart.set(t.key, started);
      teamCity.set(t.key, city.key);
      teamHospital.set(t.key, t.hospital);
      rows.teams.push({ id: demoId(`team:${t.key}`), name: t.name, hospital_id: orgId(t.hospital), municipality_id: orgId(city.key), started_on: started, created_at: at(started, 10) });
      const member = (orgKey: string, role: string, joined: string, left: string | null = null) =>
        rows.team_members.push({ id: demoId(`member:${t.key}:${orgKey}:${joined}`), team_id: demoId(`team:${t.key}`), organization_id: orgId(orgKey), member_role: role, joined_on: joined, left_on: left, created_at: at(joined, 10) });
      member(t.hospital, 'hospital', started);
      member(city.key, 'municipality', started);
      for (const o of t.offices) member(o, 'support_office', started);
      for (const s of t.stations) {
        const move = city.moves.find((mv) => mv.org === s && mv.from === t.key);
        member(s, 'nurse_station', started, move ? addMonths(started, move.afterMonths) : null);
      }
      for (const mv of city.moves.filter((x) => x.to === t.key)) member(mv.org, 'nurse_station', addDays(addMonths(started, mv.afterMonths), 1));
    }
  }

  // ---- patients (long-stay population of each hospital) ------------------------------------------------
  const patients: Patient[] = [];
  const recordNumbers = new Map<string, Set<string>>();
  const newPatient = (h: HospitalPlan, municipalityKey: string | null, wards: readonly string[], stayDays: number, admissionType: string): Patient => {
    const n = personName(rng);
    const admittedOn = addDays(today, -stayDays);
    const minAge = Math.ceil(stayDays / 365) + 20;
    const age = Math.max(minAge, Math.min(88, Math.round(58 + rng.normal() * 12)));
    const birthDate = addDays(today, -(age * 365 + rng.int(0, 364)));
    const used = recordNumbers.get(h.key) ?? new Set<string>();
    recordNumbers.set(h.key, used);
    let record: string;
    do record = `${h.recordPrefix}-${String(rng.int(100000, 999999))}`;
    while (used.has(record));
    used.add(record);
    const id = demoId(`patient:${h.key}:${patients.length}`);
    const row: Row = {
      id, hospital_id: orgId(h.key), record_number: record, family_name: n.familyName, given_name: n.givenName,
      family_name_kana: n.familyNameKana, given_name_kana: n.givenNameKana, birth_date: birthDate, sex: n.sex,
      responsible_municipality_id: municipalityKey ? orgId(municipalityKey) : null,
      residence_ward: wards.length ? rng.pick(wards) : null, consent_on: null, consent_scope: null, closed_on: null,
    };
    const p: Patient = {
      id, hospitalKey: h.key, hospitalId: orgId(h.key), municipalityId: row.responsible_municipality_id as string | null,
      admittedOn, birthDate, admissionType, dischargedOn: null, destination: null, usedFor: new Set(), consentOn: null, history: rng.chance(0.3), row,
    };
    patients.push(p);
    return p;
  };
  const stayDays = () => {
    const bucket = rng.weighted<[number, number]>([[[365, 1825], 45], [[1826, 3650], 20], [[3651, 7300], 20], [[7301, 10950], 15]]);
    return rng.int(bucket[0], bucket[1]);
  };
  const longStayType = () => rng.weighted([['medical_protection', 55], ['voluntary', 41], ['involuntary', 4]] as const);
  for (const city of [CITY, NEIGHBOUR]) {
    for (const h of city.hospitals) {
      const other = city === CITY ? NEIGHBOUR.key : CITY.key;
      for (let i = 0; i < h.patients; i++) {
        const fromOther = i < (h.otherCity ?? 0);
        newPatient(h, fromOther ? other : city.key, fromOther ? NEIGHBOUR.wards : city.wards, stayDays(), longStayType());
      }
    }
  }
  // Every admission type appears among current long stays at least once (措置 long stays are rare but real).
  patients[3].admissionType = 'involuntary';

  // ---- peer supporters -----------------------------------------------------------------------------------
  const peersOf = new Map<string, string[]>();
  const trainingDay = addDays(fyStart, Math.floor(daysBetween(fyStart, today) * 0.55));
  const peerTrainees: string[] = [];
  let pseudonym = 0;
  for (const city of [CITY, NEIGHBOUR]) {
    const ids: string[] = [];
    for (let i = 0; i < city.peers; i++) {
      const id = demoId(`peer:${city.key}:${i}`);
      const office = city.offices[i % city.offices.length];
      // Half were trained before (elsewhere, or before Kizuna), some at this year's 養成研修, one not yet.
      const outside = i % 2 === 0 ? addDays(teamsFormed, -rng.int(200, 1500)) : null;
      const atTraining = city === CITY && i % 2 === 1 && i < city.peers - 1;
      if (atTraining) peerTrainees.push(id);
      const trainedOn = outside ?? (atTraining ? trainingDay : null);
      const employed = city === CITY && (i === 0 || i === 2);
      rows.peer_supporters.push({
        id, display_name: `ピアサポーター ${PEER_PSEUDONYMS[pseudonym++ % PEER_PSEUDONYMS.length]}`, affiliation_id: orgId(office.key),
        municipality_id: orgId(city.key), trained_on: trainedOn, trained_outside_on: outside,
        employed_by_id: employed ? orgId(office.key) : null, employed_since: employed ? addMonths(teamsFormed, i === 0 ? 3 : 9) : null,
        active: true, created_at: at(teamsFormed, 11),
      });
      if (trainedOn) ids.push(id);
    }
    peersOf.set(city.key, ids);
  }

  // ---- enrollments with their step history, benefit periods and contacts ---------------------------------
  const dischargeDestination = () => rng.weighted([['group_home', 40], ['home_alone', 25], ['home_family', 20], ['welfare_facility', 15]] as const);
  for (const city of [CITY, NEIGHBOUR]) {
    const enrolled: Patient[] = [];
    const dischargedOn: (string | undefined)[] = [];
    city.enrollments.forEach((plan, index) => {
      const team = plan.team;
      const hospitalKey = teamHospital.get(team)!;
      const hospital = [...CITY.hospitals, ...NEIGHBOUR.hospitals].find((h) => h.key === hospitalKey)!;
      const path = pathOf(plan);
      // A settlement enrollment that follows a discharge starts within days of it.
      const notBefore = plan.follows !== undefined ? dischargedOn[plan.follows] : undefined;
      const dates = planDates(rng, plan, path, { today, fyStart, teamStart: teamStart.get(team)!, notBefore });

      // Who the enrollment is for.
      let patient: Patient;
      if (plan.follows !== undefined) {
        patient = enrolled[plan.follows];
      } else if (plan.program === 'community_transition') {
        const candidates = patients.filter((p) => p.hospitalKey === hospitalKey && !p.community && p.usedFor.size === 0 && p.municipalityId === orgId(city.key) && p.dischargedOn === null);
        patient = rng.pick(candidates);
      } else if (plan.program === 'post_involuntary_support') {
        // 措置入院: admitted shortly before the notification (referred).
        patient = newPatient(hospital, city.key, city.wards, daysBetween(addDays(dates[0], -rng.int(0, 7)), today), rng.chance(0.8) ? 'involuntary' : 'emergency_involuntary');
        patient.history = rng.chance(0.5);
      } else {
        // A person already living in the community, discharged some months before the referral.
        patient = newPatient(hospital, city.key, city.wards, daysBetween(addDays(dates[0], -rng.int(400, 2000)), today), longStayType());
        patient.community = true;
        patient.dischargedOn = addDays(dates[0], -rng.int(5, 40));
        patient.destination = dischargeDestination();
      }
      enrolled[index] = patient;
      patient.usedFor.add(plan.program);
      // A long stay at the time of the referral (地域移行支援 is for people in hospital a year or more).
      if (plan.program === 'community_transition' && daysBetween(patient.admittedOn, dates[0]) < 365) {
        patient.admittedOn = addDays(dates[0], -rng.int(400, 2500));
      }
      if (!patient.consentOn) {
        patient.consentOn = dates[Math.min(1, dates.length - 1)];
        patient.row.consent_on = patient.consentOn;
        patient.row.consent_scope = CONSENT_SCOPE;
      }
      const dischargeIdx = path.indexOf('discharged');
      if (dischargeIdx >= 0) {
        patient.dischargedOn = dischargedOn[index] = dates[dischargeIdx];
        patient.destination = plan.program === 'post_involuntary_support' ? rng.pick(['home_family', 'home_alone']) : dischargeDestination();
      }
      if (plan.reason === 'condition_worsened' && dischargeIdx >= 0) patient.readmittedOn = dates[dates.length - 1]; // readmitted

      const enrollmentId = demoId(`enrollment:${city.key}:${index}`);
      const last = path[path.length - 1];
      const final = STEP_TABLES[plan.program].steps[last].final === true;
      const officeUser = userOf.get(plan.office)!;
      const hospitalUser = userOf.get(hospitalKey)!;
      const cityUser = demoId(`user:${city.key}`);
      rows.enrollments.push({
        id: enrollmentId, patient_id: patient.id, program: plan.program, team_id: demoId(`team:${team}`), support_office_id: orgId(plan.office),
        nurse_station_id: plan.station ? orgId(plan.station) : null, hospital_id: patient.hospitalId, municipality_id: orgId(city.key),
        step: last, is_active: !final, started_on: dates[0], step_entered_on: dates[dates.length - 1], ended_on: final ? dates[dates.length - 1] : null,
        created_at: at(dates[0], 9), updated_at: at(dates[dates.length - 1], 9, path.length), version: path.length,
      });
      path.forEach((step, i) => {
        const granted = step === 'granted';
        const onBehalf = granted && rng.chance(0.25);
        const actor = (() => {
          if (granted) return onBehalf ? { id: officeUser, role: 'support_office_staff' } : { id: cityUser, role: 'municipal_officer' };
          if (plan.program === 'post_involuntary_support' && (step === 'referred' || step === 'planned')) return { id: cityUser, role: 'municipal_officer' };
          if (step === 'referred' || step === 'discharged') return { id: hospitalUser, role: 'hospital_staff' };
          return { id: officeUser, role: 'support_office_staff' };
        })();
        rows.enrollment_steps.push({
          id: demoId(`step:${enrollmentId}:${i}`), enrollment_id: enrollmentId, from_step: i === 0 ? null : path[i - 1], to_step: step,
          occurred_on: dates[i], actor_id: actor.id, actor_role: actor.role, on_behalf_of_id: onBehalf ? orgId(city.key) : null,
          note: STEP_NOTES[step] ?? null, reason: step === 'withdrawn' ? (plan.reason ?? 'other') : null, created_at: at(dates[i], 9, i),
        });
      });

      // 支給決定期間: granted, then renewed without a gap while the benefit is still in use.
      const grantedIdx = path.indexOf('granted');
      if (grantedIdx >= 0) {
        const months = STEP_TABLES[plan.program].benefitPeriodMaxMonths ?? 6;
        const runningSteps = path.slice(grantedIdx).filter((s) => STEP_TABLES[plan.program].steps[s].benefitRunning);
        const lastRunningIdx = path.lastIndexOf(runningSteps[runningSteps.length - 1]);
        const usedUntil = lastRunningIdx === path.length - 1 && !final ? today : dates[Math.min(lastRunningIdx + 1, path.length - 1)];
        let start = dates[grantedIdx];
        let n = 0;
        for (;;) {
          const end = addDays(addMonths(start, months), -1);
          rows.benefit_periods.push({ id: demoId(`benefit:${enrollmentId}:${n}`), enrollment_id: enrollmentId, starts_on: start, ends_on: end, is_renewal: n > 0, granted_by_id: cityUser, created_at: at(n === 0 ? start : addDays(start, -14), 15) });
          if (end >= usedUntil) break;
          start = addDays(end, 1);
          n++;
        }
      }

      writeContacts(rng, rows, {
        enrollmentId, program: plan.program, path, dates, profile: plan.profile ?? 'steady', today, windowStart,
        officeUser, hospitalUser, nurseUser: plan.station ? userOf.get(plan.station)! : null, peers: peersOf.get(city.key) ?? [],
      });
    });
  }

  // ---- admissions: earlier stays (readmissions), the current or last one, a readmission after discharge ---
  const previousType = () => rng.weighted([['voluntary', 35], ['medical_protection', 40], ['involuntary', 10], ['emergency_involuntary', 7], ['urgent', 8]] as const);
  patients.forEach((p, i) => {
    const adm = (n: number, row: Row) => rows.admissions.push({ id: demoId(`admission:${p.id}:${n}`), patient_id: p.id, hospital_id: p.hospitalId, hospital_ward: rng.pick(HOSPITAL_WARDS), ...row });
    if (p.history) {
      // The stay before: a readmission within 3, 6 or 12 months of its discharge, or later.
      const gap = rng.weighted<[number, number]>([[[10, 90], 30], [[91, 182], 15], [[183, 365], 15], [[366, 2000], 40]]);
      const prevOut = addDays(p.admittedOn, -rng.int(gap[0], gap[1]));
      const prevIn = addDays(prevOut, -rng.int(20, 600));
      if (prevIn > addDays(p.birthDate, 18 * 365)) {
        // Forced on two patients so that 応急入院 and 緊急措置入院 both appear.
        const type = i === 1 ? 'urgent' : i === 2 ? 'emergency_involuntary' : previousType();
        adm(0, { admission_type: type, admitted_on: prevIn, discharged_on: prevOut, discharge_destination: rng.pick(['home_family', 'home_alone', 'group_home', 'transfer_hospital', 'other']) });
      }
    }
    adm(1, { admission_type: p.admissionType, admitted_on: p.admittedOn, discharged_on: p.dischargedOn, discharge_destination: p.dischargedOn ? p.destination : null });
    if (p.readmittedOn) adm(2, { admission_type: 'medical_protection', admitted_on: p.readmittedOn, discharged_on: null, discharge_destination: null });
    p.row.created_at = at(maxDate(p.admittedOn, teamsFormed), 9);
    rows.patients.push(p.row);
  });

  // ---- events: liaison conferences, the working group, training, transition-programme sessions -----------
  writeEvents(rng, rows, { today, fy, fyStart, teamsFormed, trainingDay, peerTrainees, peersOf, orgId });

  // ---- this year's indicator sheet (the seed's 指標 / 設定理由 / 現状値 / 目標値), set by each city --------------
  const target = (cityKey: string, code: string, reason: string, baseline: number | null, baselineText: string | null, goal: number | null, goalText: string | null) =>
    rows.indicator_targets.push({
      id: demoId(`target:${cityKey}:${fy}:${code}`), fiscal_year: fy, code, municipality_id: orgId(cityKey), reason, baseline, baseline_text: baselineText,
      target: goal, target_text: goalText, updated_by_id: demoId(`user:${cityKey}`), created_at: at(fyStart, 10), updated_at: at(fyStart, 10),
    });
  const longStay = CITY.hospitals.reduce((sum, h) => sum + h.longStay, 0);
  target('city', 'transition_program_sessions', '広く医療機関が絡んだプログラムの実績がない', 3, '３件（２病院）', 9, '９件（各病院１件）');
  target('city', 'transition_program_hospitals', '広く医療機関が絡んだプログラムの実績がない', 2, '２病院', CITY.hospitals.length, '全病院（各病院１件以上）');
  target('city', 'peer_involvement', '活用モデルとして確立していない', null, null, 40, '40件（月３件程度）');
  target('city', 'supporter_training', '未実施', 0, '未実施', 1, '１回');
  target('city', 'peers_employed', '最終的にはピア雇用につなげるのが理想', 1, '１人', 3, '３人');
  target('city', 'program_discharges', '構築推進事業を利用して、実際に退院につなげた事例やその件数を把握する', null, null, 8, '８人');
  target('city', 'long_stay_inpatients', '長期入院患者を抱える病院と連携し、地域移行を進める', longStay + 20, `${longStay + 20}人（前年度）`, longStay - 20, `${longStay - 20}人`);
  target('city2', 'transition_program_sessions', '院内プログラムの実績がない', 0, '未実施', 2, '２件');

  return { rows, accounts, ids: { city: orgId(CITY.key), neighbour: orgId(NEIGHBOUR.key), prefecture: prefectureId }, today };
}

/** The steps an enrollment went through, first to current, checked against the step table. */
function pathOf(plan: EnrollmentPlan): string[] {
  const table = STEP_TABLES[plan.program];
  const target = plan.step === 'withdrawn' ? plan.withdrawnAfter! : plan.step;
  const path = [table.initial];
  while (path[path.length - 1] !== target) {
    const next = table.steps[path[path.length - 1]].next.find((s) => s !== 'withdrawn' && s !== 'completed') ?? 'completed';
    path.push(next);
    if (path.length > 20) throw new Error(`demo plan: ${plan.program} cannot reach ${target}`);
  }
  if (plan.step === 'withdrawn') path.push('withdrawn');
  for (let i = 1; i < path.length; i++) {
    const check = checkMove(plan.program, path[i - 1], path[i]);
    if (!check.ok) throw new Error(`demo plan: ${check.detail}`);
  }
  return path;
}

/**
 * Dates of each step: one anchor step is placed (a discharge in the current fiscal year, a grant whose period
 * ends within 30 days, or the current step a little before today), the others before and after it with the
 * programme's typical gaps; then kept within [team formed, today] and never going backwards.
 */
function planDates(rng: Prng, plan: EnrollmentPlan, path: string[], c: { today: string; fyStart: string; teamStart: string; notBefore?: string }): string[] {
  const gap = (from: string, to: string) => {
    const g = STEP_GAP[`${plan.program}:${from}>${to}`] ?? (to === 'withdrawn' ? [5, 60] : [7, 21]);
    return rng.int(g[0], g[1]);
  };
  const elapsed = daysBetween(c.fyStart, c.today);
  let anchor = path.length - 1;
  let anchorDate: string;
  const dIdx = path.indexOf('discharged');
  const gIdx = path.indexOf('granted');
  if (c.notBefore) {
    anchor = 0;
    anchorDate = addDays(c.notBefore, rng.int(0, 10));
  } else if (plan.profile === 'expiring' && gIdx >= 0) {
    anchor = gIdx;
    const months = STEP_TABLES[plan.program].benefitPeriodMaxMonths ?? 6;
    anchorDate = addDays(addMonths(c.today, -months), rng.int(4, 25)); // the period ends 3–24 days from today
  } else if (dIdx >= 0 && plan.step !== 'completed' && plan.step !== 'withdrawn') {
    anchor = dIdx;
    anchorDate = addDays(c.fyStart, rng.int(0, Math.floor(elapsed * 0.8))); // discharged this fiscal year
  } else if (plan.step === 'completed') {
    anchorDate = addDays(c.today, -rng.int(10, 90));
  } else if (plan.step === 'supporting' || plan.step === 'planned') {
    anchorDate = addDays(c.today, -rng.int(plan.step === 'supporting' ? 40 : 10, plan.step === 'supporting' ? 150 : 40));
  } else {
    anchorDate = addDays(c.today, -rng.int(3, 40));
  }
  const dates: string[] = new Array(path.length);
  dates[anchor] = anchorDate;
  for (let i = anchor - 1; i >= 0; i--) dates[i] = addDays(dates[i + 1], -gap(path[i], path[i + 1]));
  for (let i = anchor + 1; i < path.length; i++) dates[i] = addDays(dates[i - 1], gap(path[i - 1], path[i]));
  // Clamp into [team formed, today], monotone.
  for (let i = 0; i < dates.length; i++) {
    dates[i] = minDate(c.today, maxDate(c.teamStart, dates[i]));
    if (i > 0 && dates[i] < dates[i - 1]) dates[i] = dates[i - 1];
  }
  return dates;
}

interface ContactContext {
  enrollmentId: string;
  program: Program;
  path: string[];
  dates: string[];
  profile: string;
  today: string;
  windowStart: string;
  officeUser: string;
  hospitalUser: string;
  nurseUser: string | null;
  peers: string[];
}

/**
 * 12 months of contacts following the monthly rule (地域移行支援: ≥ 2 face-to-face days a month while granted,
 * planned or supporting): a steady enrollment meets it every month, a `missed` one falls short in one past
 * month, an `at_risk` one has fewer than two days so far this month.
 */
function writeContacts(rng: Prng, rows: DemoRows, c: ContactContext): void {
  const phaseOf = (date: string): string => {
    let step = c.path[0];
    for (let i = 0; i < c.path.length; i++) if (c.dates[i] <= date) step = c.path[i];
    return step;
  };
  const start = maxDate(c.dates[0], c.windowStart);
  const endStep = c.path[c.path.length - 1];
  const end = STEP_TABLES[c.program].steps[endStep].final ? c.dates[c.dates.length - 1] : c.today;
  if (start > end) return;
  const missedMonth = c.profile === 'missed' ? monthStart(addMonths(c.today, -rng.int(1, 3))) : null;
  let seq = 0;
  const add = (kind: Kind, day: string) => {
    if (day < start || day > end) return;
    const id = demoId(`contact:${c.enrollmentId}:${seq++}`);
    const hh = rng.int(9, 16);
    const minutes = kind === 'phone' ? rng.int(5, 20) : kind === 'trial_stay' ? null : rng.int(30, 120);
    const endsOn = kind === 'trial_stay' ? minDate(c.today, addDays(day, rng.int(1, 2))) : null;
    const staff = [c.officeUser];
    if (kind === 'case_conference') staff.push(c.hospitalUser);
    if (kind === 'home_visit' && c.nurseUser && rng.chance(0.4)) staff.push(c.nurseUser);
    const peer = (kind === 'peer_visit' || (kind === 'accompanied_outing' && rng.chance(0.2))) && c.peers.length ? [rng.pick(c.peers)] : [];
    const author = kind === 'case_conference' && rng.chance(0.5) ? c.hospitalUser : c.officeUser;
    const living = ['discharged', 'settling'].includes(phaseOf(day)) || (c.program !== 'community_transition' && phaseOf(day) === 'supporting');
    const place = living && PLACE[kind] === 'hospital' ? 'home' : PLACE[kind];
    const base = { kind, occurred_on: day, ends_on: endsOn, start_time: kind === 'trial_stay' ? null : `${String(hh).padStart(2, '0')}:${rng.pick(['00', '15', '30', '45'])}:00`, minutes, place, staff_ids: staff, peer_supporter_ids: peer };
    const recordedAt = at(day, Math.min(hh + 2, 20), rng.int(0, 59));
    rows.contact_revisions.push({ id: demoId(`revision:${id}:1`), contact_id: id, revision: 1, ...base, summary: rng.pick(SUMMARIES[kind]), reason: null, recorded_by_id: author, recorded_at: recordedAt });
    let current: Row = base;
    let revision = 1;
    if (rng.chance(0.06) && minutes !== null) {
      // An amendment supersedes the original; both stay readable (真正性).
      revision = 2;
      current = { ...base, minutes: Math.min(1440, minutes + rng.pick([-15, 15, 30])) };
      if ((current.minutes as number) < 1) current.minutes = minutes;
      rows.contact_revisions.push({ id: demoId(`revision:${id}:2`), contact_id: id, revision: 2, ...current, summary: `${rng.pick(SUMMARIES[kind])}（追記）`, reason: rng.pick(AMENDMENT_REASONS), recorded_by_id: author, recorded_at: at(minDate(c.today, addDays(day, rng.int(1, 5))), 18) });
    }
    rows.contacts.push({ id, enrollment_id: c.enrollmentId, revision, ...current, created_by_id: author, created_at: recordedAt, updated_at: recordedAt });
  };

  for (let month = monthStart(start); month <= end; month = addMonths(month, 1)) {
    const [y, m] = month.split('-').map(Number);
    const first = maxDate(month, start);
    const lastOfMonth = `${month.slice(0, 8)}${String(daysInMonth(y, m)).padStart(2, '0')}`;
    const last = minDate(lastOfMonth, end);
    if (first > last) continue;
    const d0 = Number(first.slice(8, 10));
    const d1 = Number(last.slice(8, 10));
    const days = (n: number) => rng.distinctInts(d0, d1, n).map((d) => `${month.slice(0, 8)}${String(d).padStart(2, '0')}`);
    const p0 = phaseOf(first);
    const p1 = phaseOf(last);
    const phase = STEP_TABLES[c.program].steps[p1].final ? p0 : p1;
    const isCurrent = month === monthStart(c.today);
    const billable = (s: string) => c.program === 'community_transition' && ['granted', 'planned', 'supporting'].includes(s);
    if (billable(p0) || billable(phase)) {
      let target = rng.int(2, 5);
      if (month === missedMonth) target = rng.int(0, 1);
      if (isCurrent && c.profile === 'at_risk') target = rng.int(0, 1);
      for (const day of days(target)) add(rng.weighted(F2F_KINDS), day);
      for (const day of days(rng.int(0, 2))) add('phone', day);
      if (rng.chance(0.35)) for (const day of days(1)) add('case_conference', day);
    } else if (phase === 'discharged' || phase === 'settling' || (c.program !== 'community_transition' && phase === 'supporting')) {
      const visits = c.program === 'post_involuntary_support' ? rng.int(1, 2) : rng.int(2, 4);
      for (const day of days(visits)) add(rng.chance(0.85) ? 'home_visit' : 'accompanied_outing', day);
      for (const day of days(rng.int(1, 3))) add('phone', day);
    } else {
      // Before the grant (or before discharge for 措置入院者退院後支援): meeting the person, planning.
      for (const day of days(rng.int(1, 2))) add('face_to_face', day);
      if (rng.chance(0.5)) for (const day of days(1)) add(c.program === 'post_involuntary_support' ? 'case_conference' : 'phone', day);
    }
  }
}

interface EventContext {
  today: string;
  fy: number;
  fyStart: string;
  teamsFormed: string;
  trainingDay: string;
  peerTrainees: string[];
  peersOf: Map<string, string[]>;
  orgId: (key: string) => string;
}

function writeEvents(rng: Prng, rows: DemoRows, c: EventContext): void {
  const cityOrgs = (city: CityPlan) => [city.key, ...city.hospitals.map((h) => h.key), ...city.offices.map((o) => o.key), ...city.stations.map((s) => s.key)];
  let n = 0;
  const event = (city: CityPlan, kind: string, heldOn: string, title: string, o: { host?: string; hospital?: string; attend: string[]; peers?: string[]; notes?: string }) => {
    if (heldOn > c.today) return;
    const id = demoId(`event:${city.key}:${n++}`);
    rows.events.push({
      id, kind, held_on: heldOn, title, host_id: c.orgId(o.host ?? city.key), hospital_id: o.hospital ? c.orgId(o.hospital) : null,
      municipality_id: c.orgId(city.key), notes: o.notes ?? null, created_at: at(heldOn, 17),
    });
    for (const key of new Set(o.attend)) rows.event_attendance.push({ event_id: id, organization_id: c.orgId(key), headcount: key === city.key ? rng.int(2, 4) : rng.int(1, 3) });
    for (const peer of new Set(o.peers ?? [])) rows.event_peer_supporters.push({ event_id: id, peer_supporter_id: peer });
  };
  const inFy = (fraction: number) => addDays(c.fyStart, Math.floor(daysBetween(c.fyStart, c.today) * fraction));
  const somePeers = (city: CityPlan, k: number) => rng.shuffle([...(c.peersOf.get(city.key) ?? [])]).slice(0, k);

  for (const city of [CITY, NEIGHBOUR]) {
    const all = cityOrgs(city);
    const first = city === CITY;
    // 連携会議: twice a year, June and November (the seed: "6月 次回11月").
    for (const year of [c.fy - 1, c.fy]) {
      for (const [month, day] of [[6, 20], [11, 14]]) {
        const heldOn = `${month >= 4 ? year : year + 1}-${String(month).padStart(2, '0')}-${day}`;
        if (!first && year < c.fy) continue;
        event(city, 'liaison_conference', heldOn, `${city.name} 精神障害にも対応した地域包括ケアシステム構築推進連携会議（${year}年度 第${month === 6 ? 1 : 2}回）`, { attend: all });
      }
    }
    // 地域移行推進隊（分科会）: monthly in the first city, every other month in the neighbour.
    for (let month = addMonths(`${c.teamsFormed.slice(0, 7)}-01`, -1), i = 0; month <= c.today; month = addMonths(month, first ? 1 : 2), i++) {
      if (month < addMonths(c.today, -14)) continue;
      const heldOn = addDays(month, rng.int(10, 20));
      const theme = ['進める', '広める', '深める'][i % 3];
      event(city, 'working_group', heldOn, `${city.name} 地域移行推進隊 分科会（${theme}）`, {
        attend: [city.key, ...rng.shuffle([...all.slice(1)]).slice(0, rng.int(3, 6))],
        peers: first ? somePeers(city, rng.int(0, 2)) : [],
      });
    }
  }
  // 養成研修: held once this fiscal year (the seed's target: 未実施 → 1回); attending marks peers as trained.
  event(CITY, 'supporter_training', c.trainingDay, 'ピアサポーター養成研修', { attend: ['city', 'o1', 'o2', 'o3', 'o5'], peers: c.peerTrainees });
  event(CITY, 'peer_exchange', inFy(0.4), 'ピアサポーター交流会', { host: 'o1', attend: ['city', 'o1', 'o3', 'o4', 's2'], peers: somePeers(CITY, 3) });
  event(CITY, 'public_seminar', inFy(0.7), '公開セミナー「地域で暮らす」', { attend: ['city', 'o1', 'o2', 'h1', 'h2'], peers: somePeers(CITY, 2) });
  // 地域移行支援プログラム（院内）: the seed's baseline — 3 sessions in 2 hospitals this fiscal year.
  event(CITY, 'transition_program', inFy(0.15), '院内地域移行プログラム（退院後の暮らしを知ろう）', { host: 'h1', hospital: 'h1', attend: ['h1', 'o1', 'o3', 'city'], peers: somePeers(CITY, 1) });
  event(CITY, 'transition_program', inFy(0.5), '院内地域移行プログラム（グループホーム紹介）', { host: 'h1', hospital: 'h1', attend: ['h1', 'o3', 's2'], peers: somePeers(CITY, 2) });
  event(CITY, 'transition_program', inFy(0.75), '院内地域移行プログラム（ピアの体験談）', { host: 'h2', hospital: 'h2', attend: ['h2', 'o5', 's1', 'city'], peers: somePeers(CITY, 2) });
  // The year before: one session only.
  event(CITY, 'transition_program', addDays(c.fyStart, -100), '院内地域移行プログラム', { host: 'h1', hospital: 'h1', attend: ['h1', 'o3'] });
  event(NEIGHBOUR, 'transition_program', inFy(0.3), '院内地域移行プログラム', { host: 'hb', hospital: 'hb', attend: ['hb', 'ob1', 'city2'] });
  event(NEIGHBOUR, 'transition_program', inFy(0.6), '院内地域移行プログラム（退院者の話を聞く会）', { host: 'hb', hospital: 'hb', attend: ['hb', 'ob1', 'sb1'], peers: somePeers(NEIGHBOUR, 1) });
}
