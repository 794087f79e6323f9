/**
 * `npm run bench [-- --size S|M|L] [--duration 10] [--connections 10] [--only name,name]`
 *
 * One process runs (a) the app (createApp, loopback port) and (b) a bare Fastify + pg baseline on the same
 * database with the same pool size, both verifying the same JWT, and drives both with autocannon, scenario by
 * scenario, on loopback only and for a bounded time. Prints req/s, p50, p97.5, p99 and app/baseline ratios,
 * and writes the figures to bench/results/. The data set is loaded first when missing (seed:synthetic).
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import autocannon, { type RequestSpec, type Result } from 'autocannon';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import pino from 'pino';
import { createApp } from '../src/app.factory.js';
import type { Role } from '../src/auth/actor.js';
import { TokensService } from '../src/auth/tokens.service.js';
import { fiscalYearOf, fiscalYearRange, todayInTokyo } from '../src/common/dates.js';
import { loadConfig } from '../src/config/config.js';
import { startBaseline, type RecordedQuery } from './baseline-server.js';
import { cloneForRun, openBenchDatabase } from './lib/database.js';
import type { Manifest } from './lib/manifest.js';
import { argValue, parseSize } from './lib/sizes.js';
import { ensureSynthetic } from './seed-synthetic.js';

const out = (s = '') => process.stdout.write(`${s}\n`);

// ---- recording the SQL the app runs for one request, so the baseline replays exactly the same queries ------
// Each statement's start and end are kept: statements the app runs concurrently (Promise.all) form one "wave",
// which the baseline also runs concurrently.
const recorder = { on: false, queries: [] as (RecordedQuery & { start: number; end: number })[] };
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (!recorder.on) return (originalQuery as unknown as (...x: unknown[]) => unknown).apply(this, args);
  const a = args[0] as string | { text?: string; values?: unknown[] };
  const text = typeof a === 'string' ? a : a?.text;
  const values = Array.isArray(args[1]) ? (args[1] as unknown[]) : typeof a === 'object' ? (a?.values ?? []) : [];
  const entry = { text: text ?? '', values, wave: 0, start: performance.now(), end: Infinity };
  if (text) recorder.queries.push(entry);
  const done = () => (entry.end = performance.now());
  const cb = args.findIndex((x) => typeof x === 'function');
  if (cb >= 0) {
    const original = args[cb] as (...x: unknown[]) => unknown;
    args[cb] = (...x: unknown[]) => {
      done();
      return original(...x);
    };
  }
  const result = (originalQuery as unknown as (...x: unknown[]) => unknown).apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
  return result;
} as unknown as typeof originalQuery;

/** Number the waves: a statement joins the current wave when it started before every statement of it ended. */
function waves(plan: (RecordedQuery & { start: number; end: number })[]): RecordedQuery[] {
  let wave = 0;
  let waveEnd = -Infinity;
  return plan.map((q, i) => {
    if (i > 0 && q.start >= waveEnd) wave++;
    waveEnd = i === 0 || q.start >= waveEnd ? q.end : Math.max(waveEnd, q.end);
    return { text: q.text, values: q.values, wave };
  });
}

/** Reads only: no transaction control, no audit or other writes, no token-status lookups (cached by the app). */
const replayable = (q: RecordedQuery) =>
  !/^\s*(BEGIN|COMMIT|ROLLBACK|START\s|SET\s|SAVEPOINT|RELEASE|SHOW\s)/i.test(q.text) &&
  !/^\s*(WITH\b[\s\S]*\b)?(INSERT|UPDATE|DELETE)\b/i.test(q.text) &&
  !/tokens_valid_after/i.test(q.text);

interface Figures {
  rps: number;
  p50: number;
  p97_5: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}
interface Row {
  scenario: string;
  title: string;
  app?: Figures;
  baseline?: Figures;
  ratio?: number;
  /** One client, one request at a time: the latency a single user sees (p50 / p95, ms). */
  single?: { p50: number; p95: number; n: number };
  singleBaseline?: { p50: number; p95: number; n: number };
  note?: string;
  extra?: Record<string, unknown>;
}

