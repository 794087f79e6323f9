import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AccessPolicy } from '../auth/access-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { daysInMonth, todayInTokyo } from '../common/dates.js';
import { CursorCodec, DEFAULT_LIMIT, type Page } from '../common/pagination.js';
import { SqlFilter } from '../common/sql.js';
import { caseloadQuery, FACE_TO_FACE_KINDS } from './caseload.sql.js';
import { type CaseloadRow, CaseloadItemView } from './caseload.view.js';
import type { CaseloadQuery } from './dto/caseload.query.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * GET /caseload: the caller's assigned active enrollments. "Assigned" narrows what the access policy lets the
 * caller see (an office's own cases, a station's, a hospital's); the access policy's scope is always ANDed in
 * as well, so the caseload can never show a case the caller may not see.
 */
@Injectable()
export class CaseloadService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly cursors: CursorCodec,
  ) {}

  async caseload(actor: Actor, query: CaseloadQuery): Promise<Page<CaseloadItemView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const today = todayInTokyo();
    const month = today.slice(0, 7);
    const [y, m] = month.split('-').map(Number);
    const filter = new SqlFilter();
    // $1 today, $2–$3 this month, $4 the face-to-face kinds: read by caseloadQuery itself.
    for (const v of [today, `${month}-01`, `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`, [...FACE_TO_FACE_KINDS]]) filter.param(v);
    filter.raw('e.is_active').raw(this.assigned(actor)).raw(this.policy.enrollmentScope(actor, 'e'));
    if (query.step) filter.add((n) => `e.step = $${n}`, query.step);
    if (query.program) filter.add((n) => `e.program = $${n}::program`, query.program);
    if (query.cursor) filter.after(['p.family_name_kana', 'p.given_name_kana', 'e.id'], this.cursors.decode(query.cursor, 3));
    const limitParam = filter.param(limit + 1);
    const rows = (await this.db.query(caseloadQuery(filter.where(), limitParam), filter.params)) as CaseloadRow[];
    const page = this.cursors.page(rows, limit, (r) => [r.family_name_kana, r.given_name_kana, r.id], (r) => CaseloadItemView.of(r, today));
    await this.audit.reads(actor, 'patient', [...new Set(page.items.map((i) => i.patient.id))]);
    return page;
  }

  /** What is assigned to the caller: their office's, their station's, their hospital's cases; officers' and admins' = all they see. */
  private assigned(actor: Actor): string {
    const org = actor.organizationId && UUID_RE.test(actor.organizationId) ? `'${actor.organizationId}'::uuid` : 'NULL::uuid';
    switch (actor.role) {
      case 'support_office_staff':
        return `e.support_office_id = ${org}`;
      case 'nurse_staff':
        return `e.nurse_station_id = ${org}`;
      case 'hospital_staff':
        return `e.hospital_id = ${org}`;
      case 'municipal_officer':
      case 'admin':
        return 'TRUE';
      default:
        return 'FALSE';
    }
  }
}
