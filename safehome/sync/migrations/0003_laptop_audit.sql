-- The laptops' own audit logs (PHIPA: who viewed, changed or disclosed a record), beside the
-- server's own audit (safehome.audit: what the server itself saw). Each row is what a laptop
-- claims happened on it: opened, changed, amended, wrote, exported, imported, deleted, synced or
-- purged, for which person and visit (their UUIDs only, never a name), when, on which device.
-- Who claimed it is the login that sent it (session_user, never a value the laptop gives).
-- A clinician adds their laptop's events through one function (sent again after a cut sync, an
-- event is taken once) and reads none; a lead reads them all. Nobody changes or removes one.
CREATE TABLE safehome.laptop_audit (
            uuid uuid PRIMARY KEY,
            at timestamptz NOT NULL,
            action text NOT NULL CHECK (action IN ('opened', 'changed', 'amended', 'wrote', 'exported',
                'imported', 'deleted', 'synced', 'purged')),
            person_uuid uuid,
            assessment_uuid uuid,
            device text NOT NULL,
            claimed_by name NOT NULL DEFAULT session_user,
            received_at timestamptz NOT NULL DEFAULT now()
        )
;

CREATE INDEX laptop_audit_person ON safehome.laptop_audit (person_uuid, at)
;

ALTER TABLE safehome.laptop_audit ENABLE ROW LEVEL SECURITY
;

CREATE POLICY read ON safehome.laptop_audit FOR SELECT USING (pg_has_role(session_user, '{lead}', 'MEMBER'))
;

CREATE FUNCTION safehome.add_laptop_events(events jsonb) RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
           SET search_path = pg_catalog, safehome AS $$
           DECLARE added integer;
           BEGIN
             INSERT INTO safehome.laptop_audit (uuid, at, action, person_uuid, assessment_uuid, device, claimed_by)
             SELECT (e->>'uuid')::uuid, (e->>'at')::timestamptz, e->>'action', (e->>'person_uuid')::uuid,
                    (e->>'assessment_uuid')::uuid, e->>'device', session_user
               FROM jsonb_array_elements(events) AS e
             ON CONFLICT (uuid) DO NOTHING;
             GET DIAGNOSTICS added = ROW_COUNT;
             RETURN added;
           END $$
;

REVOKE ALL ON FUNCTION safehome.add_laptop_events(jsonb) FROM PUBLIC
;

GRANT EXECUTE ON FUNCTION safehome.add_laptop_events(jsonb) TO {clinician}
;

GRANT SELECT ON safehome.laptop_audit TO {lead}
;
