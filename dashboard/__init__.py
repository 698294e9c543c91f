"""Collectif Objets dashboard: recensement of protected movable heritage (monuments historiques)."""
