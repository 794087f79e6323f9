import { Injectable } from '@nestjs/common';
import type { ReportScope } from '../auth/access-policy.js';
import type { Actor } from '../auth/actor.js';
import { BadInput } from '../common/errors.js';
import { fiscalYearOf, fiscalYearRange, todayInTokyo } from '../common/dates.js';
import { CONTACT_KINDS, CONTACT_KIND_LABELS_JA } from '../contacts/contact-kinds.js';
import {
  PROGRAMS,
  STEP_TABLES,
  WITHDRAWAL_REASONS,
  WITHDRAWAL_REASON_LABELS,
} from '../enrollments/programs.js';
import {
  APPROACHES,
  type Approach,
  intensityBandsSql,
  type IntensityBandRow,
  openEnrollmentsSql,
  type OpenEnrollmentsRow,
  scopedEnrollmentsSource,
} from './contact-intensity.sql.js';
import { type DischargeSqlRow, dischargesSql } from './discharges.sql.js';
import type { DischargesQuery, FiscalYearReportQuery } from './dto/report-query.dto.js';
import { funnelStartedSql, type FunnelStepRow, funnelStepsSql } from './funnel.sql.js';
import { dischargeRateSql, type ReadmissionSqlRow, readmissionSql } from './outcomes.sql.js';
import {
  COMMUNITY_YEAR_DAYS,
  type DischargeDimension,
  Disclosure,
  fiscalYearPeriod,
  FOLLOW_UP_WINDOWS,
  INTENSITY_BANDS,
  mean,
  median,
  NATIONAL_TARGETS,
  parseGroupBy,
  type Period,
  perUnit,
  ratePercent,
} from './report-maths.js';
import { col, type ReportResult, type ReportTable } from './report-output.js';
import { ReportReader } from './report-reader.js';
import { ReportScopes } from './report-scopes.js';
import type {
  ApproachShareView,
  ApproachView,
  ContactIntensityReport,
  ContactKindView,
  DischargeRowView,
  DischargesReport,
  FunnelProgramView,
  FunnelReport,
  IntensityBandView,
  OutcomesReport,
  ReportHeader,
} from './reports.view.js';

type Row = Record<string, unknown>;

/** The period of the discharges report: both ends given, or the fiscal year of the one given, or this one. */
export function dischargePeriod(
  from: string | undefined,
  to: string | undefined,
  today = todayInTokyo(),
): Period {
  const period: Period = {
    from: from ?? fiscalYearRange(fiscalYearOf(to ?? today)).from,
    to: to ?? fiscalYearRange(fiscalYearOf(from ?? today)).to,
  };
  if (period.from > period.to) {
    throw new BadInput('from must not be after to.', [
      { field: 'from', messages: ['from must be on or before to'] },
    ]);
  }
  return period;
}

/** GROUP BY columns of the discharges report in JSON (camelCase) and CSV (English, Japanese). */
const DIMENSION_COLUMNS: Record<
  DischargeDimension,
  [json: keyof DischargeRowView, sql: keyof DischargeSqlRow, en: string, ja: string][]
> = {
  month: [['month', 'month', 'month', '月']],
  fiscalYear: [['fiscalYear', 'fiscal_year', 'fiscal_year', '年度']],
  hospital: [
    ['hospitalId', 'hospital_id', 'hospital_id', '病院ID'],
    ['hospitalName', 'hospital_name', 'hospital_name', '病院名'],
  ],
  team: [
    ['teamId', 'team_id', 'team_id', 'チームID'],
    ['teamName', 'team_name', 'team_name', 'チーム名'],
  ],
  program: [['program', 'program', 'program', '支援プログラム']],
  destination: [['destination', 'destination', 'destination', '退院先']],
  admissionType: [['admissionType', 'admission_type', 'admission_type', '入院形態']],
};

