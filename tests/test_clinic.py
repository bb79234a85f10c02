"""The clinic store against a real PostgreSQL: two (or twenty) laptops, each with its own SQLite
store, syncing with one server; kills, cut connections, a server that goes away mid-sync,
conflicting amendments, deletion spreading and the database's own role checks.

The server is $SAFEHOME_TEST_PG_URL (a role that may create databases and roles). Under CI
(CI=true) it defaults to the service every machine starts, and an unreachable server fails the
run; on a laptop without PostgreSQL these tests are skipped with one line saying so. Each test
gets a database of its own. Sockets: 127.0.0.1 only (libpq's own, and the cutting proxy's).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from safehome.core import catalog
from safehome import service
from safehome.core.example import example_assessment
from safehome.core.models import Answer
from safehome.core.profile import Profile
from safehome.storage.store import Store
from safehome.sync.schema import VERSION

psycopg = pytest.importorskip("psycopg")

pytestmark = [pytest.mark.allow_hosts(["127.0.0.1"]), pytest.mark.slow]

SOAK = bool(os.environ.get("SAFEHOME_SOAK"))
ROOT = Path(__file__).resolve().parent.parent
CI_URL = "postgresql://postgres@127.0.0.1:5432/test"
HOME = "bone-metastases-home-visit"
ROLES = {"alice": "clinician", "alice2": "clinician", "bob": "clinician", "lena": "lead"}
PREFIX = "sht_"  # the test's login roles (the server's roles are shared by its databases)
OUTSIDER = "outsider"  # a login role in no clinic group


def _admin_url() -> str:
    url = os.environ.get("SAFEHOME_TEST_PG_URL") or (CI_URL if os.environ.get("CI") == "true" else "")
    if not url:
        url = CI_URL  # try the usual service; skipped below when it is not there
    host = urlsplit(url).hostname or "127.0.0.1"
    assert host in ("127.0.0.1", "localhost", "::1"), f"the clinic tests talk to a loopback server only, not {host}"
    return url


def _with_db(url: str, name: str, user: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if user is not None:
        netloc = f"{user}@{netloc.split('@', 1)[1] if '@' in netloc else netloc}"
    return urlunsplit((parts.scheme, netloc, "/" + name, parts.query, parts.fragment))


@pytest.fixture(scope="session")
def admin_url() -> str:
    url = _admin_url()
    try:
        with psycopg.connect(url, connect_timeout=5):
            pass
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true" or os.environ.get("SAFEHOME_TEST_PG_URL"):
            pytest.fail(f"the clinic tests need PostgreSQL at {url}: {exc}")
        pytest.skip(f"no PostgreSQL at {url} (set SAFEHOME_TEST_PG_URL): clinic tests skipped")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(7346502)")  # the test roles are the server's, shared by workers
        try:
            for name in [*ROLES, OUTSIDER]:
                with contextlib.suppress(psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
                    conn.execute(f"CREATE ROLE {PREFIX}{name} LOGIN")
        finally:
            conn.execute("SELECT pg_advisory_unlock(7346502)")
    return url


@dataclass
class Clinic:
    admin: str  # the administrator's address of this test's database
    name: str

    def url(self, who: str) -> str:
        return _with_db(self.admin, self.name, PREFIX + who)

    def query(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.admin) as conn:
            return conn.execute(sql, args or None).fetchall()

    def count(self, table: str) -> int:
        return int(self.query(f"SELECT count(*) FROM safehome.{table}")[0][0])


@pytest.fixture
def clinic(admin_url: str) -> Iterator[Clinic]:
    name = f"sht_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    here = Clinic(_with_db(admin_url, name), name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(7346502)")
        try:
            service.init_clinic(here.admin)
            for who, group in ROLES.items():  # the clinic's groups are named after its database
                conn.execute(f"GRANT {name}_{group} TO {PREFIX}{who}")
        finally:
            conn.execute("SELECT pg_advisory_unlock(7346502)")
    yield here
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        for group in ("lead", "clinician"):
            conn.execute(f"DROP ROLE IF EXISTS {name}_{group}")


class Laptop:
    """One laptop: its own data folder and store, connected to the clinic as one clinician."""

    def __init__(self, folder: Path, url: str):
        self.folder = folder
        self.store = service.open_store(folder)
        self.url = url
        service.connect_clinic(self.store, url)

    def sync(self) -> service.SyncReport:
        return service.sync(self.store, self.folder)

    def visit(self, name: str, on: date = date(2026, 3, 2), *, person_id: int | None = None, seed: int = 0) -> int:
        checklist = catalog.find(HOME)
        assessment = example_assessment(checklist, on)
        answers = dict(assessment.answers)
        rng = random.Random(seed)
        for item in list(answers)[: rng.randint(5, 15)]:
            answers[item] = Answer(value=answers[item].value, note=f"{name} {seed} {rng.random():.6f}")
        made = assessment.model_copy(update={"profile": Profile(name=name), "answers": answers})
        return self.store.create(made, person_id=person_id)

    def answers(self) -> dict[str, dict[str, Any]]:
        """Every assessment's answers, by the assessment's UUID (the same on every laptop)."""
        return {
            self.store.uuid_of(s.id): {
                k: (a.value, a.note) for k, a in self.store.load(s.id).assessment.answers.items()
            }
            for s in self.store.assessments()
        }

    def history_uuids(self) -> set[str]:
        return {u for (u,) in self.store.conn.execute("SELECT uuid FROM answer_history")}


@pytest.fixture
def laptops(clinic: Clinic, tmp_path: Path) -> Iterator[dict[str, Laptop]]:
    made: dict[str, Laptop] = {}

    class Maker(dict):  # laptops["alice"] makes alice's laptop on first use
        def __missing__(self, key: str) -> Laptop:
            who = key.split("@")[0]
            made[key] = self[key] = Laptop(tmp_path / key, clinic.url(who))
            return made[key]

    yield Maker()
    for laptop in made.values():
        laptop.store.close()


def item_ids(n: int) -> list[str]:
    return list(catalog.find(HOME).index)[:n]


# --------------------------------------------------------------------------- the flow


def test_two_laptops_offline_then_follow_up_compares_with_the_other_clinicians_visit(clinic, laptops):
    alice, bob = laptops["alice"], laptops["bob"]
    march = alice.visit("Zoë Tremblay")
    first = alice.sync()
    assert (first.sent, first.received) == (1, 0)
    assert bob.sync().received == 1
    person = bob.store.people()[0]
    assert person.name == "Zoë Tremblay"
    # both offline: alice corrects her visit, bob visits in June (a follow-up, his own)
    alice.store.save_answer(march, item_ids(1)[0], None, "corrected after the call")
    june = bob.visit("Zoë Tremblay", date(2026, 6, 10), person_id=person.id, seed=1)
    bob.sync()
    alice.sync()
    bob.sync()
    assert alice.answers() == bob.answers()
    assert len(alice.answers()) == 2
    previous = bob.store.previous(june)
    assert previous is not None and previous.assessment.assessed_on == date(2026, 3, 2)
    assert previous.assessment.answers[item_ids(1)[0]].note == "corrected after the call"
    assert clinic.count("assessments") == 2 and clinic.count("people") == 1
    # the laptops' history entries are the server's, each once
    server = {str(u) for (u,) in clinic.query("SELECT uuid FROM safehome.answer_history")}
    assert server == alice.history_uuids() == bob.history_uuids()


def test_a_second_sync_changes_nothing(clinic, laptops):
    alice = laptops["alice"]
    alice.visit("Ann Lee")
    alice.sync()
    before = clinic.query("SELECT last_value FROM safehome.change_seq")
    again = alice.sync()
    assert (again.sent, again.sent_changes, again.received) == (0, 0, 0)
    assert clinic.query("SELECT last_value FROM safehome.change_seq") == before
    assert alice.store.unsent() == 0


def test_conflicting_amendments_keep_both_histories_and_are_listed_until_confirmed(clinic, laptops):
    one, two, lead = laptops["alice@one"], laptops["alice@two"], laptops["lena"]
    aid = one.visit("Ann Lee")
    one.store.set_status(aid, "finished")
    one.sync()
    two.sync()
    lead.sync()
    item, other = item_ids(2)
    two_id = two.store.assessments()[0].id
    one.store.save_answer(aid, item, None, "from laptop one", amendment=True)
    two.store.save_answer(two_id, item, None, "from laptop two", amendment=True)
    two.store.save_answer(two_id, other, None, "only on laptop two", amendment=True)
    first = one.sync()
    assert not first.conflicts
    second = two.sync()  # later in the server's order: its value is the current one
    assert len(second.conflicts) == 1 and second.conflicts[0].items == (item,)
    one.sync()
    lead.sync()
    for laptop in (one, two, lead):
        (answers,) = laptop.answers().values()
        assert answers[item][1] == "from laptop two"
        assert answers[other][1] == "only on laptop two"
        notes = [c.new_note for c in laptop.store.history(laptop.store.assessments()[0].id, item)]
        assert "from laptop one" in notes and "from laptop two" in notes  # both histories kept
        assert [c.items for c in laptop.store.conflicts()] == [(item,)]
    # the lead checks the answers and confirms; everyone hears of it at their next sync
    lead.store.confirm_conflicts(lead.store.assessments()[0].id)
    lead.sync()
    one.sync()
    assert one.store.conflicts() == []
    (confirmed,) = one.store.conflicts(open_only=False)
    assert confirmed.confirmed_by == PREFIX + "lena" and confirmed.found_by == PREFIX + "alice"


def test_the_database_refuses_a_clinician_amending_another_clinicians_finished_visit(clinic, laptops):
    alice, bob, lena = laptops["alice"], laptops["bob"], laptops["lena"]
    aid = alice.visit("Ann Lee")
    alice.store.set_status(aid, "finished")
    alice.sync()
    bob.sync()
    lena.sync()
    item = item_ids(1)[0]
    bob_id = bob.store.assessments()[0].id
    bob.store.save_answer(bob_id, item, None, "bob's amendment", amendment=True)
    done = bob.sync()
    assert [r.id for r in done.refused] == [bob_id]  # named, and kept on bob's laptop
    assert bob.store.unsent() == 1
    assert bob.store.load(bob_id).assessment.answers[item].note == "bob's amendment"
    assert "bob's amendment" not in json.dumps(clinic.query("SELECT new_note FROM safehome.answer_history"))
    # not the client's politeness: the database itself refuses bob, directly
    target = str(alice.store.uuid_of(aid))
    with psycopg.connect(clinic.url("bob")) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                """INSERT INTO safehome.answer_history (uuid, assessment_uuid, item_id, changed_at, amendment,
                       author, received_at, seq) VALUES (gen_random_uuid(), %s, 'x', 'now', true, 'x', now(), 0)""",
                (target,),
            )
        conn.rollback()
        # an UPDATE of a row the policy hides from him changes nothing
        assert (
            conn.execute("UPDATE safehome.assessments SET status = 'in-progress' WHERE uuid = %s", (target,)).rowcount
            == 0
        )
        conn.commit()
        assert clinic.query("SELECT status FROM safehome.assessments") == [("finished",)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM safehome.audit")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM safehome.people")
    # the lead may amend it; the server records who and when
    lena_id = lena.store.assessments()[0].id
    lena.store.save_answer(lena_id, item, None, "lead's amendment", amendment=True)
    assert not lena.sync().refused
    (author,) = clinic.query(
        "SELECT author::text FROM safehome.answer_history WHERE new_note = %s", "lead's amendment"
    )[0]
    assert author == PREFIX + "lena"
    rows = clinic.query(
        "SELECT who::text, as_role, action, kind FROM safehome.audit WHERE kind = 'answers' ORDER BY id"
    )
    assert rows[-1] == (PREFIX + "lena", "lead", "insert", "answers")
    assert clinic.query("SELECT DISTINCT owner::text FROM safehome.assessments") == [(PREFIX + "alice",)]


def test_deletion_spreads_to_every_laptop_with_its_files_and_the_server_keeps_nothing_identifying(
    clinic, laptops, tmp_path
):
    alice, bob = laptops["alice"], laptops["bob"]
    aid = alice.visit("Ann Lee")
    alice.sync()
    bob.sync()
    bob_id = bob.store.assessments()[0].id
    pdf = tmp_path / "bob-reports" / "plan.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4 Ann Lee's plan")
    bob.store.record_file(bob_id, pdf, pdf.read_bytes(), "digest")
    bob.store.save_answer(bob_id, item_ids(1)[0], None, "bob, offline, after the deletion")  # to be dropped
    person = alice.store.person_of(aid)
    assert person is not None
    service.delete_person(alice.store, person, alice.folder)
    assert alice.sync().sent_deletions == 1
    done = bob.sync()
    assert done.deleted_here == ["Ann Lee"]
    assert bob.store.people() == [] and not pdf.exists()
    assert clinic.count("people") == clinic.count("assessments") == clinic.count("answer_history") == 0
    # bob's offline change did not bring Ann back, on the server or anywhere
    assert alice.sync().received == 0 and alice.store.people() == []
    (tomb,) = clinic.query("SELECT person_uuid::text FROM safehome.tombstones")
    deleted = clinic.query("SELECT who::text, at FROM safehome.audit WHERE kind = 'tombstone'")
    assert [w for w, _ in deleted] == [PREFIX + "alice"]
    everything = json.dumps(
        [
            clinic.query(f"SELECT row_to_json(t)::text FROM safehome.{table} t")
            for table in ("clinic", "tombstones", "audit")
        ]
        + [clinic.count(t) for t in ("people", "assessments", "answer_history", "conflicts")],
        default=str,
    )
    assert "Ann" not in everything and "Lee" not in everything and tomb[0] in everything


def test_a_deleted_person_pushed_again_from_an_old_laptop_never_comes_back(clinic, laptops):
    alice, bob = laptops["alice"], laptops["bob"]
    alice.visit("Ann Lee")
    alice.sync()
    bob.sync()
    person = alice.store.people()[0].id
    service.delete_person(alice.store, person, alice.folder)
    alice.sync()
    # bob's laptop as it was before it synced (restored from an old backup): it pushes everything again
    bob.store.conn.execute("UPDATE people SET pushed_rev = 0")
    bob.store.conn.execute("UPDATE assessments SET pushed_rev = 0")
    bob.store.conn.execute("UPDATE answer_history SET pushed = 0, server_seq = NULL")
    bob.store.conn.execute("DELETE FROM tombstones")
    bob.store.conn.execute("DELETE FROM sync_state WHERE key = 'cursor'")
    bob.sync()
    assert clinic.count("people") == 0 and bob.store.people() == []


# --------------------------------------------------------------------------- faults


def _sync_process(laptop: Laptop) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "safehome", "--data-dir", str(laptop.folder), "sync"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _connected(clinic: Clinic, proc: subprocess.Popen[bytes]) -> bool:
    """Wait until the process has a session on the server (True), or has ended (False)."""
    with psycopg.connect(clinic.admin, autocommit=True) as conn:
        while proc.poll() is None:
            if conn.execute(
                "SELECT 1 FROM pg_stat_activity WHERE datname = %s AND application_name = 'safehome'", (clinic.name,)
            ).fetchone():
                return True
            time.sleep(0.002)
    return False


def test_sync_killed_at_random_points_converges_with_nothing_lost_or_doubled(clinic, laptops):
    alice, bob = laptops["alice"], laptops["bob"]
    kills = 100 if SOAK else 20
    rng = random.Random(18)
    for n in range(30):
        alice.visit(f"Person {n}", seed=n)
    own = [bob.visit(f"Bob's person {n}", seed=900 + n) for n in range(3)]
    # how long one whole sync of this size takes once connected, to kill inside it
    proc = _sync_process(bob)
    assert _connected(clinic, proc)
    started = time.monotonic()
    proc.wait(timeout=120)
    span = time.monotonic() - started
    landed = 0
    for k in range(kills):
        for n in range(rng.randint(1, 4)):  # work for every run: new visits and changes on both sides
            alice.visit(f"Person {k}-{n}", seed=1000 + k * 10 + n)
        for aid in own:
            bob.store.save_answer(aid, item_ids(3)[rng.randrange(3)], None, f"bob {k}")
        laptop = alice if k % 2 else bob
        proc = _sync_process(laptop)
        if _connected(clinic, proc):  # the sync has begun: kill it at a random point inside
            time.sleep(rng.uniform(0, span))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                landed += 1
        proc.wait(timeout=60)
        # a clean rerun: this laptop and the server then hold the same, each entry once
        laptop.sync()
        server = [str(u) for (u,) in clinic.query("SELECT uuid FROM safehome.answer_history")]
        assert laptop.store.unsent() == 0
        assert sorted(server) == sorted(laptop.history_uuids()), f"after kill {k}"
        assert clinic.count("assessments") == len(laptop.answers())
    assert landed >= kills // 2, f"only {landed} of {kills} kills landed during a sync"
    print(f"{landed} of {kills} kills landed inside a sync (one sync: {span:.2f} s)")
    for _ in range(2):
        alice.sync()
        bob.sync()
    assert alice.store.unsent() == bob.store.unsent() == 0
    assert alice.answers() == bob.answers()
    server = [str(u) for (u,) in clinic.query("SELECT uuid FROM safehome.answer_history")]
    assert len(server) == len(set(server))
    assert set(server) == alice.history_uuids() == bob.history_uuids()
    assert (
        clinic.count("assessments")
        == len(alice.answers())
        == alice.store.conn.execute("SELECT count(*) FROM assessments").fetchone()[0]
    )
    assert alice.store.integrity() == bob.store.integrity() == "ok"


def _cut_short(laptop: Laptop) -> int:
    """Sync while something cuts it: 1 when it was cut (and said that nothing was lost), else 0."""
    try:
        laptop.sync()
    except service.SyncFailed as exc:
        assert "nothing was lost" in str(exc).lower()
        return 1
    return 0


def test_the_server_going_away_mid_sync_loses_nothing(clinic, laptops, admin_url):
    alice, bob = laptops["alice"], laptops["bob"]
    for n in range(60):
        alice.visit(f"Person {n}", seed=n)
    cut = 0
    for attempt in range(8):
        stop = threading.Event()

        def terminate(stop: threading.Event = stop) -> None:  # a server shutdown: FATAL, every session gone
            while not stop.is_set():
                rows = clinic.query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                    "AND application_name = 'safehome' AND state = 'active'",
                    clinic.name,
                )
                if rows:
                    return
                time.sleep(0.001)

        killer = threading.Thread(target=terminate)
        killer.start()
        try:
            cut += _cut_short(alice)
        finally:
            stop.set()
            killer.join()
        alice.visit(f"More {attempt}", seed=500 + attempt)
    assert cut >= 4
    print(f"server sessions terminated mid-sync: {cut}")
    alice.sync()
    bob.sync()
    assert alice.store.unsent() == 0 and alice.answers() == bob.answers()
    assert set(str(u) for (u,) in clinic.query("SELECT uuid FROM safehome.answer_history")) == alice.history_uuids()


class CuttingProxy:
    """A TCP proxy to the server that can cut every connection at once (a cable pulled)."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.bytes = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, a: socket.socket, b: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := a.recv(65536):
                self.bytes += len(data)
                b.sendall(data)
        with contextlib.suppress(OSError):
            b.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        for s in self.sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
                s.close()

    def close(self) -> None:
        self.listener.close()
        self.cut()


