"""`guard db backup` copies a SQLite store that another process keeps writing to (a guard taking checks).

SQLite's online backup restarts from the first page whenever another connection writes between two of its steps
(https://www.sqlite.org/c3ref/backup_finish.html, sqlite3_backup_step: "If the source database is modified by ...
a different connection ... the backup will be restarted by the next call"), so a copy made in steps never ended on
a store committing every few milliseconds; in one step it reads one WAL snapshot while the writer goes on.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from guard.store.backup import sqlite_backup

WRITER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], timeout=30)
print("writing", flush=True)
while True:
    conn.execute("INSERT INTO rows (b) VALUES (randomblob(100))")
    conn.commit()
    time.sleep(0.002)  # a check's commit every few milliseconds
"""


def test_a_backup_ends_while_another_process_commits_without_pause(tmp_path: Path):
    db = tmp_path / "guard.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, b BLOB)")
    conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) "
                 "INSERT INTO rows (b) SELECT randomblob(2000) FROM n")  # about 5,000 pages (20 MB): several steps of 1,024 pages
    conn.commit()
    conn.close()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"
        time.sleep(0.05)
        copied: list[int] = []
        backup = threading.Thread(target=lambda: copied.append(sqlite_backup(f"sqlite:///{db}", tmp_path / "copy.db")), daemon=True)
        backup.start()
        backup.join(5)
        assert copied, "the backup did not end while the store was being written to"
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM rows").fetchone()[0] >= 10000
    copy.close()


def test_a_backup_cut_short_by_a_full_disk_leaves_no_file_that_reads_as_a_backup(sqlite_url: str, tmp_path: Path):
    # The copy was written in place: a full disk part way ended in a traceback and left a truncated file at the target.
    # A file size limit (setrlimit(2) RLIMIT_FSIZE; SIGXFSZ ignored, so the write fails with EFBIG) stands for the full disk.
    target = tmp_path / "backup.db"
    limited = ("import resource, signal, sys; from pathlib import Path; from guard.store.backup import BackupError, sqlite_backup\n"
               "signal.signal(signal.SIGXFSZ, signal.SIG_IGN); resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))\n"
               "try:\n    sqlite_backup(sys.argv[1], Path(sys.argv[2]))\nexcept BackupError as exc:\n    sys.exit(str(exc))\n")
    done = subprocess.run([sys.executable, "-c", limited, sqlite_url, str(target)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "no backup was left" in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "guard.db"]
