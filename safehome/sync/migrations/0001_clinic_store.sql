-- safehome clinic schema, step 1 (released: never edit it; add a step of its own).
-- {clinician} and {lead} are the clinic's two group roles, named after its database, so a
-- PostgreSQL server holding two clinics keeps each clinic's people to its own clinicians.
-- Statements end with a line holding only ';' (function bodies hold semicolons of their own).

CREATE SCHEMA IF NOT EXISTS safehome
;

CREATE TABLE safehome.clinic (clinic_id uuid NOT NULL, version integer NOT NULL,
             clinician_role name NOT NULL, lead_role name NOT NULL)
;

INSERT INTO safehome.clinic VALUES (gen_random_uuid(), 0, '{clinician}', '{lead}')
;

CREATE SEQUENCE safehome.change_seq
;

CREATE TABLE safehome.people (
            uuid uuid PRIMARY KEY,
            name text NOT NULL,
            name_key text NOT NULL,
            created_at text NOT NULL,
            device uuid,
            changed_by name NOT NULL DEFAULT session_user,
            seq bigint NOT NULL DEFAULT nextval('safehome.change_seq')
        )
;

CREATE INDEX people_seq ON safehome.people (seq)
;

CREATE TABLE safehome.assessments (
            uuid uuid PRIMARY KEY,
            person_uuid uuid NOT NULL REFERENCES safehome.people ON DELETE CASCADE,
            checklist_id text NOT NULL,
            checklist_version text NOT NULL,
            mode text NOT NULL CHECK (mode IN ('clinician', 'self')),
            status text NOT NULL CHECK (status IN ('in-progress', 'finished')),
            assessed_on text NOT NULL,
            profile_json text NOT NULL CHECK (jsonb_typeof(profile_json::jsonb) = 'object'),
            language text,
            created_at text NOT NULL,
            updated_at text NOT NULL,
            device uuid,
            owner name NOT NULL DEFAULT session_user,
            changed_by name NOT NULL DEFAULT session_user,
            seq bigint NOT NULL DEFAULT nextval('safehome.change_seq')
        )
;

CREATE INDEX assessments_seq ON safehome.assessments (seq)
;

CREATE INDEX assessments_person ON safehome.assessments (person_uuid)
;

CREATE TABLE safehome.answer_history (
            uuid uuid PRIMARY KEY,
            assessment_uuid uuid NOT NULL,  -- its visit: checked by the row policy and swept below
            item_id text NOT NULL,
            old_value_json text CHECK (old_value_json IS NULL OR old_value_json::jsonb IS NOT NULL),
            new_value_json text CHECK (new_value_json IS NULL OR new_value_json::jsonb IS NOT NULL),
            old_note text CHECK (length(old_note) <= 100000),
            new_note text CHECK (length(new_note) <= 100000),
            changed_at text NOT NULL,
            amendment boolean NOT NULL,
            device uuid,
            author name NOT NULL DEFAULT session_user,
            received_at timestamptz NOT NULL DEFAULT now(),
            seq bigint NOT NULL DEFAULT nextval('safehome.change_seq')
        )
;

CREATE INDEX answer_history_seq ON safehome.answer_history (seq)
;

CREATE TABLE safehome.tombstones (
            person_uuid uuid PRIMARY KEY,
            seq bigint NOT NULL DEFAULT nextval('safehome.change_seq')
        )
;

CREATE INDEX tombstones_seq ON safehome.tombstones (seq)
;

CREATE TABLE safehome.gone_visits (uuid uuid PRIMARY KEY)
;

CREATE TABLE safehome.conflicts (
            uuid uuid PRIMARY KEY,
            assessment_uuid uuid NOT NULL REFERENCES safehome.assessments ON DELETE CASCADE,
            items text NOT NULL CHECK (jsonb_typeof(items::jsonb) = 'array'
                                       AND NOT jsonb_path_exists(items::jsonb, '$[*] ? (@.type() != "string")')),
            found_at text NOT NULL,
            found_by name NOT NULL DEFAULT session_user,
            confirmed_at text,
            confirmed_by name,
            seq bigint NOT NULL DEFAULT nextval('safehome.change_seq')
        )