/** Slices of one target measured at different times, merged (req/s and percentiles averaged, counts summed). */
function merge(parts: Figures[]): Figures {
  const avg = (k: keyof Figures) => Math.round((parts.reduce((s, p) => s + p[k], 0) / parts.length) * 10) / 10;
  const sum = (k: keyof Figures) => parts.reduce((s, p) => s + p[k], 0);
  return { rps: avg('rps'), p50: avg('p50'), p97_5: avg('p97_5'), p99: avg('p99'), ok: sum('ok'), non2xx: sum('non2xx'), errors: sum('errors') };
}

/**
 * The machine is shared and its load drifts: app and baseline are measured in interleaved slices after a warm-up
 * (A B B A A B B A, a quarter of the duration each), so a busy moment weighs on both sides alike.
 */
async function pair(duration: number, app: (s: number) => Promise<Result>, base: (s: number) => Promise<Result>, warmup = 2): Promise<{ app: Figures; baseline: Figures }> {
  await app(warmup);
  await base(warmup);
  const slice = Math.max(2, Math.round(duration / 4));
  const a: Figures[] = [];
  const b: Figures[] = [];
  for (const turn of ['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a']) {
    if (turn === 'a') a.push(figures(await app(slice)));
    else b.push(figures(await base(slice)));
  }
  return { app: merge(a), baseline: merge(b) };
}

