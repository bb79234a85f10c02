"""The exported Questionnaires in a real renderer: NLM's LHC-Forms 40.1.3 in Debian's Chromium,
every file served from 127.0.0.1 (the npm package's built files, put in .lforms/ by .ci/run or by
hand: ``npm pack lforms@40.1.3`` there and untar it). LHC-Forms renders each checklist with the
example visit's answers, works out the Stay Independent total from the Questionnaire's own
calculatedExpression, hides the physical tests when a warning sign stops them, and its
QuestionnaireResponse is read back by safehome and scores as entered."""

from __future__ import annotations

import copy
import functools
import http.server
import json
import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from safehome.core import catalog
from safehome.core.example import example_assessment
from safehome.core.loader import load_assessment_data
from safehome.core.score import score
from safehome.exchange import fhir
from safehome.exchange.fhir.expressions import STEADI_TOTAL

from .conftest import DAY, HOME, REPO, SELF
from .served import CHROMIUM

LFORMS_VERSION = "40.1.3"
LFORMS = REPO / ".lforms" / "package" / "dist" / "lforms"
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LHC-Forms</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/webcomponent/styles.css"></head>
<body><div id="form"></div>
<script src="/webcomponent/assets/lib/zone.min.js"></script>
<script src="/webcomponent/runtime.js"></script>
<script src="/webcomponent/polyfills.js"></script>
<script src="/webcomponent/main.js"></script>
<script src="/fhir/R4/lformsFHIR.min.js"></script>
</body></html>"""

pytestmark = [
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None or (not LFORMS.is_dir() and not os.environ.get("CI")),
        reason=f"needs Debian's chromium and LHC-Forms in .lforms/ (npm pack lforms@{LFORMS_VERSION}; .ci/run does it)",
    ),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # the test page, then LHC-Forms' own files, nothing else
        if self.path == "/test.html":
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@pytest.fixture(scope="module")
def renderer() -> Iterator[Any]:
    if not LFORMS.is_dir():
        pytest.fail(f"CI=true and LHC-Forms is missing from {LFORMS}: .ci/run puts it there")
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(LFORMS)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        outside: list[str] = []
        page.on(
            "request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None
        )
        page.goto(f"http://127.0.0.1:{server.server_port}/test.html")
        page.wait_for_function("() => !!(window.LForms && window.LForms.Util && window.LForms.Util.addFormToPage)")

        def render(questionnaire: dict[str, Any], response: dict[str, Any] | None) -> tuple[dict[str, Any], str]:
            """The form drawn with these answers; what LHC-Forms gives back, and the text it shows."""
            page.evaluate(
                """async ([q, qr]) => {
                    const el = document.getElementById('form');
                    el.innerHTML = '';
                    const options = {fhirVersion: 'R4'};
                    if (qr) options.questionnaireResponse = qr;
                    await LForms.Util.addFormToPage(q, 'form', options);
                }""",
                [questionnaire, response],
            )
            page.wait_for_timeout(300)  # the expressions run once more after the first draw
            given = page.evaluate(
                "() => LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', document.getElementById('form'))"
            )
            shown = page.evaluate("() => document.body.innerText")
            assert outside == []  # nothing from a CDN or anywhere else
            return given, shown

        yield render
        browser.close()
    server.shutdown()


def _answered(response: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items or []:
            if item.get("answer"):
                found[item["linkId"]] = item["answer"][0]
            walk(item.get("item", []))

    walk(response.get("item", []))
    return found


def _prompt(checklist: Any, link: str) -> str:
    if link.startswith("profile."):
        return ""
    return str(checklist.item(link).prompt_for(checklist.modes[0])).split("\n")[0]


def _plain(answer: dict[str, Any]) -> Any:
    """An answer's value as both sides give it (a Coding by its code)."""
    key, value = next((k, v) for k, v in answer.items() if k.startswith("value"))
    return value["code"] if key == "valueCoding" else value