;

CREATE INDEX conflicts_seq ON safehome.conflicts (seq)
;

CREATE TABLE safehome.audit (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            who name NOT NULL,
            as_role text NOT NULL,
            action text NOT NULL,
            kind text NOT NULL,
            row_uuid uuid NOT NULL
        )
;

CREATE FUNCTION safehome.take_turn() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
           SET search_path = pg_catalog, safehome AS $$
           BEGIN
             IF current_setting('transaction_isolation') <> 'read committed' THEN
               RAISE EXCEPTION 'safehome writes only in READ COMMITTED transactions' USING ERRCODE = '0A000';
             END IF;
             PERFORM pg_advisory_xact_lock(7346501);
             RETURN NULL;
           END $$
;

CREATE FUNCTION safehome.guard() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             IF TG_OP = 'UPDATE' THEN
               NEW.seq := nextval('safehome.change_seq');
               IF TG_TABLE_NAME IN ('people', 'assessments') THEN
                 NEW.changed_by := session_user;
               END IF;
               IF TG_TABLE_NAME = 'assessments' THEN
                 NEW.owner := OLD.owner;
               ELSIF TG_TABLE_NAME = 'conflicts' THEN
                 NEW.found_by := OLD.found_by;
                 NEW.confirmed_by := CASE WHEN OLD.confirmed_at IS NULL AND NEW.confirmed_at IS NOT NULL
                                          THEN session_user ELSE OLD.confirmed_by END;
               END IF;
             ELSIF TG_TABLE_NAME = 'people' THEN
               IF EXISTS (SELECT 1 FROM safehome.tombstones WHERE person_uuid = NEW.uuid) THEN RETURN NULL; END IF;
             ELSIF TG_TABLE_NAME = 'assessments' THEN
               IF EXISTS (SELECT 1 FROM safehome.tombstones WHERE person_uuid = NEW.person_uuid)
                  OR EXISTS (SELECT 1 FROM safehome.gone_visits WHERE uuid = NEW.uuid) THEN
                 RETURN NULL;
               END IF;
             END IF;
             RETURN NEW;
           END $$
;

CREATE FUNCTION safehome.record() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
           SET search_path = pg_catalog, safehome AS $$
           BEGIN
             EXECUTE format(
               'INSERT INTO safehome.audit (who, as_role, action, kind, row_uuid) '
               'SELECT DISTINCT $1, $2, $3, $4, %I FROM changed',
               TG_ARGV[1])
             USING session_user, CASE WHEN pg_has_role(session_user, '{lead}', 'MEMBER') THEN 'lead'
                                      ELSE 'clinician' END, lower(TG_OP), TG_ARGV[0];
             RETURN NULL;
           END $$
;

CREATE FUNCTION safehome.sweep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
           SET search_path = pg_catalog, safehome AS $$
           BEGIN
             DELETE FROM safehome.answer_history h USING changed c
             WHERE h.uuid = c.uuid
               AND NOT EXISTS (SELECT 1 FROM safehome.assessments a WHERE a.uuid = c.assessment_uuid);
             RETURN NULL;
           END $$
;

CREATE FUNCTION safehome.drop_history() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
           SET search_path = pg_catalog, safehome AS $$
           BEGIN
             DELETE FROM safehome.answer_history WHERE assessment_uuid = OLD.uuid;
             INSERT INTO safehome.gone_visits VALUES (OLD.uuid) ON CONFLICT DO NOTHING;
             RETURN OLD;
           END $$
;

CREATE FUNCTION safehome.take_turn_now() RETURNS void LANGUAGE sql SECURITY DEFINER
           SET search_path = pg_catalog AS $$ SELECT pg_advisory_xact_lock(7346501) $$
