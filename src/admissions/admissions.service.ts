import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { todayInTokyo } from '../common/dates.js';
import { BadInput, Conflict, NotVisible, RuleViolation } from '../common/errors.js';
import { updateVersioned } from '../common/etag.js';
import { type AdmissionRow, AdmissionView } from './admission.view.js';
import type { CreateAdmissionDto, UpdateAdmissionDto } from './dto/admission.dto.js';
import { assertNotFuture } from './date-rules.js';
import { overlapsAnother } from './stay.js';

interface PatientRef {
  id: string;
  hospital_id: string;
  birth_date: string;
  closed_on: string | null;
}

const DISCHARGE_FIELDS = ['dischargedOn', 'dischargeDestination'] as const;

/**
 * Admissions (入院). Every query joins the patient and ANDs the caller's patient scope: an admission is visible
 * exactly when its patient is. Discharge fields are written only by the discharge step of an enrollment.
 */
@Injectable()
export class AdmissionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly policy: AccessPolicy,
  ) {}

  async listForPatient(actor: Actor, patientId: string, asOf = todayInTokyo()): Promise<AdmissionView[]> {
    await this.visiblePatient(this.db.manager, actor, patientId);
    const rows = (await this.db.query(
      `SELECT * FROM admissions WHERE patient_id = $1 ORDER BY admitted_on DESC, created_at DESC, id`,
      [patientId],
    )) as AdmissionRow[];
    await this.audit.record(null, actor, {
      action: 'read',
      entityType: 'admission',
      entityIds: rows.map((r) => r.id),
      details: { patientId },
    });
    return rows.map((r) => AdmissionView.of(r, asOf, rows));
  }

  async get(actor: Actor, id: string, asOf = todayInTokyo()): Promise<AdmissionView> {
    // The admission and its siblings (for the readmission flag) in one round trip, scoped by the patient.
    const rows = (await this.db.query(
      `SELECT s.* FROM admissions a
         JOIN patients p ON p.id = a.patient_id
         JOIN admissions s ON s.patient_id = a.patient_id
       WHERE a.id = $1 AND ${this.policy.patientScope(actor, 'p')}`,
      [id],
    )) as AdmissionRow[];
    const row = rows.find((r) => r.id === id);
    if (!row) throw new NotVisible('admission');
    await this.audit.record(null, actor, {
      action: 'read',
      entityType: 'admission',
      entityIds: [id],
      details: { patientId: row.patient_id },
    });
    return AdmissionView.of(row, asOf, rows);
  }

  async create(actor: Actor, patientId: string, dto: CreateAdmissionDto): Promise<AdmissionView> {
    assertNotFuture('admittedOn', dto.admittedOn);
    return this.db.transaction(async (tx) => {
      // Locking the patient serialises admissions of one patient (the one-open-admission rule, overlaps).
      const patient = await this.visiblePatient(tx, actor, patientId, true);
      if (patient.closed_on) throw new RuleViolation('The patient record is closed.');
      if (dto.admittedOn < patient.birth_date)
        throw new RuleViolation('admittedOn must not be before the birth date.', { field: 'admittedOn' });
      const stays = await this.staysOf(tx, patientId);
      const open = stays.find((s) => s.discharged_on === null);
      if (open) {
        throw new Conflict(
          'The patient already has an open admission; it is closed by the discharge step before a new one starts.',
          {
            openAdmissionId: open.id,
          },
        );
      }
      const overlap = overlapsAnother(
        { id: '', admittedOn: dto.admittedOn, dischargedOn: null },
        toStays(stays),
      );
      if (overlap) {
        throw new RuleViolation('admittedOn falls within an earlier admission of this patient.', {
          field: 'admittedOn',
          admissionId: overlap.id,
        });
      }
      const [row] = (await tx.query(
        `INSERT INTO admissions (patient_id, hospital_id, admission_type, admitted_on, hospital_ward)
         VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [patientId, patient.hospital_id, dto.admissionType, dto.admittedOn, dto.hospitalWard ?? null],
      )) as AdmissionRow[];
      await this.audit.record(tx, actor, {
        action: 'create',
        entityType: 'admission',
        entityIds: [row.id],
        details: { patientId },
      });
      return AdmissionView.of(row, todayInTokyo(), [...stays, row]);
    });
  }

  async update(
    actor: Actor,
    id: string,
    expected: number | '*',
    dto: UpdateAdmissionDto,
  ): Promise<AdmissionView> {
    const sent = Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined);
    const discharge = sent.filter((k) => (DISCHARGE_FIELDS as readonly string[]).includes(k));
    if (discharge.length) {
      throw new RuleViolation(
        'dischargedOn and dischargeDestination are set only by the discharge step of an enrollment.',
        { fields: discharge },
      );
    }
    if (sent.length === 0) throw new BadInput('Nothing to update: send at least one field.');
    for (const f of ['admissionType', 'admittedOn'] as const) {
      if (dto[f] === null)
        throw new BadInput(`${f} cannot be null.`, [{ field: f, messages: [`${f} cannot be null`] }]);
    }
    if (dto.admittedOn) assertNotFuture('admittedOn', dto.admittedOn);
    return this.db.transaction(async (tx) => {
      const rows = (await tx.query(
        `SELECT a.*, p.birth_date FROM admissions a JOIN patients p ON p.id = a.patient_id
         WHERE a.id = $1 AND ${this.policy.patientScope(actor, 'p')} FOR UPDATE OF p`,
        [id],
      )) as (AdmissionRow & { birth_date: string })[];
      if (rows.length === 0) throw new NotVisible('admission');
      const current = rows[0];
      if (dto.admittedOn !== undefined && dto.admittedOn !== current.admitted_on) {
        if (dto.admittedOn < current.birth_date)
          throw new RuleViolation('admittedOn must not be before the birth date.', { field: 'admittedOn' });
        if (current.discharged_on && dto.admittedOn > current.discharged_on) {
          throw new RuleViolation('admittedOn must not be after the discharge.', { field: 'admittedOn' });
        }
        const overlap = overlapsAnother(
          { id, admittedOn: dto.admittedOn, dischargedOn: current.discharged_on },
          toStays(await this.staysOf(tx, current.patient_id)),
        );
        if (overlap)
          throw new RuleViolation('admittedOn falls within another admission of this patient.', {
            field: 'admittedOn',
            admissionId: overlap.id,
          });
      }
      const columns: Record<string, unknown> = {};
      if (dto.admissionType !== undefined) columns.admission_type = dto.admissionType;
      if (dto.admittedOn !== undefined) columns.admitted_on = dto.admittedOn;
      if (dto.hospitalWard !== undefined) columns.hospital_ward = dto.hospitalWard;
      await updateVersioned(tx, 'admissions', id, expected, columns, 'admission');
      await this.audit.record(tx, actor, {
        action: 'update',
        entityType: 'admission',
        entityIds: [id],
        changedFields: sent,
        details: { patientId: current.patient_id },
      });
      const stays = await this.staysOf(tx, current.patient_id);
      return AdmissionView.of(stays.find((s) => s.id === id) as AdmissionRow, todayInTokyo(), stays);
    });
  }

  private async visiblePatient(
    q: EntityManager,
    actor: Actor,
    patientId: string,
    lock = false,
  ): Promise<PatientRef> {
    const rows = (await q.query(
      `SELECT p.id, p.hospital_id, p.birth_date, p.closed_on FROM patients p
       WHERE p.id = $1 AND ${this.policy.patientScope(actor, 'p')} ${lock ? 'FOR UPDATE OF p' : ''}`,
      [patientId],
    )) as PatientRef[];
    if (rows.length === 0) throw new NotVisible('patient');
    return rows[0];
  }

  private async staysOf(tx: EntityManager, patientId: string): Promise<AdmissionRow[]> {
    return (await tx.query(`SELECT * FROM admissions WHERE patient_id = $1`, [patientId])) as AdmissionRow[];
  }
}

function toStays(rows: AdmissionRow[]) {
  return rows.map((s) => ({ id: s.id, admittedOn: s.admitted_on, dischargedOn: s.discharged_on }));
}
