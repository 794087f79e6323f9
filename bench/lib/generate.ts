/**
 * Synthetic data sets at the sizes of DOMAIN.md §10, written with COPY. Statistically plausible rather than
 * exact: hospitals sized by beds (log-normal), heavy-tailed (Zipf-like) team and office caseloads, long stays of
 * 1–30 years, ~20 % of inpatients discharged per year with readmissions, a seasonal contact rhythm (fewer contacts
 * in August and around the New Year, weekdays mostly), step histories that follow the step tables.
 */
import { writeFileSync, existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { hashPassword } from '../../src/auth/passwords.js';
import { addMonths, todayInTokyo } from '../../src/common/dates.js';
import { openDataSource, migrate } from '../../src/database/database.js';
import { NO_LOGIN_HASH } from '../../src/demo/demo-city.js';
import { personName } from '../../src/demo/names.js';
import { Prng } from '../../src/demo/prng.js';
import { STEP_TABLES, type Program } from '../../src/enrollments/programs.js';
import { CopyWriter, NULL, uuidArray } from './copy.js';
import type { BenchAccount, Manifest } from './manifest.js';
import type { SizeSpec } from './sizes.js';

export const BENCH_PASSWORD = 'kizuna-bench-password-2026';
export const BENCH_EMAIL_DOMAIN = 'kizuna-bench.example';
const MARKER = 'synthetic_dataset';

export interface SeedOptions {
  size: SizeSpec;
  contacts?: number;
  seed?: number;
  today?: string;
  /** Folder for the index-recovery file while indexes are dropped. */
  dir: string;
  log: (line: string) => void;
}

export class AlreadySeeded extends Error {}

// ---- small helpers on day numbers (days since 1970-01-01, UTC midnights of Tokyo calendar days) ------------
const DAY_MS = 86_400_000;
const dayOf = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateCache = new Map<number, string>();
function dateOf(day: number): string {
  let s = dateCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dateCache.set(day, s);
  }
  return s;
}
const h8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

class Ids {
  constructor(private readonly rng: Prng) {}
  private u32 = () => Math.floor(this.rng.next() * 4294967296);
  /** A random version-4 UUID from the seeded PRNG (deterministic for a seed). */
  random(): string {
    const a = h8(this.u32()), b = h8(this.u32()), c = h8(this.u32()), d = h8(this.u32());
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${((parseInt(c[0], 16) & 3) | 8).toString(16)}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
  }
  /** Ascending ids (time-ordered like UUIDv7): the primary key's B-tree only ever appends while loading. */
  ordered(tag: number, n: number): string {
    const c = h8(this.u32()), d = h8(this.u32());
    return `${h8(n)}-${h8(tag).slice(4)}-7${c.slice(0, 3)}-${((parseInt(c[3], 16) & 3) | 8).toString(16)}${c.slice(4, 7)}-${d}${c.slice(7)}000`;
  }
}

