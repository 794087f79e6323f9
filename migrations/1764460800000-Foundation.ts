import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organizations, the append-only audit trail and stored idempotency keys.
 * Append-only tables get a trigger that rejects UPDATE, DELETE and TRUNCATE (真正性: history cannot be rewritten).
 */
export class Foundation1764460800000 implements MigrationInterface {
  name = 'Foundation1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`
      CREATE FUNCTION reject_modification() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);

    await q.query(`CREATE TYPE organization_kind AS ENUM
      ('hospital', 'support_office', 'nurse_station', 'municipality', 'prefecture', 'other')`);
    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind organization_kind NOT NULL,
        name varchar(200) NOT NULL,
        name_kana varchar(200),
        ward varchar(50),
        address varchar(300),
        phone varchar(30),
        municipality_id uuid REFERENCES organizations(id),
        prefecture_id uuid REFERENCES organizations(id),
        psychiatric_beds integer CHECK (psychiatric_beds >= 0),
        long_stay_inpatients integer CHECK (long_stay_inpatients >= 0),
        long_stay_as_of date,
        case_capacity integer CHECK (case_capacity >= 0),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT organizations_kind_name_unique UNIQUE (kind, name),
        CONSTRAINT organizations_hospital_fields CHECK (kind = 'hospital'
          OR (psychiatric_beds IS NULL AND long_stay_inpatients IS NULL AND long_stay_as_of IS NULL)),
        CONSTRAINT organizations_office_fields CHECK (kind = 'support_office' OR case_capacity IS NULL),
        CONSTRAINT organizations_prefecture_only_for_municipality CHECK (kind = 'municipality' OR prefecture_id IS NULL)
      )`);
    // List order is (name, id); filters by kind keep the same order.
    await q.query(`CREATE INDEX organizations_name_id ON organizations (name, id)`);
    await q.query(`CREATE INDEX organizations_kind_name_id ON organizations (kind, name, id)`);
    await q.query(`CREATE INDEX organizations_municipality ON organizations (municipality_id)`);
    await q.query(`CREATE INDEX organizations_prefecture ON organizations (prefecture_id)`);
    await q.query(`CREATE INDEX organizations_search ON organizations
      USING gin ((name || ' ' || coalesce(name_kana, '')) gin_trgm_ops)`);

    await q.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_role text,
        actor_organization_id uuid,
        action text NOT NULL CHECK (action IN
          ('create', 'update', 'read', 'login', 'login_failed', 'logout', 'lockout', 'export', 'refresh')),
        entity_type text,
        entity_ids uuid[] NOT NULL DEFAULT '{}',
        changed_fields text[],
        details jsonb,
        request_id text,
        ip text
      )`);
    await q.query(`CREATE INDEX audit_events_entity_ids ON audit_events USING gin (entity_ids)`);
    await q.query(`CREATE INDEX audit_events_actor ON audit_events (actor_id, id)`);
    await q.query(`CREATE INDEX audit_events_occurred ON audit_events USING brin (occurred_at)`);
    await q.query(`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION reject_modification()`);
    await q.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION reject_modification()`);

    // Idempotency keys live in PostgreSQL so several app instances agree (ARCHITECTURE.md, scaling path).
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key varchar(200) NOT NULL,
        request_hash text NOT NULL,
        status text NOT NULL CHECK (status IN ('in_flight', 'done')),
        response_status integer,
        response_body text, -- text, not jsonb: a replay returns the bytes of the original response
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL DEFAULT now() + interval '24 hours',
        PRIMARY KEY (scope, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP TABLE organizations`);
    await q.query(`DROP TYPE organization_kind`);
    await q.query(`DROP FUNCTION reject_modification()`);
  }
}
