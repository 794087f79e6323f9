import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { assertNotFuture } from '../admissions/date-rules.js';
import { LONG_STAY_DAYS } from '../admissions/stay.js';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { addDays, todayInTokyo } from '../common/dates.js';
import { BadInput, Conflict, Forbidden, NotVisible, RuleViolation } from '../common/errors.js';
import { updateVersioned } from '../common/etag.js';
import { IdempotencyService, type StoredResponse } from '../common/idempotency.service.js';
import { CursorCodec, DEFAULT_LIMIT, type Page } from '../common/pagination.js';
import { escapeLike, SqlFilter } from '../common/sql.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { CreatePatientDto, ListPatientsQuery, UpdatePatientDto } from './dto/patient.dto.js';
import { type PatientRow, PatientView } from './patient.view.js';
import { KANA_KEY, patientSelect, SEARCH_EXPRESSION, SEARCH_ORDER } from './patients.sql.js';
import { searchVariants } from './search-text.js';

const COLUMNS: Record<keyof UpdatePatientDto, string> = {
  recordNumber: 'record_number',
  familyName: 'family_name',
  givenName: 'given_name',
  familyNameKana: 'family_name_kana',
  givenNameKana: 'given_name_kana',
  birthDate: 'birth_date',
  sex: 'sex',
  responsibleMunicipalityId: 'responsible_municipality_id',
  residenceWard: 'residence_ward',
  consentOn: 'consent_on',
  consentScope: 'consent_scope',
};
const REQUIRED_FIELDS = [
  'recordNumber',
  'familyName',
  'givenName',
  'familyNameKana',
  'givenNameKana',
  'birthDate',
  'sex',
] as const;
/** What a municipal officer may change: the 援護市町村 (e.g. when the patient moves to another city). */
const MUNICIPAL_FIELDS = ['responsibleMunicipalityId'];
const EARLIEST_BIRTH = '1900-01-01';

/**
 * Patients (要配慮個人情報). Every query ANDs AccessPolicy.patientScope; every read is audited with each id shown;
 * names, kana and record numbers never reach a log line or an audit detail.
 */
