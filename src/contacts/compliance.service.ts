import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AccessPolicy } from '../auth/access-policy.js';
import { AuditService } from '../audit/audit.service.js';
import type { CsvColumn } from '../common/csv.js';
import { addDays, daysBetween, todayInTokyo } from '../common/dates.js';
import { BadInput } from '../common/errors.js';
import { MAX_SPAN_DAYS, type ContactKind } from './contact-kinds.js';
import { ComplianceItemView, ComplianceView, EndingBenefitPeriodView } from './compliance.view.js';
import { FACE_TO_FACE_CONTACTS_SQL, endingBenefitPeriodsSql, enrollmentsInRuleSql } from './compliance.sql.js';
import type { ComplianceQuery } from './dto/compliance.query.js';
import { FACE_TO_FACE_KINDS, RULE_STEPS, assessMonth, daysRemainingIn, monthOf, parseMonth, type RuleContact } from './monthly-rule.js';

/** Benefit periods ending within this many days of today are listed for renewal (更新申請). */
export const ENDING_WITHIN_DAYS = 30;

interface EnrollmentRow {
  enrollment_id: string;
  patient_id: string;
  support_office_id: string;
  hospital_id: string;
  step: string;
  covered_from: string;
  covered_to: string;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  support_office_name: string;
  hospital_name: string;
}

interface ContactDayRow {
  enrollment_id: string;
  kind: ContactKind;
  occurred_on: string;
  ends_on: string | null;
  staff_count: number;
}

interface PeriodRow {
  benefit_period_id: string;
  enrollment_id: string;
  starts_on: string;
  ends_on: string;
  patient_id: string;
  program: string;
  step: string;
  support_office_id: string;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
}

const STATUS_ORDER = { missed: 0, at_risk: 1, met: 2 } as const;

/** CSV of the due list: one row per enrollment (the ending benefit periods are in the JSON only). */
export const COMPLIANCE_CSV: CsvColumn<ComplianceItemView & { month: string }>[] = [
  { key: 'month', header: 'month', headerJa: '対象月', value: (r) => r.month },
  { key: 'supportOfficeName', header: 'supportOffice', headerJa: '相談支援事業所', value: (r) => r.supportOfficeName },
  { key: 'hospitalName', header: 'hospital', headerJa: '病院', value: (r) => r.hospitalName },
  { key: 'familyName', header: 'familyName', headerJa: '氏', value: (r) => r.familyName },
  { key: 'givenName', header: 'givenName', headerJa: '名', value: (r) => r.givenName },
  { key: 'familyNameKana', header: 'familyNameKana', headerJa: '氏（カナ）', value: (r) => r.familyNameKana },
  { key: 'givenNameKana', header: 'givenNameKana', headerJa: '名（カナ）', value: (r) => r.givenNameKana },
  { key: 'step', header: 'step', headerJa: '段階', value: (r) => r.step },
  { key: 'status', header: 'status', headerJa: '状況', value: (r) => r.status },
  { key: 'faceToFaceDays', header: 'faceToFaceDays', headerJa: '対面支援日数', value: (r) => r.faceToFaceDays },
  { key: 'faceToFaceDates', header: 'faceToFaceDates', headerJa: '対面支援日', value: (r) => r.faceToFaceDates.join(' ') },
  { key: 'daysNeeded', header: 'daysNeeded', headerJa: '不足日数', value: (r) => r.daysNeeded },
  { key: 'daysRemaining', header: 'daysRemaining', headerJa: '残り日数', value: (r) => r.daysRemaining },
  { key: 'coveredFrom', header: 'coveredFrom', headerJa: '対象期間（開始）', value: (r) => r.coveredFrom },
  { key: 'coveredTo', header: 'coveredTo', headerJa: '対象期間（終了）', value: (r) => r.coveredTo },
  { key: 'enrollmentId', header: 'enrollmentId', headerJa: '利用ID', value: (r) => r.enrollmentId },
  { key: 'patientId', header: 'patientId', headerJa: '患者ID', value: (r) => r.patientId },
];

/**
 * The monthly face-to-face rule as a due list (DOMAIN.md §6): per visible community_transition enrollment that was
 * in granted/planned/supporting during the month, its distinct face-to-face days and status, plus the benefit
 * periods ending within 30 days. Who sees which rows is the access policy's enrollment scope: an office its
 * assigned enrollments, a hospital its patients', a municipal officer those of their municipality, admins all.
 */
@Injectable()
export class ComplianceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  async compute(actor: Actor, query: ComplianceQuery, exporting = false): Promise<ComplianceView> {
    const today = todayInTokyo();
    const range = parseMonth(query.month ?? monthOf(today));
    if (!range) throw new BadInput('month must be YYYY-MM (e.g. 2026-11).', [{ field: 'month', messages: ['month must be YYYY-MM'] }]);
    if (range.first > today) {
      throw new BadInput(`month ${range.month} is in the future: the rule can be checked for this month (${monthOf(today)}) or earlier.`, [
        { field: 'month', messages: ['month is in the future'] },
      ]);
    }
    const scope = this.access.enrollmentScope(actor, 'e');

