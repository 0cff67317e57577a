"""The front door's pages, one module per area."""