def test_a_connection_cut_mid_sync_is_retried_and_converges(clinic, laptops):
    alice, bob = laptops["alice"], laptops["bob"]
    parts = urlsplit(clinic.url("bob"))
    proxy = CuttingProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    try:
        via = urlunsplit((parts.scheme, f"{PREFIX}bob@127.0.0.1:{proxy.port}", parts.path, "", ""))
        service.connect_clinic(bob.store, via)
        rng = random.Random(7)
        for n in range(40):
            alice.visit(f"Person {n}", seed=n)
        alice.sync()
        started = time.monotonic()
        bob.sync()
        span = time.monotonic() - started
        cuts = 0
        for attempt in range(12):
            for n in range(20):  # something to receive, and something to send
                alice.visit(f"Person {attempt}-{n}", seed=100 * attempt + n)
            alice.sync()
            bob.visit(f"Bob's {attempt}", seed=attempt)
            timer = threading.Timer(rng.uniform(0, span), proxy.cut)
            timer.start()
            try:
                cuts += _cut_short(bob)
            finally:
                timer.cancel()
                timer.join()
        assert cuts >= 6
        print(f"connections cut mid-sync: {cuts} of 12")
        bob.sync()
    finally:
        proxy.close()
    alice.sync()
    assert bob.answers() == alice.answers()
    assert bob.store.unsent() == 0 and len(bob.answers()) == 40 + 12 * 21


