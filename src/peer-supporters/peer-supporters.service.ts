import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { BadInput, NotVisible, StaleVersion, type FieldError } from '../common/errors.js';
import { updateVersioned } from '../common/etag.js';
import { IdempotencyService } from '../common/idempotency.service.js';
import { CursorCodec, DEFAULT_LIMIT, type Page } from '../common/pagination.js';
import { escapeLike, SqlFilter } from '../common/sql.js';
import type { CreatePeerSupporterDto, ListPeerSupportersQuery, UpdatePeerSupporterDto } from './dto/peer-supporter.dto.js';
import { municipalityOf, requireOrganizations, type OrganizationRef } from './organization-refs.js';
import { PeerSupporterDetailView, type PeerSupporterRow, PeerSupporterView } from './peer-supporter.view.js';
import type { TrainingSessionView } from './training-session.view.js';

/** API field → column, for the fields a client may write. */
const COLUMNS = {
  displayName: 'display_name',
  affiliationId: 'affiliation_id',
  municipalityId: 'municipality_id',
  trainedOutsideOn: 'trained_outside_on',
  employedById: 'employed_by_id',
  employedSince: 'employed_since',
  active: 'active',
} as const;
type Field = keyof typeof COLUMNS;
const NOT_NULL: Field[] = ['displayName', 'active'];

/** The earliest supporter_training event (養成研修) listing peer `$1`, or NULL. */
const EARLIEST_TRAINING_SQL = `SELECT min(e.held_on) AS held_on FROM event_peer_supporters eps
  JOIN events e ON e.id = eps.event_id WHERE eps.peer_supporter_id = $1 AND e.kind = 'supporter_training'`;

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

