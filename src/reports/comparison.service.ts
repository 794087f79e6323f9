import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { Forbidden, NotVisible, RuleViolation } from '../common/errors.js';
import { todayInTokyo } from '../common/dates.js';
import { CONTACT_KINDS, CONTACT_KIND_LABELS_JA } from '../contacts/contact-kinds.js';
import {
  COMPARISON_DISCHARGES_SQL,
  COMPARISON_ENROLLMENTS_SQL,
  COMPARISON_EVENTS_SQL,
  enrollmentsByMunicipalitySql,
} from './comparison.sql.js';
import { openEnrollmentsSql, type OpenEnrollmentsRow } from './contact-intensity.sql.js';
import type { ComparisonQuery } from './dto/report-query.dto.js';
import { Disclosure, fiscalYearPeriod, median, perUnit, ratePercent } from './report-maths.js';
import { col, type ReportResult, tableOf } from './report-output.js';
import { ReportReader } from './report-reader.js';
import type { ComparisonReport, ComparisonRowView } from './reports.view.js';

/** Other municipalities' small numbers are never shown exactly, whatever `suppressBelow` says (#12). */
export const COMPARISON_THRESHOLD = 5;

type Num = Record<string, number>;

/**
 * City-to-city comparison (GET /reports/comparison, #12; the seed's question to other cities: how many
 * discharges, which approach, how often). One row per municipality: the caller's own row exact, every other
 * row with counts 1–4 as "<5" and rates from fewer than 5 people withheld. Admins and prefectural officers have
 * no own row, so every row is suppressed for them too: the comparison is the publishable table; their exact
 * figures per municipality come from the other reports with `municipalityId`.
 */
@Injectable()
export class ComparisonService {
  constructor(private readonly reader: ReportReader) {}

  /** Which municipalities are compared, and whose row is exact. */
  private async municipalities(actor: Actor, prefectureIdParam: string | undefined) {
    let prefectureId: string | null = null;
    let own: string | null = null;
    if (actor.role === 'admin') {
      if (prefectureIdParam) {
        const [org] = await this.reader.query<{ kind: string }>(
          `SELECT kind FROM organizations WHERE id = $1`,
          [prefectureIdParam],
        );
        if (!org) throw new NotVisible('prefecture');
        if (org.kind !== 'prefecture')
          throw new RuleViolation(`prefectureId must name a prefecture, not ${org.kind}.`, {
            field: 'prefectureId',
          });
        prefectureId = prefectureIdParam;
      }
    } else if (actor.role === 'prefectural_officer') {
      if (prefectureIdParam && prefectureIdParam !== actor.organizationId)
        throw new Forbidden('A prefectural officer compares the municipalities of their own prefecture.');
      prefectureId = actor.organizationId;
    } else if (actor.role === 'municipal_officer') {
      if (prefectureIdParam)
        throw new Forbidden(
          'prefectureId is for administrators; you compare the municipalities of your prefecture.',
        );
      own = actor.organizationId;
      const [me] = await this.reader.query<{ prefecture_id: string | null }>(
        `SELECT prefecture_id FROM organizations WHERE id = $1`,
        [own],
      );
      prefectureId = me?.prefecture_id ?? null;
    } else {
      throw new Forbidden();
    }
    // Index: organizations_prefecture (prefecture_id) / organizations_kind_name_id (kind, name, id).
    const rows = await this.reader.query<{ id: string; name: string }>(
      `SELECT id, name FROM organizations
        WHERE kind = 'municipality' AND ($1::uuid IS NULL OR prefecture_id = $1) AND (active OR id = $2)
        ORDER BY name, id`,
      [prefectureId, own],
    );
    return { prefectureId, own, rows };
  }