# --------------------------------------------------------------------------- many laptops at once


def test_many_laptops_sync_at_once(clinic, tmp_path):
    laptops_n, each = (20, 200) if SOAK else (4, 15)
    people = [f"Person {n}" for n in range(each)]
    folders = []
    for n in range(laptops_n):
        who = ("alice", "bob", "alice2", "lena")[n % 4]
        laptop = Laptop(tmp_path / f"laptop{n}", clinic.url(who))
        for k in range(each):
            laptop.visit(people[k], date(2026, 3, 1) + timedelta(days=n), seed=n * 10_000 + k)
        laptop.store.close()
        folders.append(laptop.folder)
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "safehome", "--data-dir", str(folder), "sync"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for folder in folders
    ]
    outcomes = [(p.wait(timeout=1200), p.stderr.read().decode() if p.stderr else "") for p in procs]
    elapsed = time.monotonic() - started
    assert all(code == 0 for code, _ in outcomes), outcomes
    assert clinic.count("assessments") == laptops_n * each
    # one more round: every laptop holds the whole clinic's, the same everywhere
    for folder in folders:
        assert (
            subprocess.run(
                [sys.executable, "-m", "safehome", "--data-dir", str(folder), "sync"], cwd=ROOT, capture_output=True
            ).returncode
            == 0
        )
    stores = [Store(folder / "safehome.sqlite3") for folder in folders]
    try:
        counts = {s.conn.execute("SELECT count(*) FROM assessments").fetchone()[0] for s in stores}
        assert counts == {laptops_n * each}
        history = {
            s.conn.execute("SELECT count(*), count(DISTINCT uuid) FROM answer_history").fetchone() for s in stores
        }
        assert history == {(clinic.count("answer_history"),) * 2}
    finally:
        for s in stores:
            s.close()
    print(f"{laptops_n} laptops x {each} assessments synced at once in {elapsed:.1f} s")


