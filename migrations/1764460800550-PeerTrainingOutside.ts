import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 養成研修 completed outside Kizuna (before the system was introduced, or in another city). A peer's
 * `trained_on` is derived: the earliest of this date and the `held_on` of every `supporter_training` event that
 * lists the peer — the service recomputes it whenever either side changes, so it is never edited by hand.
 */
export class PeerTrainingOutside1764460800550 implements MigrationInterface {
  name = 'PeerTrainingOutside1764460800550';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE peer_supporters ADD COLUMN trained_outside_on date`);
    // GET /events?hostId= and "which events did this organization attend" (reports, peer involvement).
    await q.query(`CREATE INDEX events_host ON events (host_id)`);
    await q.query(`CREATE INDEX event_attendance_organization ON event_attendance (organization_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX event_attendance_organization`);
    await q.query(`DROP INDEX events_host`);
    await q.query(`ALTER TABLE peer_supporters DROP COLUMN trained_outside_on`);
  }
}
