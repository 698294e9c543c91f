-- changement_affiche: a change an import made (objet_changement, migration 0008) as the data
-- quality page and the weekly digest show it: the import's end, the objet's title, a commune
-- change naming both communes, and both places the objet was (after and before), so that a
-- statement can scope it on either. Statements add the scope and which imports.
CREATE OR REPLACE VIEW changement_affiche AS
SELECT c.chargement_id, ch.fin AS importe_le, c.objet_ref AS ref, o.titre, c.nature,
       CASE WHEN c.nature = 'commune' THEN concat_ws(' ', c.avant, '(' || ca.nom || ')') ELSE c.avant END AS avant,
       CASE WHEN c.nature = 'commune' THEN concat_ws(' ', c.apres, '(' || cb.nom || ')') ELSE c.apres END AS apres,
       c.departement_code, c.commune_code, cm.nom AS commune_nom, c.departement_avant, c.commune_avant
FROM objet_changement c
JOIN chargement ch ON ch.id = c.chargement_id
LEFT JOIN objet o ON o.ref = c.objet_ref
LEFT JOIN commune cm ON cm.code_insee = c.commune_code
LEFT JOIN commune ca ON c.nature = 'commune' AND ca.code_insee = c.avant
LEFT JOIN commune cb ON c.nature = 'commune' AND cb.code_insee = c.apres;