    const params: unknown[] = [range.first, range.last, [...RULE_STEPS]];
    if (query.supportOfficeId) params.push(query.supportOfficeId);
    const enrollments = (await this.db.query(enrollmentsInRuleSql(scope, query.supportOfficeId ? 4 : null), params)) as EnrollmentRow[];

    const byEnrollment = new Map<string, RuleContact[]>();
    if (enrollments.length) {
      const rows = (await this.db.query(FACE_TO_FACE_CONTACTS_SQL, [
        range.first,
        range.last,
        enrollments.map((e) => e.enrollment_id),
        [...FACE_TO_FACE_KINDS],
        MAX_SPAN_DAYS,
      ])) as ContactDayRow[];
      for (const r of rows) {
        const list = byEnrollment.get(r.enrollment_id) ?? [];
        list.push({ kind: r.kind, occurredOn: r.occurred_on, endsOn: r.ends_on, staffCount: r.staff_count });
        byEnrollment.set(r.enrollment_id, list);
      }
    }

    let items: ComplianceItemView[] = enrollments.map((e) => {
      const a = assessMonth(byEnrollment.get(e.enrollment_id) ?? [], range, today);
      return {
        enrollmentId: e.enrollment_id,
        patientId: e.patient_id,
        familyName: e.family_name,
        givenName: e.given_name,
        familyNameKana: e.family_name_kana,
        givenNameKana: e.given_name_kana,
        supportOfficeId: e.support_office_id,
        supportOfficeName: e.support_office_name,
        hospitalId: e.hospital_id,
        hospitalName: e.hospital_name,
        step: e.step,
        coveredFrom: e.covered_from,
        coveredTo: e.covered_to,
        faceToFaceDays: a.faceToFaceDayCount,
        faceToFaceDates: a.faceToFaceDays,
        daysNeeded: a.daysNeeded,
        status: a.status,
        daysRemaining: a.daysRemaining,
      };
    });
    if (query.status) items = items.filter((i) => i.status === query.status);
    items.sort(
      (a, b) =>
        cmp(a.supportOfficeName, b.supportOfficeName) ||
        cmp(a.supportOfficeId, b.supportOfficeId) ||
        STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
        cmp(a.familyNameKana, b.familyNameKana) ||
        cmp(a.givenNameKana, b.givenNameKana) ||
        cmp(a.enrollmentId, b.enrollmentId),
    );

    const periodParams: unknown[] = [today, addDays(today, ENDING_WITHIN_DAYS)];
    if (query.supportOfficeId) periodParams.push(query.supportOfficeId);
    const periods = (await this.db.query(endingBenefitPeriodsSql(scope, query.supportOfficeId ? 3 : null), periodParams)) as PeriodRow[];
    const benefitPeriodsEnding: EndingBenefitPeriodView[] = periods.map((p) => ({
      benefitPeriodId: p.benefit_period_id,
      enrollmentId: p.enrollment_id,
      patientId: p.patient_id,
      familyName: p.family_name,
      givenName: p.given_name,
      familyNameKana: p.family_name_kana,
      givenNameKana: p.given_name_kana,
      program: p.program,
      step: p.step,
      supportOfficeId: p.support_office_id,
      startsOn: p.starts_on,
      endsOn: p.ends_on,
      daysLeft: daysBetween(today, p.ends_on),
    }));

    // The due list names patients: audited as a read (or an export) of each enrollment and patient shown.
    const enrollmentIds = unique([...items.map((i) => i.enrollmentId), ...benefitPeriodsEnding.map((p) => p.enrollmentId)]);
    const patientIds = unique([...items.map((i) => i.patientId), ...benefitPeriodsEnding.map((p) => p.patientId)]);
    for (const [entityType, ids] of [['enrollment', enrollmentIds], ['patient', patientIds]] as const) {
      if (ids.length === 0) continue;
      await this.audit.record(null, actor, { action: exporting ? 'export' : 'read', entityType, entityIds: ids, details: { view: 'contact-compliance', month: range.month } });
    }

    return {
      month: range.month,
      asOf: today,
      isMonthOver: today > range.last,
      daysRemaining: daysRemainingIn(range, today),
      counts: {
        met: items.filter((i) => i.status === 'met').length,
        atRisk: items.filter((i) => i.status === 'at_risk').length,
        missed: items.filter((i) => i.status === 'missed').length,
      },
      items,
      benefitPeriodsEnding,
    };
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const unique = (ids: string[]) => [...new Set(ids)];
