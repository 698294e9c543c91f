"""Geometry preparation and map building."""
