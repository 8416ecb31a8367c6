"""Three minimal Flask pages to measure Samstem's respondent flow against (bench/load.py).

/bare answers with a constant; /select reads one row; /write reads one row, inserts one
and commits. Served with the same gunicorn settings as Samstem, on the same database
(DATABASE_URL, a SQLAlchemy URL), with the same connection pool settings:

    gunicorn "bench.baseline:create()"
"""

import os
import random

from flask import Flask
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
    select,
)

metadata = MetaData()
# Prefixed so it can never be mistaken for one of Samstem's tables.
rows = Table("bench_baseline", metadata, Column("id", Integer, primary_key=True), Column("text", String(40)))
ROWS = 1000


def prepare(url: str) -> None:
    """Create the table with a thousand rows to read."""
    engine = create_engine(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(rows), [{"text": f"row {i}"} for i in range(1, ROWS + 1)])
    engine.dispose()


def create() -> Flask:
    """Build the baseline app on DATABASE_URL."""
    app = Flask(__name__)
    engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)

    @app.get("/bare")
    def bare():
        return "ok"

    @app.get("/select")
    def select_one():
        with engine.connect() as connection:
            text = connection.scalar(select(rows.c.text).where(rows.c.id == random.randint(1, ROWS)))
        return text or ""

    @app.post("/write")
    def write():
        with engine.begin() as connection:
            text = connection.scalar(select(rows.c.text).where(rows.c.id == random.randint(1, ROWS)))
            connection.execute(insert(rows).values(text=text))
        return text or ""

    return app