# --------------------------------------------------------------------------- the commands


def test_connect_refuses_a_password_in_the_address_and_keeps_none(clinic, tmp_path, capsys):
    from safehome.faces.cli import main

    data = str(tmp_path / "d")
    Store(Path(data) / "safehome.sqlite3").close()  # set up already (its recovery key shown then)
    url = clinic.url("alice").replace(f"{PREFIX}alice@", f"{PREFIX}alice:secret@")
    assert main(["--data-dir", data, "clinic", "connect", url]) == 2
    err = capsys.readouterr().err
    assert "password" in err and "secret" not in err and len(err.strip().splitlines()) == 1
    assert main(["--data-dir", data, "sync"]) == 2
    assert "clinic connect" in capsys.readouterr().err
    assert main(["--data-dir", data, "clinic", "connect", clinic.url("alice")]) == 0
    out = capsys.readouterr().out
    assert "not encrypted" in out and "No password was stored" in out
    db = (tmp_path / "d" / "safehome.sqlite3").read_bytes()
    assert b"secret" not in db


def test_sync_says_when_the_server_cannot_be_reached_and_loses_nothing(clinic, laptops, capsys):
    from safehome.faces.cli import main

    alice = laptops["alice"]
    alice.visit("Ann Lee")
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    alice.store.set_sync_values(url=f"postgresql://{PREFIX}alice@127.0.0.1:{port}/{clinic.name}")
    assert main(["--data-dir", str(alice.folder), "sync"]) == 75
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Nothing was sent and nothing was lost" in err
    assert alice.store.unsent() == 1


def test_cli_sync_lists_conflicts_and_confirms(clinic, laptops, capsys):
    from safehome.faces.cli import main

    one, two = laptops["alice@one"], laptops["alice@two"]
    aid = one.visit("Ann Lee")
    one.sync()
    two.sync()
    item = item_ids(1)[0]
    one.store.save_answer(aid, item, None, "one")
    two.store.save_answer(two.store.assessments()[0].id, item, None, "two")
    one.sync()
    assert main(["--data-dir", str(two.folder), "sync"]) == 0
    out = capsys.readouterr().out
    prompt = catalog.find(HOME).item(item).prompt
    assert "Changed on two laptops" in out and prompt in out and "Ann Lee" in out
    assert main(["--data-dir", str(two.folder), "sync", "--confirm", str(two.store.assessments()[0].id)]) == 0
    assert "Changed on two laptops" not in capsys.readouterr().out
    assert main(["--data-dir", str(two.folder), "sync", "--confirm", "1"]) == 2


def test_clinic_init_is_idempotent_and_says_how_to_add_people(clinic, capsys):
    from safehome.faces.cli import main

    assert main(["clinic", "init", clinic.admin]) == 0
    out = capsys.readouterr().out
    assert f"at schema {VERSION} (it was at {VERSION})" in out and f"IN ROLE {clinic.name}_clinician" in out


