"""The only place with SQL: workspace schema, migrations and repositories."""
