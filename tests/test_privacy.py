"""Privacy on the laptop (issue 34, in part): old documents purged, each named, the visits kept."""

from __future__ import annotations

from datetime import UTC, datetime

from freezegun import freeze_time

from .conftest import DAY
from safehome import service
from safehome.core.example import example_assessment
from safehome.faces.cli import main
from safehome.storage.schema import DB_NAME
from safehome.storage.store import Store


def written(store: Store, aid: int, path, data: bytes) -> None:
    path.write_bytes(data)
    path.chmod(0o600)
    store.record_file(aid, path, data, "digest")


def test_purge_removes_old_documents_names_each_and_keeps_the_visits(home, tmp_path, capsys) -> None:
    data = tmp_path / "data"
    october = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    with Store(data / DB_NAME, clock=lambda: october) as store:
        aid = store.create(example_assessment(home, DAY))
        written(store, aid, tmp_path / "old-plan.pdf", b"%PDF old plan")
        written(store, aid, tmp_path / "old-export.json", b"{}")
        written(store, aid, tmp_path / "changed.pdf", b"%PDF mine")
    (tmp_path / "changed.pdf").write_bytes(b"%PDF the user's own now")
    (tmp_path / "gone.pdf").write_bytes(b"")
    with Store(data / DB_NAME, clock=lambda: datetime(2026, 12, 1, tzinfo=UTC)) as store:
        written(store, aid, tmp_path / "new-plan.pdf", b"%PDF new plan")
    with freeze_time("2026-12-07 12:00:00"):
        code = main(["--data-dir", str(data), "purge", "--older-than", "30"])
    out = capsys.readouterr().out
    assert code == 0
    assert not (tmp_path / "old-plan.pdf").exists() and not (tmp_path / "old-export.json").exists()
    assert (tmp_path / "new-plan.pdf").exists() and (tmp_path / "changed.pdf").exists()
    assert str(tmp_path / "old-plan.pdf") in out and str(tmp_path / "changed.pdf") in out
    assert "Removed 2 document(s) written more than 30 days ago; 1 left" in out
    with service.Desk(data) as desk:
        assert [s.id for s in desk.assessments()] == [aid]  # the visit stays
        assert [w.path for w in desk.files(aid)] == [str(tmp_path / "new-plan.pdf")]
    # again: nothing old is left to remove
    with freeze_time("2026-12-07 12:00:00"):
        assert main(["--data-dir", str(data), "purge", "--older-than", "30"]) == 0
    assert "Removed 0 document(s)" in capsys.readouterr().out


def test_purge_takes_a_whole_number_of_days(tmp_path, capsys) -> None:
    for bad in ("-1", "ten", "1.5", "99999", "٣"):
        code = main(["--data-dir", str(tmp_path), "purge", "--older-than", bad])
        err = capsys.readouterr().err
        assert code == 2 and "is not a number of days from 0 to 36500" in err and err.count("\n") == 1


async def test_the_app_offers_to_purge_and_asks_first(home, tmp_path) -> None:
    from .test_tui import Keys, make_app

    data = tmp_path / "data"
    with Store(data / DB_NAME, clock=lambda: datetime(2026, 1, 1, tzinfo=UTC)) as store:
        aid = store.create(example_assessment(home, DAY))
        written(store, aid, tmp_path / "old.pdf", b"%PDF old")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        app.action_purge()
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        await keys("n")
        assert (tmp_path / "old.pdf").exists()
        app.action_purge()
        await pilot.pause()
        await keys("y")
        await pilot.pause()
        assert not (tmp_path / "old.pdf").exists()
        assert any("Removed 1 document(s)" in n.message for n in app._notifications)