/** Weighted sampling by binary search over cumulative weights. */
class Sampler<T> {
  private cum: number[] = [];
  constructor(private readonly items: T[], weights: number[]) {
    let s = 0;
    for (const w of weights) this.cum.push((s += w));
  }
  get size() {
    return this.items.length;
  }
  pick(rng: Prng): T {
    const r = rng.next() * this.cum[this.cum.length - 1];
    let lo = 0, hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

const logNormal = (rng: Prng, sigma: number) => Math.exp(rng.normal() * sigma);

interface Org { id: string; kind: string; idx: number; muni: number; pref: number; staff: string[] }
interface Team { id: string; hospital: Org; muni: number; offices: Org[]; stations: Org[]; startDay: number; weight: number }
interface Patient {
  id: string; hospital: Org; respMuni: number; birthDay: number; admitDay: number; type: string;
  dischargeDay: number; destination: string; readmitDay: number; prevIn: number; prevOut: number; prevType: string; consentDay: number;
}
interface Enrollment {
  id: string; patient: Patient; program: Program; team: Team; office: Org; station: Org | null;
  path: string[]; days: number[]; final: boolean; reason: string | null; contacts: number; dischargeDay: number;
}

const CT_STEPS: [string, number][] = [['referred', 7], ['engaged', 6], ['applied', 5], ['granted', 5], ['planned', 7], ['supporting', 22], ['discharged', 3], ['settling', 5], ['completed', 25], ['withdrawn', 15]];
const CS_STEPS: [string, number][] = [['referred', 8], ['granted', 8], ['supporting', 44], ['completed', 28], ['withdrawn', 12]];
const PIS_STEPS: [string, number][] = [['referred', 8], ['planned', 12], ['discharged', 6], ['supporting', 30], ['completed', 32], ['withdrawn', 12]];
const GAP: Record<string, [number, number]> = {
  engaged: [10, 30], applied: [7, 21], granted: [10, 25], planned: [5, 30], supporting: [5, 20], discharged: [60, 200],
  settling: [0, 3], completed: [60, 200], withdrawn: [5, 90],
};
/** Seasonal rhythm of contacts (お盆 in August, 年末年始), by month 1–12. */
const MONTH_WEIGHT = [0, 0.85, 1.0, 1.1, 1.0, 0.95, 1.05, 1.0, 0.75, 1.0, 1.05, 1.0, 0.85];
const PRE_KINDS: readonly (readonly [string, number])[] = [['face_to_face', 38], ['phone', 20], ['accompanied_outing', 10], ['trial_service_use', 7], ['trial_stay', 5], ['peer_visit', 8], ['case_conference', 10], ['other', 2]];
const POST_KINDS: readonly (readonly [string, number])[] = [['home_visit', 50], ['phone', 33], ['accompanied_outing', 10], ['case_conference', 5], ['other', 2]];
const PLACE: Record<string, string> = {
  face_to_face: 'hospital', phone: 'phone', accompanied_outing: 'community', trial_stay: 'community', trial_service_use: 'community',
  home_visit: 'home', case_conference: 'hospital', peer_visit: 'hospital', other: 'office',
};

const REVISIONS_SQL = `
    INSERT INTO contact_revisions (contact_id, revision, kind, occurred_on, ends_on, start_time, minutes, place, staff_ids,
                                   peer_supporter_ids, summary, recorded_by_id, recorded_at)
    SELECT c.id, 1, c.kind, c.occurred_on, c.ends_on, c.start_time, c.minutes, c.place, c.staff_ids, c.peer_supporter_ids,
           CASE c.kind WHEN 'phone' THEN '電話で体調を確認した。' WHEN 'home_visit' THEN '自宅訪問。生活リズムは安定している。'
                       WHEN 'case_conference' THEN 'ケア会議。支援計画を見直した。' ELSE '面接。退院後の暮らしについて希望を確認した。' END,
           c.created_by_id, c.created_at
    FROM contacts c WHERE $RANGE AND NOT EXISTS (SELECT 1 FROM contact_revisions r WHERE r.contact_id = c.id)`;

/** Tables whose secondary indexes are dropped while loading and rebuilt after (faster than maintaining them row by row). */
const REBUILT_TABLES = ['patients', 'admissions', 'enrollment_steps', 'contacts', 'contact_revisions'];

export async function seedSynthetic(url: string, o: SeedOptions): Promise<Manifest> {
  const started = Date.now();
  const log = (s: string) => o.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${s}`);
  const ds = await openDataSource({ url, poolSize: 1, statementTimeoutMs: 0 });
  const ran = await migrate(ds);
  await ds.destroy();
  if (ran.length) log(`migrations: ${ran.length} applied`);

  const pool = new pg.Pool({ connectionString: url, max: 3 });
  const client = await pool.connect();
  try {
    const marker = await client.query(`SELECT details->>'size' AS size FROM audit_events WHERE entity_type = $1 LIMIT 1`, [MARKER]);
    if (marker.rowCount) throw new AlreadySeeded(`this database already holds the synthetic ${marker.rows[0].size} data set`);
    await restoreIndexes(pool, o.dir, log); // from an interrupted earlier run, if any
    await client.query(`SET synchronous_commit = off`);
    let replica = true;
    try {
      // Skips foreign-key triggers while loading: the generator writes consistent rows (superuser only).
      await client.query(`SET session_replication_role = replica`);
    } catch {
      replica = false;
      log('not a superuser: foreign keys are checked row by row (slower)');
    }
    const manifest = await generate(pool, client, o, log, replica);
    manifest.seconds = Math.round((Date.now() - started) / 100) / 10;
    log(`done in ${manifest.seconds} s`);
    return manifest;
  } finally {
    client.release();
    await pool.end();
  }
}

async function generate(pool: pg.Pool, client: pg.PoolClient, o: SeedOptions, log: (s: string) => void, replica: boolean): Promise<Manifest> {
  const size = o.size;
  const rng = new Prng(o.seed ?? 20260401);
  const ids = new Ids(rng);
  const today = o.today ?? todayInTokyo();
  const todayDay = dayOf(today);
  const windowStart = todayDay - 3 * 365;
  const contactTotal = o.contacts ?? size.contacts;
  const counts: Record<string, number> = {};

  // ---- geography: prefectures and municipalities (one prefecture of ~40 municipalities for the comparison) --
  const prefMunis: number[] = [];
  if (size.prefectures === 1) prefMunis.push(size.municipalities);
  else {
    const rest = size.municipalities - 40;
    const w = Array.from({ length: size.prefectures - 1 }, () => logNormal(rng, 0.6));
    const sw = w.reduce((a, b) => a + b, 0);
    const n = w.map((x) => Math.max(3, Math.round((rest * x) / sw)));
    n[0] += rest - n.reduce((a, b) => a + b, 0);
    prefMunis.push(40, ...n);
  }
  const orgs: Org[] = [];
  const orgRows: string[] = [];
  const addOrg = (kind: string, name: string, kana: string, muniIdx: number, prefIdx: number, f: { muni?: string | null; pref?: string | null; beds?: number; longStay?: number; capacity?: number }) => {
    const org: Org = { id: ids.random(), kind, idx: orgs.length, muni: muniIdx, pref: prefIdx, staff: [] };
    orgs.push(org);
    orgRows.push([org.id, kind, name, kana, f.muni ?? NULL, f.pref ?? NULL, f.beds ?? NULL, f.longStay ?? NULL, f.longStay !== undefined ? today : NULL, f.capacity ?? NULL].join('\t'));
    return org;
  };
  const prefectures: Org[] = [];
  const munis: Org[] = [];
  const muniWeight: number[] = [];
  const munisOfPref: number[][] = [];
  prefMunis.forEach((count, p) => {
    const pref = addOrg('prefecture', `合成県${String(p + 1).padStart(2, '0')}（${size.name}）`, 'ゴウセイケン', -1, p, {});
    prefectures.push(pref);
    munisOfPref.push([]);
    for (let j = 0; j < count; j++) {
      const m = addOrg('municipality', `合成県${String(p + 1).padStart(2, '0')} 第${j + 1}市（${size.name}）`, 'ゴウセイシ', munis.length, p, { pref: pref.id });
      m.muni = munis.length;
      munisOfPref[p].push(munis.length);
      munis.push(m);
      muniWeight.push(1 / Math.pow(j + 1, 1.0)); // Zipf: a few large cities, many small towns
    }
  });
  const muniSampler = new Sampler(munis.map((_, i) => i), muniWeight);
  const rest = size.organizations - prefectures.length - munis.length;
  const nHospitals = Math.max(5, Math.round(rest * 0.074));
  const nStations = Math.round(rest * 0.31);
  const nOffices = rest - nHospitals - nStations;
  const byKindInMuni = new Map<string, Org[]>();
  const place = (kind: string, n: number, label: string, kana: string, extra: (i: number) => Partial<Parameters<typeof addOrg>[5]>) => {
    const list: Org[] = [];
    for (let i = 0; i < n; i++) {
      const mi = muniSampler.pick(rng);
      const m = munis[mi];
      const org = addOrg(kind, `合成${label}${i + 1}（${size.name}）`, kana, mi, m.pref, { muni: m.id, ...extra(i) });
      list.push(org);
      const key = `${kind}:${mi}`;
      byKindInMuni.set(key, [...(byKindInMuni.get(key) ?? []), org]);
    }
    return list;
  };
  const beds: number[] = [];
  const hospitals = place('hospital', nHospitals, '病院', 'ゴウセイビョウイン', (i) => {
    beds[i] = Math.max(40, Math.min(900, Math.round(200 * logNormal(rng, 0.5))));
    return { beds: beds[i], longStay: Math.round(beds[i] * 0.55) };
  });
  const offices = place('support_office', nOffices, '相談支援事業所', 'ゴウセイソウダンシエンジギョウショ', () => ({ capacity: rng.int(5, 30) }));
  const stations = place('nurse_station', nStations, '訪問看護ステーション', 'ゴウセイホウモンカンゴステーション', () => ({}));
  const near = (kind: string, muni: number, pref: number, k: number): Org[] => {
    const local = [...(byKindInMuni.get(`${kind}:${muni}`) ?? [])];
    const out: Org[] = [];
    while (out.length < k && local.length) out.push(local.splice(rng.int(0, local.length - 1), 1)[0]);
    for (let tries = 0; out.length < k && tries < 40; tries++) {
      const mi = rng.pick(munisOfPref[pref]);
      const cand = byKindInMuni.get(`${kind}:${mi}`);
      if (cand?.length) {
        const c = rng.pick(cand);
        if (!out.includes(c)) out.push(c);
      }
    }
    if (out.length === 0) out.push(rng.pick(kind === 'support_office' ? offices : stations));
    return out;
  };
  await copyRows(client, 'organizations', ['id', 'kind', 'name', 'name_kana', 'municipality_id', 'prefecture_id', 'psychiatric_beds', 'long_stay_inpatients', 'long_stay_as_of', 'case_capacity'], orgRows);
  counts.organizations = orgs.length;
  log(`organizations: ${orgs.length} (${prefectures.length} prefectures, ${munis.length} municipalities, ${nHospitals} hospitals, ${nOffices} offices, ${nStations} stations)`);

  // ---- users: staff of every organization (no login), a few admins -----------------------------------------
  const BASE: Record<string, number> = { hospital: 4, support_office: 2, nurse_station: 1, municipality: 2, prefecture: 2 };
  const ROLE: Record<string, string> = { hospital: 'hospital_staff', support_office: 'support_office_staff', nurse_station: 'nurse_staff', municipality: 'municipal_officer', prefecture: 'prefectural_officer' };
  const baseTotal = orgs.reduce((s, x) => s + BASE[x.kind], 0);
  const scale = Math.max(0.05, (size.users - 3 - 6) / baseTotal);
  const userRows: string[] = [];
  const userCreated = `${dateOf(windowStart)} 09:00:00+09`;
  const addUser = (role: string, org: Org | null) => {
    const id = ids.random();
    const n = personName(rng);
    userRows.push([id, `u${userRows.length + 1}@synthetic.${BENCH_EMAIL_DOMAIN}`, `${n.familyName} ${n.givenName}`, role, org?.id ?? NULL, NO_LOGIN_HASH, userCreated, userCreated].join('\t'));
    org?.staff.push(id);
    return id;
  };
  for (let i = 0; i < 3; i++) addUser('admin', null);
  for (const x of orgs) {
    const want = BASE[x.kind] * scale;
    const n = Math.max(1, Math.floor(want) + (rng.next() < want - Math.floor(want) ? 1 : 0));
    for (let i = 0; i < n; i++) addUser(ROLE[x.kind], x);
  }
  await copyRows(client, 'users', ['id', 'email', 'display_name', 'role', 'organization_id', 'password_hash', 'created_at', 'tokens_valid_after'], userRows);
  counts.users = userRows.length;
  log(`users: ${userRows.length}`);

  // ---- teams (most hospitals are matched; some work with a second municipality) ----------------------------
  const teams: Team[] = [];
  const teamRows: string[] = [];
  const memberRows: string[] = [];
  const teamsOfHospital = new Map<Org, Team[]>();
  const addTeam = (h: Org, muni: number, startDay: number) => {
    const t: Team = { id: ids.random(), hospital: h, muni, offices: near('support_office', h.muni, h.pref, rng.int(1, 3)), stations: rng.chance(0.7) ? near('nurse_station', h.muni, h.pref, 1) : [], startDay, weight: 0 };
    teams.push(t);
    teamsOfHospital.set(h, [...(teamsOfHospital.get(h) ?? []), t]);
    teamRows.push([t.id, `合成チーム${teams.length}（${size.name}）`, h.id, munis[muni].id, dateOf(startDay)].join('\t'));
    const started = dateOf(startDay);
    const member = (org: Org, role: string) => memberRows.push([ids.random(), t.id, org.id, role, started].join('\t'));
    member(h, 'hospital');
    member(munis[muni], 'municipality');
    for (const x of t.offices) member(x, 'support_office');
    for (const x of t.stations) member(x, 'nurse_station');
  };
  hospitals.forEach((h, i) => {
    if (i > 0 && !rng.chance(0.8)) return;
    addTeam(h, h.muni, windowStart - rng.int(60, 700));
    if (munisOfPref[h.pref].length > 1 && rng.chance(0.15)) {
      const other = munisOfPref[h.pref].filter((m) => m !== h.muni);
      addTeam(h, rng.pick(other), windowStart + rng.int(0, 400));
    }
  });
  await copyRows(client, 'teams', ['id', 'name', 'hospital_id', 'municipality_id', 'started_on'], teamRows);
  await copyRows(client, 'team_members', ['id', 'team_id', 'organization_id', 'member_role', 'joined_on'], memberRows);
  counts.teams = teams.length;
  log(`teams: ${teams.length}`);

  // ---- patients and admissions -----------------------------------------------------------------------------
  const dropped = await dropIndexes(pool, o.dir, REBUILT_TABLES);
  log(`dropped ${dropped.length} secondary indexes for the load`);
  const bedSum = beds.reduce((a, b) => a + b, 0);
  const patients: Patient[] = [];
  const perHospital = hospitals.map((_, i) => Math.floor((size.patients * beds[i]) / bedSum));
  for (let i = 0, missing = size.patients - perHospital.reduce((a, b) => a + b, 0); missing > 0; i++, missing--) perHospital[i % perHospital.length]++;
  const lambda = -Math.log(0.8) / 365; // ~20 % of inpatients discharged per year
  const openByHospital = new Map<Org, Patient[]>();
  const dischargedByHospital = new Map<Org, Patient[]>();
  const destinations: readonly (readonly [string, number])[] = [['home_family', 30], ['home_alone', 22], ['group_home', 25], ['welfare_facility', 12], ['transfer_hospital', 8], ['death', 2], ['other', 1]];
  hospitals.forEach((h, hi) => {
    const muniPeers = munisOfPref[h.pref];
    for (let k = 0; k < perHospital[hi]; k++) {
      const long = rng.chance(0.78);
      const stay = long ? rng.weighted<[number, number]>([[[365, 1825], 45], [[1826, 3650], 20], [[3651, 7300], 20], [[7301, 10950], 15]]) : ([20, 364] as [number, number]);
      const admitDay = todayDay - rng.int(stay[0], stay[1]);
      const age = Math.max(Math.ceil((todayDay - admitDay) / 365) + 20, Math.min(90, Math.round(58 + rng.normal() * 13)));
      const p: Patient = {
        id: ids.random(), hospital: h, respMuni: rng.chance(0.75) || muniPeers.length < 2 ? h.muni : rng.pick(muniPeers), birthDay: todayDay - age * 365 - rng.int(0, 364),
        admitDay, type: long ? rng.weighted([['medical_protection', 55], ['voluntary', 41], ['involuntary', 4]] as const) : rng.weighted([['voluntary', 45], ['medical_protection', 45], ['involuntary', 5], ['emergency_involuntary', 2.5], ['urgent', 2.5]] as const),
        dischargeDay: 0, destination: '', readmitDay: 0, prevIn: 0, prevOut: 0, prevType: '', consentDay: 0,
      };
      const from = Math.max(admitDay + 7, windowStart);
      const dis = from + Math.round(-Math.log(1 - rng.next()) / lambda);
      if (dis <= todayDay) {
        p.dischargeDay = dis;
        p.destination = rng.weighted(destinations);
        if (p.destination !== 'death' && rng.chance(0.3)) {
          const back = dis + Math.round(-Math.log(1 - rng.next()) * 240);
          if (back <= todayDay) p.readmitDay = back;
        }
      }
      if (rng.chance(0.25)) {
        // The stay before: readmitted within 3, 6 or 12 months of its discharge, or later.
        const gap = rng.weighted<[number, number]>([[[10, 90], 30], [[91, 182], 15], [[183, 365], 15], [[366, 2000], 40]]);
        p.prevOut = admitDay - rng.int(gap[0], gap[1]);
        p.prevIn = p.prevOut - rng.int(20, 600);
        p.prevType = rng.weighted([['voluntary', 35], ['medical_protection', 40], ['involuntary', 10], ['emergency_involuntary', 7], ['urgent', 8]] as const);
        if (p.prevIn < p.birthDay + 18 * 365) p.prevIn = 0;
      }
      patients.push(p);
      const bucket = p.dischargeDay && !p.readmitDay && p.destination !== 'death' ? dischargedByHospital : !p.dischargeDay ? openByHospital : null;
      if (bucket) {
        const list = bucket.get(h);
        if (list) list.push(p);
        else bucket.set(h, [p]);
      }
    }
  });

  // ---- enrollments: heavy-tailed caseloads per team, histories that follow the step tables ----------------
  for (const t of teams) t.weight = (perHospital[hospitals.indexOf(t.hospital)] + 1) * logNormal(rng, 0.9);
  const teamSampler = new Sampler(teams, teams.map((t) => t.weight));
  const activeKey = new Set<string>();
  const enrollments: Enrollment[] = [];
  const table = { community_transition: CT_STEPS, community_settlement: CS_STEPS, post_involuntary_support: PIS_STEPS } as const;
  for (let attempts = 0; enrollments.length < size.enrollments && attempts < size.enrollments * 20; attempts++) {
    const program = rng.weighted([['community_transition', 70], ['community_settlement', 20], ['post_involuntary_support', 10]] as const) as Program;
    const target = rng.weighted(table[program]);
    const path = pathTo(program, target, rng);
    const team = teamSampler.pick(rng);
    const needsDischarge = path.includes('discharged') || program === 'community_settlement';
    const poolList = (needsDischarge ? dischargedByHospital : openByHospital).get(team.hospital);
    if (!poolList?.length) continue;
    const patient = rng.pick(poolList);
    const final = STEP_TABLES[program].steps[path[path.length - 1]].final === true;
    const key = `${patient.id}:${program}`;
    if (!final && activeKey.has(key)) continue;
    const days = stepDays(rng, program, path, patient, team, todayDay);
    if (!days) continue;
    if (!final) activeKey.add(key);
    const office = rng.chance(0.65) ? team.offices[0] : rng.pick(team.offices);
    const station = team.stations.length && rng.chance(0.4) ? team.stations[0] : null;
    if (!patient.consentDay || patient.consentDay > days[0]) patient.consentDay = days[Math.min(1, days.length - 1)];
    const di = path.indexOf('discharged');
    enrollments.push({
      id: ids.random(), patient, program, team, office, station, path, days, final,
      reason: final && path[path.length - 1] === 'withdrawn' ? rng.weighted([['declined', 35], ['condition_worsened', 35], ['transferred', 15], ['died', 5], ['other', 10]] as const) : null,
      contacts: 0, dischargeDay: di >= 0 ? days[di] : program === 'community_settlement' ? days[0] : 0,
    });
  }

  // patients + admissions
  const patientRows: string[] = [];
  const admissionRows: string[] = [];
  const wardsOf = ['東1病棟', '東2病棟', '西2病棟', '西3病棟', '北病棟', '南病棟'];
  const recordSeq = new Map<Org, number>();
  for (const p of patients) {
    const n = personName(rng);
    const seq = (recordSeq.get(p.hospital) ?? 0) + 1;
    recordSeq.set(p.hospital, seq);
    patientRows.push([
      p.id, p.hospital.id, `R${p.hospital.idx}-${String(seq).padStart(6, '0')}`, n.familyName, n.givenName, n.familyNameKana, n.givenNameKana,
      dateOf(p.birthDay), n.sex, munis[p.respMuni].id, NULL, p.consentDay ? dateOf(p.consentDay) : NULL, p.consentDay ? '支援チーム内での情報共有' : NULL,
      `${dateOf(Math.max(p.admitDay, windowStart - 400))} 10:00:00+09`,
    ].join('\t'));
    const ward = wardsOf[p.hospital.idx % wardsOf.length];
    if (p.prevIn) admissionRows.push([ids.random(), p.id, p.hospital.id, p.prevType, dateOf(p.prevIn), ward, dateOf(p.prevOut), rng.pick(['home_family', 'home_alone', 'group_home', 'other'])].join('\t'));
    admissionRows.push([ids.random(), p.id, p.hospital.id, p.type, dateOf(p.admitDay), ward, p.dischargeDay ? dateOf(p.dischargeDay) : NULL, p.dischargeDay ? p.destination : NULL].join('\t'));
    if (p.readmitDay) admissionRows.push([ids.random(), p.id, p.hospital.id, 'medical_protection', dateOf(p.readmitDay), ward, NULL, NULL].join('\t'));
  }
  await copyRows(client, 'patients', ['id', 'hospital_id', 'record_number', 'family_name', 'given_name', 'family_name_kana', 'given_name_kana', 'birth_date', 'sex', 'responsible_municipality_id', 'residence_ward', 'consent_on', 'consent_scope', 'created_at'], patientRows);
  await copyRows(client, 'admissions', ['id', 'patient_id', 'hospital_id', 'admission_type', 'admitted_on', 'hospital_ward', 'discharged_on', 'discharge_destination'], admissionRows);
  counts.patients = patientRows.length;
  counts.admissions = admissionRows.length;
  log(`patients: ${patientRows.length}, admissions: ${admissionRows.length}`);

  const enrollmentRows: string[] = [];
  const stepRows: string[] = [];
  const benefitRows: string[] = [];
  for (const e of enrollments) {
    const last = e.path.length - 1;
    enrollmentRows.push([
      e.id, e.patient.id, e.program, e.team.id, e.office.id, e.station?.id ?? NULL, e.patient.hospital.id, munis[e.team.muni].id, e.path[last],
      e.final ? 'f' : 't', dateOf(e.days[0]), dateOf(e.days[last]), e.final ? dateOf(e.days[last]) : NULL, `${dateOf(e.days[0])} 09:00:00+09`, `${dateOf(e.days[last])} 09:00:00+09`, String(e.path.length),
    ].join('\t'));
    const officeUser = e.office.staff[0];
    e.path.forEach((step, i) => {
      const actor = step === 'granted' ? munis[e.team.muni].staff[0] : step === 'referred' || step === 'discharged' ? e.patient.hospital.staff[0] : officeUser;
      const role = step === 'granted' ? 'municipal_officer' : step === 'referred' || step === 'discharged' ? 'hospital_staff' : 'support_office_staff';
      stepRows.push([ids.random(), e.id, i ? e.path[i - 1] : NULL, step, dateOf(e.days[i]), actor, role, step === 'withdrawn' ? (e.reason ?? 'other') : NULL, `${dateOf(e.days[i])} 09:${String(10 + i).padStart(2, '0')}:00+09`].join('\t'));
    });
    const gi = e.path.indexOf('granted');
    if (gi >= 0) {
      const months = STEP_TABLES[e.program].benefitPeriodMaxMonths ?? 6;
      const runningUntil = e.final || e.path.includes('discharged') ? e.days[Math.min(last, Math.max(gi, e.path.indexOf('discharged')))] : todayDay;
      let start = dateOf(e.days[gi]);
      for (let n = 0; n < 12; n++) {
        const end = dateOf(dayOf(addMonths(start, months)) - 1);
        benefitRows.push([ids.random(), e.id, start, end, n > 0 ? 't' : 'f', munis[e.team.muni].staff[0]].join('\t'));
        if (dayOf(end) >= runningUntil) break;
        start = dateOf(dayOf(end) + 1);
      }
    }
  }
  await copyRows(client, 'enrollments', ['id', 'patient_id', 'program', 'team_id', 'support_office_id', 'nurse_station_id', 'hospital_id', 'municipality_id', 'step', 'is_active', 'started_on', 'step_entered_on', 'ended_on', 'created_at', 'updated_at', 'version'], enrollmentRows);
  await copyRows(client, 'enrollment_steps', ['id', 'enrollment_id', 'from_step', 'to_step', 'occurred_on', 'actor_id', 'actor_role', 'reason', 'created_at'], stepRows);
  await copyRows(client, 'benefit_periods', ['id', 'enrollment_id', 'starts_on', 'ends_on', 'is_renewal', 'granted_by_id'], benefitRows);
  counts.enrollments = enrollmentRows.length;
  counts.enrollment_steps = stepRows.length;
  counts.benefit_periods = benefitRows.length;
  log(`enrollments: ${enrollmentRows.length}, steps: ${stepRows.length}, benefit periods: ${benefitRows.length}`);

  // ---- peer supporters and events ------------------------------------------------------------------------
  const teamMunis = [...new Set(teams.map((t) => t.muni))];
  const peersOfMuni = new Map<number, string[]>();
  const peerRows: string[] = [];
  for (const mi of teamMunis) {
    const n = rng.int(0, 4);
    const list: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = ids.random();
      const aff = byKindInMuni.get(`support_office:${mi}`)?.[0] ?? null;
      const trained = rng.chance(0.7) ? dateOf(windowStart + rng.int(0, todayDay - windowStart)) : NULL;
      const employed = aff && rng.chance(0.2);
      peerRows.push([id, `ピアサポーター${peerRows.length + 1}`, aff?.id ?? NULL, munis[mi].id, trained, trained, employed ? aff!.id : NULL, employed ? dateOf(windowStart + 200) : NULL].join('\t'));
      list.push(id);
    }
    peersOfMuni.set(mi, list);
  }
  await copyRows(client, 'peer_supporters', ['id', 'display_name', 'affiliation_id', 'municipality_id', 'trained_on', 'trained_outside_on', 'employed_by_id', 'employed_since'], peerRows);
  const eventRows: string[] = [];
  const attendanceRows: string[] = [];
  const eventPeerRows: string[] = [];
  for (const mi of teamMunis) {
    const m = munis[mi];
    const hospitalsHere = teams.filter((t) => t.muni === mi).map((t) => t.hospital);
    const event = (kind: string, day: number, title: string, host: Org, hospital: Org | null, attend: Org[]) => {
      if (day > todayDay) return;
      const id = ids.random();
      eventRows.push([id, kind, dateOf(day), title, host.id, hospital?.id ?? NULL, m.id].join('\t'));
      for (const a of new Set(attend)) attendanceRows.push([id, a.id, String(rng.int(1, 4))].join('\t'));
      const peers = peersOfMuni.get(mi) ?? [];
      if (peers.length && rng.chance(0.4)) eventPeerRows.push([id, rng.pick(peers)].join('\t'));
    };
    for (let y = 0; y < 3; y++) {
      const base = todayDay - y * 365;
      event('liaison_conference', base - rng.int(0, 180), '連携会議', m, null, [m, ...hospitalsHere]);
      event('liaison_conference', base - rng.int(181, 364), '連携会議', m, null, [m, ...hospitalsHere]);
      for (let k = 0; k < 4; k++) event('working_group', base - rng.int(0, 364), '地域移行推進隊 分科会', m, null, [m, ...hospitalsHere.slice(0, 2)]);
      const sessions = rng.int(0, 3);
      for (let k = 0; k < sessions && hospitalsHere.length; k++) {
        const h = rng.pick(hospitalsHere);
        event('transition_program', base - rng.int(0, 364), '院内地域移行プログラム', h, h, [h, m]);
      }
      if (rng.chance(0.3)) event('supporter_training', base - rng.int(0, 364), 'ピアサポーター養成研修', m, null, [m]);
    }
  }
  await copyRows(client, 'events', ['id', 'kind', 'held_on', 'title', 'host_id', 'hospital_id', 'municipality_id'], eventRows);
  await copyRows(client, 'event_attendance', ['event_id', 'organization_id', 'headcount'], attendanceRows);
  await copyRows(client, 'event_peer_supporters', ['event_id', 'peer_supporter_id'], eventPeerRows);
  counts.peer_supporters = peerRows.length;
  counts.events = eventRows.length;
  log(`peer supporters: ${peerRows.length}, events: ${eventRows.length}`);

  // ---- contacts: allocated by months of support × a log-normal intensity, seasonal dates --------------------
  const weights = enrollments.map((e) => {
    const end = e.final ? e.days[e.days.length - 1] : todayDay;
    if (end < Math.max(e.days[0], windowStart)) return 0; // ended before the contact window
    const months = Math.max(0.5, (end - Math.max(e.days[0], windowStart)) / 30.4);
    return months * logNormal(rng, 0.5);
  });
  const wsum = weights.reduce((a, b) => a + b, 0);
  let allocated = 0;
  enrollments.forEach((e, i) => {
    e.contacts = Math.floor((contactTotal * weights[i]) / wsum);
    allocated += e.contacts;
  });
  const open = enrollments.filter((_, i) => weights[i] > 0);
  for (let i = 0; allocated < contactTotal && open.length; i++, allocated++) open[i % open.length].contacts++;
  const copy = new CopyWriter(client, 'contacts', ['id', 'enrollment_id', 'kind', 'occurred_on', 'ends_on', 'start_time', 'minutes', 'place', 'staff_ids', 'peer_supporter_ids', 'created_by_id', 'created_at', 'updated_at']);
  const tag = rng.int(0, 0xffff);
  let seq = 0;
  const times = Array.from({ length: 32 }, (_, i) => `${String(9 + (i % 8)).padStart(2, '0')}:${['00', '15', '30', '45'][i % 4]}:00`);
  for (const e of enrollments) {
    const start = Math.max(e.days[0], windowStart);
    const end = e.final ? e.days[e.days.length - 1] : todayDay;
    if (end < start) continue;
    const staff = uuidArray([e.office.staff[0]]);
    const author = e.office.staff[0];
    const peers = peersOfMuni.get(e.team.muni) ?? [];
    for (let k = 0; k < e.contacts; k++) {
      let day = start;
      for (let tries = 0; tries < 8; tries++) {
        day = start + Math.floor(rng.next() * (end - start + 1));
        const d = new Date(day * DAY_MS);
        const wd = d.getUTCDay();
        const w = MONTH_WEIGHT[d.getUTCMonth() + 1] * (wd === 0 ? 0.05 : wd === 6 ? 0.15 : 1);
        if (rng.next() < w / 1.1) break;
      }
      const post = e.dischargeDay !== 0 && day >= e.dischargeDay;
      const kind = rng.weighted(post ? POST_KINDS : PRE_KINDS);
      const date = dateOf(day);
      const trial = kind === 'trial_stay';
      const peer = kind === 'peer_visit' && peers.length ? uuidArray([rng.pick(peers)]) : '{}';
      const created = `${date} 18:00:00+09`;
      await copy.line(
        `${ids.ordered(tag, seq++)}\t${e.id}\t${kind}\t${date}\t${trial ? dateOf(Math.min(todayDay, day + 1)) : NULL}\t${trial ? NULL : times[seq & 31]}\t${trial ? NULL : kind === 'phone' ? 10 : 30 + (seq % 7) * 15}\t${post && PLACE[kind] === 'hospital' ? 'home' : PLACE[kind]}\t${staff}\t${peer}\t${author}\t${created}\t${created}`,
      );
      if (seq % 1_000_000 === 0) log(`contacts: ${seq.toLocaleString('en')}`);
    }
  }
  counts.contacts = await copy.end();
  log(`contacts: ${counts.contacts}`);

  // The record itself (revision 1, with its narrative) — generated inside PostgreSQL from the contact rows, in two
  // halves of the (ordered) contact ids on two connections: one per core.
  const mid = `${h8(Math.floor(seq / 2))}-0000-0000-0000-000000000000`;
  const half = async (range: string) => {
    const c = await pool.connect();
    try {
      await c.query(`SET synchronous_commit = off`);
      if (replica) await c.query(`SET session_replication_role = replica`);
      return (await c.query(REVISIONS_SQL.replace('$RANGE', range), [mid])).rowCount ?? 0;
    } finally {
      c.release();
    }
  };
  counts.contact_revisions = (await Promise.all([half('c.id < $1::uuid'), half('c.id >= $1::uuid')])).reduce((a, b) => a + b, 0);
  log(`contact revisions: ${counts.contact_revisions}`);

  await rebuildIndexes(pool, o.dir, dropped, log);
  // VACUUM as well: sets the visibility map (index-only scans) and spares the benchmark an autovacuum of the
  // freshly loaded tables running underneath it.
  await client.query('VACUUM (ANALYZE)');
  log('vacuumed and analyzed');

  // ---- bench accounts and the manifest ------------------------------------------------------------------
  const activeOf = new Map<Org, Enrollment[]>();
  for (const e of enrollments) if (!e.final) activeOf.set(e.office, [...(activeOf.get(e.office) ?? []), e]);
  let office = offices[0];
  let best = Infinity;
  for (const [x, list] of activeOf) {
    const d = Math.abs(list.length - 200);
    if (d < best || (d === best && list.length > (activeOf.get(office)?.length ?? 0))) [office, best] = [x, d];
  }
  const officeActive = activeOf.get(office) ?? [];
  const sample = officeActive.find((e) => e.program === 'community_transition') ?? officeActive[0] ?? enrollments[0];
  const stationCount = new Map<Org, number>();
  for (const e of enrollments) if (e.station && !e.final) stationCount.set(e.station, (stationCount.get(e.station) ?? 0) + 1);
  const station = [...stationCount.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? stations[0];
  const prefIdx = prefMunis.reduce((bi, n, i) => (Math.abs(n - 40) < Math.abs(prefMunis[bi] - 40) ? i : bi), 0);
  const hash = await hashPassword(BENCH_PASSWORD);
  const accounts: BenchAccount[] = [];
  const accountOrg: [string, Org | null][] = [
    ['admin', null], ['municipal_officer', munis[sample.team.muni]], ['prefectural_officer', prefectures[prefIdx]],
    ['hospital_staff', sample.patient.hospital], ['support_office_staff', office], ['nurse_staff', station],
  ];
  for (const [role, org] of accountOrg) {
    const userId = ids.random();
    const email = `bench-${role.replace(/_/g, '-')}@${BENCH_EMAIL_DOMAIN}`;
    await client.query(
      `INSERT INTO users (id, email, display_name, role, organization_id, password_hash, tokens_valid_after) VALUES ($1, $2, $3, $4, $5, $6, now() - interval '1 day')`,
      [userId, email, `ベンチマーク ${role}`, role, org?.id ?? null, hash],
    );
    accounts.push({ role, email, password: BENCH_PASSWORD, userId, organizationId: org?.id ?? null });
  }
  counts.users += accounts.length;
  await client.query(`INSERT INTO audit_events (action, entity_type, details) VALUES ('create', $1, $2::jsonb)`, [MARKER, JSON.stringify({ size: size.name, counts })]);
  return {
    size: size.name, seededAt: new Date().toISOString(), referenceDate: today, seconds: 0, counts,
    prefectureId: prefectures[prefIdx].id, prefectureMunicipalities: prefMunis[prefIdx], municipalityId: munis[sample.team.muni].id,
    hospitalId: sample.patient.hospital.id, officeId: office.id, officeActiveCases: officeActive.length, stationId: station.id,
    patientId: sample.patient.id,
    enrollmentIds: officeActive.filter((e) => e.program === 'community_transition' && ['referred', 'engaged', 'applied', 'planned', 'supporting'].includes(e.path[e.path.length - 1])).map((e) => e.id).slice(0, 500),
    accounts,
  };
}

/** The steps up to `target` (for `withdrawn`: up to a random active step first). */
function pathTo(program: Program, target: string, rng: Prng): string[] {
  const steps = STEP_TABLES[program].steps;
  const main: string[] = [STEP_TABLES[program].initial];
  while (!steps[main[main.length - 1]].final) {
    const next = steps[main[main.length - 1]].next.find((s) => s !== 'withdrawn') ?? 'completed';
    main.push(next);
  }
  if (target === 'withdrawn') {
    const active = main.filter((s) => !steps[s].final);
    const upTo = rng.int(0, active.length - 1);
    return [...main.slice(0, upTo + 1), 'withdrawn'];
  }
  return main.slice(0, main.indexOf(target) + 1);
}

/** Day numbers of each step, anchored on the patient's discharge when the path has one; null if it cannot fit. */
function stepDays(rng: Prng, program: Program, path: string[], p: Patient, team: Team, todayDay: number): number[] | null {
  const gap = (step: string) => {
    const g = program === 'community_settlement' && step === 'completed' ? [200, 360] : GAP[step] ?? [7, 21];
    return rng.int(g[0], g[1]);
  };
  const days = new Array<number>(path.length);
  const di = path.indexOf('discharged');
  let anchor: number;
  if (di >= 0) {
    anchor = di;
    days[di] = p.dischargeDay;
  } else if (program === 'community_settlement') {
    anchor = 0;
    days[0] = p.dischargeDay + rng.int(0, 30);
  } else {
    anchor = path.length - 1;
    const final = STEP_TABLES[program].steps[path[anchor]].final;
    days[anchor] = todayDay - (final ? rng.int(5, 900) : rng.int(2, 150));
  }
  for (let i = anchor - 1; i >= 0; i--) days[i] = days[i + 1] - gap(path[i + 1]);
  for (let i = anchor + 1; i < path.length; i++) days[i] = Math.min(todayDay, days[i - 1] + gap(path[i]));
  if (days[0] < team.startDay) return null;
  if (di < 0 && program !== 'community_settlement' && days[0] < p.admitDay) return null;
  if (days[path.length - 1] > todayDay) return null;
  return days;
}

async function copyRows(client: pg.PoolClient, table: string, columns: string[], rows: string[]): Promise<void> {
  const w = new CopyWriter(client, table, columns);
  for (const r of rows) await w.line(r);
  await w.end();
}

interface DroppedIndex { table: string; name: string; def: string; constraint: boolean }

async function dropIndexes(pool: pg.Pool, dir: string, tables: string[]): Promise<DroppedIndex[]> {
  const { rows } = await pool.query<{ table: string; name: string; def: string; conname: string | null; condef: string | null }>(
    `SELECT t.relname AS table, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def, c.conname, pg_get_constraintdef(c.oid) AS condef
     FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
     LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = t.oid
     WHERE t.relname = ANY($1) AND t.relnamespace = 'public'::regnamespace AND NOT i.indisprimary`,
    [tables],
  );
  const dropped: DroppedIndex[] = rows.map((r) =>
    r.conname ? { table: r.table, name: r.conname, def: `ALTER TABLE ${r.table} ADD CONSTRAINT ${r.conname} ${r.condef}`, constraint: true } : { table: r.table, name: r.name, def: r.def, constraint: false },
  );
  // Written down first: an interrupted load rebuilds them on the next run.
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'indexes-to-rebuild.json'), JSON.stringify(dropped, null, 2));
  for (const d of dropped) await pool.query(d.constraint ? `ALTER TABLE ${d.table} DROP CONSTRAINT ${d.name}` : `DROP INDEX ${d.name}`);
  return dropped;
}

async function rebuildIndexes(pool: pg.Pool, dir: string, dropped: DroppedIndex[], log: (s: string) => void): Promise<void> {
  const queue = [...dropped];
  // Two builds at a time (two cores); each may use a generous maintenance_work_mem.
  const worker = async () => {
    const c = await pool.connect();
    try {
      await c.query(`SET maintenance_work_mem = '512MB'`);
      await c.query(`SET max_parallel_maintenance_workers = 0`);
      for (let d = queue.shift(); d; d = queue.shift()) {
        const t0 = Date.now();
        const exists = await c.query(d.constraint ? `SELECT 1 FROM pg_constraint WHERE conname = $1` : `SELECT 1 FROM pg_class WHERE relname = $1`, [d.name]);
        if (!exists.rowCount) await c.query(d.def);
        log(`index ${d.name} rebuilt in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
    } finally {
      c.release();
    }
  };
  await Promise.all([worker(), worker()]);
  rmSync(join(dir, 'indexes-to-rebuild.json'), { force: true });
}

async function restoreIndexes(pool: pg.Pool, dir: string, log: (s: string) => void): Promise<void> {
  const file = join(dir, 'indexes-to-rebuild.json');
  if (!existsSync(file)) return;
  log('an earlier load was interrupted: rebuilding the indexes it had dropped');
  await rebuildIndexes(pool, dir, JSON.parse(readFileSync(file, 'utf8')) as DroppedIndex[], log);
}
