import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { BadInput, NotVisible, RuleViolation, StaleVersion } from '../common/errors.js';
import { updateVersioned } from '../common/etag.js';
import { IdempotencyService } from '../common/idempotency.service.js';
import { CursorCodec, DEFAULT_LIMIT, type Page } from '../common/pagination.js';
import { SqlFilter } from '../common/sql.js';
import { municipalityOf, requireOrganizations, type OrganizationRef } from '../peer-supporters/organization-refs.js';
import { PeerSupportersService } from '../peer-supporters/peer-supporters.service.js';
import type { AttendanceDto } from './dto/attendance.dto.js';
import type { CreateEventDto, ListEventsQuery, UpdateEventDto } from './dto/event.dto.js';
import { eventDateWindow } from './event-date-window.js';
import { kindViolation } from './event-kinds.js';
import { type EventRow, EventView } from './event.view.js';

/**
 * An event with its attendance and peers, one row each. `e` is the alias of `events`; the aggregates use the
 * primary keys of event_attendance and event_peer_supporters (both lead with event_id).
 */
const EVENT_SELECT = `SELECT e.*,
    coalesce((SELECT json_agg(json_build_object('organizationId', a.organization_id, 'headcount', a.headcount)
                              ORDER BY a.organization_id)
                FROM event_attendance a WHERE a.event_id = e.id), '[]'::json) AS attendance,
    coalesce((SELECT json_agg(p.peer_supporter_id ORDER BY p.peer_supporter_id)
                FROM event_peer_supporters p WHERE p.event_id = e.id), '[]'::json) AS peer_supporter_ids
  FROM events e`;

/** Scalar API fields → columns. attendance and peerSupporterIds live in their own tables. */
const COLUMNS = {
  kind: 'kind',
  heldOn: 'held_on',
  title: 'title',
  hostId: 'host_id',
  hospitalId: 'hospital_id',
  municipalityId: 'municipality_id',
  notes: 'notes',
} as const;
type ScalarField = keyof typeof COLUMNS;
const NOT_NULL = ['kind', 'heldOn', 'title', 'hostId', 'attendance', 'peerSupporterIds'] as const;

const sameAttendance = (a: AttendanceDto[], b: AttendanceDto[]) => {
  const key = (list: AttendanceDto[]) => JSON.stringify([...list].sort((x, y) => (x.organizationId < y.organizationId ? -1 : 1)).map((x) => [x.organizationId, x.headcount]));
  return key(a) === key(b);
};
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

