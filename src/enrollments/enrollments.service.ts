import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AccessPolicy } from '../auth/access-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { addDays, todayInTokyo } from '../common/dates.js';
import { Conflict, Forbidden, NotVisible, RuleViolation, StaleVersion } from '../common/errors.js';
import { updateVersioned } from '../common/etag.js';
import { IdempotencyService, type StoredResponse } from '../common/idempotency.service.js';
import { CursorCodec, DEFAULT_LIMIT, type Page } from '../common/pagination.js';
import { SqlFilter } from '../common/sql.js';
import type { BenefitPeriodDto } from './dto/benefit-period.dto.js';
import type { CreateEnrollmentDto } from './dto/create-enrollment.dto.js';
import type { ListEnrollmentsQuery } from './dto/list-enrollments.query.js';
import type { TransitionDto } from './dto/transition.dto.js';
import {
  BenefitPeriodView,
  EnrollmentView,
  StepHistoryView,
  type BenefitPeriodRow,
  type EnrollmentDetailView,
  type EnrollmentRow,
  type StepRow,
} from './enrollment.view.js';
import {
  BENEFIT_PERIODS,
  CLOSE_ADMISSION,
  CURRENT_MEMBER,
  enrollmentById,
  enrollmentSelect,
  INSERT_BENEFIT_PERIOD,
  INSERT_STEP,
  MOVE_STEP,
  OPEN_ADMISSION_FOR_UPDATE,
  STEP_HISTORY,
} from './enrollments.sql.js';
import { moversOf } from './movers.js';
import { authorityFor, benefitPeriodProblem, checkFields, checkMove, MOVER_LABELS, programOf, stepOf, type Mover } from './programs.js';

interface TeamRow {
  id: string;
  hospital_id: string;
  municipality_id: string;
  ended_on: string | null;
}

const UNIQUE_VIOLATION = '23505';

function describeMovers(movers: readonly Mover[]): string {
  return movers.map((m) => MOVER_LABELS[m].description.toLowerCase()).join('; ');
}

/**
 * Enrollments (支援の利用) and their step machine. Every rule about steps comes from the step table
 * (programs.ts); this service applies it, in one transaction per use case, with the audit row in the same
 * transaction.
 */
