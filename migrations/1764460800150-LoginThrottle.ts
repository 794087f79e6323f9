import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-IP request counters for the login throttle. They live in PostgreSQL, not in process memory, so several
 * app instances behind a load balancer share one limit (ARCHITECTURE.md, scaling path). UNLOGGED: counters are
 * disposable (a crash only resets them) and need no WAL.
 */
export class LoginThrottle1764460800150 implements MigrationInterface {
  name = 'LoginThrottle1764460800150';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limits (
        key text PRIMARY KEY,
        hits integer NOT NULL CHECK (hits >= 0),
        window_ends_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX rate_limits_window_ends ON rate_limits (window_ends_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limits`);
  }
}