@Injectable()
export class EventsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly access: AccessPolicy,
    private readonly cursors: CursorCodec,
    private readonly idempotency: IdempotencyService,
    private readonly peers: PeerSupportersService,
  ) {}

  async get(id: string): Promise<EventView> {
    return EventView.of(await this.findRow(this.db.manager, id));
  }

  async list(query: ListEventsQuery): Promise<Page<EventView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (query.from && query.to && query.from > query.to) {
      throw new BadInput('from must not be after to.', [{ field: 'from', messages: ['from must be on or before to'] }]);
    }
    const window = eventDateWindow(query);
    if (window.empty) return { items: [], nextCursor: null };
    const filter = new SqlFilter();
    if (window.from) filter.add((n) => `e.held_on >= $${n}`, window.from);
    if (window.to) filter.add((n) => `e.held_on <= $${n}`, window.to);
    if (query.kind) filter.add((n) => `e.kind = $${n}`, query.kind);
    if (query.hospitalId) filter.add((n) => `e.hospital_id = $${n}`, query.hospitalId);
    if (query.hostId) filter.add((n) => `e.host_id = $${n}`, query.hostId);
    if (query.municipalityId) filter.add((n) => `e.municipality_id = $${n}`, query.municipalityId);
    if (query.peerSupporterId) {
      filter.add((n) => `EXISTS (SELECT 1 FROM event_peer_supporters f WHERE f.event_id = e.id AND f.peer_supporter_id = $${n})`, query.peerSupporterId);
    }
    if (query.cursor) filter.after(['e.held_on', 'e.id'], this.cursors.decode(query.cursor, 2));
    // Served by events_held (held_on, id), or events_kind_held / events_municipality when those filters are given.
    const rows = (await this.db.query(
      `${EVENT_SELECT} ${filter.where()} ORDER BY e.held_on, e.id LIMIT ${filter.param(limit + 1)}`,
      filter.params,
    )) as EventRow[];
    return this.cursors.page(rows, limit, (r) => [r.held_on, r.id], EventView.of);
  }

  async create(actor: Actor, dto: CreateEventDto, idempotencyKey?: string): Promise<EventView> {
    const violation = kindViolation(dto.kind, dto.hospitalId ?? null);
    if (violation) throw new RuleViolation(violation, { field: 'hospitalId' });
    // An event belongs to a municipality (#12): the officer's own unless an admin says otherwise.
    const given = dto.municipalityId !== undefined ? dto.municipalityId : actor.role === 'admin' ? undefined : actor.organizationId;
    if (given !== undefined) this.access.assertMunicipalManager(actor, given);
    const attendance = dto.attendance ?? [];
    const peerIds = dto.peerSupporterIds ?? [];
    const request = { method: 'POST', path: '/events', body: dto };
    const { body } = await this.idempotency.run(actor.userId, idempotencyKey, request, 201, async (tx) => {
      const orgs = await requireOrganizations(tx, this.references(dto));
      const municipalityId = given !== undefined ? given : municipalityOf(orgs.get(dto.hostId));
      await this.peers.lockExisting(tx, peerIds);
      const [{ id }] = (await tx.query(
        `INSERT INTO events (kind, held_on, title, host_id, hospital_id, municipality_id, notes)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [dto.kind, dto.heldOn, dto.title, dto.hostId, dto.hospitalId ?? null, municipalityId, dto.notes ?? null],
      )) as { id: string }[];
      await this.writeAttendance(tx, id, attendance);
      await this.writePeers(tx, id, peerIds);
      await this.audit.record(tx, actor, { action: 'create', entityType: 'event', entityIds: [id] });
      await this.peers.recomputeTraining(tx, actor, peerIds, id);
      return EventView.of(await this.findRow(tx, id));
    });
    return body;
  }

  async update(actor: Actor, id: string, expected: number | '*', dto: UpdateEventDto): Promise<EventView> {
    const sentScalars = (Object.keys(COLUMNS) as ScalarField[]).filter((f) => dto[f] !== undefined);
    if (sentScalars.length === 0 && dto.attendance === undefined && dto.peerSupporterIds === undefined) {
      throw new BadInput('Nothing to update: send at least one field.');
    }
    const nulls = NOT_NULL.filter((f) => dto[f] === null);
    if (nulls.length) throw new BadInput(`${nulls.join(', ')} cannot be null.`, nulls.map((f) => ({ field: f, messages: [`${f} cannot be null`] })));
    return this.db.transaction(async (tx) => {
      // Lock the event first, then its peers (lockExisting orders by id): no two writers can deadlock.
      const current = await this.findRow(tx, id, true);
      this.access.assertMunicipalManager(actor, current.municipality_id);
      if (expected !== '*' && expected !== current.version) throw new StaleVersion(current.version);
      if (dto.municipalityId !== undefined) this.access.assertMunicipalManager(actor, dto.municipalityId);
      const kind = dto.kind ?? current.kind;
      const hospitalId = dto.hospitalId !== undefined ? dto.hospitalId : current.hospital_id;
      const violation = kindViolation(kind, hospitalId);
      if (violation) throw new RuleViolation(violation, { field: 'hospitalId' });
      await requireOrganizations(tx, this.references(dto));

      const currentValues = current as unknown as Record<string, unknown>;
      const changed: string[] = sentScalars.filter((f) => dto[f] !== currentValues[COLUMNS[f]]);
      const attendanceChanged = dto.attendance !== undefined && !sameAttendance(dto.attendance, current.attendance);
      const peersChanged = dto.peerSupporterIds !== undefined && !sameSet(dto.peerSupporterIds, current.peer_supporter_ids);
      if (attendanceChanged) changed.push('attendance');
      if (peersChanged) changed.push('peerSupporterIds');
      if (changed.length === 0) return EventView.of(current);

      const affectedPeers = [...new Set([...current.peer_supporter_ids, ...(dto.peerSupporterIds ?? [])])];
      await this.peers.requireExisting(tx, dto.peerSupporterIds ?? []);
      await this.peers.lockExisting(tx, affectedPeers);
      const columns: Record<string, unknown> = {};
      for (const f of changed) if (f in COLUMNS) columns[COLUMNS[f as ScalarField]] = dto[f as ScalarField];
      await updateVersioned(tx, 'events', id, expected, columns, 'event');
      if (attendanceChanged) {
        await tx.query(`DELETE FROM event_attendance WHERE event_id = $1`, [id]);
        await this.writeAttendance(tx, id, dto.attendance!);
      }
      if (peersChanged) {
        await tx.query(`DELETE FROM event_peer_supporters WHERE event_id = $1`, [id]);
        await this.writePeers(tx, id, dto.peerSupporterIds!);
      }
      await this.audit.record(tx, actor, { action: 'update', entityType: 'event', entityIds: [id], changedFields: changed });
      if (peersChanged || changed.includes('kind') || changed.includes('heldOn')) {
        await this.peers.recomputeTraining(tx, actor, affectedPeers, id);
      }
      return EventView.of(await this.findRow(tx, id));
    });
  }

  private async findRow(tx: EntityManager, id: string, lock = false): Promise<EventRow> {
    const rows = (await tx.query(`${EVENT_SELECT} WHERE e.id = $1 ${lock ? 'FOR UPDATE OF e' : ''}`, [id])) as EventRow[];
    if (rows.length === 0) throw new NotVisible('event');
    return rows[0];
  }

  private references(dto: UpdateEventDto): OrganizationRef[] {
    const refs: OrganizationRef[] = [];
    if (dto.hostId) refs.push({ field: 'hostId', id: dto.hostId });
    if (dto.hospitalId) refs.push({ field: 'hospitalId', id: dto.hospitalId, kind: 'hospital' });
    if (dto.municipalityId) refs.push({ field: 'municipalityId', id: dto.municipalityId, kind: 'municipality' });
    (dto.attendance ?? []).forEach((a, i) => refs.push({ field: `attendance.${i}.organizationId`, id: a.organizationId }));
    return refs;
  }

  private async writeAttendance(tx: EntityManager, eventId: string, attendance: AttendanceDto[]): Promise<void> {
    if (attendance.length === 0) return;
    await tx.query(
      `INSERT INTO event_attendance (event_id, organization_id, headcount)
       SELECT $1, o, h FROM unnest($2::uuid[], $3::int[]) AS t(o, h)`,
      [eventId, attendance.map((a) => a.organizationId), attendance.map((a) => a.headcount)],
    );
  }

  private async writePeers(tx: EntityManager, eventId: string, peerIds: string[]): Promise<void> {
    if (peerIds.length === 0) return;
    await tx.query(
      `INSERT INTO event_peer_supporters (event_id, peer_supporter_id) SELECT $1, p FROM unnest($2::uuid[]) AS p`,
      [eventId, peerIds],
    );
  }
}