def test_psycopg_is_imported_only_by_the_commands_that_talk_to_the_server(tmp_path):
    code = (
        "import sys; from safehome.faces.cli import main; main(['--data-dir', sys.argv[1], 'list']);"
        "from safehome.faces.tui import app; from safehome import service;"
        "print('psycopg' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "False"


# --------------------------------------------------------------------------- the app


async def test_the_app_syncs_shows_the_conflict_first_in_the_review_and_confirms_it(clinic, laptops, tmp_path):
    from textual.widgets import Static

    from safehome.faces.tui.app import SafehomeApp
    from safehome.faces.tui.screens.review import ReviewScreen
    from safehome.faces.tui.screens.start import StartScreen

    one, two = laptops["alice@one"], laptops["alice@two"]
    aid = one.visit("Ann Lee")
    one.store.set_status(aid, "finished")
    one.sync()
    two.sync()
    item = item_ids(1)[0]
    one.store.save_answer(aid, item, None, "from laptop one", amendment=True)
    one.sync()
    two_id = two.store.assessments()[0].id
    two.store.save_answer(two_id, item, None, "from laptop two", amendment=True)
    app = SafehomeApp(data_dir=two.folder, today=date(2026, 11, 27), reports_dir=tmp_path / "reports")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        status = app.screen.query_one("#sync-status", Static)
        assert "Clinic: synced" in str(status.render()) and "1 assessment(s) to send" in str(status.render())
        await pilot.press("s")
        # the sync runs in a worker thread; the status line says when it is done (up to a minute under load)
        for _ in range(1200):
            await pilot.pause(0.05)
            shown = str(app.screen.query_one("#sync-status", Static).render())
            if "1 assessment(s) to send" not in shown and "syncing" not in shown:
                break
        notes = [n.message for n in app._notifications]
        assert "Clinic: synced" in str(app.screen.query_one("#sync-status", Static).render()), notes
        assert "1 assessment(s) to send" not in str(app.screen.query_one("#sync-status", Static).render()), notes
        assert any("changed on two laptops" in n.message for n in app._notifications), notes
        assert isinstance(app.screen, StartScreen)
        app.open_assessment(two_id)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        box = str(app.screen.query_one("#review-conflicts", Static).render())
        assert "from laptop one" in box and "from laptop two" in box and "this laptop" in box
        await pilot.press("k")
        await pilot.pause()
        assert not app.screen.query_one("#review-conflicts", Static).display
    assert two.store.conflicts() == [] and len(two.store.conflicts(open_only=False)) == 1


# --------------------------------------------------------------------------- a hostile client


def test_a_group_role_or_another_laptops_device_id_gives_a_clinician_nothing_more(clinic, laptops):
    alice, bob = laptops["alice"], laptops["bob"]
    alice.visit("Ann Lee")
    alice.sync()
    bob.sync()
    person = alice.store.people()[0].uuid
    device = alice.store.device()
    with psycopg.connect(clinic.url("bob"), autocommit=True) as conn:
        # a visit made under the group role is still bob's own (the login role), not every clinician's
        conn.execute(f"SET ROLE {clinic.name}_clinician")
        conn.execute(
            """INSERT INTO safehome.assessments (uuid, person_uuid, checklist_id, checklist_version, mode, status,
                   assessed_on, profile_json, created_at, updated_at) VALUES
                   (gen_random_uuid(), %s, 'bone-metastases-home-visit', '2.0', 'clinician', 'in-progress',
                    '2026-11-27', '{"name": "Ann Lee"}', 'x', 'x')""",
            (person,),
        )
        conn.execute("RESET ROLE")
        # a change claimed to come from alice's laptop is not hidden from alice
        conn.execute("UPDATE safehome.people SET name = 'Ann Lee-Smith', device = %s", (device,))
    owners = clinic.query("SELECT owner::text FROM safehome.assessments ORDER BY seq")
    assert owners == [(PREFIX + "alice",), (PREFIX + "bob",)]
    alice.sync()
    assert [p.name for p in alice.store.people()] == ["Ann Lee-Smith"]
    assert len(alice.store.assessments()) == 2


def test_the_database_refuses_what_would_break_a_laptop_and_strangers(clinic, laptops):
    alice = laptops["alice"]
    aid = alice.visit("Ann Lee")
    alice.sync()
    visit = alice.store.uuid_of(aid)
    with psycopg.connect(clinic.url("alice"), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InvalidTextRepresentation):  # items that are not JSON
            conn.execute(
                "INSERT INTO safehome.conflicts (uuid, assessment_uuid, items, found_at) VALUES (gen_random_uuid(), %s, 'x', 'x')",
                (visit,),
            )
        with pytest.raises(psycopg.errors.CheckViolation):  # a profile that is not an object
            conn.execute("UPDATE safehome.assessments SET profile_json = '[1]'")
        # a write in a REPEATABLE READ transaction could miss a tombstone made while it waited
        with pytest.raises(psycopg.errors.FeatureNotSupported):
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                conn.execute("UPDATE safehome.people SET name = 'x'")
    with pytest.raises(psycopg.OperationalError, match="permission denied"):  # not in the clinic's groups
        psycopg.connect(clinic.url(OUTSIDER)).close()
    assert alice.sync().received == 0


def test_a_laptop_restored_from_a_backup_gets_its_own_later_work_back_with_sync_full(clinic, laptops, tmp_path):
    import shutil

    alice = laptops["alice"]
    alice.visit("Ann Lee")
    alice.sync()
    alice.store.checkpoint()
    backup = tmp_path / "backup"
    shutil.copytree(alice.folder, backup)
    alice.visit("Bea Roy", seed=2)
    alice.sync()
    restored = service.open_store(backup)
    try:
        service.sync(restored, backup)
        assert len(restored.assessments()) == 1  # its own device's rows are not sent back to it...
        service.sync(restored, backup, full=True)  # ... unless asked for everything
        assert sorted(p.name for p in restored.people()) == ["Ann Lee", "Bea Roy"]
    finally:
        restored.close()


def test_one_clinics_laptop_never_syncs_with_another_clinic(clinic, laptops, admin_url, capsys):
    from safehome.faces.cli import main

    alice = laptops["alice"]
    alice.visit("Ann Lee")
    alice.sync()
    other = f"sht_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {other}")
    try:
        service.init_clinic(_with_db(admin_url, other))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"GRANT {other}_clinician TO {PREFIX}alice")
        assert (
            main(["--data-dir", str(alice.folder), "clinic", "connect", _with_db(admin_url, other, PREFIX + "alice")])
            == 2
        )
        assert "belongs to another clinic" in capsys.readouterr().err
        # and bob, a clinician of the first clinic only, cannot even connect to the other
        with pytest.raises(psycopg.OperationalError, match="permission denied"):
            psycopg.connect(_with_db(admin_url, other, PREFIX + "bob")).close()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {other} WITH (FORCE)")
            for group in ("lead", "clinician"):
                conn.execute(f"DROP ROLE IF EXISTS {other}_{group}")
    assert alice.store.sync_value("url") == clinic.url("alice")


def test_a_confirmation_the_server_refuses_is_open_again_and_said(clinic, laptops):
    one, two, bob = laptops["alice@one"], laptops["alice@two"], laptops["bob"]
    aid = one.visit("Ann Lee")
    one.sync()
    two.sync()
    item = item_ids(1)[0]
    one.store.save_answer(aid, item, None, "one")
    two.store.save_answer(two.store.assessments()[0].id, item, None, "two")
    one.sync()
    two.sync()
    bob.sync()
    bob.store.confirm_conflicts(bob.store.assessments()[0].id)
    done = bob.sync()
    assert done.not_confirmed == 1 and len(bob.store.conflicts()) == 1
    assert any("not accepted" in line for line in service.sync_lines(bob.store, done))