  async comparison(actor: Actor, q: ComparisonQuery): Promise<ReportResult<ComparisonReport>> {
    const period = fiscalYearPeriod(q.fiscalYear);
    const today = todayInTokyo();
    const until = period.to < today ? period.to : today;
    const { prefectureId, own, rows: munis } = await this.municipalities(actor, q.prefectureId);
    const ids = munis.map((m) => m.id);
    const range = [ids, period.from, period.to];
    const [enr, dis, ev, open] = await Promise.all([
      this.reader.query<Num & { muni: string }>(COMPARISON_ENROLLMENTS_SQL, range),
      this.reader.query<Num & { muni: string; days_from_enrollment: number[] }>(
        COMPARISON_DISCHARGES_SQL,
        range,
      ),
      this.reader.query<Num & { muni: string }>(COMPARISON_EVENTS_SQL, range),
      this.reader.query<OpenEnrollmentsRow>(
        openEnrollmentsSql(`SELECT em.muni AS bucket, em.id FROM (${enrollmentsByMunicipalitySql(3)}) em`),
        [period.from, until, ids],
      ),
    ]);
    const others = Math.max(COMPARISON_THRESHOLD, q.suppressBelow ?? COMPARISON_THRESHOLD);
    const rows: ComparisonRowView[] = munis.map((m) => {
      const isOwn = m.id === own;
      const disc = new Disclosure(isOwn ? (q.suppressBelow ?? null) : others);
      const e = enr.find((r) => r.muni === m.id);
      const d = dis.find((r) => r.muni === m.id);
      const v = ev.find((r) => r.muni === m.id);
      const o = open.find((r) => r.bucket === m.id);
      const withheld: string[] = [];
      const people = o?.enrollments ?? 0;
      const kinds = o?.contacts_by_kind ?? {};
      const contacts = Object.values(kinds).reduce((n, c) => n + c, 0);
      const shares =
        contacts > 0
          ? Object.fromEntries(CONTACT_KINDS.map((k) => [k, ratePercent(kinds[k] ?? 0, contacts) as number]))
          : null;
      return {
        municipalityId: m.id,
        municipalityName: m.name,
        isOwn,
        enrollmentsStarted: disc.count(e?.enrollments_started ?? 0),
        enrollmentsOpen: disc.count(people),
        discharges: disc.count(d?.discharges ?? 0),
        longStayDischarges: disc.count(d?.long_stay_discharges ?? 0),
        programDischarges: disc.count(d?.program_discharges ?? 0),
        medianDaysEnrollmentToDischarge: disc.derived(
          median(d?.days_from_enrollment ?? []),
          d?.program_discharges ?? 0,
          'medianDaysEnrollmentToDischarge',
          withheld,
        ),
        transitionProgramSessions: disc.count(v?.sessions ?? 0),
        hospitalsReached: disc.count(v?.hospitals_reached ?? 0),
        peerInvolvement: disc.count((e?.peer_contacts ?? 0) + (v?.peer_events ?? 0)),
        faceToFaceDaysPerEnrollmentMonth: disc.derived(
          perUnit(o?.face_to_face_days ?? 0, o?.enrollment_months ?? 0),
          people,
          'faceToFaceDaysPerEnrollmentMonth',
          withheld,
        ),
        contactKindSharesPercent: disc.derived(shares, people, 'contactKindSharesPercent', withheld),
        withheld,
      };
    });
    const json: ComparisonReport = {
      report: 'comparison',
      fiscalYear: period.fiscalYear,
      from: period.from,
      to: period.to,
      prefectureId,
      ownMunicipalityId: own,
      suppressBelow: others,
      rows,
    };
    return {
      json,
      filename: `comparison-FY${period.fiscalYear}`,
      table: () =>
        tableOf<ComparisonRowView>(
          [
            col<ComparisonRowView>('municipalityId', 'municipality_id', '市区町村ID'),
            col('municipalityName', 'municipality', '市区町村'),
            col('isOwn', 'own', '自市区町村'),
            col('enrollmentsStarted', 'enrollments_started', '利用開始数'),
            col('enrollmentsOpen', 'enrollments_open', '利用者数（年度内）'),
            col('discharges', 'discharges', '退院数'),
            col('longStayDischarges', 'long_stay_discharges', '長期入院者（1年以上）の退院数'),
            col('programDischarges', 'program_discharges', 'プログラムを通じた退院数'),
            col(
              'medianDaysEnrollmentToDischarge',
              'median_days_enrollment_to_discharge',
              '利用開始から退院までの日数（中央値）',
            ),
            col('transitionProgramSessions', 'transition_program_sessions', '院内プログラム開催件数'),
            col('hospitalsReached', 'hospitals_reached', 'プログラム実施病院数'),
            col('peerInvolvement', 'peer_involvement', 'ピアが関わった支援・会議等の件数'),
            col(
              'faceToFaceDaysPerEnrollmentMonth',
              'face_to_face_days_per_enrollment_month',
              '利用1月あたり対面支援日数',
            ),
            ...CONTACT_KINDS.map((k) =>
              col<ComparisonRowView>(
                `share_${k}`,
                `share_${k}_percent`,
                `${CONTACT_KIND_LABELS_JA[k]}の割合（%）`,
                (r) => r.contactKindSharesPercent?.[k],
              ),
            ),
            col('withheld', 'withheld', '秘匿した項目', (r: ComparisonRowView) => r.withheld.join(' ')),
          ],
          rows,
        ),
    };
  }
}
