import { Injectable } from '@nestjs/common';
import { AccessPolicy, type ReportScope } from '../auth/access-policy.js';
import type { Actor } from '../auth/actor.js';
import { Forbidden, NotVisible } from '../common/errors.js';
import { ReportReader } from './report-reader.js';

/**
 * Resolves `?municipalityId=` into a report scope: the role decides first (AccessPolicy.reportScope → 403), then
 * the id must name a municipality (404) — of the caller's prefecture for a prefectural officer (403).
 */
@Injectable()
export class ReportScopes {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly reader: ReportReader,
  ) {}

  async resolve(actor: Actor, municipalityId?: string): Promise<ReportScope> {
    if (!municipalityId) return this.policy.reportScope(actor);
    const scope = this.policy.reportScope(actor, municipalityId);
    const [org] = await this.reader.query<{ kind: string; prefecture_id: string | null }>(
      `SELECT kind, prefecture_id FROM organizations WHERE id = $1`,
      [municipalityId],
    );
    if (!org || org.kind !== 'municipality') throw new NotVisible('municipality');
    if (actor.role === 'prefectural_officer' && org.prefecture_id !== actor.organizationId) {
      throw new Forbidden('A prefectural officer sees the municipalities of their own prefecture only.');
    }
    return scope;
  }
}
