-- Search by name (issue 11): suggestions as one types, for every page that asks for a
-- commune (/commune, the /urgences filter, the sign-in page) and for objets (/objet).
-- What is typed is compared as normalise_recherche() writes it (queries/definitions/
-- 01_normalise_texte.sql: no accents, no case, hyphens and apostrophes as spaces), with the
-- stored columns of migration 0010 (commune.nom_recherche, objet.titre_recherche,
-- edifice.nom_recherche), through their trigram indexes from three characters on.
-- A commune: each word typed starts a word of its name, in that order ("courcelles lens"
-- finds Courcelles-lès-Lens, "lens" finds Lens and Noyelles-sous-Lens, not Valenciennes):
-- LIKE 'courcelles% lens%' or '% courcelles% lens%'; one or two characters, the start of
-- the name (btree in the C collation). An objet: the words anywhere in its title or its
-- édifice's name, in that order ('%vierge%enfant%'), or the start of its REF.
-- normalise_recherche() is IMMUTABLE: with a bound value the planner computes it once.

-- name: recherche_communes
-- :texte as typed; the scope as usual (NULL: every commune, the sign-in page);
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
           AND (c.nom_recherche LIKE replace(normalise_recherche(CAST(:texte AS text)), ' ', '% ') || '%'
                OR c.nom_recherche LIKE '% ' || replace(normalise_recherche(CAST(:texte AS text)), ' ', '% ') || '%')))
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
-- Objets of the scope by their REF (its start: btree objet_ref_debut_idx), words of their
-- title (objet.titre_recherche), or words of their édifice's name (edifice.nom_recherche);
-- migration 0010 says why three ways. In each, the first :candidats matches are taken as
-- they come (a word such as "calice" matches thousands of objets of France: reading them
-- all to sort them would cost more than suggestions are worth), then ranked: the REF typed,
-- titles that start with the words, the shortest titles, the commune. `candidats`: how many
-- were taken in the larger way; :candidats means there are more, and the page asks for more
-- words. A GIN index reads every entry of a word before it returns one ("statue": 87,000
-- objets, 50 ms here), so a word of a title is first looked for among the first 1,000
-- objets of the scope: a common word fills the list there, a rarer one goes to the index.
WITH par_ref AS (
    SELECT o.ref
    FROM objet o
    WHERE length(btrim(CAST(:texte AS text))) >= 3
      AND (o.ref COLLATE "C") >= upper(btrim(CAST(:texte AS text)))
      AND (o.ref COLLATE "C") < upper(btrim(CAST(:texte AS text))) || '~'
      AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                     CAST(:departements AS text[]), CAST(:commune AS text))
    LIMIT :candidats
), echantillon AS (
    SELECT x.ref
    FROM (SELECT o.ref, o.titre_recherche
          FROM objet o
          WHERE dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                           CAST(:departements AS text[]), CAST(:commune AS text))
          LIMIT 1000) x
    WHERE length(normalise_recherche(CAST(:texte AS text))) >= 3
      AND x.titre_recherche LIKE '%' || replace(normalise_recherche(CAST(:texte AS text)), ' ', '%') || '%'
    LIMIT :candidats
), par_titre AS (
    SELECT ref FROM echantillon
    UNION ALL
    (SELECT o.ref
     FROM objet o
     WHERE (SELECT count(*) FROM echantillon) < CAST(:candidats AS integer)
       AND length(normalise_recherche(CAST(:texte AS text))) >= 3
       AND o.titre_recherche LIKE '%' || replace(normalise_recherche(CAST(:texte AS text)), ' ', '%') || '%'
       AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                      CAST(:departements AS text[]), CAST(:commune AS text))
     LIMIT :candidats)
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
    SELECT ref FROM par_ref UNION SELECT ref FROM par_titre UNION SELECT ref FROM par_edifice
)
SELECT o.ref, o.titre, coalesce(e.nom, o.edifice_nom) AS edifice, o.commune_code, cm.nom AS commune_nom,
       o.departement_code,
       greatest((SELECT count(*) FROM par_ref), (SELECT count(DISTINCT ref) FROM par_titre),
                (SELECT count(*) FROM par_edifice)) AS candidats
FROM trouves t
JOIN objet o ON o.ref = t.ref
LEFT JOIN edifice e ON e.id = o.edifice_id
LEFT JOIN commune cm ON cm.code_insee = o.commune_code
ORDER BY o.ref = upper(btrim(CAST(:texte AS text))) DESC,
         starts_with(o.ref, upper(btrim(CAST(:texte AS text)))) DESC,
         o.titre_recherche LIKE '%' || replace(normalise_recherche(CAST(:texte AS text)), ' ', '%') || '%' DESC,
         starts_with(o.titre_recherche, normalise_recherche(CAST(:texte AS text))) DESC,
         length(coalesce(o.titre, '')), cm.nom_recherche, o.ref
LIMIT :limite;