;

CREATE FUNCTION safehome.forget() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
           SET search_path = pg_catalog, safehome AS $$
           BEGIN DELETE FROM safehome.people WHERE uuid = NEW.person_uuid; RETURN NULL; END $$
;

CREATE FUNCTION safehome.leave_tombstone() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
           SET search_path = pg_catalog, safehome AS $$
           BEGIN
             INSERT INTO safehome.tombstones (person_uuid) VALUES (OLD.uuid) ON CONFLICT DO NOTHING;
             RETURN NULL;
           END $$
;

CREATE FUNCTION safehome.may_write(owner name) RETURNS boolean LANGUAGE sql STABLE AS $$
           SELECT owner = session_user OR pg_has_role(session_user, '{lead}', 'MEMBER') $$
;

CREATE TRIGGER take_turn BEFORE INSERT OR UPDATE OR DELETE ON safehome.people
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.take_turn()
;

CREATE TRIGGER take_turn BEFORE INSERT OR UPDATE OR DELETE ON safehome.assessments
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.take_turn()
;

CREATE TRIGGER take_turn BEFORE INSERT OR UPDATE OR DELETE ON safehome.answer_history
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.take_turn()
;

CREATE TRIGGER take_turn BEFORE INSERT OR UPDATE OR DELETE ON safehome.tombstones
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.take_turn()
;

CREATE TRIGGER take_turn BEFORE INSERT OR UPDATE OR DELETE ON safehome.conflicts
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.take_turn()
;

CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON safehome.people FOR EACH ROW EXECUTE FUNCTION safehome.guard()
;

CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON safehome.assessments FOR EACH ROW EXECUTE FUNCTION safehome.guard()
;

CREATE TRIGGER guard BEFORE UPDATE ON safehome.conflicts FOR EACH ROW EXECUTE FUNCTION safehome.guard()
;

CREATE TRIGGER forget AFTER INSERT ON safehome.tombstones FOR EACH ROW EXECUTE FUNCTION safehome.forget()
;

CREATE TRIGGER tombstone AFTER DELETE ON safehome.people FOR EACH ROW EXECUTE FUNCTION safehome.leave_tombstone()
;

CREATE TRIGGER history BEFORE DELETE ON safehome.assessments FOR EACH ROW EXECUTE FUNCTION safehome.drop_history()
;

CREATE TRIGGER sweep AFTER INSERT ON safehome.answer_history REFERENCING NEW TABLE AS changed
           FOR EACH STATEMENT EXECUTE FUNCTION safehome.sweep()
;

CREATE TRIGGER audit_insert AFTER INSERT ON safehome.people
                REFERENCING NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.record('person', 'uuid')
;

CREATE TRIGGER audit_update AFTER UPDATE ON safehome.people
                REFERENCING NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.record('person', 'uuid')
;

CREATE TRIGGER audit_delete AFTER DELETE ON safehome.people
                REFERENCING OLD TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.record('person', 'uuid')
;

CREATE TRIGGER audit_insert AFTER INSERT ON safehome.assessments
                REFERENCING NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.record('assessment', 'uuid')
;

CREATE TRIGGER audit_update AFTER UPDATE ON safehome.assessments
                REFERENCING NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.record('assessment', 'uuid')
;

CREATE TRIGGER audit_insert AFTER INSERT ON safehome.answer_history
                REFERENCING NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.record('answers', 'assessment_uuid')
;

CREATE TRIGGER audit_insert AFTER INSERT ON safehome.tombstones
                REFERENCING NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.record('tombstone', 'person_uuid')
;

CREATE TRIGGER audit_insert AFTER INSERT ON safehome.conflicts
                REFERENCING NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.record('conflict', 'uuid')
;

CREATE TRIGGER audit_update AFTER UPDATE ON safehome.conflicts
                REFERENCING NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.record('conflict', 'uuid')
;