@Injectable()
export class EnrollmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
    private readonly cursors: CursorCodec,
  ) {}

  /** The enrollment if the caller may see it, else 404 (exactly as for an id that does not exist). */
  async findVisible(tx: EntityManager, actor: Actor, id: string, lock = false): Promise<EnrollmentRow> {
    const rows = (await tx.query(enrollmentById(this.policy.enrollmentScope(actor, 'e'), lock), [id, todayInTokyo()])) as EnrollmentRow[];
    if (rows.length === 0) throw new NotVisible('enrollment');
    return rows[0];
  }

  async get(actor: Actor, id: string): Promise<EnrollmentDetailView> {
    const view = await this.detail(this.db.manager, actor, id);
    await this.audit.reads(actor, 'enrollment', [id]);
    return view;
  }

  async list(actor: Actor, query: ListEnrollmentsQuery): Promise<Page<EnrollmentView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const today = todayInTokyo();
    const filter = new SqlFilter();
    filter.param(today); // $1, read by enrollmentSelect(1)
    filter.raw(this.policy.enrollmentScope(actor, 'e'));
    if (query.program) filter.add((n) => `e.program = $${n}`, query.program);
    if (query.step) filter.add((n) => `e.step = $${n}`, query.step);
    if (query.teamId) filter.add((n) => `e.team_id = $${n}`, query.teamId);
    if (query.supportOfficeId) filter.add((n) => `e.support_office_id = $${n}`, query.supportOfficeId);
    if (query.hospitalId) filter.add((n) => `e.hospital_id = $${n}`, query.hospitalId);
    if (query.patientId) filter.add((n) => `e.patient_id = $${n}`, query.patientId);
    if (query.active) filter.add((n) => `e.is_active = $${n}`, query.active === 'true');
    if (query.cursor) filter.after(['e.id'], this.cursors.decode(query.cursor, 1));
    // Ordered by id: every scope index (office, station, hospital, municipality) ends in id, so a page is an
    // index range scan whatever the caller's role.
    const rows = (await this.db.query(
      `${enrollmentSelect(1)} ${filter.where()} ORDER BY e.id LIMIT ${filter.param(limit + 1)}`,
      filter.params,
    )) as EnrollmentRow[];
    const page = this.cursors.page(rows, limit, (r) => [r.id], (r) => EnrollmentView.of(r, today));
    await this.audit.reads(actor, 'enrollment', page.items.map((e) => e.id));
    return page;
  }

  async create(actor: Actor, dto: CreateEnrollmentDto, key: string | undefined): Promise<StoredResponse<EnrollmentDetailView>> {
    return this.idempotency.run(actor.userId, key, { method: 'POST', path: '/enrollments', body: dto }, 201, async (tx) => {
      const def = programOf(dto.program);
      const today = todayInTokyo();
      // startedOn omitted: the referral date is not recorded. started_on holds today as a provisional value
      // (started_on_recorded false) that the first move and contacts dated earlier lower (see transition() and
      // ContactsService); given: the referral is dated and every date rule is strict.
      const startedOnRecorded = dto.startedOn !== undefined;
      const startedOn = dto.startedOn ?? today;
      if (startedOn > today) throw new RuleViolation(`startedOn ${startedOn} is in the future (today is ${today} in Tokyo).`, { field: 'startedOn' });

      const patients = (await tx.query(
        `SELECT p.id, p.hospital_id FROM patients p WHERE p.id = $1 AND ${this.policy.patientScope(actor, 'p')}`,
        [dto.patientId],
      )) as { id: string; hospital_id: string }[];
      if (patients.length === 0) throw new NotVisible('patient');
      const patient = patients[0];

      const teams = (await tx.query(`SELECT id, hospital_id, municipality_id, ended_on FROM teams WHERE id = $1`, [dto.teamId])) as TeamRow[];
      if (teams.length === 0) throw new NotVisible('team');
      const team = teams[0];
      if (team.ended_on !== null && team.ended_on < startedOn) {
        throw new RuleViolation(`The team ended on ${team.ended_on}; choose a current team.`, { field: 'teamId' });
      }
      this.assertMayCreateFor(actor, dto, team);
      if ((await tx.query(CURRENT_MEMBER, [team.id, dto.supportOfficeId, 'support_office'])).length === 0) {
        throw new RuleViolation('supportOfficeId must name a support office that is a current member of the team.', { field: 'supportOfficeId' });
      }
      if (dto.nurseStationId && (await tx.query(CURRENT_MEMBER, [team.id, dto.nurseStationId, 'nurse_station'])).length === 0) {
        throw new RuleViolation('nurseStationId must name a nurse station that is a current member of the team.', { field: 'nurseStationId' });
      }
      if (def.teamHospitalMustBePatients && team.hospital_id !== patient.hospital_id) {
        throw new RuleViolation(
          `A ${dto.program} enrollment needs a team of the patient's hospital: the patient is at hospital ${patient.hospital_id}, ` +
            `the team works with hospital ${team.hospital_id}.`,
          { field: 'teamId' },
        );
      }
      const active = (await tx.query(`SELECT id FROM enrollments WHERE patient_id = $1 AND program = $2 AND is_active`, [patient.id, dto.program])) as { id: string }[];
      if (active.length) {
        throw new Conflict(`The patient already has an active ${dto.program} enrollment; end it before starting another.`, { enrollmentId: active[0].id });
      }

      let id: string;
      try {
        const [row] = (await tx.query(
          `INSERT INTO enrollments (patient_id, program, team_id, support_office_id, nurse_station_id, hospital_id, municipality_id,
             step, is_active, started_on, started_on_recorded, step_entered_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true, $9, $10, $9) RETURNING id`,
          [
            patient.id,
            dto.program,
            team.id,
            dto.supportOfficeId,
            dto.nurseStationId ?? null,
            patient.hospital_id,
            team.municipality_id,
            def.initial,
            startedOn,
            startedOnRecorded,
          ],
        )) as { id: string }[];
        id = row.id;
      } catch (err) {
        // Two requests racing past the check above meet the enrollments_one_active index.
        if ((err as { code?: string; driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION || (err as { code?: string }).code === UNIQUE_VIOLATION) {
          throw new Conflict(`The patient already has an active ${dto.program} enrollment; end it before starting another.`);
        }
        throw err;
      }
      await tx.query(INSERT_STEP, [id, null, def.initial, startedOn, actor.userId, actor.role, null, dto.note ?? null, null]);
      await this.audit.record(tx, actor, {
        action: 'create',
        entityType: 'enrollment',
        entityIds: [id],
        details: {
          patientId: patient.id,
          program: dto.program,
          teamId: team.id,
          supportOfficeId: dto.supportOfficeId,
          nurseStationId: dto.nurseStationId ?? null,
          startedOnRecorded,
        },
      });
      return this.detail(tx, actor, id);
    });
  }

  /**
   * Move a step (POST /enrollments/:id/transitions). One transaction: the enrollment (compare-and-set on its
   * version), the history row, the benefit period of `granted`, the admission a `discharged` closes, the audit.
   * Anything failing rolls back all of it.
   */
  async transition(actor: Actor, id: string, expected: number | '*', dto: TransitionDto, key: string | undefined): Promise<StoredResponse<EnrollmentDetailView>> {
    const request = { method: 'POST', path: `/enrollments/${id}/transitions`, ifMatch: expected, body: dto };
    return this.idempotency.run(actor.userId, key, request, 201, async (tx) => {
      const e = await this.findVisible(tx, actor, id);
      if (expected !== '*' && expected !== e.version) throw new StaleVersion(e.version);

      const move = checkMove(e.program, e.step, dto.to);
      if (!move.ok) throw new RuleViolation(move.detail, { from: e.step, to: dto.to, allowed: move.allowed });
      const target = move.target;

      const authority = authorityFor(target.enteredBy, target.onBehalfOfMunicipalityBy, moversOf(actor, this.parties(e)));
      if (!authority.allowed) {
        const onBehalf = target.onBehalfOfMunicipalityBy?.length ? ` (or, on behalf of the municipality: ${describeMovers(target.onBehalfOfMunicipalityBy)})` : '';
        throw new Forbidden(`A move to ${dto.to} is recorded by: ${describeMovers(target.enteredBy)}${onBehalf}.`);
      }

      const fieldProblems = checkFields(target, dto.to, dto);
      if (fieldProblems.length) {
        throw new RuleViolation(fieldProblems.map((p) => p.message).join('; ') + '.', {
          errors: fieldProblems.map((p) => ({ field: p.field, messages: [p.message] })),
        });
      }
      const today = todayInTokyo();
      if (dto.occurredOn > today) {
        throw new RuleViolation(`occurredOn ${dto.occurredOn} is in the future (today is ${today} in Tokyo).`, { field: 'occurredOn' });
      }
      // The first move out of an undated referral (started_on_recorded false; no move leads back to the initial
      // step, so "still at the initial step" means "no move yet") has no lower bound: the case was referred on some
      // unrecorded day, possibly long before it was registered. The move lowers the provisional started_on to its
      // date if earlier (MOVE_STEP). Every other move — and every move of a dated referral — is strict.
      const fromUndatedReferral = !e.started_on_recorded && e.step === programOf(e.program).initial;
      if (!fromUndatedReferral && dto.occurredOn < e.step_entered_on) {
        throw new RuleViolation(`occurredOn ${dto.occurredOn} is before the previous step (${e.step} on ${e.step_entered_on}).`, {
          field: 'occurredOn',
          previousOccurredOn: e.step_entered_on,
        });
      }
      if (dto.benefitPeriod) {
        const problem = benefitPeriodProblem(e.program, dto.benefitPeriod.startsOn, dto.benefitPeriod.endsOn);
        if (problem) throw new RuleViolation(problem, { field: 'benefitPeriod' });
      }
      if (dto.discharge && dto.discharge.dischargedOn !== dto.occurredOn) {
        throw new RuleViolation('discharge.dischargedOn must be the day of the step (occurredOn).', { field: 'discharge.dischargedOn' });
      }

      const final = target.final === true;
      const [moved] = (await tx.query(MOVE_STEP, [
        id,
        expected === '*' ? null : expected,
        dto.to,
        dto.occurredOn,
        !final,
        final ? dto.occurredOn : null,
        fromUndatedReferral,
      ])) as [{ started_on: string }[], number];
      if (moved.length === 0) {
        const exists = (await tx.query(`SELECT version FROM enrollments WHERE id = $1`, [id])) as { version: number }[];
        if (exists.length === 0) throw new NotVisible('enrollment');
        throw new StaleVersion(exists[0].version);
      }
      // Lowered by this move (not by a contact meanwhile, which does not bump the version).
      const startedOnLowered = fromUndatedReferral && dto.occurredOn < e.started_on && moved[0].started_on === dto.occurredOn;
      const onBehalfOfId = authority.onBehalfOfMunicipality ? e.municipality_id : null;
      await tx.query(INSERT_STEP, [id, e.step, dto.to, dto.occurredOn, actor.userId, actor.role, onBehalfOfId, dto.note ?? null, dto.reason ?? null]);

      const details: Record<string, unknown> = { from: e.step, to: dto.to, occurredOn: dto.occurredOn };
      if (onBehalfOfId) details.onBehalfOfId = onBehalfOfId;
      if (dto.reason) details.reason = dto.reason;
      const changedFields = ['step', 'stepEnteredOn', ...(final ? ['isActive', 'endedOn'] : [])];
      if (startedOnLowered) {
        changedFields.push('startedOn');
        details.startedOn = moved[0].started_on;
      }
      if (dto.benefitPeriod) {
        const [bp] = (await tx.query(INSERT_BENEFIT_PERIOD, [id, dto.benefitPeriod.startsOn, dto.benefitPeriod.endsOn, false, actor.userId])) as BenefitPeriodRow[];
        details.benefitPeriodId = bp.id;
        changedFields.push('benefitPeriod');
      }
      await this.audit.record(tx, actor, { action: 'update', entityType: 'enrollment', entityIds: [id], changedFields, details });
      if (dto.discharge) await this.closeAdmission(tx, actor, e, dto.discharge.dischargedOn, dto.discharge.destination, id);
      return this.detail(tx, actor, id);
    });
  }

  async benefitPeriods(actor: Actor, id: string): Promise<Page<BenefitPeriodView>> {
    await this.findVisible(this.db.manager, actor, id);
    const rows = (await this.db.query(BENEFIT_PERIODS, [id])) as BenefitPeriodRow[];
    await this.audit.reads(actor, 'enrollment', [id]);
    return { items: rows.map(BenefitPeriodView.of), nextCursor: null };
  }

  /**
   * A renewal (支給決定の更新): a new period that starts the day after the last one ends — no gap, no overlap
   * (the benefit_periods_no_overlap exclusion constraint backs this). The first period comes with `granted`.
   */
  async renewBenefitPeriod(actor: Actor, id: string, dto: BenefitPeriodDto, key: string | undefined): Promise<StoredResponse<BenefitPeriodView>> {
    return this.idempotency.run(actor.userId, key, { method: 'POST', path: `/enrollments/${id}/benefit-periods`, body: dto }, 201, async (tx) => {
      const e = await this.findVisible(tx, actor, id, true);
      const def = programOf(e.program);
      if (def.benefitPeriodMaxMonths === null) throw new RuleViolation(`${e.program} has no benefit periods.`);
      const authority = authorityFor(def.benefitGrantedBy, def.benefitOnBehalfOfMunicipalityBy, moversOf(actor, this.parties(e)));
      if (!authority.allowed) {
        throw new Forbidden(
          `Benefit periods are granted by: ${describeMovers(def.benefitGrantedBy)} (or, on behalf of the municipality: ${describeMovers(def.benefitOnBehalfOfMunicipalityBy)}).`,
        );
      }
      if (!e.is_active || stepOf(e.program, e.step).benefitRunning !== true) {
        const running = Object.entries(def.steps).filter(([, s]) => s.benefitRunning).map(([name]) => name);
        throw new RuleViolation(`A benefit period is renewed only while the benefit is in use (steps ${running.join(', ')}); this enrollment is at ${e.step}.`);
      }
      const periods = (await tx.query(BENEFIT_PERIODS, [id])) as BenefitPeriodRow[];
      if (periods.length === 0) throw new RuleViolation('The first benefit period is recorded with the granted transition.');
      const lastEnd = periods.reduce((max, p) => (p.ends_on > max ? p.ends_on : max), periods[0].ends_on);
      const mustStart = addDays(lastEnd, 1);
      if (dto.startsOn !== mustStart) {
        throw new RuleViolation(
          `A renewal follows on from the previous period without gap or overlap: it must start on ${mustStart} (the previous one ends ${lastEnd}).`,
          { field: 'startsOn', expectedStartsOn: mustStart },
        );
      }
      const problem = benefitPeriodProblem(e.program, dto.startsOn, dto.endsOn);
      if (problem) throw new RuleViolation(problem, { field: 'endsOn' });
      const [bp] = (await tx.query(INSERT_BENEFIT_PERIOD, [id, dto.startsOn, dto.endsOn, true, actor.userId])) as BenefitPeriodRow[];
      // The enrollment's representation (its current benefit period) changed: a new ETag.
      await updateVersioned(tx, 'enrollments', id, '*', {}, 'enrollment');
      const details: Record<string, unknown> = { enrollmentId: id, startsOn: dto.startsOn, endsOn: dto.endsOn, isRenewal: true };
      if (authority.onBehalfOfMunicipality) details.onBehalfOfId = e.municipality_id;
      await this.audit.record(tx, actor, { action: 'create', entityType: 'benefit_period', entityIds: [bp.id, id], details });
      return BenefitPeriodView.of(bp);
    });
  }

  private async closeAdmission(tx: EntityManager, actor: Actor, e: EnrollmentRow, dischargedOn: string, destination: string, enrollmentId: string) {
    const open = (await tx.query(OPEN_ADMISSION_FOR_UPDATE, [e.patient_id])) as { id: string; admitted_on: string }[];
    if (open.length === 0) {
      throw new RuleViolation('The patient has no open admission to close: record the admission first (or it was already closed).', { field: 'discharge' });
    }
    const admission = open[0];
    if (dischargedOn < admission.admitted_on) {
      throw new RuleViolation(`discharge.dischargedOn ${dischargedOn} is before the admission began (${admission.admitted_on}).`, { field: 'discharge.dischargedOn' });
    }
    // An UPDATE answers [rows, rowCount] through TypeORM.
    const [closed] = (await tx.query(CLOSE_ADMISSION, [admission.id, dischargedOn, destination])) as [unknown[], number];
    if (closed.length === 0) throw new RuleViolation('The admission was closed meanwhile; nothing was stored. Read the patient again.', { field: 'discharge' });
    await this.audit.record(tx, actor, {
      action: 'update',
      entityType: 'admission',
      entityIds: [admission.id],
      changedFields: ['dischargedOn', 'dischargeDestination'],
      details: { byEnrollmentId: enrollmentId },
    });
  }

  private async detail(tx: EntityManager, actor: Actor, id: string): Promise<EnrollmentDetailView> {
    const today = todayInTokyo();
    const row = await this.findVisible(tx, actor, id);
    const steps = (await tx.query(STEP_HISTORY, [id])) as StepRow[];
    return { ...EnrollmentView.of(row, today), history: steps.map((s) => StepHistoryView.of(row, s)) };
  }

  private parties(e: EnrollmentRow) {
    return {
      patientHospitalId: e.patient_hospital_id,
      supportOfficeId: e.support_office_id,
      municipalityId: e.municipality_id,
      responsibleMunicipalityId: e.responsible_municipality_id,
    };
  }

  /** Office staff enroll only with their own office; municipal officers only on teams of their municipality. */
  private assertMayCreateFor(actor: Actor, dto: CreateEnrollmentDto, team: TeamRow): void {
    if (actor.role === 'support_office_staff' && dto.supportOfficeId !== actor.organizationId) {
      throw new Forbidden('Support office staff may only create enrollments assigned to their own office.');
    }
    if (actor.role === 'municipal_officer' && team.municipality_id !== actor.organizationId) {
      throw new Forbidden("Municipal officers may only create enrollments on their own municipality's teams.");
    }
  }
}
