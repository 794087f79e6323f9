import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { BadInput, Forbidden, NotVisible, RuleViolation, StaleVersion } from '../common/errors.js';
import { type DischargeSqlRow, dischargesSql } from './discharges.sql.js';
import type { PutIndicatorTargetDto } from './dto/indicator-target.dto.js';
import type { FiscalYearReportQuery } from './dto/report-query.dto.js';
import { type IndicatorTargetRow, IndicatorTargetView } from './indicator-target.view.js';
import {
  type IndicatorCountsRow,
  indicatorCountsSql,
  scopeHospitalsSql,
  sessionsPerHospitalSql,
  TARGETS_SQL,
} from './indicators.sql.js';
import { type IndicatorDef, indicatorOf, INDICATORS, isMet } from './indicators.js';
import { type Cell, Disclosure, fiscalYearPeriod } from './report-maths.js';
import { col, type ReportResult, tableOf } from './report-output.js';
import { ReportReader } from './report-reader.js';
import { ReportScopes } from './report-scopes.js';
import type { HospitalSessionsView, IndicatorsReport, IndicatorView } from './reports.view.js';

interface Actual {
  value: number | null;
  /** A target computed from the data when none is stored (transition_program_hospitals: every hospital). */
  computedTarget?: number | null;
  extra?: Partial<IndicatorView>;
}

/**
 * The indicator sheet (GET /reports/indicators) and its targets (PUT /indicator-targets/:fiscalYear/:code).
 * Targets are read from the primary (a PUT must show at once); the figures from the report reader.
 */
