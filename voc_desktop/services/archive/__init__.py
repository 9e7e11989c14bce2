"""The shared archive's use cases: import, trust, conflicts, packs, rebuild, search, patterns,
triangulation, routing, and the reports and exports made from them. Imports store/ and below."""