@Injectable()
export class PatientsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly policy: AccessPolicy,
    private readonly cursors: CursorCodec,
    private readonly idempotency: IdempotencyService,
    private readonly organizations: OrganizationsService,
  ) {}

  async get(actor: Actor, id: string, asOf = todayInTokyo()): Promise<PatientView> {
    const rows = (await this.db.query(
      `${patientSelect(this.policy.enrollmentScope(actor, 'e'))} WHERE p.id = $1 AND ${this.policy.patientScope(actor, 'p')}`,
      [id],
    )) as PatientRow[];
    if (rows.length === 0) throw new NotVisible('patient');
    await this.audit.reads(actor, 'patient', [id]);
    return PatientView.of(rows[0], asOf);
  }

  async list(actor: Actor, query: ListPatientsQuery): Promise<Page<PatientView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const asOf = query.asOf ?? todayInTokyo();
    // The scope comes first and is ANDed whatever the filters: hospitalId=B never widens what A's PSW sees.
    const filter = new SqlFilter().raw(this.policy.patientScope(actor, 'p'));
    if (query.hospitalId) filter.add((n) => `p.hospital_id = $${n}`, query.hospitalId);
    if (query.responsibleMunicipalityId)
      filter.add((n) => `p.responsible_municipality_id = $${n}`, query.responsibleMunicipalityId);
    if (query.q !== undefined) {
      const variants = searchVariants(query.q);
      if (variants.length === 0)
        throw new BadInput('q must contain more than spaces.', [
          { field: 'q', messages: ['q must contain more than spaces'] },
        ]);
      const ors = variants.map((v) => `${SEARCH_EXPRESSION} ILIKE ${filter.param(`%${escapeLike(v)}%`)}`);
      filter.raw(`(${ors.join(' OR ')})`);
    }
    // Long-stay at asOf ⇔ the open admission began on or before asOf − 365 days.
    const cut = addDays(asOf, -LONG_STAY_DAYS);
    if (query.longStay === 'true') filter.add((n) => `a.admitted_on <= $${n}`, cut);
    if (query.longStay === 'false') filter.add((n) => `(a.id IS NULL OR a.admitted_on > $${n})`, cut);
    if (query.step) {
      filter.add(
        (
          n,
        ) => `EXISTS (SELECT 1 FROM enrollments se WHERE se.patient_id = p.id AND se.is_active AND se.step = $${n}
                 AND ${this.policy.enrollmentScope(actor, 'se')})`,
        query.step,
      );
    }
    if (query.cursor) filter.after(KANA_KEY, this.cursors.decode(query.cursor, 3));
    const rows = (await this.db.query(
      `${patientSelect(this.policy.enrollmentScope(actor, 'e'))}
       ${filter.where()}
       ORDER BY ${query.q === undefined ? KANA_KEY.join(', ') : SEARCH_ORDER} LIMIT ${filter.param(limit + 1)}`,
      filter.params,
    )) as PatientRow[];
    const page = this.cursors.page(
      rows,
      limit,
      (r) => [r.family_name_kana, r.given_name_kana, r.id],
      (r) => PatientView.of(r, asOf),
    );
    await this.audit.reads(
      actor,
      'patient',
      page.items.map((p) => p.id),
    );
    return page;
  }

  async create(
    actor: Actor,
    dto: CreatePatientDto,
    idempotencyKey: string | undefined,
  ): Promise<StoredResponse<PatientView>> {
    const hospitalId = this.hospitalFor(actor, dto.hospitalId);
    this.assertDates(dto);
    const request = { method: 'POST', path: '/patients', body: { ...dto, hospitalId } };
    const result = await this.idempotency.run(actor.userId, idempotencyKey, request, 201, async (tx) => {
      await this.organizations.requireKind(hospitalId, 'hospital', 'hospitalId', tx);
      if (dto.responsibleMunicipalityId) {
        await this.organizations.requireKind(
          dto.responsibleMunicipalityId,
          'municipality',
          'responsibleMunicipalityId',
          tx,
        );
      }
      await this.assertRecordNumberFree(tx, hospitalId, dto.recordNumber);
      const [row] = (await tx.query(
        `INSERT INTO patients (hospital_id, record_number, family_name, given_name, family_name_kana, given_name_kana, birth_date, sex,
           responsible_municipality_id, residence_ward, consent_on, consent_scope)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [
          hospitalId,
          dto.recordNumber,
          dto.familyName,
          dto.givenName,
          dto.familyNameKana,
          dto.givenNameKana,
          dto.birthDate,
          dto.sex,
          dto.responsibleMunicipalityId ?? null,
          dto.residenceWard ?? null,
          dto.consentOn ?? null,
          dto.consentScope ?? null,
        ],
      )) as { id: string }[];
      await this.audit.record(tx, actor, {
        action: 'create',
        entityType: 'patient',
        entityIds: [row.id],
        details: { hospitalId, responsibleMunicipalityId: dto.responsibleMunicipalityId ?? null },
      });
      return this.unscoped(tx, row.id);
    });
    // A replay hands the stored patient out again: that is a read of patient data.
    if (result.replayed) await this.audit.reads(actor, 'patient', [result.body.id]);
    return result;
  }

  async update(
    actor: Actor,
    id: string,
    expected: number | '*',
    dto: UpdatePatientDto,
  ): Promise<PatientView> {
    const values = dto as Record<string, unknown>;
    const fields = Object.keys(COLUMNS).filter((k) => values[k] !== undefined);
    if (fields.length === 0) throw new BadInput('Nothing to update: send at least one field.');
    for (const f of REQUIRED_FIELDS) {
      if (values[f] === null)
        throw new BadInput(`${f} cannot be null.`, [{ field: f, messages: [`${f} cannot be null`] }]);
    }
    if (actor.role === 'municipal_officer' && fields.some((f) => !MUNICIPAL_FIELDS.includes(f))) {
      throw new Forbidden('Municipal officers may change only responsibleMunicipalityId (援護市町村).');
    }
    this.assertDates(dto);
    return this.db.transaction(async (tx) => {
      const rows = (await tx.query(
        `SELECT p.* FROM patients p WHERE p.id = $1 AND ${this.policy.patientScope(actor, 'p')} FOR UPDATE OF p`,
        [id],
      )) as PatientRow[];
      if (rows.length === 0) throw new NotVisible('patient');
      const current = rows[0];
      if (dto.responsibleMunicipalityId) {
        await this.organizations.requireKind(
          dto.responsibleMunicipalityId,
          'municipality',
          'responsibleMunicipalityId',
          tx,
        );
      }
      if (dto.recordNumber !== undefined && dto.recordNumber !== current.record_number) {
        await this.assertRecordNumberFree(tx, current.hospital_id, dto.recordNumber);
      }
      if (dto.birthDate !== undefined && dto.birthDate !== current.birth_date) {
        const [first] = (await tx.query(
          `SELECT min(admitted_on) AS first FROM admissions WHERE patient_id = $1`,
          [id],
        )) as { first: string | null }[];
        if (first.first && dto.birthDate > first.first) {
          throw new RuleViolation('birthDate must not be after the first admission.', { field: 'birthDate' });
        }
      }
      const columns: Record<string, unknown> = {};
      for (const f of fields) columns[COLUMNS[f as keyof UpdatePatientDto]] = values[f];
      await updateVersioned(tx, 'patients', id, expected, columns, 'patient');
      const details: Record<string, unknown> = {};
      if (
        dto.responsibleMunicipalityId !== undefined &&
        dto.responsibleMunicipalityId !== current.responsible_municipality_id
      ) {
        // Ids only: which municipality may see the patient is itself part of the audit trail (#12).
        details.responsibleMunicipalityId = {
          old: current.responsible_municipality_id,
          new: dto.responsibleMunicipalityId,
        };
      }
      await this.audit.record(tx, actor, {
        action: 'update',
        entityType: 'patient',
        entityIds: [id],
        changedFields: fields,
        details: Object.keys(details).length ? details : undefined,
      });
      return this.unscoped(tx, id);
    });
  }

  /** The view of a patient the caller has just written (its visibility was checked by the write). */
  private async unscoped(tx: EntityManager, id: string): Promise<PatientView> {
    const rows = (await tx.query(`${patientSelect('TRUE')} WHERE p.id = $1`, [id])) as PatientRow[];
    return PatientView.of(rows[0], todayInTokyo());
  }

  /** Hospital staff register patients of their own hospital only (another hospital → 403); admins name it. */
  private hospitalFor(actor: Actor, given: string | undefined): string {
    if (actor.role === 'hospital_staff') {
      if (!actor.organizationId) throw new Forbidden('Your account has no hospital.');
      if (given !== undefined && given !== actor.organizationId)
        throw new Forbidden('Hospital staff register patients of their own hospital only.');
      return actor.organizationId;
    }
    if (!given)
      throw new BadInput('hospitalId is required.', [
        { field: 'hospitalId', messages: ['hospitalId is required'] },
      ]);
    return given;
  }

  private assertDates(dto: { birthDate?: string | null; consentOn?: string | null }): void {
    if (dto.birthDate) {
      if (dto.birthDate >= todayInTokyo())
        throw new BadInput('birthDate must be in the past.', [
          { field: 'birthDate', messages: ['birthDate must be in the past'] },
        ]);
      if (dto.birthDate < EARLIEST_BIRTH) {
        throw new BadInput(`birthDate must not be before ${EARLIEST_BIRTH}.`, [
          { field: 'birthDate', messages: [`birthDate must not be before ${EARLIEST_BIRTH}`] },
        ]);
      }
    }
    if (dto.consentOn) assertNotFuture('consentOn', dto.consentOn);
  }

  private async assertRecordNumberFree(
    tx: EntityManager,
    hospitalId: string,
    recordNumber: string,
  ): Promise<void> {
    const dup = (await tx.query(`SELECT 1 FROM patients WHERE hospital_id = $1 AND record_number = $2`, [
      hospitalId,
      recordNumber,
    ])) as unknown[];
    // The number itself is not repeated in the problem: problems may be logged by clients.
    if (dup.length)
      throw new Conflict('A patient with this record number is already registered at this hospital.', {
        field: 'recordNumber',
      });
  }
}
