import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AccessPolicy } from '../auth/access-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { daysBetween, todayInTokyo } from '../common/dates.js';
import { BadInput, NotVisible, RuleViolation, StaleVersion, type FieldError } from '../common/errors.js';
import { IdempotencyService, type StoredResponse } from '../common/idempotency.service.js';
import { CursorCodec, DEFAULT_LIMIT, type Page } from '../common/pagination.js';
import { SqlFilter } from '../common/sql.js';
import { LOWER_UNDATED_START } from '../enrollments/enrollments.sql.js';
import { MAX_SPAN_DAYS, MULTI_DAY_KINDS, type ContactKind, type ContactPlace } from './contact-kinds.js';
import { ContactRevisionView, ContactView, type ContactDetailView, type ContactRow, type RevisionRow } from './contact.view.js';
import type { AmendContactDto } from './dto/amend-contact.dto.js';
import type { CreateContactDto } from './dto/create-contact.dto.js';
import type { ListContactsQuery, ListEnrollmentContactsQuery } from './dto/list-contacts.query.js';

/** The fields of one revision, as the rules see them. */
interface ContactFields {
  kind: ContactKind;
  occurredOn: string;
  endsOn: string | null;
  startTime: string | null;
  minutes: number | null;
  place: ContactPlace;
  staffIds: string[];
  peerSupporterIds: string[];
  summary: string | null;
}

/** What the rules need to know about the contact's enrollment. */
interface EnrollmentFacts {
  id: string;
  patient_id: string;
  is_active: boolean;
  started_on: string;
  /** false: an undated referral — started_on is provisional and a contact may predate it (and then lowers it). */
  started_on_recorded: boolean;
  ended_on: string | null;
}

const AMENDABLE: (keyof ContactFields)[] = ['kind', 'occurredOn', 'endsOn', 'startTime', 'minutes', 'place', 'staffIds', 'peerSupporterIds', 'summary'];

/** Field → column, in the order the INSERT/UPDATE statements list them. */
const COLUMNS: [keyof ContactFields, string, string][] = [
  ['kind', 'kind', ''],
  ['occurredOn', 'occurred_on', ''],
  ['endsOn', 'ends_on', ''],
  ['startTime', 'start_time', ''],
  ['minutes', 'minutes', ''],
  ['place', 'place', ''],
  ['staffIds', 'staff_ids', '::uuid[]'],
  ['peerSupporterIds', 'peer_supporter_ids', '::uuid[]'],
];

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sortedIds = (ids: string[]) => [...ids].map((s) => s.toLowerCase()).sort();

/**
 * Contacts (支援記録): the most frequent write of the system. Append-only — a correction is a new revision
 * (真正性) — and created at most once per Idempotency-Key, whatever the retries on a hospital's Wi-Fi.
 * The summary is patient data: it is stored and returned, never logged, never put in the audit trail.
 */
