"""The floor for bench/check.py: the least a check endpoint could do on the same stack.

It parses the same JSON, authenticates nothing, decides nothing, and does one indexed insert in
one transaction on the same store with the same engine settings. The guard's throughput divided
by this one is the overhead ratio the issue asks for.
"""

from __future__ import annotations

import json
import os

from flask import Flask, jsonify, request
from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text, insert

from guard.store.db import Store

metadata = MetaData()
floor_events = Table(
    "floor_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("phone", String(64), nullable=False),
    Column("body", Text, nullable=False),
    Index("ix_floor_events_phone", "phone"),
)


def create_app() -> Flask:
    store = Store(os.environ["DATABASE_URL"], int(os.environ.get("GUARD_DB_POOL_SIZE", "8")))
    metadata.create_all(store.engine)
    app = Flask(__name__)

    @app.post("/floor")
    def floor():
        body = json.loads(request.get_data())
        with store.locked(()) as conn:  # BEGIN IMMEDIATE on SQLite, as the guard's check
            conn.execute(insert(floor_events).values(phone=body["phone"], body=json.dumps(body)))
        return jsonify({"ok": True})

    return app
