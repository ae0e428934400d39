"""Migrations: empty database -> heads on SQLite and PostgreSQL, then no drift between
the models and the migrated schema (what `flask db check` checks), and back to base."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = str(ROOT / "migrations")
SCRATCH_DB = "forum_migration_check"


def drift(app) -> list:
    """Differences between the models and the database, as autogenerate sees them."""
    from forum.extensions import db

    options = dict(app.extensions["migrate"].configure_args)
    options.pop("process_revision_directives", None)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=options)
        return compare_metadata(context, db.metadata)


def table_names(app) -> set[str]:
    from forum.extensions import db

    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def check_round_trip(app, runner_app=None):
    """Upgrade to heads, no drift, `flask db check` passes, downgrade to base, upgrade again."""
    from forum.extensions import db

    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="heads")
        model_tables = {table.name for table in db.metadata.sorted_tables}
        assert model_tables <= table_names(app)
        assert drift(app) == []

        result = app.test_cli_runner().invoke(args=["db", "check"])
        assert result.exit_code == 0, result.output

        downgrade(directory=MIGRATIONS, revision="base")
        assert table_names(app) == set()

        upgrade(directory=MIGRATIONS, revision="heads")
        assert drift(app) == []
        db.session.remove()
        db.engine.dispose()


def test_sqlite_upgrade_check_downgrade(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'migrations.sqlite3'}", tmp_path)
    check_round_trip(app)


def test_sqlite_upgrade_twice_is_a_no_op(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'twice.sqlite3'}", tmp_path)
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="heads")
        upgrade(directory=MIGRATIONS, revision="heads")
        assert drift(app) == []
        from forum.extensions import db

        db.engine.dispose()


@pytest.fixture
def scratch_postgres(need_postgres):
    """A database of this test's own on the PostgreSQL server, dropped afterwards."""
    server = create_engine(need_postgres, isolation_level="AUTOCOMMIT")

    def drop():
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)"))

    drop()
    with server.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {SCRATCH_DB}"))
    yield make_url(need_postgres).set(database=SCRATCH_DB).render_as_string(hide_password=False)
    drop()
    server.dispose()


def test_postgresql_upgrade_check_downgrade(scratch_postgres, tmp_path):
    app = make_app(scratch_postgres, tmp_path)
    check_round_trip(app)