/**
 * The four reports over patients, enrollments and contacts (DOMAIN.md §8). Each method resolves the caller's
 * report scope, runs the SQL of its `*.sql.ts` on the report reader (replica when configured) and shapes the
 * figures; report-maths.ts decides medians, rates and suppression.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reader: ReportReader,
    private readonly scopes: ReportScopes,
  ) {}

  private header(
    report: string,
    period: Period,
    scope: ReportScope,
    suppressBelow: number | undefined,
  ): ReportHeader {
    return {
      report,
      from: period.from,
      to: period.to,
      municipalityId: scope.municipalityId,
      suppressBelow: suppressBelow ?? null,
    };
  }

  async discharges(actor: Actor, q: DischargesQuery): Promise<ReportResult<DischargesReport>> {
    const parsed = parseGroupBy(q.groupBy);
    if ('error' in parsed) throw new BadInput(parsed.error, [{ field: 'groupBy', messages: [parsed.error] }]);
    const dims = parsed.dims;
    const period = dischargePeriod(q.from, q.to);
    const scope = await this.scopes.resolve(actor, q.municipalityId);
    const rows = await this.reader.query<DischargeSqlRow>(dischargesSql(scope, dims), [
      period.from,
      period.to,
    ]);
    const disc = new Disclosure(q.suppressBelow ?? null);
    const view = (r: DischargeSqlRow, withDims: boolean): DischargeRowView => {
      const out: Partial<DischargeRowView> = {};
      if (withDims) {
        for (const d of dims)
          for (const [json, sql] of DIMENSION_COLUMNS[d]) (out as Row)[json] = r[sql] ?? null;
      }
      const withheld: string[] = [];
      return {
        ...out,
        discharges: disc.count(r.discharges),
        longStayDischarges: disc.count(r.long_stay_discharges),
        programDischarges: disc.count(r.program_discharges),
        medianDaysEnrollmentToDischarge: disc.derived(
          median(r.days_from_enrollment),
          r.program_discharges,
          'medianDaysEnrollmentToDischarge',
          withheld,
        ),
        withheld,
      } as DischargeRowView;
    };
    const totalRow = rows.find((r) => r.is_total);
    const empty: DischargeSqlRow = {
      is_total: true,
      discharges: 0,
      long_stay_discharges: 0,
      program_discharges: 0,
      days_from_enrollment: [],
    };
    const json: DischargesReport = {
      ...this.header('discharges', period, scope, q.suppressBelow),
      groupBy: dims,
      total: view(totalRow ?? empty, false),
      rows: dims.length ? rows.filter((r) => !r.is_total).map((r) => view(r, true)) : [],
    };
    return {
      json,
      filename: `discharges-${period.from}_${period.to}`,
      table: (): ReportTable => {
        const dimCols = dims.flatMap((d) =>
          DIMENSION_COLUMNS[d].map(([json, , en, ja]) => col<Row>(json, en, ja)),
        );
        const totalLabel: Row = {};
        if (dimCols.length) totalLabel[dimCols[0].key] = 'total';
        return {
          columns: [
            ...dimCols,
            col('discharges', 'discharges', '退院数'),
            col('longStayDischarges', 'long_stay_discharges', '長期入院者（1年以上）の退院数'),
            col('programDischarges', 'program_discharges', 'プログラムを通じた退院数'),
            col(
              'medianDaysEnrollmentToDischarge',
              'median_days_enrollment_to_discharge',
              '利用開始から退院までの日数（中央値）',
            ),
            col('withheld', 'withheld', '秘匿した項目', (r: Row) => (r.withheld as string[]).join(' ')),
          ],
          rows: [...(json.rows as unknown as Row[]), { ...json.total, ...totalLabel }],
        };
      },
    };
  }

  async funnel(actor: Actor, q: FiscalYearReportQuery): Promise<ReportResult<FunnelReport>> {
    const period = fiscalYearPeriod(q.fiscalYear);
    const scope = await this.scopes.resolve(actor, q.municipalityId);
    const allSteps = [...new Set(PROGRAMS.flatMap((p) => Object.keys(STEP_TABLES[p].steps)))];
    const [stepRows, startedRows] = await Promise.all([
      this.reader.query<FunnelStepRow>(funnelStepsSql(scope), [period.from, period.to, allSteps]),
      this.reader.query<{ program: string; started: number }>(funnelStartedSql(scope), [
        period.from,
        period.to,
      ]),
    ]);
    const disc = new Disclosure(q.suppressBelow ?? null);
    const programs: FunnelProgramView[] = PROGRAMS.map((program) => {
      const mine = stepRows.filter((r) => r.program === program);
      const table = STEP_TABLES[program];
      const withdrawals = mine.filter((r) => r.step === 'withdrawn');
      const reasons = [
        ...WITHDRAWAL_REASONS,
        ...new Set(
          withdrawals
            .map((r) => r.reason as string)
            .filter((r) => !(WITHDRAWAL_REASONS as readonly string[]).includes(r)),
        ),
      ];
      return {
        program,
        label: table.label,
        started: disc.count(startedRows.find((r) => r.program === program)?.started ?? 0),
        steps: Object.entries(table.steps).map(([step, def]) => ({
          step,
          label: def.label,
          enrollments: disc.count(mine.filter((r) => r.step === step).reduce((n, r) => n + r.enrollments, 0)),
        })),
        withdrawals: reasons.map((reason) => ({
          reason,
          label: (WITHDRAWAL_REASON_LABELS as Record<string, string>)[reason] ?? '理由なし',
          enrollments: disc.count(withdrawals.find((r) => r.reason === reason)?.enrollments ?? 0),
        })),
      };
    });
    const json: FunnelReport = {
      ...this.header('funnel', period, scope, q.suppressBelow),
      fiscalYear: period.fiscalYear,
      programs,
    };
    return {
      json,
      filename: `funnel-FY${period.fiscalYear}`,
      table: () => ({
        columns: [
          col('program', 'program', '支援プログラム'),
          col('measure', 'measure', '区分'),
          col('key', 'key', '段階・理由'),
          col('label', 'label', '名称'),
          col('enrollments', 'enrollments', '件数'),
        ],
        rows: programs.flatMap((p): Row[] => [
          {
            program: p.program,
            measure: 'started',
            key: 'started',
            label: '年度内に利用開始',
            enrollments: p.started,
          },
          ...p.steps.map((s) => ({
            program: p.program,
            measure: 'step',
            key: s.step,
            label: s.label,
            enrollments: s.enrollments,
          })),
          ...p.withdrawals.map((w) => ({
            program: p.program,
            measure: 'withdrawal',
            key: w.reason,
            label: w.label,
            enrollments: w.enrollments,
          })),
        ]),
      }),
    };
  }

  async outcomes(actor: Actor, q: FiscalYearReportQuery): Promise<ReportResult<OutcomesReport>> {
    const period = fiscalYearPeriod(q.fiscalYear);
    const asOf = todayInTokyo();
    const scope = await this.scopes.resolve(actor, q.municipalityId);
    const params = [period.from, period.to, asOf];
    const [[re], [dr]] = await Promise.all([
      this.reader.query<ReadmissionSqlRow>(readmissionSql(scope), params),
      this.reader.query<ReadmissionSqlRow>(dischargeRateSql(scope), params),
    ]);
    const disc = new Disclosure(q.suppressBelow ?? null);
    const readmissionWindows = FOLLOW_UP_WINDOWS.map((w) => {
      const withheld: string[] = [];
      const observed = re[`observed_${w.days}`];
      const readmitted = re[`readmitted_${w.days}`];
      return {
        months: w.months,
        withinDays: w.days,
        observed: disc.count(observed),
        readmitted: disc.count(readmitted),
        ratePercent: disc.derived(ratePercent(readmitted, observed), observed, 'ratePercent', withheld),
        pending: disc.count(re.discharges - observed),
        withheld,
      };
    });
    const livingWithheld: string[] = [];
    const dischargeWindows = FOLLOW_UP_WINDOWS.map((w) => {
      const withheld: string[] = [];
      const observed = dr[`observed_${w.days}`];
      const discharged = dr[`discharged_${w.days}`];
      return {
        months: w.months,
        withinDays: w.days,
        observed: disc.count(observed),
        discharged: disc.count(discharged),
        ratePercent: disc.derived(ratePercent(discharged, observed), observed, 'ratePercent', withheld),
        nationalTargetPercent: NATIONAL_TARGETS.dischargeRatePercent[w.months],
        pending: disc.count(dr.admissions - observed),
        withheld,
      };
    });
    const json: OutcomesReport = {
      ...this.header('outcomes', period, scope, q.suppressBelow),
      fiscalYear: period.fiscalYear,
      asOf,
      nationalTargets: {
        source: NATIONAL_TARGETS.source,
        communityLivingDays: NATIONAL_TARGETS.communityLivingDays,
        dischargeRatePercent: NATIONAL_TARGETS.dischargeRatePercent,
      },
      readmission: { discharges: disc.count(re.discharges), windows: readmissionWindows },
      communityLivingDays: {
        observed: disc.count(re.observed_year),
        meanDays: disc.derived(
          mean(re.community_days, re.observed_year),
          re.observed_year,
          'meanDays',
          livingWithheld,
        ),
        pending: disc.count(re.discharges - re.observed_year),
        nationalTarget: NATIONAL_TARGETS.communityLivingDays,
        withheld: livingWithheld,
      },
      dischargeRates: { admissions: disc.count(dr.admissions), windows: dischargeWindows },
    };
    return {
      json,
      filename: `outcomes-FY${period.fiscalYear}`,
      table: () => ({
        columns: [
          col('measure', 'measure', '指標'),
          col('months', 'months', '月数'),
          col('withinDays', 'within_days', '日数'),
          col('cohort', 'cohort', '対象数'),
          col('count', 'count', '該当数'),
          col('value', 'value', '値'),
          col('unit', 'unit', '単位'),
          col('pending', 'pending', '観察期間中'),
          col('nationalTarget', 'national_target_reference', '国の目標値（参考）'),
        ],
        rows: [
          ...readmissionWindows.map((w) => ({
            measure: 'readmission',
            months: w.months,
            withinDays: w.withinDays,
            cohort: w.observed,
            count: w.readmitted,
            value: w.ratePercent,
            unit: '%',
            pending: w.pending,
          })),
          {
            measure: 'community_living_days',
            months: 12,
            withinDays: COMMUNITY_YEAR_DAYS,
            cohort: json.communityLivingDays.observed,
            value: json.communityLivingDays.meanDays,
            unit: 'days',
            pending: json.communityLivingDays.pending,
            nationalTarget: NATIONAL_TARGETS.communityLivingDays,
          },
          ...dischargeWindows.map((w) => ({
            measure: 'discharge_rate_after_admission',
            months: w.months,
            withinDays: w.withinDays,
            cohort: w.observed,
            count: w.discharged,
            value: w.ratePercent,
            unit: '%',
            pending: w.pending,
            nationalTarget: w.nationalTargetPercent,
          })),
        ],
      }),
    };
  }

  async contactIntensity(
    actor: Actor,
    q: FiscalYearReportQuery,
  ): Promise<ReportResult<ContactIntensityReport>> {
    const period = fiscalYearPeriod(q.fiscalYear);
    const today = todayInTokyo();
    // Months not yet begun are not enrollment-months: the year is cut at today.
    const until = period.to < today ? period.to : today;
    const scope = await this.scopes.resolve(actor, q.municipalityId);
    const [openRows, bandRows] = await Promise.all([
      this.reader.query<OpenEnrollmentsRow>(openEnrollmentsSql(scopedEnrollmentsSource(scope)), [
        period.from,
        until,
      ]),
      this.reader.query<IntensityBandRow>(intensityBandsSql(scope), [period.from, until]),
    ]);
    const open = openRows[0] ?? {
      bucket: null,
      enrollments: 0,
      enrollment_months: 0,
      face_to_face_days: 0,
      contacts_by_kind: {},
    };
    const disc = new Disclosure(q.suppressBelow ?? null);
    const withheld: string[] = [];
    const contacts = Object.values(open.contacts_by_kind).reduce((n, c) => n + c, 0);
    const perMonth = (n: number, field: string) =>
      disc.derived(perUnit(n, open.enrollment_months), open.enrollments, field, withheld);
    const byKind: ContactKindView[] = CONTACT_KINDS.map((kind) => ({
      kind,
      label: CONTACT_KIND_LABELS_JA[kind],
      contacts: disc.count(open.contacts_by_kind[kind] ?? 0),
      perEnrollmentMonth: perMonth(open.contacts_by_kind[kind] ?? 0, `byKind.${kind}.perEnrollmentMonth`),
    }));
    const band = (name: string) => bandRows.find((r) => r.band === name);
    const bands: IntensityBandView[] = INTENSITY_BANDS.map((b) => {
      const r = band(b.band);
      const w: string[] = [];
      const n = r?.enrollments ?? 0;
      return {
        band: b.band,
        enrollments: disc.count(n),
        discharged: disc.count(r?.discharged ?? 0),
        ratePercent: disc.derived(ratePercent(r?.discharged ?? 0, n), n, 'ratePercent', w),
        withheld: w,
      };
    });
    const sum = (key: string) => bandRows.reduce((n, r) => n + Number(r[key] ?? 0), 0);
    const cohort = sum('enrollments');
    const cohortDischarged = sum('discharged');
    const cohortContacts = sum('contacts');
    const approaches: ApproachView[] = [];
    const approachShares: ApproachShareView[] = [];
    for (const a of Object.keys(APPROACHES) as Approach[]) {
      const used = sum(`${a}_used`);
      const usedDischarged = sum(`${a}_used_discharged`);
      for (const [isUsed, n, d] of [
        [true, used, usedDischarged],
        [false, cohort - used, cohortDischarged - usedDischarged],
      ] as const) {
        const w: string[] = [];
        approaches.push({
          approach: a,
          used: isUsed,
          enrollments: disc.count(n),
          discharged: disc.count(d),
          ratePercent: disc.derived(ratePercent(d, n), n, 'ratePercent', w),
          withheld: w,
        });
      }
      const n = sum(`${a}_contacts`);
      approachShares.push({
        approach: a,
        kinds: [...APPROACHES[a].kinds],
        contacts: disc.count(n),
        shareOfContactsPercent: disc.derived(
          ratePercent(n, cohortContacts),
          cohort,
          `approachShares.${a}`,
          withheld,
        ),
      });
    }
    const json: ContactIntensityReport = {
      ...this.header('contact-intensity', period, scope, q.suppressBelow),
      fiscalYear: period.fiscalYear,
      enrollments: disc.count(open.enrollments),
      enrollmentMonths: disc.count(open.enrollment_months),
      contacts: disc.count(contacts),
      contactsPerEnrollmentMonth: perMonth(contacts, 'contactsPerEnrollmentMonth'),
      faceToFaceDays: disc.count(open.face_to_face_days),
      faceToFaceDaysPerEnrollmentMonth: perMonth(open.face_to_face_days, 'faceToFaceDaysPerEnrollmentMonth'),
      byKind,
      cohortEnrollments: disc.count(cohort),
      bands,
      approaches,
      approachShares,
      withheld,
    };
    return {
      json,
      filename: `contact-intensity-FY${period.fiscalYear}`,
      table: () => ({
        columns: [
          col('section', 'section', '区分'),
          col('key', 'key', '項目'),
          col('label', 'label', '名称'),
          col('enrollments', 'enrollments', '利用者数'),
          col('enrollmentMonths', 'enrollment_months', '利用月数'),
          col('count', 'count', '件数・日数'),
          col('perEnrollmentMonth', 'per_enrollment_month', '利用1月あたり'),
          col('discharged', 'discharged', '退院数'),
          col('ratePercent', 'rate_percent', '退院率（%）'),
          col('sharePercent', 'share_percent', '支援記録に占める割合（%）'),
        ],
        rows: [
          {
            section: 'summary',
            key: 'contacts',
            label: '支援記録',
            enrollments: json.enrollments,
            enrollmentMonths: json.enrollmentMonths,
            count: json.contacts,
            perEnrollmentMonth: json.contactsPerEnrollmentMonth,
          },
          {
            section: 'summary',
            key: 'face_to_face_days',
            label: '対面支援日数',
            enrollments: json.enrollments,
            enrollmentMonths: json.enrollmentMonths,
            count: json.faceToFaceDays,
            perEnrollmentMonth: json.faceToFaceDaysPerEnrollmentMonth,
          },
          ...byKind.map((k) => ({
            section: 'kind',
            key: k.kind,
            label: k.label,
            count: k.contacts,
            perEnrollmentMonth: k.perEnrollmentMonth,
          })),
          ...bands.map((b) => ({
            section: 'band',
            key: b.band,
            label: `対面支援 ${b.band} 日/月`,
            enrollments: b.enrollments,
            discharged: b.discharged,
            ratePercent: b.ratePercent,
          })),
          ...approaches.map((a) => ({
            section: 'approach',
            key: `${a.approach}:${a.used ? 'used' : 'not_used'}`,
            label: a.approach,
            enrollments: a.enrollments,
            discharged: a.discharged,
            ratePercent: a.ratePercent,
          })),
          ...approachShares.map((s) => ({
            section: 'approach_share',
            key: s.approach,
            label: s.kinds.join(' '),
            count: s.contacts,
            sharePercent: s.shareOfContactsPercent,
          })),
        ],
      }),
    };
  }
}