def test_a_busy_server_is_said_and_loses_nothing(clinic, laptops, monkeypatch):
    from safehome.sync import server as server

    monkeypatch.setattr(server, "LOCK_WAIT", "300ms")
    alice = laptops["alice"]
    alice.visit("Ann Lee")
    with psycopg.connect(clinic.admin, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(7346501)")
        with pytest.raises(service.SyncFailed, match="busy"):
            alice.sync()
    assert alice.store.unsent() == 1
    alice.sync()
    assert alice.store.unsent() == 0


def test_connect_refuses_a_key_password_in_the_address(clinic, laptops):
    from safehome.core.errors import UsageError

    with pytest.raises(UsageError, match="password"):
        service.connect_clinic(laptops["alice"].store, clinic.url("alice") + "?sslpassword=s3cret")


def test_a_refused_change_can_be_dropped_and_the_clinics_answer_comes_back(clinic, laptops, capsys):
    from safehome.faces.cli import main

    alice, bob = laptops["alice"], laptops["bob"]
    aid = alice.visit("Ann Lee")
    alice.sync()
    bob.sync()
    item = item_ids(1)[0]
    before = alice.store.load(aid).assessment.answers[item]
    bob_id = bob.store.assessments()[0].id
    bob.store.save_answer(bob_id, item, "no", "bob's change")
    bob.store.update_profile(bob_id, Profile(name="Ann Lee", age=70))
    assert main(["--data-dir", str(bob.folder), "sync"]) == 0
    out = capsys.readouterr().out
    assert "Not sent: 1 assessment(s)" in out and f"(visit by {PREFIX}alice)" in out and "--discard" in out
    assert main(["--data-dir", str(bob.folder), "sync", "--discard", str(bob_id)]) == 0
    assert "dropped" in capsys.readouterr().out
    after = bob.store.load(bob_id).assessment
    assert (after.answers[item].value, after.answers[item].note) == (before.value, before.note)
    assert after.profile.age is None and bob.store.unsent() == 0
    assert main(["--data-dir", str(bob.folder), "sync", "--discard", str(bob_id)]) == 2


async def test_the_app_says_when_it_cannot_sync_and_carries_on(tmp_path):
    from textual.widgets import Static

    from safehome.faces.tui.app import SafehomeApp
    from safehome.faces.tui.screens.start import StartScreen

    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    folder = tmp_path / "laptop"
    with service.open_store(folder) as store:
        store.set_sync_values(url=f"postgresql://nobody@127.0.0.1:{port}/clinic")
    app = SafehomeApp(data_dir=folder, today=date(2026, 11, 27), reports_dir=tmp_path / "reports")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        for _ in range(1200):  # up to a minute: a machine under load (make soak) is slow
            await pilot.pause(0.05)
            if any("Not synced" in n.message for n in app._notifications):
                break
        assert any("nothing answers at that address" in n.message for n in app._notifications)
        assert isinstance(app.screen, StartScreen) and app.is_running
        assert "not synced yet" in str(app.screen.query_one("#sync-status", Static).render())


def test_answers_written_while_a_deletion_commits_do_not_outlive_it(clinic, laptops):
    """A writer whose statement began before a tombstone committed (it then waited for the
    clinic's lock) leaves nothing of the deleted person behind."""
    alice = laptops["alice"]
    aid = alice.visit("Ann Lee")
    alice.sync()
    person, visit = alice.store.people()[0].uuid, alice.store.uuid_of(aid)
    deleting = psycopg.connect(clinic.url("bob"))
    deleting.execute("INSERT INTO safehome.tombstones (person_uuid) VALUES (%s)", (person,))  # holds the lock
    done = threading.Event()

    def write() -> None:
        with psycopg.connect(clinic.url("alice"), autocommit=True) as conn:
            conn.execute(
                """INSERT INTO safehome.answer_history (uuid, assessment_uuid, item_id, new_note, changed_at, amendment)
                   VALUES (gen_random_uuid(), %s, 'hw_rugs', 'Ann Lee said so', 'now', false)""",
                (visit,),
            )
        done.set()

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.3)
    assert not done.is_set()  # waiting for the lock
    deleting.commit()
    deleting.close()
    writer.join(timeout=30)
    assert done.is_set()
    assert clinic.count("answer_history") == clinic.count("assessments") == clinic.count("people") == 0


async def test_the_app_connects_this_laptop_to_the_clinic_from_the_palette_and_syncs(clinic, laptops, tmp_path):
    from textual.widgets import Input, OptionList, Static

    from safehome.faces.tui.app import SafehomeApp
    from safehome.faces.tui.screens.dialogs import ConnectScreen

    alice = laptops["alice"]
    alice.visit("Ann Lee")
    alice.sync()
    folder = tmp_path / "new-laptop"
    app = SafehomeApp(data_dir=folder, today=date(2026, 11, 27), reports_dir=tmp_path / "reports")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#sync-status", Static).display  # no clinic yet: nothing said
        app.action_connect()
        await pilot.pause()
        assert isinstance(app.screen, ConnectScreen) and app.screen.ready
        app.screen.query_one("#connect-url", Input).value = clinic.url("bob")
        await pilot.press("enter")
        for _ in range(1200):  # up to a minute: a machine under load (make soak) is slow
            await pilot.pause(0.05)
            if app.clinic_connected and any("now syncs with" in n.message for n in app._notifications):
                break
        notes = [n.message for n in app._notifications]
        assert any("not encrypted" in note for note in notes), (
            notes,
            type(app.screen).__name__,
            [(w.name, w.state, w.error) for w in app.workers],
            app.store.sync_value("url"),
        )
        await pilot.press("s")
        for _ in range(1200):  # up to a minute: a machine under load (make soak) is slow
            await pilot.pause(0.05)
            if "synced 20" in str(app.screen.query_one("#sync-status", Static).render()):
                break
        menu = app.screen.query_one("#start-list", OptionList)
        rows = [str(menu.get_option_at_index(n).prompt) for n in range(menu.option_count)]
        assert any("Ann Lee" in row and f"by {PREFIX}alice" in row for row in rows), rows


def test_what_a_hostile_clinician_puts_on_the_server_never_breaks_another_laptop(clinic, laptops, capsys):
    from safehome.faces.cli import main

    alice, bob = laptops["alice"], laptops["bob"]
    aid = alice.visit("Ann Lee")
    alice.sync()
    bob_visit = bob.visit("Bea Roy", seed=3)
    bob.sync()
    visit = bob.store.uuid_of(bob_visit)
    with psycopg.connect(clinic.url("bob"), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.CheckViolation):  # a mode no face knows
            conn.execute("UPDATE safehome.assessments SET mode = 'bogus' WHERE uuid = %s", (visit,))
        for value, note in [
            ("[" * 3000 + "]" * 3000, None),  # JSON too deep for Python
            ("1" * 5000, None),  # an integer beyond Python's digit limit
            ('{"a": 1}', None),  # not an answer's value
            ('"yes"', "x" * 200_000),  # refused by the server: a note beyond any answer's
            ('"yes"', None),  # fine, but for a question id no checklist has
        ]:
            with contextlib.suppress(psycopg.errors.CheckViolation):
                conn.execute(
                    """INSERT INTO safehome.answer_history (uuid, assessment_uuid, item_id, new_value_json, new_note,
                           changed_at, amendment) VALUES (gen_random_uuid(), %s, %s, %s, %s, 'now', false)""",
                    (visit, "hw_rugs" if note or value != '"yes"' else "Not An Id!", value, note),
                )
        conn.execute(
            "INSERT INTO safehome.conflicts (uuid, assessment_uuid, items, found_at) VALUES (gen_random_uuid(), %s, %s, 'x')",
            (visit, '["hw_rugs"]'),
        )
        # a deleted person's visit cannot come back under another name
    person = alice.store.person_of(aid)
    old_visit = alice.store.uuid_of(aid)
    service.delete_person(alice.store, person, alice.folder)
    alice.sync()
    with psycopg.connect(clinic.url("bob"), autocommit=True) as conn:
        bea = clinic.query("SELECT person_uuid::text FROM safehome.assessments WHERE uuid = %s", visit)[0][0]
        inserted = conn.execute(
            """INSERT INTO safehome.assessments (uuid, person_uuid, checklist_id, checklist_version, mode, status,
                   assessed_on, profile_json, created_at, updated_at) VALUES
                   (%s, %s, 'bone-metastases-home-visit', '2.0', 'clinician', 'in-progress', '2026-11-27',
                    '{"name": "Quentin Other"}', 'x', 'x')""",
            (old_visit, bea),
        ).rowcount
        assert inserted == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the clinic's lock is safehome's alone
            conn.execute("SELECT pg_advisory_lock(7346501)")
    lena = laptops["lena"]
    for args in (["sync"], ["list"], ["show", "1"], ["people"]):
        assert main(["--data-dir", str(lena.folder), *args]) in (0, 2), args
    out = capsys.readouterr()
    assert "unexpected problem" not in out.err and "Bea Roy" in out.out
    assert lena.store.integrity() == "ok" and [p.name for p in lena.store.people()] == ["Bea Roy"]


