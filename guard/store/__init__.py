"""Storage: SQLAlchemy 2.x models, engine and locks, Alembic migrations, queries."""
