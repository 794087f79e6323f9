import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BadInput } from '../common/errors.js';
import { CursorCodec, DEFAULT_LIMIT, type Page } from '../common/pagination.js';
import { SqlFilter } from '../common/sql.js';
import { type AuditEventRow, AuditEventView } from './audit-event.view.js';
import { auditRange, isBackwards } from './audit-range.js';
import type { ListAuditEventsQuery } from './dto/list-audit-events.query.js';

/**
 * Reading the audit trail (admins). Newest first, keyset on id. Indexes: audit_events_actor (actor_id, id),
 * audit_events_entity_ids (GIN, `@>`), audit_events_occurred (BRIN on occurred_at), the primary key for the order.
 */
@Injectable()
export class AuditEventsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  async list(query: ListAuditEventsQuery): Promise<Page<AuditEventView>> {
    if (isBackwards(query.from, query.to)) {
      throw new BadInput('from must not be after to.', [{ field: 'from', messages: ['from must not be after to'] }]);
    }
    const limit = query.limit ?? DEFAULT_LIMIT;
    const filter = new SqlFilter();
    if (query.actorId) filter.add((n) => `actor_id = $${n}`, query.actorId);
    if (query.entityType) filter.add((n) => `entity_type = $${n}`, query.entityType);
    if (query.entityId) filter.add((n) => `entity_ids @> ARRAY[$${n}]::uuid[]`, query.entityId);
    if (query.action) filter.add((n) => `action = $${n}`, query.action);
    const range = auditRange(query.from, query.to);
    if (range.fromAt) filter.add((n) => `occurred_at >= $${n}::timestamptz`, range.fromAt);
    if (range.toAt) filter.add((n) => `occurred_at <= $${n}::timestamptz`, range.toAt);
    if (range.toBefore) filter.add((n) => `occurred_at < $${n}::timestamptz`, range.toBefore);
    if (query.cursor) {
      const [id] = this.cursors.decode(query.cursor, 1);
      if (typeof id !== 'number') throw new BadInput('The cursor is not valid: use nextCursor exactly as it was returned.');
      filter.after(['id'], [id], 'desc');
    }
    const rows = (await this.db.query(
      `SELECT * FROM audit_events ${filter.where()}
       ORDER BY id DESC LIMIT ${filter.param(limit + 1)}`,
      filter.params,
    )) as AuditEventRow[];
    return this.cursors.page(rows, limit, (r) => [Number(r.id)], AuditEventView.of);
  }
}
