"""Storage: one SQLAlchemy store (SQLite embedded, PostgreSQL in production) shared by the
event log (eventsourcing) and the read model, with one unit of work for both."""

from shared.lagring.database import Lager, database_url, datakatalog

__all__ = ["Lager", "database_url", "datakatalog"]
