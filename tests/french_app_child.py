"""A child process that walks the app in French, as a patient doing a self-check would.

Usage: python -m tests.french_app_child DATA_DIR REPORTS_DIR WIDTH HEIGHT
The app is imported after the language is set (its key labels are made at import, as when
safehome starts), then driven by keys through the start screen, the profile, every question,
the help, the review and the PDF. Prints one JSON object: the text of every screen seen, by name.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import date
from pathlib import Path

from safehome.i18n.words import set_language

set_language("fr-CA")

from safehome.faces.tui.app import SafehomeApp  # noqa: E402  (after the language: the labels are made at import)
from safehome.faces.tui.screens.questions import QuestionScreen  # noqa: E402
from safehome.faces.tui.screens.review import ReviewScreen  # noqa: E402


def screen_text(app: SafehomeApp) -> str:
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


async def walk(data: Path, reports: Path, size: tuple[int, int]) -> dict[str, object]:
    app = SafehomeApp(data_dir=data, today=date(2026, 11, 27), reports_dir=reports)
    seen: dict[str, object] = {}
    async with app.run_test(size=size) as pilot:
        await app.wait_for_checklists()
        await pilot.pause()
        seen["start"] = screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"Zoé Tremblay".replace(" ", "_"))
        await pilot.pause()
        seen["profile"] = screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionScreen), type(screen)
        session = screen.session
        seen["question"] = screen_text(app)
        await pilot.press("f1")
        await pilot.pause()
        seen["help"] = screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        answered = 0
        for _ in range(200):  # every question: "n" (non) or "o" (oui) for the safe answer, 0 or Enter else
            if not isinstance(app.screen, QuestionScreen):
                break
            step = session.current
            if session.value(step.item.id) is not None:  # the last question, answered: the walk is over
                break
            kind = step.item.answer.kind
            if kind in ("yes_no", "choice"):
                await pilot.press("o" if step.item.answer.hazard == ["no"] else "n")
            elif kind in ("number", "scale"):
                await pilot.press("0", "enter")
            else:
                await pilot.press("enter")
            await pilot.pause()
            answered += 1
            if app.screen is not screen and not isinstance(app.screen, ReviewScreen):  # an alert over the questions
                seen.setdefault("alert", screen_text(app))
                await pilot.press("enter")
                await pilot.pause()
        if not isinstance(app.screen, ReviewScreen):
            await pilot.press("r")
            await pilot.pause()
        seen["review"] = screen_text(app)
        await pilot.press("p")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen["review_after_pdf"] = screen_text(app)
        seen["answered"] = answered
        seen["stored_id"] = session.id
        seen["language"] = session.language
    return seen


if __name__ == "__main__":
    data, reports, width, height = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    print(json.dumps(asyncio.run(walk(data, reports, (width, height))), ensure_ascii=False))
