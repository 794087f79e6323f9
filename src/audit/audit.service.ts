import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { currentRequest } from '../common/request-context.js';

/** The actions of the audit trail (the CHECK list of audit_events.action). */
export const AUDIT_ACTIONS = ['create', 'update', 'read', 'login', 'login_failed', 'logout', 'lockout', 'export', 'refresh'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  action: AuditAction;
  entityType: string;
  entityIds?: string[];
  /** For updates: the names of the fields that changed — never their values when they are sensitive. */
  changedFields?: string[];
  /** Non-sensitive details (e.g. old/new responsible municipality id, "on behalf of"). Never names or summaries. */
  details?: Record<string, unknown>;
}

/**
 * The append-only audit trail. Writes go in the caller's transaction (`tx`) so the audit row commits or rolls
 * back with the change it records. Reads of patient data call `reads()` once per request with every id shown.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(tx: EntityManager | null, actor: Actor | null, entry: AuditEntry): Promise<void> {
    const ctx = currentRequest();
    await (tx ?? this.db.manager).query(
      `INSERT INTO audit_events
         (actor_id, actor_role, actor_organization_id, action, entity_type, entity_ids, changed_fields, details, request_id, ip)
       VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7::text[], $8::jsonb, $9, $10)`,
      [
        actor?.userId ?? null,
        actor?.role ?? null,
        actor?.organizationId ?? null,
        entry.action,
        entry.entityType,
        entry.entityIds ?? [],
        entry.changedFields ?? null,
        entry.details ? JSON.stringify(entry.details) : null,
        ctx?.requestId ?? null,
        ctx?.ip ?? null,
      ],
    );
  }

  /** Audit a read of patient-level records (a detail read, or every row of a list page). No-op for zero ids. */
  async reads(actor: Actor, entityType: string, ids: string[], tx: EntityManager | null = null): Promise<void> {
    if (ids.length === 0) return;
    await this.record(tx, actor, { action: 'read', entityType, entityIds: ids });
  }
}
