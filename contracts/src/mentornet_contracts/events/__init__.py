"""Event models, one module per topic."""
