-- Search by name (issue 11): suggestions as one types, for every page that asks for a
-- commune (/commune, the /urgences filter, the sign-in page) and for objets (/objet).
-- What is typed is compared as normalise_recherche() writes it (queries/definitions/
-- 01_normalise_texte.sql: no accents, no case, hyphens and apostrophes as spaces), with the
-- stored columns commune.nom_recherche and objet.recherche (migration 0010). The words typed
-- must appear in that order, each anywhere ("courcelles lens" finds Courcelles-lès-Lens):
-- LIKE '%courcelles%lens%', which the trigram indexes serve from three characters on; one or
-- two characters match the start of a commune's name (btree in the C collation).
-- normalise_recherche() is IMMUTABLE: with a bound value the planner computes it once.

-- name: recherche_communes
-- :texte as typed; :departements/:commune the scope (NULL: every commune, the sign-in page);
-- best first: the INSEE code typed, the exact name, names that start with it, a word that
-- starts with it, then the most populous.
SELECT c.code_insee, c.nom, c.departement_code, dp.nom AS departement_nom
FROM commune c
LEFT JOIN departement dp ON dp.code = c.departement_code
WHERE (c.code_insee = upper(btrim(CAST(:texte AS text)))
       OR (length(normalise_recherche(CAST(:texte AS text))) BETWEEN 1 AND 2
           AND (c.nom_recherche COLLATE "C") >= normalise_recherche(CAST(:texte AS text))
           AND (c.nom_recherche COLLATE "C") < normalise_recherche(CAST(:texte AS text)) || '~')
       OR (length(normalise_recherche(CAST(:texte AS text))) >= 3
           AND c.nom_recherche LIKE '%' || replace(normalise_recherche(CAST(:texte AS text)), ' ', '%') || '%'))
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY c.code_insee = upper(btrim(CAST(:texte AS text))) DESC,
         c.nom_recherche = normalise_recherche(CAST(:texte AS text)) DESC,
         starts_with(c.nom_recherche, normalise_recherche(CAST(:texte AS text))) DESC,
         strpos(' ' || c.nom_recherche, ' ' || normalise_recherche(CAST(:texte AS text))) > 0 DESC,
         c.population DESC NULLS LAST, c.nom_recherche, c.code_insee
LIMIT :limite;

-- name: recherche_commune
-- One commune of the scope by its INSEE code (a URL's ?commune=), with its name.
SELECT c.code_insee, c.nom, c.departement_code, dp.nom AS departement_nom
FROM commune c
LEFT JOIN departement dp ON dp.code = c.departement_code
WHERE c.code_insee = CAST(:code AS text)
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text));

-- name: recherche_objets
-- Objets of the scope by REF (exact, or a part of it), words of the title, or words of
-- their édifice's name (edifice.nom_recherche: the édifice's name is not in objet.recherche,
-- migration 0010 says why). In each way, the first :candidats matches are taken as the
-- index gives them (a word such as "calice" matches thousands of objets of France: reading
-- them all to sort them would cost more than suggestions are worth), then ranked: the REF
-- typed, titles that start with the words, the shortest titles, the commune. `candidats`:
-- how many were taken in the larger way; :candidats means there are more, and the page
-- asks for more words.
WITH par_titre AS (
    SELECT o.ref
    FROM objet o
    WHERE (o.ref = upper(btrim(CAST(:texte AS text)))
           OR (length(normalise_recherche(CAST(:texte AS text))) >= 3
               AND o.recherche LIKE '%' || replace(normalise_recherche(CAST(:texte AS text)), ' ', '%') || '%'))
      AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                     CAST(:departements AS text[]), CAST(:commune AS text))
    LIMIT :candidats
), par_edifice AS (
    SELECT o.ref
    FROM edifice e
    JOIN commune ce ON ce.code_insee = e.commune_code
    JOIN objet o ON o.edifice_id = e.id
    WHERE length(normalise_recherche(CAST(:texte AS text))) >= 3
      AND e.nom_recherche LIKE '%' || replace(normalise_recherche(CAST(:texte AS text)), ' ', '%') || '%'
      AND dans_perimetre_utilisateur(ce.departement_code, e.commune_code,
                                     CAST(:departements AS text[]), CAST(:commune AS text))
      AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                     CAST(:departements AS text[]), CAST(:commune AS text))
    LIMIT :candidats
), trouves AS (
    SELECT ref FROM par_titre UNION SELECT ref FROM par_edifice
)
SELECT o.ref, o.titre, coalesce(e.nom, o.edifice_nom) AS edifice, o.commune_code, cm.nom AS commune_nom,
       o.departement_code,
       greatest((SELECT count(*) FROM par_titre), (SELECT count(*) FROM par_edifice)) AS candidats
FROM trouves t
JOIN objet o ON o.ref = t.ref
LEFT JOIN edifice e ON e.id = o.edifice_id
LEFT JOIN commune cm ON cm.code_insee = o.commune_code
ORDER BY o.ref = upper(btrim(CAST(:texte AS text))) DESC,
         o.recherche LIKE '%' || replace(normalise_recherche(CAST(:texte AS text)), ' ', '%') || '%' DESC,
         starts_with(normalise_recherche(coalesce(o.titre, '')), normalise_recherche(CAST(:texte AS text))) DESC,
         length(coalesce(o.titre, '')), cm.nom_recherche, o.ref
LIMIT :limite;