@pytest.mark.parametrize("checklist_id", [HOME, SELF])
def test_lhc_forms_renders_computes_the_total_and_its_response_scores_as_entered(renderer, checklist_id) -> None:
    checklist = catalog.find(checklist_id)
    questionnaire = fhir.questionnaire(checklist)
    _, blank = renderer(questionnaire, None)
    assessment = example_assessment(checklist, DAY)
    ours = fhir.response(checklist, assessment, key="lforms")
    given, shown = renderer(questionnaire, ours)
    expected = score(checklist, assessment)
    theirs = _answered(given)
    total = theirs.pop(STEADI_TOTAL)
    assert total == {"valueInteger": expected.steadi.score}  # worked out by LHC-Forms from the expression
    mine = _answered(ours)
    assert {k: _plain(v) for k, v in theirs.items()} == {k: _plain(v) for k, v in mine.items()}
    prompts = [item.prompt_for(checklist.modes[0]) for _, item in checklist.items()]
    drawn = sum(prompt.split("\n")[0][:40] in shown for prompt in prompts)
    drawn_blank = sum(prompt.split("\n")[0][:40] in blank for prompt in prompts)
    assert all(_prompt(checklist, link)[:40] in shown for link in mine)  # every answered question is drawn
    # what LHC-Forms gives back is read by safehome, and scores as entered
    given["subject"], given["authored"] = ours["subject"], ours["authored"]
    data, _named = fhir.assessment_data(given, "lforms.json", catalog.find)
    back = load_assessment_data(data, "lforms.json", DAY)
    # LHC-Forms has no place for safehome's notes: the visit as entered there is the visit without them
    entered = assessment.model_copy(
        update={"answers": {k: a.model_copy(update={"note": None}) for k, a in assessment.answers.items()}}
    )
    assert score(checklist, back) == score(checklist, entered.model_copy(update={"answers": back.answers}))
    again, as_entered = score(checklist, back), score(checklist, entered)
    assert again.steadi == as_entered.steadi and again.urgency == as_entered.urgency
    assert {k: a.value for k, a in back.answers.items() if a.value is not None} == {
        k: a.value for k, a in assessment.answers.items() if k in mine and a.value is not None
    }
    print(
        f"{checklist_id}: LHC-Forms drew {drawn_blank} of {len(prompts)} questions on a blank form, {drawn} with the"
        f" example's answers; {len(theirs)} answers came back as given; total {total['valueInteger']}"
    )


def test_lhc_forms_hides_the_physical_tests_when_a_warning_sign_stops_them(renderer) -> None:
    checklist = catalog.find(HOME)
    questionnaire = fhir.questionnaire(checklist)
    ours = fhir.response(checklist, example_assessment(checklist, DAY), key="lforms")
    tests = {"ft_tug", "ft_chair_stand", "ft_balance"}
    assert tests <= set(_answered(ours))
    stopped = copy.deepcopy(ours)
    for group in stopped["item"]:
        for item in group.get("item", []):
            if item["linkId"] == "ws_back_pain":  # a same-day warning sign: no physical test today
                item["answer"] = [{"valueCoding": {"system": fhir.LOINC, "code": fhir.YES_NO["yes"]}}]
    given, shown = renderer(questionnaire, stopped)
    for link in tests:  # not drawn: the enableWhenExpression holds the stop
        assert _prompt(checklist, link)[:40] not in shown, link
    # LHC-Forms 40.1.3 still gives back the answers the form held before the stop: safehome's score holds
    # the stop itself, so those values are kept as recorded and never judged
    given["subject"], given["authored"] = ours["subject"], ours["authored"]
    data, _ = fhir.assessment_data(json.loads(json.dumps(given)), "lforms.json", catalog.find)
    result = score(checklist, load_assessment_data(data, "lforms.json", DAY))
    assert result.safety_stops and result.urgency == "same_day"
    assert {i.item_id: i.status for i in result.items if i.item_id in tests} == dict.fromkeys(tests, "unsafe")
    assert not [m for m in result.measures if m.item_id in tests]
