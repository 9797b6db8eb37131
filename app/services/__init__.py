"""Use cases. Each takes a :class:`app.db.Database`, runs one transaction per user action and
returns frozen dataclasses, never ORM objects."""
