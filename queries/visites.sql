-- The last visit of each user to a page (derniere_visite, migration 0003): what "nouveau
-- depuis votre dernière visite" compares with (dashboard.writes.visites).

-- name: visite_enregistrer
-- Records this visit and returns the previous one (NULL the first time). Both CTEs read the
-- snapshot taken before the upsert.
WITH avant AS (
    SELECT vue_le FROM derniere_visite WHERE user_id = :user_id AND page = :page
), maj AS (
    INSERT INTO derniere_visite (user_id, page, vue_le) VALUES (:user_id, :page, now())
    ON CONFLICT (user_id, page) DO UPDATE SET vue_le = excluded.vue_le
    RETURNING 1
)
SELECT (SELECT vue_le FROM avant) AS precedente, (SELECT count(*) FROM maj) AS ecrit;