def test_the_audit_log_has_every_kind_of_event_ids_only_and_cannot_be_rewritten(home, tmp_path, capsys) -> None:
    import json

    import pytest

    data = ["--data-dir", str(tmp_path / "d")]
    answers = tmp_path / "visit.json"
    answers.write_text(example_assessment(home, DAY).model_dump_json(), encoding="utf-8")
    assert main([*data, "import", str(answers)]) == 0  # imported
    assert main([*data, "show", "1"]) == 0  # opened
    assert main([*data, "report", "1", "-o", str(tmp_path / "plan.pdf")]) == 0  # opened, wrote
    assert main([*data, "export", "1", "-o", str(tmp_path / "e.json")]) == 0  # opened? exported
    with service.Desk(tmp_path / "d") as desk:
        session = desk.session(1)  # opened
        session.amend()
        session.answer("ws_back_pain", "no")  # amended (a finished visit)
        session.answer("ws_limb_weakness_new", "no")  # the same sitting: not again
        fresh = desk.start(home, "clinician", example_assessment(home, DAY).profile, DAY)
        fresh.answer("ws_back_pain", "no")  # changed
    with freeze_time("2027-06-01"):
        assert main([*data, "purge", "--older-than", "30"]) == 0  # purged
    assert main([*data, "delete", "--person", "1", "--yes"]) == 0  # deleted
    capsys.readouterr()
    assert main([*data, "audit", "--json"]) == 0
    events = json.loads(capsys.readouterr().out)
    actions = [e["action"] for e in events]
    assert set(actions) == {"imported", "opened", "wrote", "exported", "amended", "changed", "purged", "deleted"}
    assert actions.count("amended") == 1 and actions[-1] == "deleted"
    assert all(e["os_user"] for e in events)
    assert {e["clinician"] for e in events if e["assessment_id"] == 1} == {"Occupational therapist (example)"}
    text = (tmp_path / "d" / DB_NAME).read_bytes()
    assert b"Tremblay" not in text  # the person is gone; their events stay, by id only
    # one person's events; the table for people
    assert main([*data, "audit", "--person", "1"]) == 0
    shown = capsys.readouterr().out
    assert "imported" in shown and "deleted" in shown and "Tremblay" not in shown
    # append-only: the store refuses to change or remove an event
    with Store(tmp_path / "d" / DB_NAME) as store:
        with pytest.raises(Exception, match="append-only"):
            store.conn.execute("UPDATE audit_log SET action = 'opened' WHERE id = 1")
        with pytest.raises(Exception, match="append-only"):
            store.conn.execute("DELETE FROM audit_log")
        assert len(store.events()) == len(events)


def test_opening_a_visit_again_in_the_same_sitting_is_one_event_a_document_always_its_own(home, tmp_path) -> None:
    from datetime import timedelta

    now = [datetime(2026, 12, 7, 9, 0, tzinfo=UTC)]
    with Store(tmp_path / DB_NAME, clock=lambda: now[0]) as store:
        aid = store.create(example_assessment(home, DAY))
        for minutes in (0, 5, 29):  # a web page asks for the visit at every answer
            now[0] = datetime(2026, 12, 7, 9, 0, tzinfo=UTC) + timedelta(minutes=minutes)
            store.record_event("opened", assessment_id=aid)
        now[0] += timedelta(minutes=31)
        store.record_event("opened", assessment_id=aid)  # a new sitting
        store.record_event("wrote", assessment_id=aid)
        store.record_event("wrote", assessment_id=aid)  # a second PDF is a second disclosure
        assert [e.action for e in store.events()] == ["opened", "opened", "wrote", "wrote"]


def test_a_deleted_persons_ids_are_never_given_to_someone_else(home, tmp_path, capsys) -> None:
    """A stale 'safehome report 2' must never reach a person imported after person 2 was deleted."""
    data = ["--data-dir", str(tmp_path / "d")]
    for n, name in enumerate(("Ann Lee", "Bo Chen"), start=1):
        answers = tmp_path / f"v{n}.json"
        visit = example_assessment(home, DAY)
        answers.write_text(
            visit.model_copy(update={"profile": visit.profile.model_copy(update={"name": name})}).model_dump_json()
        )
        assert main([*data, "import", str(answers)]) == 0
    assert main([*data, "delete", "--person", "2", "--yes"]) == 0  # the highest ids go
    answers = tmp_path / "v3.json"
    visit = example_assessment(home, DAY)
    answers.write_text(
        visit.model_copy(update={"profile": visit.profile.model_copy(update={"name": "Cy Ray"})}).model_dump_json()
    )
    assert main([*data, "import", str(answers)]) == 0
    capsys.readouterr()
    code, err = main([*data, "show", "2"]), capsys.readouterr().err
    assert code == 2 and "no assessment 2" in err  # not Cy Ray's visit
    with service.Desk(tmp_path / "d") as desk:
        assert sorted((p.id, p.name) for p in desk.people()) == [(1, "Ann Lee"), (3, "Cy Ray")]
        assert sorted(s.id for s in desk.assessments()) == [1, 3]