def test_a_change_claimed_to_come_from_my_laptop_still_makes_a_conflict(clinic, laptops):
    alice = laptops["alice"]
    aid = alice.visit("Ann Lee")
    alice.sync()
    item = item_ids(1)[0]
    with psycopg.connect(clinic.url("lena"), autocommit=True) as conn:  # a lead, writing as if from alice's laptop
        conn.execute(
            """INSERT INTO safehome.answer_history (uuid, assessment_uuid, item_id, new_value_json, new_note,
                   changed_at, amendment, device) VALUES (gen_random_uuid(), %s, %s, NULL, 'lead', 'now', true, %s)""",
            (alice.store.uuid_of(aid), item, alice.store.device()),
        )
    alice.store.save_answer(aid, item, None, "alice")
    assert [c.items for c in alice.sync().conflicts] == [(item,)]


def test_a_clearance_reaches_the_clinic_and_another_clinician_cannot_record_one(clinic, laptops, capsys):
    """Clinical model v3: the team's clearance for the tests is two answers of the visit, so the
    answer history carries it to the clinic and to every laptop, under the visit's row policy."""
    from safehome.faces.cli import main

    alice, bob = laptops["alice"], laptops["bob"]
    aid = alice.visit("Ann Lee")
    alice.store.save_answer(aid, "cs_mirels", 9)
    alice.sync()
    bob.sync()
    bob_id = bob.store.assessments()[0].id
    bob.store.save_answer(bob_id, "cs_cleared_by", "Bob, physiotherapist")
    bob.store.save_answer(bob_id, "cs_cleared_on", "2026-03-01")
    assert main(["--data-dir", str(bob.folder), "sync"]) == 0
    assert "Not sent: 1 assessment(s)" in capsys.readouterr().out  # the server's row policy refused it
    alice.sync()
    assert "cs_cleared_by" not in alice.store.load(aid).assessment.answers
    alice.store.save_answer(aid, "cs_cleared_by", "Dr Ana Silva, orthopaedics")
    alice.store.save_answer(aid, "cs_cleared_on", "2026-03-01")
    alice.sync()
    assert main(["--data-dir", str(bob.folder), "sync", "--discard", str(bob_id)]) == 0
    capsys.readouterr()
    bob.sync()
    received = bob.store.load(bob_id).assessment.answers
    assert received["cs_cleared_by"].value == "Dr Ana Silva, orthopaedics"
    assert received["cs_cleared_on"].value == "2026-03-01"


def test_the_profiles_sides_aids_and_medicines_reach_the_clinic_and_another_clinician_cannot_change_them(
    clinic, laptops, capsys
):
    """Clinical model v3, point 6: the new profile fields travel in the visit's profile, so they
    reach every laptop under the visit's row policy, and bob cannot rewrite alice's."""
    from safehome.faces.cli import main

    alice, bob = laptops["alice"], laptops["bob"]
    aid = alice.visit("Ann Lee")
    detailed = alice.store.load(aid).assessment.profile.model_copy(
        update={
            "bone_sites": ["spine", "pelvis"],
            "right_sites": ["pelvis"],
            "spine_levels": ["thoracic"],
            "walking_aid": "rollator",
            "medicine_classes": ["opioid", "denosumab"],
            "medicines": ["Hydromorphone", "Xgeva"],
        }
    )
    alice.store.update_profile(aid, detailed)
    alice.sync()
    bob.sync()
    bob_id = bob.store.assessments()[0].id
    assert bob.store.load(bob_id).assessment.profile == detailed
    bob.store.update_profile(bob_id, detailed.model_copy(update={"medicines": ["Morphine"], "walking_aid": "cane"}))
    assert main(["--data-dir", str(bob.folder), "sync"]) == 0
    assert "Not sent: 1 assessment(s)" in capsys.readouterr().out  # the server's row policy refused it
    alice.sync()
    assert alice.store.load(aid).assessment.profile == detailed


def test_only_a_clinician_with_a_visit_of_the_person_or_a_lead_renames_them(clinic, laptops, capsys):
    """Integrity v3: the first step let any clinician rename anyone (USING (true)); step 2 lets a
    clinician rename only a person they have a visit of (a first visit in the same sync included)
    or a lead. Another clinician's rename touches no row: it is said, and the clinic's name comes back."""
    from safehome.faces.cli import main

    alice, bob, lena = laptops["alice"], laptops["bob"], laptops["lena"]
    aid = alice.visit("Ann Lee")
    alice.sync()
    bob.sync()
    lena.sync()

    def person(laptop: Laptop) -> Any:
        return laptop.store.people()[0]

    def rename(laptop: Laptop, name: str) -> None:  # the person row alone (a rename touches no visit)
        from safehome.storage.schema import name_key

        with laptop.store.transaction():
            laptop.store.conn.execute(
                "UPDATE people SET name = ?, name_key = ? WHERE id = ?", (name, name_key(name), person(laptop).id)
            )

    # bob has no visit of Ann: his rename is not taken, said, and Ann's name comes back to his laptop
    rename(bob, "Ann Leigh")
    assert main(["--data-dir", str(bob.folder), "sync"]) == 0
    out = capsys.readouterr().out
    assert "Not renamed" in out and "Ann Lee" in out
    assert clinic.query("SELECT name FROM safehome.people") == [("Ann Lee",)]
    assert person(bob).name == "Ann Lee"
    # directly at the database, his UPDATE touches no row
    target = str(alice.store.people()[0].uuid)
    with psycopg.connect(clinic.url("bob")) as conn:
        assert conn.execute("UPDATE safehome.people SET name = 'X' WHERE uuid = %s", (target,)).rowcount == 0
        conn.commit()
    # his first visit of Ann, in the same sync as his correction, lets him correct her name
    first = bob.visit("Ann Lee", person_id=person(bob).id, seed=2)
    profile = bob.store.load(first).assessment.profile.model_copy(update={"name": "Ann Lee-Smith"})
    bob.store.update_profile(first, profile)
    assert not bob.sync().refused
    assert clinic.query("SELECT name FROM safehome.people") == [("Ann Lee-Smith",)]
    # the owner of a visit may, and so may a lead; every rename is in the audit
    alice.sync()
    rename(alice, "Ann Lee")
    alice.sync()
    lena.sync()
    rename(lena, "Ann B. Lee")
    lena.sync()
    assert clinic.query("SELECT name FROM safehome.people") == [("Ann B. Lee",)]
    who = [r[0] for r in clinic.query("SELECT who::text FROM safehome.audit WHERE kind = 'person' ORDER BY id")]
    assert who[-3:] == [PREFIX + "bob", PREFIX + "alice", PREFIX + "lena"]
    assert aid