function figures(r: Result): Figures {
  return {
    rps: Math.round(r.requests.average * 10) / 10,
    p50: r.latency.p50,
    p97_5: r.latency.p97_5,
    p99: r.latency.p99,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const size = parseSize(argValue(argv, 'size'));
  const duration = Number(argValue(argv, 'duration') ?? (size.name === 'L' ? 15 : 10));
  const connections = Number(argValue(argv, 'connections') ?? 10);
  const only = argValue(argv, 'only')?.split(',');
  if (!(duration > 0 && duration <= 60)) throw new Error('--duration must be 1–60 seconds');
  if (!(connections > 0 && connections <= 100)) throw new Error('--connections must be 1–100');

  const db = await openBenchDatabase(size.name);
  const startedAt = new Date();
  let manifest: Manifest;
  try {
    manifest = await ensureSynthetic(size, db.url, db.dir);
  } catch (e) {
    await db.stop();
    throw e;
  }
  // Write scenarios add rows: they run on a throwaway copy. Read-only selections run on the data set itself.
  const writes = ['post-contact', 'step-transition'].some((n) => !only || only.includes(n));
  const run0 = writes ? await cloneForRun(db.url, (s) => process.stderr.write(`${s}\n`)) : { url: db.url, drop: async () => undefined };
  const runUrl = run0.url;
  const poolSize = loadConfig().dbPoolSize;
  const secret = randomBytes(48).toString('base64url');
  const config = { ...loadConfig(), databaseUrl: runUrl, jwtSecret: secret, logLevel: 'info', port: 0, demo: false, adminEmail: undefined, adminPassword: undefined };
  // Logs are produced as in production (JSON per request) but discarded, so their cost is measured, not their noise.
  const app = await createApp(config, { logDestination: pino.destination({ dest: '/dev/null', sync: false }) });
  await app.listen(0, '127.0.0.1');
  const appUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  const fastify = app.getHttpAdapter().getInstance();
  const baseline = await startBaseline(runUrl, poolSize, secret);
  // In-flight requests of both servers: a recording starts only when neither is still busy with the last load.
  let inflight = 0;
  for (const server of [app.getHttpServer() as http.Server, baseline.server]) {
    server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
      inflight++;
      res.on('close', () => inflight--);
    });
  }
  const idle = async () => {
    for (let i = 0; i < 600 && inflight > 0; i++) await new Promise((r) => setTimeout(r, 50));
  };
  const sql = new pg.Pool({ connectionString: runUrl, max: 2 });
  sql.on('error', () => undefined); // idle connections cut when the embedded server stops

  const tokens = app.get(TokensService);
  const tokenOf = (role: Role) => {
    const a = manifest.accounts.find((x) => x.role === role)!;
    return `Bearer ${tokens.signAccess({ userId: a.userId, role, organizationId: a.organizationId })}`;
  };
  const auth = {
    admin: tokenOf('admin'),
    city: tokenOf('municipal_officer'),
    pref: tokenOf('prefectural_officer'),
    hospital: tokenOf('hospital_staff'),
    office: tokenOf('support_office_staff'),
  };
  const today = todayInTokyo();
  const fy = fiscalYearOf(today);
  const month = today.slice(0, 7);
  const rows: Row[] = [];

  out(`Kizuna benchmark — dataset ${size.name} (${Object.entries(manifest.counts).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')})`);
  out(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB; node ${process.version}; ${connections} connections, pool ${poolSize}, ${duration} s per target`);
  out(`app ${appUrl}  baseline ${baseline.url}  database ${db.embedded ? 'embedded' : 'DATABASE_URL'} (${writes ? 'a throwaway copy: ' : ''}${new URL(runUrl).pathname.slice(1)})`);
  out();

  const run = (url: string, o: { method?: string; path: string; headers: Record<string, string>; body?: string; requests?: RequestSpec[]; seconds?: number; rate?: number; connections?: number }) =>
    autocannon({
      url: url + o.path, connections: o.connections ?? connections, duration: o.seconds ?? duration, method: o.method ?? 'GET', headers: o.headers, body: o.body,
      requests: o.requests, overallRate: o.rate, timeout: 30,
    });

  const print = (r: Row) => {
    const f = (x?: Figures) => (x ? `${String(x.rps).padStart(8)} ${String(x.p50).padStart(5)} ${String(x.p97_5).padStart(6)} ${String(x.p99).padStart(6)} ${String(x.non2xx + x.errors).padStart(6)}` : '       —');
    const single = r.single ? ` | 1 client p50 ${r.single.p50} p95 ${r.single.p95}${r.singleBaseline ? ` (baseline ${r.singleBaseline.p50} / ${r.singleBaseline.p95})` : ''}` : '';
    out(`${r.scenario.padEnd(22)} app ${f(r.app)} | baseline ${f(r.baseline)} | ratio ${r.ratio?.toFixed(2) ?? '—'}${single}${r.note ? `  (${r.note})` : ''}`);
  };
  const wanted = (name: string) => !only || only.includes(name);
  const routeExists = (method: string, url: string) => fastify.hasRoute({ method: method as 'GET', url: `/api/v1${url}` });

  // ---- read scenarios: app route vs. the baseline replaying the app's own SQL -----------------------------
  const reads: { name: string; title: string; route: string; path: string; token: string }[] = [
    { name: 'organization-by-id', title: 'GET /organizations/:id', route: '/organizations/:id', path: `/organizations/${manifest.hospitalId}`, token: auth.city },
    { name: 'patient-by-id', title: 'GET /patients/:id (municipal officer)', route: '/patients/:id', path: `/patients/${manifest.patientId}`, token: auth.city },
    { name: 'patient-list', title: 'GET /patients?limit=50 (municipal officer)', route: '/patients', path: `/patients?limit=50`, token: auth.city },
    { name: 'patient-search', title: 'GET /patients?q=サトウ (admin, name/kana search)', route: '/patients', path: `/patients?limit=50&q=${encodeURIComponent('サトウ')}`, token: auth.admin },
    { name: 'caseload', title: `GET /caseload (office, ${manifest.officeActiveCases} active)`, route: '/caseload', path: `/caseload`, token: auth.office },
    { name: 'compliance-month', title: `GET /contacts/compliance?month=${month} (admin: whole data set)`, route: '/contacts/compliance', path: `/contacts/compliance?month=${month}`, token: auth.admin },
    { name: 'discharge-report', title: 'GET /reports/discharges (municipal officer, FY by month)', route: '/reports/discharges', path: `/reports/discharges?from=${fiscalYearRange(fy).from}&to=${today}&groupBy=month`, token: auth.city },
    { name: 'indicator-sheet', title: `GET /reports/indicators?fiscalYear=${fy} (admin: all municipalities)`, route: '/reports/indicators', path: `/reports/indicators?fiscalYear=${fy}`, token: auth.admin },
    { name: 'comparison', title: `GET /reports/comparison (prefectural officer, ${manifest.prefectureMunicipalities} municipalities)`, route: '/reports/comparison', path: `/reports/comparison?fiscalYear=${fy}`, token: auth.pref },
  ];
  for (const s of reads) {
    if (!wanted(s.name)) continue;
    const row: Row = { scenario: s.name, title: s.title };
    rows.push(row);
    if (!routeExists('GET', s.route)) {
      row.note = `route missing: GET /api/v1${s.route}`;
      print(row);
      continue;
    }
    // One recorded request: checks the app answers 2xx and captures the SQL it runs.
    await idle();
    recorder.queries = [];
    recorder.on = true;
    const probe = await fetch(`${appUrl}/api/v1${s.path}`, { headers: { authorization: s.token } });
    await probe.arrayBuffer();
    recorder.on = false;
    if (!probe.ok) {
      row.note = `app answered ${probe.status}; skipped`;
      print(row);
      continue;
    }
    const plan = waves(recorder.queries.filter(replayable));
    baseline.plans.set(s.name, plan);
    const headers = { authorization: s.token };
    if (process.env.BENCH_EXPLAIN) {
      for (const q of plan) {
        const { rows: lines } = await baseline.pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values);
        out(lines.map((l: Record<string, string>) => `  | ${l['QUERY PLAN']}`).join('\n'));
      }
    }
    if (process.env.BENCH_DEBUG) {
      for (const target of [`${appUrl}/api/v1${s.path}`, `${baseline.url}/replay/${s.name}`, `${appUrl}/api/v1${s.path}`, `${baseline.url}/replay/${s.name}`]) {
        const t0 = Date.now();
        for (let k = 0; k < 5; k++) await (await fetch(target, { headers })).arrayBuffer();
        out(`  debug ${target.slice(0, 60)}: ${(Date.now() - t0) / 5} ms`);
      }
      for (const q of plan) {
        const t0 = Date.now();
        await baseline.pool.query(q.text, q.values);
        out(`  debug query ${Date.now() - t0} ms: ${q.text.replace(/\s+/g, ' ').slice(0, 80)} ${JSON.stringify(q.values).slice(0, 120)}`);
      }
    }
    row.single = await sequential(`${appUrl}/api/v1${s.path}`, headers);
    row.singleBaseline = await sequential(`${baseline.url}/replay/${s.name}`, headers);
    // A heavy report cannot complete within a slice at 10 concurrent requests: fewer connections, same for both.
    const conns = row.single.p50 > 1000 ? 1 : row.single.p50 > 200 ? 2 : connections;
    if (conns !== connections) row.note = `${conns} connection${conns > 1 ? 's' : ''} (single request ≈ ${Math.round(row.single.p50)} ms)`;
    Object.assign(row, await pair(
      Math.max(duration, Math.ceil((8 * row.single.p50) / 1000)),
      (seconds) => run(appUrl, { path: `/api/v1${s.path}`, headers, seconds, connections: conns }),
      (seconds) => run(baseline.url, { path: `/replay/${s.name}`, headers, seconds, connections: conns }),
    ));
    row.ratio = row.baseline!.rps ? Math.round((row.app!.rps / row.baseline!.rps) * 100) / 100 : undefined;
    row.extra = { queries: plan.length, waves: new Set(plan.map((q) => q.wave)).size };
    if (process.env.BENCH_SHOW_SQL) for (const q of plan) out(`  wave ${q.wave} ${q.text.replace(/\s+/g, " ").slice(0, 150)}`);
    print(row);
  }

  // ---- login: dominated by argon2id on purpose (issue #4: p50 ≈ 50–150 ms) ----------------------------------
  if (wanted('login')) {
    const row: Row = { scenario: 'login', title: 'POST /auth/login (argon2id), 5 sequential' };
    rows.push(row);
    const account = manifest.accounts.find((a) => a.role === 'support_office_staff')!;
    const times: number[] = [];
    let status = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      const res = await fetch(`${appUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: account.email, password: account.password }) });
      await res.arrayBuffer();
      status = res.status;
      if (res.ok) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    if (times.length) row.single = { p50: Math.round(times[Math.floor(times.length / 2)]), p95: Math.round(times[times.length - 1]), n: times.length };
    row.note = times.length ? `p50 ${row.single!.p50} ms over ${times.length} logins` : `login answered ${status}`;
    print(row);
  }

  // ---- POST contact with Idempotency-Key -------------------------------------------------------------------
  const contactBody = JSON.stringify({ kind: 'face_to_face', occurredOn: today, place: 'hospital', minutes: 30, summary: 'ベンチマーク：病棟で面接。' });
  const enrollmentIds = manifest.enrollmentIds;
  if (wanted('post-contact')) {
    const row: Row = { scenario: 'post-contact', title: 'POST /enrollments/:id/contacts (Idempotency-Key)' };
    rows.push(row);
    if (!routeExists('POST', '/enrollments/:id/contacts')) row.note = 'route missing: POST /api/v1/enrollments/:id/contacts';
    else if (!enrollmentIds.length) row.note = 'no active enrollment of the office in the data set';
    else {
      let i = 0;
      const appReq = (rate?: number, seconds?: number) =>
        run(appUrl, {
          method: 'POST', path: '/api/v1/enrollments', headers: { authorization: auth.office, 'content-type': 'application/json' }, body: contactBody, rate, seconds,
          requests: [{ setupRequest: (req) => ({ ...req, path: `/api/v1/enrollments/${enrollmentIds[i++ % enrollmentIds.length]}/contacts`, headers: { ...req.headers, 'idempotency-key': randomUUID() } }) }],
        });
      const baseReq = (seconds?: number) =>
        run(baseline.url, {
          method: 'POST', path: '/contact', headers: { authorization: auth.office, 'content-type': 'application/json' }, body: contactBody, seconds,
          requests: [{ setupRequest: (req) => ({ ...req, path: `/contact/${enrollmentIds[i++ % enrollmentIds.length]}` }) }],
        });
      if (process.env.BENCH_SHOW_SQL) {
        recorder.queries = [];
        recorder.on = true;
        const probe = await fetch(`${appUrl}/api/v1/enrollments/${enrollmentIds[0]}/contacts`, { method: 'POST', headers: { authorization: auth.office, 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: contactBody });
        out(`  probe ${probe.status} ${(await probe.text()).slice(0, 200)}`);
        recorder.on = false;
        for (const q of recorder.queries) out(`  sql ${q.text.replace(/\s+/g, ' ').slice(0, 150)}`);
      }
      Object.assign(row, await pair(duration, (seconds) => appReq(undefined, seconds), (seconds) => baseReq(seconds)));
      row.ratio = Math.round((row.app!.rps / row.baseline!.rps) * 100) / 100;
      const rate = Math.max(1, Math.floor(row.app!.rps * 0.7));
      const paced = figures(await appReq(rate));
      row.extra = { at70: { rate, ...paced } };
      row.note = `at 70 % (${rate} req/s): p99 ${paced.p99} ms`;
    }
    print(row);
  }

  // ---- step transition (referred → engaged) with If-Match, on enrollments prepared for it ------------------
  if (wanted('step-transition')) {
    const row: Row = { scenario: 'step-transition', title: 'POST /enrollments/:id/transitions (If-Match)' };
    rows.push(row);
    if (!routeExists('POST', '/enrollments/:id/transitions')) row.note = 'route missing: POST /api/v1/enrollments/:id/transitions';
    else if (!enrollmentIds.length) row.note = 'no active enrollment of the office in the data set';
    else {
      // Each request moves one enrollment once; enough for ~1,500 req/s over warm-up, measure and the paced run.
      const perRun = duration * 1500;
      const appIds = await prepareReferred(sql, enrollmentIds[0], perRun * 2 + 3000);
      const baseIds = await prepareReferred(sql, enrollmentIds[0], perRun + 3000);
      let a = 0;
      let b = 0;
      const yesterdayBody = JSON.stringify({ to: 'engaged', occurredOn: today, note: 'ベンチマーク' });
      const appReq = (rate?: number, seconds?: number) =>
        run(appUrl, {
          method: 'POST', path: '/api/v1/enrollments', headers: { authorization: auth.office, 'content-type': 'application/json', 'if-match': '"1"' }, body: yesterdayBody, rate, seconds,
          requests: [{ setupRequest: (req) => ({ ...req, path: `/api/v1/enrollments/${appIds[Math.min(a++, appIds.length - 1)]}/transitions` }) }],
        });
      const baseReq = (seconds?: number) =>
        run(baseline.url, {
          method: 'POST', path: '/transition', headers: { authorization: auth.office, 'content-type': 'application/json', 'if-match': '"1"' }, body: yesterdayBody, seconds,
          requests: [{ setupRequest: (req) => ({ ...req, path: `/transition/${baseIds[Math.min(b++, baseIds.length - 1)]}` }) }],
        });
      Object.assign(row, await pair(duration, (seconds) => appReq(undefined, seconds), (seconds) => baseReq(seconds), 1));
      row.ratio = Math.round((row.app!.rps / row.baseline!.rps) * 100) / 100;
      const rate = Math.max(1, Math.floor(row.app!.rps * 0.7));
      const paced = figures(await appReq(rate));
      row.extra = { at70: { rate, ...paced }, prepared: appIds.length };
      row.note = `at 70 % (${rate} req/s): p99 ${paced.p99} ms`;
      if (a > appIds.length || b > baseIds.length) row.note += '; ran out of prepared enrollments (later requests 4xx)';
    }
    print(row);
  }

  // ---- CSV export of contacts: throughput and memory vs COPY … TO STDOUT --------------------------------------
  if (wanted('csv-export')) {
    const row: Row = { scenario: 'csv-export', title: 'CSV export of contacts (1,000,000 or all)' };
    rows.push(row);
    const n = Math.min(1_000_000, manifest.counts.contacts);
    const candidates = ['/contacts/export', '/contacts'];
    const route = candidates.find((r) => routeExists('GET', r));
    let appPath: string | null = null;
    if (route) {
      const probe = await fetch(`${appUrl}/api/v1${route}?format=csv&limit=1`, { headers: { authorization: auth.admin } });
      await probe.arrayBuffer();
      if (probe.ok && /text\/csv/.test(probe.headers.get('content-type') ?? '')) appPath = `/api/v1${route}?format=csv&limit=${n}`;
    }
    const copy = await timedCopy(runUrl, n);
    const base = await timedDownload(`${baseline.url}/contacts.csv?limit=${n}`, auth.admin);
    row.extra = { rows: n, copy, baselineHttp: base };
    if (!appPath) row.note = `route missing: no CSV export of contacts (GET /api/v1/contacts?format=csv); COPY TO STDOUT: ${copy.mbPerS} MB/s, ${copy.rowsPerS.toLocaleString('en')} rows/s`;
    else {
      const appDl = await timedDownload(appUrl + appPath, auth.admin);
      row.extra.app = appDl;
      row.note = `app ${appDl.mbPerS} MB/s (${appDl.rowsPerS.toLocaleString('en')} rows/s, RSS +${appDl.rssGrowthMb} MB) vs COPY ${copy.mbPerS} MB/s: ${(appDl.rowsPerS / copy.rowsPerS).toFixed(2)}×`;
    }
    print(row);
  }

  const result = {
    date: startedAt.toISOString(), size: size.name, counts: manifest.counts, duration, connections, poolSize,
    machine: { cores: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), load: os.loadavg(), node: process.version },
    database: db.embedded ? 'embedded' : 'DATABASE_URL', rows,
  };
  mkdirSync('bench/results', { recursive: true });
  const file = join('bench/results', `${startedAt.toISOString().replace(/[:.]/g, '-')}-${size.name}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));
  out();
  out(markdown(rows));
  out(`\nfigures written to ${file}`);

  await app.close();
  await baseline.close();
  await sql.end();
  await run0.drop();
  // Stopping the embedded server cuts any connection still idle in a pool (57P01): expected at this point.
  process.on('uncaughtException', (e) => {
    if ((e as { code?: string }).code !== '57P01') throw e;
  });
  await db.stop();
}

/** Latency of requests sent one at a time (no queueing): p50 and p95 over `n` requests after 3 warm-ups. */
async function sequential(url: string, headers: Record<string, string>, n = 40): Promise<{ p50: number; p95: number; n: number }> {
  const times: number[] = [];
  const budget = Date.now() + 20_000; // heavy reports: fewer samples
  for (let i = 0; i < n + 3 && (i < 8 || Date.now() < budget); i++) {
    const t0 = process.hrtime.bigint();
    await (await fetch(url, { headers })).arrayBuffer();
    if (i >= 3) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 10) / 10;
  return { p50: at(0.5), p95: at(0.95), n: times.length };
}

/** Fresh `referred` enrollments (with their patients and open admissions) on the office's team, for transitions. */
async function prepareReferred(sql: pg.Pool, sampleEnrollmentId: string, n: number): Promise<string[]> {
  const { rows } = await sql.query(
    `WITH src AS (SELECT team_id, support_office_id, hospital_id, municipality_id FROM enrollments WHERE id = $1),
     p AS (INSERT INTO patients (hospital_id, record_number, family_name, given_name, family_name_kana, given_name_kana, birth_date, sex, responsible_municipality_id)
           SELECT src.hospital_id, 'BENCH-' || $3 || '-' || g, 'ベンチ', '太郎', 'ベンチ', 'タロウ', '1960-01-01', 'male', src.municipality_id
           FROM src, generate_series(1, $2::int) g RETURNING id, hospital_id),
     a AS (INSERT INTO admissions (patient_id, hospital_id, admission_type, admitted_on) SELECT id, hospital_id, 'medical_protection', current_date - 800 FROM p),
     e AS (INSERT INTO enrollments (patient_id, program, team_id, support_office_id, hospital_id, municipality_id, step, started_on, step_entered_on)
           SELECT p.id, 'community_transition', src.team_id, src.support_office_id, src.hospital_id, src.municipality_id, 'referred', current_date - 1, current_date - 1
           FROM p, src RETURNING id),
     s AS (INSERT INTO enrollment_steps (enrollment_id, from_step, to_step, occurred_on) SELECT id, NULL, 'referred', current_date - 1 FROM e)
     SELECT id FROM e`,
    [sampleEnrollmentId, n, randomBytes(4).toString('hex')],
  );
  return rows.map((r: { id: string }) => r.id);
}

async function timedCopy(url: string, n: number): Promise<{ seconds: number; mb: number; mbPerS: number; rowsPerS: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t0 = process.hrtime.bigint();
  let bytes = 0;
  await new Promise<void>((ok, fail) => {
    const s = client.query(copyTo(`COPY (SELECT id, enrollment_id, kind, occurred_on, ends_on, start_time, minutes, place, staff_ids, peer_supporter_ids, created_by_id, created_at
      FROM contacts ORDER BY occurred_on DESC, id DESC LIMIT ${n}) TO STDOUT WITH (FORMAT csv, HEADER)`));
    s.on('data', (c: Buffer) => (bytes += c.length));
    s.on('end', () => ok());
    s.on('error', fail);
  });
  await client.end();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds: round(seconds), mb: round(bytes / 2 ** 20), mbPerS: round(bytes / 2 ** 20 / seconds), rowsPerS: Math.round(n / seconds) };
}

async function timedDownload(url: string, authorization: string): Promise<{ status: number; seconds: number; mb: number; rows: number; mbPerS: number; rowsPerS: number; rssGrowthMb: number }> {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = process.hrtime.bigint();
  let bytes = 0;
  let lines = 0;
  const status = await new Promise<number>((ok, fail) => {
    http.get(url, { headers: { authorization } }, (res) => {
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
      });
      res.on('end', () => ok(res.statusCode ?? 0));
      res.on('error', fail);
    }).on('error', fail);
  });
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rows = Math.max(0, lines - 1);
  return { status, seconds: round(seconds), mb: round(bytes / 2 ** 20), rows, mbPerS: round(bytes / 2 ** 20 / seconds), rowsPerS: Math.round(rows / seconds), rssGrowthMb: round((peak - rss0) / 2 ** 20) };
}

const round = (x: number) => Math.round(x * 100) / 100;

function markdown(rows: Row[]): string {
  const head = '| scenario | app req/s | app p50 / p97.5 / p99 (ms) | baseline req/s | baseline p50 / p99 (ms) | app/baseline | 1 client p50 / p95 (ms): app · baseline | notes |\n|---|---:|---|---:|---|---:|---|---|';
  const lines = rows.map((r) => {
    const single = r.single ? `${r.single.p50} / ${r.single.p95}${r.singleBaseline ? ` · ${r.singleBaseline.p50} / ${r.singleBaseline.p95}` : ''}` : '—';
    if (!r.app) return `| ${r.title} | — | — | — | — | — | ${single} | ${r.note ?? ''} |`;
    const b = r.baseline;
    const errs = r.app.non2xx + r.app.errors;
    return `| ${r.title} | ${r.app.rps} | ${r.app.p50} / ${r.app.p97_5} / ${r.app.p99} | ${b?.rps ?? '—'} | ${b ? `${b.p50} / ${b.p99}` : '—'} | ${r.ratio ?? '—'} | ${single} | ${[r.note, errs ? `${errs} non-2xx` : ''].filter(Boolean).join('; ')} |`;
  });
  return [head, ...lines].join('\n');
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