@Injectable()
export class IndicatorsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reader: ReportReader,
    private readonly scopes: ReportScopes,
    private readonly audit: AuditService,
  ) {}

  /**
   * Whose targets apply: the scope's one municipality; for hospital, office and nurse staff the municipality of
   * their organization's area; otherwise (admin, prefecture) only the deployment-wide rows and the defaults.
   */
  private async targetsMunicipality(actor: Actor, scoped: string | null): Promise<string | null> {
    if (scoped) return scoped;
    if (actor.role === 'admin' || actor.role === 'prefectural_officer' || !actor.organizationId) return null;
    const [org] = (await this.db.query(`SELECT municipality_id FROM organizations WHERE id = $1`, [
      actor.organizationId,
    ])) as { municipality_id: string | null }[];
    return org?.municipality_id ?? null;
  }

  async sheet(actor: Actor, q: FiscalYearReportQuery): Promise<ReportResult<IndicatorsReport>> {
    const period = fiscalYearPeriod(q.fiscalYear);
    const scope = await this.scopes.resolve(actor, q.municipalityId);
    const targetsMunicipalityId = await this.targetsMunicipality(actor, scope.municipalityId);
    const range = [period.from, period.to];
    const [sessions, hospitals, [counts], discharges, targets] = await Promise.all([
      this.reader.query<{ hospital_id: string; hospital_name: string; sessions: number }>(
        sessionsPerHospitalSql(scope),
        range,
      ),
      this.reader.query<{
        id: string;
        name: string;
        long_stay_inpatients: number | null;
        long_stay_as_of: string | null;
      }>(scopeHospitalsSql(scope)),
      this.reader.query<IndicatorCountsRow>(indicatorCountsSql(scope), range),
      this.reader.query<DischargeSqlRow>(dischargesSql(scope, []), range),
      this.db.query(TARGETS_SQL, [period.fiscalYear, targetsMunicipalityId]) as Promise<IndicatorTargetRow[]>,
    ]);
    const disc = new Disclosure(q.suppressBelow ?? null);

    // Every hospital in scope is listed (0 sessions shows who is missing), plus any other hospital that held one.
    const perHospitalMap = new Map<string, { hospitalId: string; hospitalName: string; sessions: number }>();
    for (const h of hospitals)
      perHospitalMap.set(h.id, { hospitalId: h.id, hospitalName: h.name, sessions: 0 });
    for (const s of sessions)
      perHospitalMap.set(s.hospital_id, {
        hospitalId: s.hospital_id,
        hospitalName: s.hospital_name,
        sessions: s.sessions,
      });
    const perHospital = [...perHospitalMap.values()].sort(
      (a, b) =>
        a.hospitalName.localeCompare(b.hospitalName, 'ja') || a.hospitalId.localeCompare(b.hospitalId),
    );
    const totalSessions = sessions.reduce((n, s) => n + s.sessions, 0);
    const figures = hospitals.filter((h) => h.long_stay_inpatients !== null);
    const asOf =
      figures
        .map((h) => h.long_stay_as_of)
        .filter((d): d is string => d !== null)
        .sort()
        .pop() ?? null;

    const actuals: Record<string, Actual> = {
      transition_program_sessions: {
        value: totalSessions,
        extra: {
          perHospital: perHospital.map((h): HospitalSessionsView => ({
            ...h,
            sessions: disc.count(h.sessions),
          })),
          everyHospitalHasSession:
            hospitals.length > 0 && hospitals.every((h) => (perHospitalMap.get(h.id)?.sessions ?? 0) >= 1),
        },
      },
      transition_program_hospitals: {
        value: sessions.length,
        computedTarget: hospitals.length > 0 ? hospitals.length : null,
      },
      peer_involvement: {
        value: counts.peer_contacts + counts.peer_events,
        extra: {
          breakdown: { contacts: disc.count(counts.peer_contacts), events: disc.count(counts.peer_events) },
        },
      },
      supporter_training: { value: counts.trainings },
      peers_employed: { value: counts.peers_employed },
      program_discharges: { value: discharges.find((r) => r.is_total)?.program_discharges ?? 0 },
      long_stay_inpatients: {
        value: figures.length ? figures.reduce((n, h) => n + (h.long_stay_inpatients ?? 0), 0) : null,
        extra: { asOf },
      },
    };

    const indicators = INDICATORS.map((def) =>
      this.indicatorView(
        def,
        actuals[def.code],
        targets.find((t) => t.code === def.code),
        disc,
      ),
    );
    const json: IndicatorsReport = {
      report: 'indicators',
      from: period.from,
      to: period.to,
      municipalityId: scope.municipalityId,
      suppressBelow: q.suppressBelow ?? null,
      fiscalYear: period.fiscalYear,
      targetsMunicipalityId,
      indicators,
    };
    return {
      json,
      filename: `indicators-FY${period.fiscalYear}`,
      table: () =>
        tableOf<IndicatorView>(
          [
            col<IndicatorView>('code', 'code', 'コード'),
            col('name', 'indicator', '指標'),
            col('reason', 'reason', '指標の設定理由'),
            col('baseline', 'baseline', '現状値', (r: IndicatorView) => r.baselineText ?? r.baseline),
            col('target', 'target', '目標値', (r: IndicatorView) => r.targetText ?? r.target),
            col('actual', 'actual', '実績値'),
            col('unit', 'unit', '単位'),
            col('met', 'met', '達成', (r: IndicatorView) => (r.met === null ? '' : r.met)),
            col('targetSource', 'target_source', '目標の設定元'),
          ],
          indicators,
        ),
    };
  }

  private indicatorView(
    def: IndicatorDef,
    actual: Actual,
    stored: IndicatorTargetRow | undefined,
    disc: Disclosure,
  ): IndicatorView {
    const t = stored
      ? {
          reason: stored.reason,
          baseline: stored.baseline,
          baselineText: stored.baseline_text,
          target: stored.target,
          targetText: stored.target_text,
        }
      : { ...def.defaults, target: def.defaults.target ?? actual.computedTarget ?? null };
    const value: Cell | null = actual.value === null ? null : disc.count(actual.value);
    return {
      code: def.code,
      name: def.name,
      nameEn: def.nameEn,
      unit: def.unit,
      direction: def.direction,
      ...t,
      targetSource: stored ? (stored.municipality_id ? 'municipality' : 'deployment') : 'default',
      targetVersion: stored?.version ?? null,
      actual: value,
      met: isMet(def.direction, actual.value, t.target),
      ...actual.extra,
    };
  }

  /**
   * PUT /indicator-targets/:fiscalYear/:code: create or replace the target row. A municipal officer sets their
   * own municipality's (another → 403); an admin names `municipalityId`, or none for the deployment-wide
   * default. If-Match is optional: without it the last write wins (a sheet is filled in by one person); with it
   * the row must exist at that version (412 otherwise), as on every other update.
   */
  async putTarget(
    actor: Actor,
    fiscalYear: number,
    code: string,
    ifMatch: number | '*' | null,
    dto: PutIndicatorTargetDto,
  ): Promise<{ view: IndicatorTargetView; created: boolean }> {
    if (!Number.isInteger(fiscalYear) || fiscalYear < 2000 || fiscalYear > 2100) {
      throw new BadInput('fiscalYear must be a year between 2000 and 2100.', [
        { field: 'fiscalYear', messages: ['fiscalYear must be between 2000 and 2100'] },
      ]);
    }
    if (!indicatorOf(code)) throw new NotVisible('indicator');
    let municipalityId: string | null;
    if (actor.role === 'municipal_officer') {
      if (dto.municipalityId && dto.municipalityId !== actor.organizationId)
        throw new Forbidden('You may set the targets of your own municipality only.');
      municipalityId = actor.organizationId;
    } else if (actor.role === 'admin') {
      municipalityId = dto.municipalityId ?? null;
    } else {
      throw new Forbidden();
    }
    return this.db.transaction(async (tx) => {
      if (municipalityId && actor.role === 'admin') {
        const [org] = (await tx.query(`SELECT kind FROM organizations WHERE id = $1`, [municipalityId])) as {
          kind: string;
        }[];
        if (!org) throw new NotVisible('organization given as municipalityId');
        if (org.kind !== 'municipality')
          throw new RuleViolation(`municipalityId must name a municipality, not ${org.kind}.`, {
            field: 'municipalityId',
          });
      }
      const key = [fiscalYear, code, municipalityId];
      if (ifMatch !== null) {
        const [current] = (await tx.query(
          `SELECT version FROM indicator_targets WHERE fiscal_year = $1 AND code = $2 AND municipality_id IS NOT DISTINCT FROM $3 FOR UPDATE`,
          key,
        )) as { version: number }[];
        if (!current) throw new StaleVersion();
        if (ifMatch !== '*' && current.version !== ifMatch) throw new StaleVersion(current.version);
      }
      const [row] = (await tx.query(
        `INSERT INTO indicator_targets (fiscal_year, code, municipality_id, reason, baseline, baseline_text, target, target_text, updated_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT ON CONSTRAINT indicator_targets_unique DO UPDATE SET
           reason = EXCLUDED.reason, baseline = EXCLUDED.baseline, baseline_text = EXCLUDED.baseline_text,
           target = EXCLUDED.target, target_text = EXCLUDED.target_text, updated_by_id = EXCLUDED.updated_by_id,
           version = indicator_targets.version + 1, updated_at = now()
         RETURNING *, (xmax = 0) AS inserted`,
        [
          ...key,
          dto.reason ?? null,
          dto.baseline ?? null,
          dto.baselineText ?? null,
          dto.target ?? null,
          dto.targetText ?? null,
          actor.userId,
        ],
      )) as (IndicatorTargetRow & { inserted: boolean })[];
      await this.audit.record(tx, actor, {
        action: row.inserted ? 'create' : 'update',
        entityType: 'indicator_target',
        entityIds: [row.id],
        changedFields: ['reason', 'baseline', 'baselineText', 'target', 'targetText'].filter(
          (f) => (dto as Record<string, unknown>)[f] !== undefined,
        ),
        details: { fiscalYear, code, municipalityId },
      });
      return { view: IndicatorTargetView.of(row), created: row.inserted };
    });
  }
}