@Injectable()
export class ContactsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
    private readonly cursors: CursorCodec,
  ) {}

  async create(actor: Actor, enrollmentId: string, dto: CreateContactDto, key: string | undefined): Promise<StoredResponse<ContactView>> {
    if (key === undefined) {
      throw new BadInput(
        'The Idempotency-Key header is required to log a contact: send a new random key (a UUID) for each contact and the same key when you retry it.',
        [{ field: 'Idempotency-Key', messages: ['header is required'] }],
      );
    }
    const request = { method: 'POST', path: `/enrollments/${enrollmentId}/contacts`, body: dto };
    return this.idempotency.run(actor.userId, key, request, 201, async (tx) => {
      const enrollment = await this.visibleEnrollment(tx, actor, enrollmentId);
      if (!enrollment.is_active) {
        throw new RuleViolation('Contacts can be logged only while the enrollment is active; this one has ended.', { field: 'enrollmentId' });
      }
      const fields: ContactFields = {
        kind: dto.kind,
        occurredOn: dto.occurredOn,
        endsOn: dto.endsOn ?? null,
        startTime: dto.startTime ?? null,
        minutes: dto.minutes ?? null,
        place: dto.place,
        staffIds: dto.staffIds ?? [actor.userId],
        peerSupporterIds: dto.peerSupporterIds ?? [],
        summary: dto.summary ?? null,
      };
      this.assertRules(fields, enrollment);
      await this.assertPeopleExist(tx, fields.staffIds.filter((id) => id !== actor.userId), fields.peerSupporterIds);
      const [row] = (await tx.query(
        `WITH c AS (
           INSERT INTO contacts (enrollment_id, ${COLUMNS.map(([, col]) => col).join(', ')}, created_by_id)
           VALUES ($1, ${COLUMNS.map(([, , cast], i) => `$${i + 2}${cast}`).join(', ')}, $${COLUMNS.length + 2})
           RETURNING *
         ), r AS (
           INSERT INTO contact_revisions (contact_id, revision, ${COLUMNS.map(([, col]) => col).join(', ')}, summary, recorded_by_id)
           SELECT id, revision, ${COLUMNS.map(([, col]) => col).join(', ')}, $${COLUMNS.length + 3}, created_by_id FROM c
           RETURNING summary
         )
         SELECT c.*, r.summary FROM c, r`,
        [enrollmentId, ...COLUMNS.map(([f]) => fields[f]), actor.userId, fields.summary],
      )) as ContactRow[];
      await this.audit.record(tx, actor, {
        action: 'create',
        entityType: 'contact',
        entityIds: [row.id],
        details: { enrollmentId, revision: 1 },
      });
      await this.lowerUndatedStart(tx, actor, enrollment, fields.occurredOn, row.id);
      return ContactView.of({ ...row, patient_id: enrollment.patient_id });
    });
  }

  /**
   * A correction: a new revision (revision + 1) with the reason, and the contact's current fields follow it, in
   * one transaction. Anyone who may see the contact and log contacts may correct it; the history names who did.
   */
  async amend(
    actor: Actor,
    contactId: string,
    dto: AmendContactDto,
    key: string | undefined,
    expectedRevision: number | '*' | undefined,
  ): Promise<StoredResponse<ContactDetailView>> {
    const corrected = AMENDABLE.filter((f) => (dto as unknown as Record<string, unknown>)[f] !== undefined);
    if (corrected.length === 0) {
      throw new BadInput(`Nothing to amend: send the corrected fields (${AMENDABLE.join(', ')}) with the reason.`);
    }
    const request = { method: 'POST', path: `/contacts/${contactId}/amendments`, body: dto, ifMatch: expectedRevision ?? null };
    return this.idempotency.run(actor.userId, key, request, 201, async (tx) => {
      // Lock the contact so parallel amendments take turns (each gets its own revision). The current summary is
      // read after the lock: joined into the locking query, a concurrent amendment would hide the row (EvalPlanQual
      // re-checks the join against the old revision row).
      const rows = (await tx.query(
        `SELECT c.*, e.patient_id, e.is_active, e.started_on, e.started_on_recorded, e.ended_on
         FROM contacts c
         JOIN enrollments e ON e.id = c.enrollment_id
         WHERE c.id = $1 AND ${this.access.enrollmentScope(actor, 'e')}
         FOR UPDATE OF c`,
        [contactId],
      )) as (ContactRow & EnrollmentFacts)[];
      if (rows.length === 0) throw new NotVisible('contact');
      const [{ summary }] = (await tx.query(`SELECT summary FROM contact_revisions WHERE contact_id = $1 AND revision = $2`, [
        contactId,
        rows[0].revision,
      ])) as { summary: string | null }[];
      const current = { ...rows[0], summary };
      if (expectedRevision !== undefined && expectedRevision !== '*' && expectedRevision !== current.revision) {
        throw new StaleVersion(current.revision);
      }
      const before = this.fieldsOf(current);
      const after: ContactFields = { ...before };
      const patch = dto as unknown as Record<string, unknown>;
      for (const f of corrected) (after as unknown as Record<string, unknown>)[f] = patch[f];
      const changed = AMENDABLE.filter((f) =>
        f === 'staffIds' || f === 'peerSupporterIds' ? !sameValue(sortedIds(before[f]), sortedIds(after[f])) : !sameValue(before[f], after[f]),
      );
      if (changed.length === 0) throw new RuleViolation('The amendment changes nothing: every field sent equals the current revision.');
      this.assertRules(after, { ...current, id: current.enrollment_id });
      const newStaff = after.staffIds.filter((id) => !before.staffIds.includes(id));
      const newPeers = after.peerSupporterIds.filter((id) => !before.peerSupporterIds.includes(id));
      await this.assertPeopleExist(tx, newStaff, newPeers);

      const revision = current.revision + 1;
      const values = COLUMNS.map(([f]) => after[f]);
      await tx.query(
        `INSERT INTO contact_revisions (contact_id, revision, ${COLUMNS.map(([, col]) => col).join(', ')}, summary, reason, recorded_by_id)
         VALUES ($1, $2, ${COLUMNS.map(([, , cast], i) => `$${i + 3}${cast}`).join(', ')},
                 $${COLUMNS.length + 3}, $${COLUMNS.length + 4}, $${COLUMNS.length + 5})`,
        [contactId, revision, ...values, after.summary, dto.reason, actor.userId],
      );
      await tx.query(
        `UPDATE contacts SET ${COLUMNS.map(([, col, cast], i) => `${col} = $${i + 2}${cast}`).join(', ')},
           revision = $${COLUMNS.length + 2}, updated_at = now()
         WHERE id = $1`,
        [contactId, ...values, revision],
      );
      await this.audit.record(tx, actor, {
        action: 'update',
        entityType: 'contact',
        entityIds: [contactId],
        changedFields: changed,
        details: { enrollmentId: current.enrollment_id, revision, amendment: true },
      });
      await this.lowerUndatedStart(tx, actor, { ...current, id: current.enrollment_id }, after.occurredOn, contactId);
      return this.detail(tx, actor, contactId);
    });
  }

  /** The current revision with the full history. Audited as a read of patient data. */
  async get(actor: Actor, contactId: string): Promise<ContactDetailView> {
    const view = await this.detail(this.db.manager, actor, contactId);
    await this.audit.reads(actor, 'contact', [contactId]);
    return view;
  }

  /** Contacts of one enrollment, newest first. The enrollment must be visible (404 otherwise). */
  async listForEnrollment(actor: Actor, enrollmentId: string, query: ListEnrollmentContactsQuery): Promise<Page<ContactView>> {
    await this.visibleEnrollment(this.db.manager, actor, enrollmentId);
    return this.list(actor, { ...query, enrollmentId });
  }

  /** Contacts the caller may see (through their enrollment), newest first, keyset-paginated. */
  async list(actor: Actor, query: ListContactsQuery): Promise<Page<ContactView>> {
    if (query.from && query.to && query.from > query.to) {
      throw new BadInput('from must not be after to.', [{ field: 'from', messages: ['from is after to'] }]);
    }
    const limit = query.limit ?? DEFAULT_LIMIT;
    const filter = new SqlFilter().raw(this.access.enrollmentScope(actor, 'e'));
    if (query.enrollmentId) filter.add((n) => `c.enrollment_id = $${n}`, query.enrollmentId);
    if (query.patientId) filter.add((n) => `e.patient_id = $${n}`, query.patientId);
    if (query.from) filter.add((n) => `c.occurred_on >= $${n}`, query.from);
    if (query.to) filter.add((n) => `c.occurred_on <= $${n}`, query.to);
    if (query.kind) filter.add((n) => `c.kind = $${n}`, query.kind);
    if (query.staffId) filter.add((n) => `c.staff_ids @> ARRAY[$${n}]::uuid[]`, query.staffId);
    if (query.cursor) filter.after(['c.occurred_on', 'c.id'], this.cursors.decode(query.cursor, 2), 'desc');
    const rows = (await this.db.query(
      `SELECT c.*, e.patient_id, r.summary
       FROM contacts c
       JOIN enrollments e ON e.id = c.enrollment_id
       LEFT JOIN contact_revisions r ON r.contact_id = c.id AND r.revision = c.revision
       ${filter.where()}
       ORDER BY c.occurred_on DESC, c.id DESC
       LIMIT ${filter.param(limit + 1)}`,
      filter.params,
    )) as ContactRow[];
    const page = this.cursors.page(rows, limit, (r) => [r.occurred_on, r.id], ContactView.of);
    await this.audit.reads(
      actor,
      'contact',
      page.items.map((c) => c.id),
    );
    return page;
  }

  private async detail(tx: EntityManager, actor: Actor, contactId: string): Promise<ContactDetailView> {
    const rows = (await tx.query(
      `SELECT c.*, e.patient_id FROM contacts c JOIN enrollments e ON e.id = c.enrollment_id
       WHERE c.id = $1 AND ${this.access.enrollmentScope(actor, 'e')}`,
      [contactId],
    )) as ContactRow[];
    if (rows.length === 0) throw new NotVisible('contact');
    const history = (await tx.query(`SELECT * FROM contact_revisions WHERE contact_id = $1 ORDER BY revision`, [contactId])) as RevisionRow[];
    const current = history.find((h) => h.revision === rows[0].revision);
    return {
      ...ContactView.of({ ...rows[0], summary: current?.summary ?? null }),
      history: history.map(ContactRevisionView.of),
    };
  }

  private async visibleEnrollment(tx: EntityManager, actor: Actor, enrollmentId: string): Promise<EnrollmentFacts> {
    const rows = (await tx.query(
      `SELECT e.id, e.patient_id, e.is_active, e.started_on, e.started_on_recorded, e.ended_on FROM enrollments e
       WHERE e.id = $1 AND ${this.access.enrollmentScope(actor, 'e')}`,
      [enrollmentId],
    )) as EnrollmentFacts[];
    if (rows.length === 0) throw new NotVisible('enrollment');
    return rows[0];
  }

  private fieldsOf(r: ContactRow): ContactFields {
    return {
      kind: r.kind,
      occurredOn: r.occurred_on,
      endsOn: r.ends_on,
      startTime: r.start_time === null ? null : r.start_time.slice(0, 5),
      minutes: r.minutes,
      place: r.place,
      staffIds: r.staff_ids,
      peerSupporterIds: r.peer_supporter_ids,
      summary: r.summary,
    };
  }

  /** The rules of one revision (422 with field-level errors). Dates are Asia/Tokyo calendar days. */
  private assertRules(f: ContactFields, e: EnrollmentFacts): void {
    const today = todayInTokyo();
    const errors: FieldError[] = [];
    const fail = (field: string, message: string) => errors.push({ field, messages: [message] });
    if (f.occurredOn > today) fail('occurredOn', `occurredOn is in the future (today is ${today})`);
    // An undated referral (started_on_recorded false) has only a provisional start: the contact may predate it and
    // then lowers it (lowerUndatedStart). A dated one is strict.
    if (e.started_on_recorded && f.occurredOn < e.started_on) fail('occurredOn', `occurredOn is before the enrollment began (${e.started_on})`);
    if (e.ended_on && f.occurredOn > e.ended_on) fail('occurredOn', `occurredOn is after the enrollment ended (${e.ended_on})`);
    if (f.endsOn !== null) {
      if (!MULTI_DAY_KINDS.includes(f.kind)) fail('endsOn', `endsOn applies only to ${MULTI_DAY_KINDS.join(', ')}; log other contacts day by day`);
      else if (f.endsOn < f.occurredOn) fail('endsOn', 'endsOn is before occurredOn');
      else if (f.endsOn > today) fail('endsOn', `endsOn is in the future (today is ${today}); log the stay when it is over or amend it later`);
      else if (daysBetween(f.occurredOn, f.endsOn) > MAX_SPAN_DAYS) fail('endsOn', `a stay may span at most ${MAX_SPAN_DAYS} days after occurredOn`);
      else if (e.ended_on && f.endsOn > e.ended_on) fail('endsOn', `endsOn is after the enrollment ended (${e.ended_on})`);
    }
    if (f.kind === 'peer_visit' && f.peerSupporterIds.length === 0) fail('peerSupporterIds', 'a peer_visit needs at least one peer supporter');
    if (f.staffIds.length === 0 && f.kind !== 'peer_visit') fail('staffIds', 'staffIds may be empty only for a peer_visit made by peer supporters alone');
    if (errors.length) {
      throw new RuleViolation(errors.map((x) => x.messages[0]).join('; ') + '.', { errors });
    }
  }

  /**
   * A contact dated before the provisional start of an undated referral lowers that start to its date, in the
   * contact's transaction, without bumping the enrollment's version (LOWER_UNDATED_START). Only then is the
   * enrollment row written (and locked), so the usual contact touches no enrollment row.
   */
  private async lowerUndatedStart(tx: EntityManager, actor: Actor, e: EnrollmentFacts, occurredOn: string, contactId: string): Promise<void> {
    if (e.started_on_recorded || occurredOn >= e.started_on) return;
    const [lowered] = (await tx.query(LOWER_UNDATED_START, [e.id, occurredOn])) as [{ started_on: string }[], number];
    if (lowered.length === 0) return; // lowered as far meanwhile by another contact or move
    await this.audit.record(tx, actor, {
      action: 'update',
      entityType: 'enrollment',
      entityIds: [e.id],
      changedFields: ['startedOn'],
      details: { startedOn: occurredOn, byContactId: contactId },
    });
  }

  /** Every staff id must be a user and every peer supporter id a peer supporter (422 naming the unknown ids). */
  private async assertPeopleExist(tx: EntityManager, staffIds: string[], peerIds: string[]): Promise<void> {
    const errors: FieldError[] = [];
    if (staffIds.length) {
      const found = (await tx.query(`SELECT id FROM users WHERE id = ANY($1::uuid[])`, [staffIds])) as { id: string }[];
      const missing = staffIds.filter((id) => !found.some((r) => r.id === id.toLowerCase()));
      if (missing.length) errors.push({ field: 'staffIds', messages: [`unknown users: ${missing.join(', ')}`] });
    }
    if (peerIds.length) {
      const found = (await tx.query(`SELECT id FROM peer_supporters WHERE id = ANY($1::uuid[])`, [peerIds])) as { id: string }[];
      const missing = peerIds.filter((id) => !found.some((r) => r.id === id.toLowerCase()));
      if (missing.length) errors.push({ field: 'peerSupporterIds', messages: [`unknown peer supporters: ${missing.join(', ')}`] });
    }
    if (errors.length) throw new RuleViolation(`Unknown people on the contact: ${errors.map((e) => e.field).join(', ')}.`, { errors });
  }
}
