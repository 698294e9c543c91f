-- audit_row(): the row audit of every user-visible write (triggers of the migrations name
-- the key column as their argument).
--
-- Bulk loads set objets.bulk = 'on' for their transaction and write one summary row instead
-- (a national load is 300,000 rows).
--
-- A password hash (app_user.mot_de_passe) never reaches the audit: only whether one is set.

CREATE OR REPLACE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
BEGIN
    IF coalesce(current_setting('objets.bulk', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD) - 'geom' - 'geom_affichage' - 'point'; END IF;
    IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW) - 'geom' - 'geom_affichage' - 'point'; END IF;
    IF coalesce(old_row, new_row) ? 'mot_de_passe' THEN
        old_row := old_row || jsonb_build_object('mot_de_passe', old_row ->> 'mot_de_passe' IS NOT NULL);
        new_row := new_row || jsonb_build_object('mot_de_passe', new_row ->> 'mot_de_passe' IS NOT NULL);
    END IF;
    INSERT INTO audit (user_id, table_name, row_key, action, before, after)
    VALUES (nullif(current_setting('objets.user_id', true), '')::integer, TG_TABLE_NAME,
            coalesce(new_row, old_row) ->> TG_ARGV[0], lower(TG_OP), old_row, new_row);
    RETURN NULL;
END $$;