ALTER TABLE safehome.people ENABLE ROW LEVEL SECURITY
;

ALTER TABLE safehome.assessments ENABLE ROW LEVEL SECURITY
;

ALTER TABLE safehome.answer_history ENABLE ROW LEVEL SECURITY
;

ALTER TABLE safehome.tombstones ENABLE ROW LEVEL SECURITY
;

ALTER TABLE safehome.conflicts ENABLE ROW LEVEL SECURITY
;

CREATE POLICY read ON safehome.people FOR SELECT USING (true)
;

CREATE POLICY read ON safehome.assessments FOR SELECT USING (true)
;

CREATE POLICY read ON safehome.answer_history FOR SELECT USING (true)
;

CREATE POLICY read ON safehome.tombstones FOR SELECT USING (true)
;

CREATE POLICY read ON safehome.conflicts FOR SELECT USING (true)
;

CREATE POLICY add ON safehome.people FOR INSERT WITH CHECK (changed_by = session_user)
;

CREATE POLICY rename ON safehome.people FOR UPDATE USING (true)
;

CREATE POLICY add ON safehome.assessments FOR INSERT
           WITH CHECK (owner = session_user AND changed_by = session_user)
;

CREATE POLICY amend ON safehome.assessments FOR UPDATE
           USING (safehome.may_write(owner)) WITH CHECK (safehome.may_write(owner))
;

CREATE POLICY add ON safehome.answer_history FOR INSERT WITH CHECK (author = session_user AND EXISTS (
             SELECT 1 FROM safehome.assessments a WHERE a.uuid = assessment_uuid AND safehome.may_write(a.owner)))
;

CREATE POLICY add ON safehome.tombstones FOR INSERT WITH CHECK (true)
;

CREATE POLICY add ON safehome.conflicts FOR INSERT WITH CHECK (found_by = session_user AND EXISTS (
             SELECT 1 FROM safehome.assessments a WHERE a.uuid = assessment_uuid AND safehome.may_write(a.owner)))
;

CREATE POLICY confirm ON safehome.conflicts FOR UPDATE USING (EXISTS (
             SELECT 1 FROM safehome.assessments a WHERE a.uuid = assessment_uuid AND safehome.may_write(a.owner)))
;

GRANT USAGE ON SCHEMA safehome TO {clinician}
;

GRANT SELECT ON safehome.clinic TO {clinician}
;

GRANT SELECT ON safehome.people TO {clinician}
;

GRANT SELECT ON safehome.assessments TO {clinician}
;

GRANT SELECT ON safehome.answer_history TO {clinician}
;

GRANT SELECT ON safehome.tombstones TO {clinician}
;

GRANT SELECT ON safehome.conflicts TO {clinician}
;

GRANT INSERT (uuid, name, name_key, created_at, device), UPDATE (name, name_key, device) ON safehome.people TO {clinician}
;

GRANT INSERT (uuid, person_uuid, checklist_id, checklist_version, mode, status, assessed_on, profile_json, language, created_at, updated_at, device), UPDATE (person_uuid, checklist_id, checklist_version, mode, status, assessed_on, profile_json, updated_at, device) ON safehome.assessments TO {clinician}
;

GRANT INSERT (uuid, assessment_uuid, item_id, old_value_json, new_value_json, old_note, new_note, changed_at, amendment, device) ON safehome.answer_history TO {clinician}
;

GRANT INSERT (person_uuid) ON safehome.tombstones TO {clinician}
;

GRANT INSERT (uuid, assessment_uuid, items, found_at), UPDATE (confirmed_at) ON safehome.conflicts TO {clinician}
;

GRANT USAGE ON SEQUENCE safehome.change_seq TO {clinician}
;

GRANT EXECUTE ON FUNCTION safehome.take_turn_now() TO {clinician}
;

GRANT SELECT ON safehome.gone_visits TO {clinician}
;

GRANT SELECT ON safehome.audit TO {lead}
;
