"""People's screens: search and create, the child's page, merging."""
