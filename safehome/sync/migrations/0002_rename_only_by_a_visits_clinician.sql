-- A person's name (and the key people are matched by) changes only through a clinician who owns a
-- visit of that person, or a lead; any other clinician's UPDATE touches no row. The first step let
-- any clinician rename anyone (USING (true)), and the name reached every laptop at its next sync.
-- The audit trigger of the first step records every rename (who, as what role, when).
DROP POLICY rename ON safehome.people
;

CREATE POLICY rename ON safehome.people FOR UPDATE
           USING (pg_has_role(session_user, '{lead}', 'MEMBER') OR EXISTS (
             SELECT 1 FROM safehome.assessments a WHERE a.person_uuid = people.uuid AND a.owner = session_user))
           WITH CHECK (pg_has_role(session_user, '{lead}', 'MEMBER') OR EXISTS (
             SELECT 1 FROM safehome.assessments a WHERE a.person_uuid = people.uuid AND a.owner = session_user))
;
