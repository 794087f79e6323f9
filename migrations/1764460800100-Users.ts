import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, refresh tokens (stored hashed, rotating) and login failures (for the 15-minute lockout). */
export class Users1764460800100 implements MigrationInterface {
  name = 'Users1764460800100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE user_role AS ENUM ('admin', 'municipal_officer', 'prefectural_officer',
      'hospital_staff', 'support_office_staff', 'nurse_staff')`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(254) NOT NULL,
        display_name varchar(100) NOT NULL,
        role user_role NOT NULL,
        organization_id uuid REFERENCES organizations(id),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        locked_until timestamptz,
        -- access tokens issued before this instant are refused (deactivation, password change)
        tokens_valid_after timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT users_organization_required CHECK (role = 'admin' OR organization_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_unique ON users (lower(email))`);
    await q.query(`CREATE INDEX users_organization ON users (organization_id)`);
    await q.query(`CREATE INDEX users_created ON users (created_at, id)`);

    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        token_hash text NOT NULL UNIQUE,
        family_id uuid NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)`);

    await q.query(`
      CREATE TABLE login_failures (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        failed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX login_failures_user_time ON login_failures (user_id, failed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_failures`);
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TYPE user_role`);
  }
}