def test_a_clinic_server_at_step_1_takes_step_2_and_a_laptop_is_told_until_it_does(clinic, laptops, capsys):
    """A server set up before step 2 (rename by anyone) is brought to step 2 by `clinic init`;
    until then a laptop says the server is older and syncs nothing."""
    from safehome.faces.cli import main

    alice = laptops["alice"]
    alice.visit("Ann Lee")
    with psycopg.connect(clinic.admin) as conn:  # the server as step 1 left it
        conn.execute("DROP FUNCTION safehome.add_laptop_events(jsonb)")  # step 3
        conn.execute("DROP TABLE safehome.laptop_audit")
        conn.execute("DROP POLICY rename ON safehome.people")  # step 2
        conn.execute("CREATE POLICY rename ON safehome.people FOR UPDATE USING (true)")
        conn.execute("UPDATE safehome.clinic SET version = 1")
    assert main(["--data-dir", str(alice.folder), "sync"]) != 0
    assert f"older safehome schema (1; this safehome needs {VERSION})" in capsys.readouterr().err
    assert main(["clinic", "init", clinic.admin]) == 0
    assert f"at schema {VERSION} (it was at 1)" in capsys.readouterr().out
    (policy,) = clinic.query("SELECT qual FROM pg_policies WHERE tablename = 'people' AND policyname = 'rename'")[0]
    assert "assessments" in policy and policy.strip("() ") != "true"
    assert not alice.sync().refused


def test_no_write_policy_lets_anyone_do_anything_but_the_documented_one(clinic):
    """Every write policy of the clinic store names who may write; the one open on purpose is the
    deletion of a person (any clinician of the clinic may carry out a deletion: the README says why)."""
    rows = clinic.query(
        """SELECT tablename, policyname, cmd, coalesce(qual, ''), coalesce(with_check, '')
           FROM pg_policies WHERE schemaname = 'safehome' AND cmd <> 'SELECT' ORDER BY tablename, policyname"""
    )
    open_ones = [
        (table, name) for table, name, _, using, check in rows if "true" in (using.strip("() "), check.strip("() "))
    ]
    assert open_ones == [("tombstones", "add")]
    assert len(rows) >= 7


def test_equipment_statuses_travel_between_laptops_and_into_the_other_clinicians_follow_up(clinic, laptops):
    """An equipment status is an answer: the clinic server carries it, and bob's follow-up of alice's
    visit starts from what is still pending there (issue 32)."""
    from safehome.service.session import Session

    alice, bob = laptops["alice"], laptops["bob"]
    march = alice.visit("Zoë Tremblay")
    alice.store.save_answer(march, "eq_grab_bar", "ordered;installer;2026-03-20", None)
    alice.store.save_answer(march, "eq_raised_toilet_seat", "installed;ot", None)
    alice.sync()
    bob.sync()
    person = bob.store.people()[0]
    home = catalog.find(HOME)
    june = Session.start(
        bob.store, home, "clinician", Profile(name="Zoë Tremblay"), date(2026, 6, 10), person_id=person.id
    )
    assert june.value("eq_grab_bar") == "ordered;installer;2026-03-20"  # still to do: carried and asked
    assert june.value("eq_raised_toilet_seat") is None  # installed in March: closed
    june.answer("eq_grab_bar", "installed;installer")
    bob.sync()
    alice.sync()
    assert alice.answers() == bob.answers()
    followed = alice.answers()[bob.store.uuid_of(june.id)]
    assert followed["eq_grab_bar"] == ("installed;installer", None)


def test_photos_stay_on_the_laptop_the_sync_sends_nothing_of_them(clinic, laptops, tmp_path):
    from safehome.service.photos import add_photo

    from .test_photos_letters import camera_photo

    alice, bob = laptops["alice"], laptops["bob"]
    aid = alice.visit("Ann Lee")
    caption = "Photo-Caption-Never-Synced"
    photo = camera_photo(tmp_path / "tub.jpg", size=(300, 200))
    checklist = catalog.find(HOME)
    add_photo(alice.store, aid, checklist, "ba_grab_bars", photo, caption)
    (kept,) = alice.store.photos(aid)
    alice.sync()
    bob.sync()
    (theirs,) = bob.store.assessments()
    assert bob.store.photos(theirs.id) == []  # the visit came over; its photo did not
    tables = [t for (t,) in clinic.query("SELECT tablename FROM pg_tables WHERE schemaname = 'safehome'")]
    assert "assessments" in tables and not any("photo" in t for t in tables)
    everything = json.dumps(
        [clinic.query(f"SELECT row_to_json(t)::text FROM safehome.{table} t") for table in tables], default=str
    )
    assert caption not in everything and kept.jpeg[100:140].hex() not in everything


def test_a_laptops_audit_events_reach_the_server_as_its_claims_and_only_a_lead_reads_them(clinic, laptops):
    alice, bob = laptops["alice"], laptops["bob"]
    aid = alice.visit("Ann Lee")
    alice.store.record_event("opened", assessment_id=aid)
    alice.store.record_event("exported", assessment_id=aid)
    done = alice.sync()
    # each marked sent once the server had it; the sync's own event goes with the next
    assert [row[3] for row in alice.store.unsent_events()] == ["synced"]
    assert [e.sent for e in alice.store.events()] == [True, True, False]
    rows = clinic.query(
        "SELECT action, person_uuid::text, assessment_uuid::text, claimed_by::text, device FROM safehome.laptop_audit"
    )
    person = alice.store.person(alice.store.person_of(aid) or 0)
    assert sorted(r[0] for r in rows) == ["exported", "opened"]
    assert {r[1] for r in rows} == {person.uuid} and {r[2] for r in rows} == {alice.store.uuid_of(aid)}
    assert {r[3] for r in rows} == {PREFIX + "alice"} and {r[4] for r in rows} == {alice.store.device()}
    everything = json.dumps(clinic.query("SELECT row_to_json(t)::text FROM safehome.laptop_audit t"))
    assert "Ann" not in everything and "Lee" not in everything  # ids only
    alice.sync()  # the 'synced' event of the first sync goes with the next
    assert clinic.count("laptop_audit") == 3 and done.server is not None
    # a clinician reads none of it, and cannot claim for someone else
    with psycopg.connect(clinic.url("bob")) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM safehome.laptop_audit")
    with psycopg.connect(clinic.url("bob")) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO safehome.laptop_audit (uuid, at, action, device, claimed_by) "
                "VALUES (gen_random_uuid(), now(), 'opened', 'x', %s)",
                (PREFIX + "alice",),
            )
    with psycopg.connect(clinic.url("bob")) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM safehome.laptop_audit")
    bob.sync()
    bob.sync()  # the first sync's own event
    with psycopg.connect(clinic.url("lena")) as conn:  # the lead sees every laptop's claims
        seen = conn.execute("SELECT claimed_by::text FROM safehome.laptop_audit").fetchall()
    assert {PREFIX + "alice", PREFIX + "bob"} <= {w for (w,) in seen}
