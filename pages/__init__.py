"""Dash pages: one module per page, layout and callbacks, figures from indicators/ only."""
