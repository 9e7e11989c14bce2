"""The archive workspace and the archive's keeper: search, patterns, triangulation, routing,
the visit view and the keeper's dialog. Imports ui/common and services/; never ui/laptop."""