@Injectable()
export class PeerSupportersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly access: AccessPolicy,
    private readonly cursors: CursorCodec,
    private readonly idempotency: IdempotencyService,
  ) {}

  async get(id: string): Promise<PeerSupporterDetailView> {
    const row = await this.findRow(this.db.manager, id);
    const sessions = (await this.db.query(
      `SELECT e.id AS "eventId", e.held_on AS "heldOn", e.title
         FROM event_peer_supporters eps JOIN events e ON e.id = eps.event_id
        WHERE eps.peer_supporter_id = $1 AND e.kind = 'supporter_training'
        ORDER BY e.held_on, e.id`,
      [id],
    )) as TrainingSessionView[];
    return { ...PeerSupporterView.of(row), trainingSessions: sessions };
  }

  async list(query: ListPeerSupportersQuery): Promise<Page<PeerSupporterView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const filter = new SqlFilter();
    if (query.q) filter.add((n) => `display_name ILIKE $${n}`, `%${escapeLike(query.q)}%`);
    if (query.municipalityId) filter.add((n) => `municipality_id = $${n}`, query.municipalityId);
    if (query.affiliationId) filter.add((n) => `affiliation_id = $${n}`, query.affiliationId);
    if (query.active) filter.add((n) => `active = $${n}`, query.active === 'true');
    if (query.trained) filter.raw(query.trained === 'true' ? 'trained_on IS NOT NULL' : 'trained_on IS NULL');
    if (query.employed) filter.raw(query.employed === 'true' ? 'employed_by_id IS NOT NULL' : 'employed_by_id IS NULL');
    if (query.cursor) filter.after(['display_name', 'id'], this.cursors.decode(query.cursor, 2));
    const rows = (await this.db.query(
      `SELECT * FROM peer_supporters ${filter.where()}
       ORDER BY display_name, id LIMIT ${filter.param(limit + 1)}`,
      filter.params,
    )) as PeerSupporterRow[];
    return this.cursors.page(rows, limit, (r) => [r.display_name, r.id], PeerSupporterView.of);
  }

  async create(actor: Actor, dto: CreatePeerSupporterDto, idempotencyKey?: string): Promise<PeerSupporterView> {
    this.assertEmploymentPair(dto.employedById ?? null, dto.employedSince ?? null);
    const request = { method: 'POST', path: '/peer-supporters', body: dto };
    const { body } = await this.idempotency.run(actor.userId, idempotencyKey, request, 201, async (tx) => {
      // An officer's peer is their municipality's: checked before anything is looked up (403, not 404).
      const given = dto.municipalityId !== undefined ? dto.municipalityId : actor.role === 'admin' ? undefined : actor.organizationId;
      if (given !== undefined) this.access.assertMunicipalManager(actor, given);
      const orgs = await requireOrganizations(tx, this.references(dto));
      const municipalityId = given !== undefined ? given : municipalityOf(orgs.get(dto.affiliationId ?? ''));
      const [row] = (await tx.query(
        `INSERT INTO peer_supporters (display_name, affiliation_id, municipality_id, trained_outside_on, trained_on,
                                      employed_by_id, employed_since, active)
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING *`,
        [
          dto.displayName,
          dto.affiliationId ?? null,
          municipalityId,
          dto.trainedOutsideOn ?? null,
          dto.employedById ?? null,
          dto.employedSince ?? null,
          dto.active ?? true,
        ],
      )) as PeerSupporterRow[];
      await this.audit.record(tx, actor, { action: 'create', entityType: 'peer_supporter', entityIds: [row.id] });
      return PeerSupporterView.of(row);
    });
    return body;
  }

  async update(actor: Actor, id: string, expected: number | '*', dto: UpdatePeerSupporterDto): Promise<PeerSupporterView> {
    const sent = (Object.keys(COLUMNS) as Field[]).filter((f) => dto[f] !== undefined);
    if (sent.length === 0) throw new BadInput('Nothing to update: send at least one field.');
    const nulls = NOT_NULL.filter((f) => dto[f] === null);
    if (nulls.length) throw new BadInput(`${nulls.join(', ')} cannot be null.`, nulls.map((f) => ({ field: f, messages: [`${f} cannot be null`] })));
    return this.db.transaction(async (tx) => {
      const current = await this.findRow(tx, id, true);
      this.access.assertMunicipalManager(actor, current.municipality_id);
      if (expected !== '*' && expected !== current.version) throw new StaleVersion(current.version);
      if (dto.municipalityId !== undefined) this.access.assertMunicipalManager(actor, dto.municipalityId);
      this.assertEmploymentPair(
        dto.employedById !== undefined ? dto.employedById : current.employed_by_id,
        dto.employedSince !== undefined ? dto.employedSince : current.employed_since,
      );
      await requireOrganizations(tx, this.references(dto));
      const currentValues = current as unknown as Record<string, unknown>;
      const changed = sent.filter((f) => dto[f] !== currentValues[COLUMNS[f]]);
      if (changed.length === 0) return PeerSupporterView.of(current);
      const columns: Record<string, unknown> = {};
      for (const f of changed) columns[COLUMNS[f]] = dto[f];
      const fields: string[] = [...changed];
      if (changed.includes('trainedOutsideOn')) {
        const [{ held_on }] = (await tx.query(EARLIEST_TRAINING_SQL, [id])) as { held_on: string | null }[];
        const trainedOn = earliest(dto.trainedOutsideOn ?? null, held_on);
        if (trainedOn !== current.trained_on) {
          columns.trained_on = trainedOn;
          fields.push('trainedOn');
        }
      }
      const row = await updateVersioned<PeerSupporterRow>(tx, 'peer_supporters', id, expected, columns, 'peer supporter');
      await this.audit.record(tx, actor, { action: 'update', entityType: 'peer_supporter', entityIds: [id], changedFields: fields });
      return PeerSupporterView.of(row);
    });
  }

  /**
   * Lock the named peers (in id order, so concurrent events sharing peers cannot deadlock) and require that all
   * exist (404). Events call this before changing who attended, so the training recomputation that follows
   * sees every committed change.
   */
  async lockExisting(tx: EntityManager, ids: string[], field = 'peerSupporterIds'): Promise<void> {
    if (ids.length === 0) return;
    const rows = (await tx.query(`SELECT id FROM peer_supporters WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids])) as { id: string }[];
    if (rows.length !== new Set(ids).size) throw new NotVisible(`peer supporter given in ${field}`);
  }

  /** Every id names a peer supporter (404 otherwise). For other features (contacts' peerSupporterIds). */
  async requireExisting(tx: EntityManager, ids: string[], field = 'peerSupporterIds'): Promise<void> {
    if (ids.length === 0) return;
    const [{ n }] = (await tx.query(`SELECT count(*)::int AS n FROM peer_supporters WHERE id = ANY($1::uuid[])`, [ids])) as { n: number }[];
    if (n !== new Set(ids).size) throw new NotVisible(`peer supporter given in ${field}`);
  }

  /**
   * Training completion (養成研修): a peer's trained_on is the earliest held_on of the supporter_training events
   * listing it, or trained_outside_on if earlier. Recomputed from the links (not incremented) so moving an
   * event's date, changing its kind or removing the peer stays correct. Changed peers get a new version
   * (their ETag changes) and one audit row naming them.
   */
  async recomputeTraining(tx: EntityManager, actor: Actor, peerIds: string[], eventId: string): Promise<void> {
    if (peerIds.length === 0) return;
    const [rows] = (await tx.query(
      `WITH derived AS (
         SELECT ps.id, LEAST(ps.trained_outside_on,
                  (SELECT min(e.held_on) FROM event_peer_supporters eps JOIN events e ON e.id = eps.event_id
                    WHERE eps.peer_supporter_id = ps.id AND e.kind = 'supporter_training')) AS trained_on
           FROM peer_supporters ps WHERE ps.id = ANY($1::uuid[]))
       UPDATE peer_supporters ps SET trained_on = d.trained_on, version = ps.version + 1, updated_at = now()
         FROM derived d
        WHERE ps.id = d.id AND ps.trained_on IS DISTINCT FROM d.trained_on
       RETURNING ps.id`,
      [[...new Set(peerIds)]],
    )) as [{ id: string }[], number];
    if (rows.length === 0) return;
    await this.audit.record(tx, actor, {
      action: 'update',
      entityType: 'peer_supporter',
      entityIds: rows.map((r) => r.id),
      changedFields: ['trainedOn'],
      details: { cause: 'event', eventId },
    });
  }

  private async findRow(tx: EntityManager, id: string, lock = false): Promise<PeerSupporterRow> {
    const rows = (await tx.query(`SELECT * FROM peer_supporters WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id])) as PeerSupporterRow[];
    if (rows.length === 0) throw new NotVisible('peer supporter');
    return rows[0];
  }

  private references(dto: UpdatePeerSupporterDto): OrganizationRef[] {
    const refs: OrganizationRef[] = [];
    if (dto.affiliationId) refs.push({ field: 'affiliationId', id: dto.affiliationId });
    if (dto.employedById) refs.push({ field: 'employedById', id: dto.employedById });
    if (dto.municipalityId) refs.push({ field: 'municipalityId', id: dto.municipalityId, kind: 'municipality' });
    return refs;
  }

  /** Peer employment (ピア雇用) is an employer and a start date together, or neither. */
  private assertEmploymentPair(employedById: string | null, employedSince: string | null): void {
    if ((employedById === null) === (employedSince === null)) return;
    const missing = employedById === null ? 'employedById' : 'employedSince';
    const errors: FieldError[] = [{ field: missing, messages: ['employedById and employedSince are given together, or neither'] }];
    throw new BadInput('Peer employment needs both employedById and employedSince (or neither).', errors);
  }
}
