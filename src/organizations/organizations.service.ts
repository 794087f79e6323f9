import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { BadInput, Conflict, NotVisible, RuleViolation, type FieldError } from '../common/errors.js';
import { updateVersioned } from '../common/etag.js';
import { escapeLike, SqlFilter } from '../common/sql.js';
import { CursorCodec, DEFAULT_LIMIT, type Page } from '../common/pagination.js';
import type { CreateOrganizationDto, ListOrganizationsQuery, UpdateOrganizationDto } from './dto/organization.dto.js';
import { KIND_ONLY_FIELDS, type OrganizationKind } from './organization-kinds.js';
import { type OrganizationRow, OrganizationView } from './organization.view.js';

const COLUMNS: Record<string, string> = {
  name: 'name',
  nameKana: 'name_kana',
  ward: 'ward',
  address: 'address',
  phone: 'phone',
  municipalityId: 'municipality_id',
  prefectureId: 'prefecture_id',
  psychiatricBeds: 'psychiatric_beds',
  longStayInpatients: 'long_stay_inpatients',
  longStayAsOf: 'long_stay_as_of',
  caseCapacity: 'case_capacity',
  active: 'active',
};

@Injectable()
export class OrganizationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly cursors: CursorCodec,
  ) {}

  /** A row by id, or 404. Other modules use this to check references (e.g. a team's hospital). */
  async findRow(id: string, tx: EntityManager = this.db.manager): Promise<OrganizationRow> {
    const rows = (await tx.query(`SELECT * FROM organizations WHERE id = $1`, [id])) as OrganizationRow[];
    if (rows.length === 0) throw new NotVisible('organization');
    return rows[0];
  }

  /** The organization `id` must exist (404) and be of `kind` (422). Used for every reference by kind. */
  async requireKind(id: string, kind: OrganizationKind | OrganizationKind[], field: string, tx?: EntityManager): Promise<OrganizationRow> {
    let row: OrganizationRow;
    try {
      row = await this.findRow(id, tx);
    } catch {
      throw new NotVisible(`organization given as ${field}`);
    }
    const kinds = Array.isArray(kind) ? kind : [kind];
    if (!kinds.includes(row.kind)) {
      throw new RuleViolation(`${field} must name an organization of kind ${kinds.join(' or ')}, not ${row.kind}.`, { field });
    }
    return row;
  }

  async get(id: string): Promise<OrganizationView> {
    return OrganizationView.of(await this.findRow(id));
  }

  async list(query: ListOrganizationsQuery): Promise<Page<OrganizationView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const filter = new SqlFilter();
    if (query.kind) filter.add((n) => `kind = $${n}`, query.kind);
    if (query.ward) filter.add((n) => `ward = $${n}`, query.ward);
    if (query.municipalityId) filter.add((n) => `municipality_id = $${n}`, query.municipalityId);
    if (query.prefectureId) filter.add((n) => `prefecture_id = $${n}`, query.prefectureId);
    if (query.active) filter.add((n) => `active = $${n}`, query.active === 'true');
    if (query.q) filter.add((n) => `(name || ' ' || coalesce(name_kana, '')) ILIKE $${n}`, `%${escapeLike(query.q)}%`);
    if (query.cursor) filter.after(['name', 'id'], this.cursors.decode(query.cursor, 2));
    const rows = (await this.db.query(
      `SELECT * FROM organizations ${filter.where()}
       ORDER BY name, id LIMIT ${filter.param(limit + 1)}`,
      filter.params,
    )) as OrganizationRow[];
    return this.cursors.page(rows, limit, (r) => [r.name, r.id], OrganizationView.of);
  }

  async create(actor: Actor, dto: CreateOrganizationDto): Promise<OrganizationView> {
    this.assertKindFields(dto.kind, dto);
    return this.db.transaction(async (tx) => {
      await this.assertReferences(tx, dto.kind, dto.municipalityId, dto.prefectureId);
      await this.assertNameFree(tx, dto.kind, dto.name);
      const fields = dto as unknown as Record<string, unknown>;
      const cols = Object.keys(COLUMNS).filter((k) => fields[k] !== undefined);
      const names = ['kind', ...cols.map((k) => COLUMNS[k])];
      const values = [dto.kind, ...cols.map((k) => fields[k])];
      const [row] = (await tx.query(
        `INSERT INTO organizations (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
        values,
      )) as OrganizationRow[];
      await this.audit.record(tx, actor, { action: 'create', entityType: 'organization', entityIds: [row.id] });
      return OrganizationView.of(row);
    });
  }

  async update(actor: Actor, id: string, expected: number | '*', dto: UpdateOrganizationDto): Promise<OrganizationView> {
    return this.db.transaction(async (tx) => {
      const current = await this.findRow(id, tx);
      const fields = Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined);
      if (fields.length === 0) throw new BadInput('Nothing to update: send at least one field.');
      if ((dto as Record<string, unknown>).name === null) throw new BadInput('name cannot be null.', [{ field: 'name', messages: ['name cannot be null'] }]);
      this.assertKindFields(current.kind, dto);
      const municipalityId = dto.municipalityId !== undefined ? dto.municipalityId : current.municipality_id;
      const prefectureId = dto.prefectureId !== undefined ? dto.prefectureId : current.prefecture_id;
      await this.assertReferences(tx, current.kind, municipalityId ?? undefined, prefectureId ?? undefined, id);
      if (dto.name !== undefined && dto.name !== current.name) await this.assertNameFree(tx, current.kind, dto.name);
      const columns: Record<string, unknown> = {};
      for (const f of fields) columns[COLUMNS[f]] = (dto as Record<string, unknown>)[f];
      const row = await updateVersioned<OrganizationRow>(tx, 'organizations', id, expected, columns, 'organization');
      await this.audit.record(tx, actor, { action: 'update', entityType: 'organization', entityIds: [id], changedFields: fields });
      return OrganizationView.of(row);
    });
  }

  private assertKindFields(kind: OrganizationKind, dto: object): void {
    const errors: FieldError[] = [];
    for (const [field, only] of Object.entries(KIND_ONLY_FIELDS)) {
      const v = (dto as Record<string, unknown>)[field];
      if (v !== undefined && v !== null && only !== kind) {
        errors.push({ field, messages: [`${field} applies only to organizations of kind ${only}`] });
      }
    }
    if (errors.length) throw new BadInput(`Fields not valid for kind ${kind}: ${errors.map((e) => e.field).join(', ')}.`, errors);
  }

  private async assertReferences(tx: EntityManager, kind: OrganizationKind, municipalityId?: string, prefectureId?: string, selfId?: string) {
    if (municipalityId) {
      if (municipalityId === selfId) throw new RuleViolation('An organization cannot name itself as its municipality.');
      await this.requireKind(municipalityId, 'municipality', 'municipalityId', tx);
    }
    if (prefectureId) {
      if (kind !== 'municipality') throw new BadInput('prefectureId applies only to municipalities.');
      await this.requireKind(prefectureId, 'prefecture', 'prefectureId', tx);
    }
  }

  private async assertNameFree(tx: EntityManager, kind: OrganizationKind, name: string) {
    const dup = (await tx.query(`SELECT 1 FROM organizations WHERE kind = $1 AND name = $2`, [kind, name])) as unknown[];
    if (dup.length) throw new Conflict(`An organization of kind ${kind} named "${name}" already exists.`);
  }
}
