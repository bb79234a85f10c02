"""`safehome serve`: the self-check as web pages, driven by keyboard in Debian's Chromium.

What the browser did is checked through the store (every answer saved as it is given), through
the accessibility tree, and through screenshots kept in the test's folder (and in $SAFEHOME_SHOTS
when it is set, to be looked at).
"""

from __future__ import annotations

import json
import os
import shutil
from safehome.storage.store import Store
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from safehome.core import catalog

from .served import Served, _raw, needs_browser

pytestmark = [pytest.mark.allow_hosts(["127.0.0.1"]), pytest.mark.slow, needs_browser]

PHONE_TEAM = "613-555-0142"
PHONE_NIGHT = "613-555-0199"
# what the tests and other tools rely on (issue 29), in each language
WORDS = {
    "en-CA": {"start": "self-check", "name": "name", "go": ("continue", "begin", "start", "next")},
    "fr-CA": {"start": "autoévaluation", "name": "nom", "go": ("continuer", "commencer", "suivant")},
}
ACTIVE = """() => { const e = document.activeElement; if (!e) return {};
  const label = e.labels && e.labels.length ? e.labels[0].innerText : (e.getAttribute('aria-label') || e.innerText || '');
  return {tag: e.tagName, type: e.type || '', name: e.name || '', id: e.id || '', label: label.trim()}; }"""


def shots_dir(tmp_path: Path) -> Path:
    return Path(os.environ.get("SAFEHOME_SHOTS") or tmp_path)


def shot(page: Any, tmp_path: Path, name: str, **options: Any) -> Path:
    folder = shots_dir(tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=path, **options)
    return path


def active(page: Any) -> dict[str, str]:
    result: dict[str, str] = page.evaluate(ACTIVE)
    return result


def tab_to(page: Any, wanted: Any, most: int = 200) -> dict[str, str]:
    """Press Tab until the focused element is the one ``wanted`` says (a function of its facts)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        now = active(page)
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached the element; last: {active(page)}")


def named(*words: str) -> Any:
    return lambda e: any(w.lower() in e.get("label", "").lower() for w in words)


def stored(served: Served, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with Store(served.data / "safehome.sqlite3") as store:
        return store.conn.execute(sql, args).fetchall()


def fill_profile(page: Any, language: str) -> None:
    """The profile by keyboard: name, age, the bones, the phone numbers; then the continue button."""
    words = WORDS[language]
    field = tab_to(page, lambda e: e["tag"] == "INPUT" and words["name"] in e["label"].lower())
    assert field["name"] == "name"
    page.keyboard.type("Zoé Tremblay")
    tab_to(page, lambda e: e["name"] == "age")
    page.keyboard.type("78")
    tab_to(page, lambda e: e["name"] == "bone_sites" and e["type"] == "checkbox")
    page.keyboard.press("Space")  # the first bone listed
    tab_to(page, lambda e: e["name"] == "cancer_team_phone")
    page.keyboard.type(PHONE_TEAM)
    tab_to(page, lambda e: e["name"] == "after_hours_phone")
    page.keyboard.type(PHONE_NIGHT)
    button = tab_to(page, lambda e: e["tag"] == "BUTTON")
    assert any(w in button["label"].lower() for w in words["go"]), button
    page.keyboard.press("Enter")
    page.wait_for_selector("#section-form")


def answer_by_keyboard(page: Any, item_id: str, option: int) -> None:
    """Tab to the question's radio buttons and pick option ``option`` with Space and the arrows."""
    now = tab_to(page, lambda e: e["name"] == f"v-{item_id}" or e["name"] == f"typed-{item_id}")
    if now["name"].startswith("typed-"):
        page.keyboard.type("18" if option else "Nothing new")
        page.keyboard.press("Enter")
        page.wait_for_timeout(150)
        return
    radios = page.locator(f'input[name="v-{item_id}"]')
    count = radios.count()
    checked = next((n for n in range(count) if radios.nth(n).is_checked()), None)
    if checked is None:
        page.keyboard.press("Space")
        checked = 0
    for _ in range((option - checked) % count):
        page.keyboard.press("ArrowDown")
    page.wait_for_function(
        "([name, n]) => document.querySelectorAll(`input[name='${name}']`)[n].checked", arg=[f"v-{item_id}", option]
    )


def option_for(item: Any, wanted: str) -> int:
    values = [o.value for o in item.answer.options()]
    return values.index(wanted) if wanted in values else 0


def walk_whole_check(page: Any, served: Served, tmp_path: Path, language: str) -> tuple[str, int]:
    """Every question of every page answered by keyboard: the first warning sign whose 'yes' is a
    warning answered yes, everything else the answer that is not a hazard. Returns the sign's id
    and how many questions were answered."""
    checklist = catalog.find("bone-metastases-self-check", language=language)
    sign = hazard_given = None
    answered = 0
    pages = 0
    while page.locator("#section-form").count():
        pages += 1
        for item_id in page.locator("#questions fieldset.question").evaluate_all(
            "nodes => nodes.map(n => n.dataset.item)"
        ):
            if page.locator(f"#q-{item_id}").count() == 0:
                continue  # a follow-up taken away by an earlier answer
            item = checklist.item(item_id)
            hazard = item.answer.hazard_answer()
            if sign is None and item.red_flag and hazard == "yes":
                sign = item_id
                answer_by_keyboard(page, item_id, option_for(item, "yes"))
                alert = page.locator("#alert")
                alert.wait_for()
                page.wait_for_function("() => document.querySelector('#alert').innerText.length > 0")
                text = alert.inner_text()
                assert (PHONE_TEAM in text and PHONE_NIGHT in text) or "911" in text, text
                shot(page, tmp_path, f"{language}-warning")
            elif hazard_given is None and not item.red_flag and hazard is not None and item.action:
                hazard_given = item_id  # one hazard in the home, so the plan has an action
                answer_by_keyboard(page, item_id, option_for(item, str(hazard)))
            else:
                neutral = item.answer.neutral()
                answer_by_keyboard(page, item_id, option_for(item, str(neutral)))
            answered += 1
        button = tab_to(page, lambda e: e["tag"] == "BUTTON" and e["name"] == "go" and "back" not in e.get("id", ""))
        while button.get("label", "").lower() in ("back", "retour"):
            button = tab_to(page, lambda e: e["tag"] == "BUTTON" and e["name"] == "go")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert pages >= 5
    assert sign is not None
    return sign, answered


@pytest.mark.parametrize("language", ["en-CA", "fr-CA"])
def test_a_whole_self_check_by_keyboard_alone_is_stored(tmp_path: Path, browser: Any, language: str) -> None:
    served = Served(tmp_path, *(["--lang", "fr-CA"] if language == "fr-CA" else []))
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
        page = context.new_page()
        hosts: set[str] = set()
        page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
        page.goto(served.url)
        assert page.locator("html").get_attribute("lang") == language
        shot(page, tmp_path, f"{language}-start")
        link = tab_to(page, named(WORDS[language]["start"]))
        assert link["tag"] == "A"
        page.keyboard.press("Enter")
        page.wait_for_selector("form[action='/new']")
        shot(page, tmp_path, f"{language}-profile", full_page=True)
        fill_profile(page, language)
        shot(page, tmp_path, f"{language}-section-1")
        sign, answered = walk_whole_check(page, served, tmp_path, language)
        assert page.locator("h1").inner_text() in ("Your answers", "Vos réponses")
        # the warning stays at the top of every later page, with the numbers given
        warning = page.locator("#warnings").inner_text()
        assert PHONE_TEAM in warning or "911" in warning
        shot(page, tmp_path, f"{language}-review", full_page=True)
        tab_to(
            page,
            lambda e: e["tag"] == "BUTTON" and ("finish" in e["label"].lower() or "terminer" in e["label"].lower()),
        )
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert hosts == {f"127.0.0.1:{served.port}"}  # nothing asked of any other host
        rows = stored(served, "SELECT id, status, language FROM assessments")
        assert rows == [(1, "finished", language)]
        values = dict(stored(served, "SELECT item_id, value_json FROM answers WHERE assessment_id = 1"))
        assert json.loads(values[sign]) == "yes"
        assert sum(1 for v in values.values() if v is not None and json.loads(v) is not None) >= answered
        # the handout as a page and as a PDF, from the review
        with page.expect_download() as download:
            page.locator("a[href$='plan.pdf']").click()
        pdf = Path(download.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF") and len(pdf) > 5000
        # an emergency sign was answered yes: the page says to call now, and offers no date to wait for
        assert page.locator("a[href$='next-check.ics']").count() == 0
        page.locator("a[href$='/handout']").click()
        page.wait_for_selector("article.handout")
        handout = page.locator("article.handout").inner_text()
        assert PHONE_TEAM in handout and "Zoé Tremblay" in handout
        assert page.locator("table.actions-log th[scope=col]").count() == 2
        assert page.locator("article.handout section").first.get_attribute("class") == "warning"  # warnings first
        shot(page, tmp_path, f"{language}-handout", full_page=True)
        context.close()
    finally:
        served.stop()


def start_check(browser: Any, served: Served, name: str = "Zoé", **options: Any) -> tuple[Any, Any]:
    """A tab with a new self-check begun (by mouse: the keyboard walk is tested above)."""
    context = browser.new_context(**({"viewport": {"width": 1280, "height": 800}} | options))
    page = context.new_page()
    page.goto(served.url)
    page.locator("a[href='/new']").click()
    page.fill("#f-name", name)
    page.fill("#f-cancer_team_phone", PHONE_TEAM)
    page.fill("#f-after_hours_phone", PHONE_NIGHT)
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("#section-form")
    return context, page


@pytest.fixture
def served(tmp_path: Path) -> Any:
    server = Served(tmp_path)
    yield server
    server.stop()


def test_the_accessibility_tree_holds_every_question(served: Served, browser: Any, tmp_path: Path) -> None:
    context, page = start_check(browser, served)
    checklist = catalog.find("bone-metastases-self-check")
    pages = page.locator("nav.sections li a[href*='/check/1/']").count() - 1
    seen = 0
    for n in range(1, pages + 1):
        page.goto(f"http://127.0.0.1:{served.port}/check/1/{n}")
        tree = page.locator("main").aria_snapshot()
        if n == 1:
            (shots_dir(tmp_path) / "aria-section-1.yaml").write_text(tree)
        for item_id in page.locator("fieldset.question").evaluate_all("nodes => nodes.map(n => n.dataset.item)"):
            prompt = checklist.item(item_id).prompt_for("self")
            assert prompt in tree, prompt
            seen += 1
        assert "group" in tree and "radio" in tree
    assert seen >= 40
    context.close()


def test_a_tab_closed_mid_note_keeps_the_note(served: Served, browser: Any) -> None:
    context, page = start_check(browser, served)
    first = page.locator("fieldset.question").first.get_attribute("data-item")
    page.locator(f"#q-{first} details.note summary").click()
    page.locator(f"#n-{first}").type("My left hip hurts on the stairs")
    page.wait_for_timeout(1200)  # the draft is sent while typing
    page.close()  # the tab closed, the note never left its box
    again = context.new_page()
    again.goto(f"http://127.0.0.1:{served.port}/check/1/resume")
    assert again.locator(f"#n-{first}").input_value() == "My left hip hurts on the stairs"
    assert again.locator(f"#q-{first} details.note").get_attribute("open") is not None
    context.close()


def test_two_tabs_on_one_check_stay_consistent(served: Served, browser: Any) -> None:
    context, first = start_check(browser, served)
    second = context.new_page()
    second.goto(f"http://127.0.0.1:{served.port}/check/1/1")
    item = first.locator("fieldset.question").first.get_attribute("data-item")
    first.locator(f"#q-{item} input[type=radio]").nth(1).check()
    first.wait_for_function(f"() => document.querySelector(\"input[name='was-{item}']\").value !== ''")
    # the second tab, loaded before, moves on without touching that question: the answer stays
    with second.expect_navigation():
        second.locator("button[value=next]").click()
    value = stored(served, "SELECT value_json FROM answers WHERE assessment_id = 1 AND item_id = ?", item)
    assert value and json.loads(value[0][0]) is not None
    second.goto(f"http://127.0.0.1:{served.port}/check/1/1")
    assert second.locator(f"#q-{item} input[type=radio]").nth(1).is_checked()
    context.close()


def test_a_post_without_the_csrf_token_is_refused(served: Served, browser: Any) -> None:
    context, page = start_check(browser, served)
    item = page.locator("fieldset.question").first.get_attribute("data-item")
    status = page.evaluate(
        """async (item) => (await fetch('/check/1/answer', {method: 'POST',
             body: new URLSearchParams({item: item, value: 'yes', page: '1'})})).status""",
        item,
    )
    assert status == 403
    forged = page.evaluate(
        """async (item) => (await fetch('/check/1/answer', {method: 'POST', headers: {'X-CSRF-Token': 'x'},
             body: new URLSearchParams({item: item, value: 'yes', page: '1'})})).status""",
        item,
    )
    assert forged == 403
    assert stored(served, "SELECT count(*) FROM answers WHERE item_id = ?", item)[0][0] == 0
    context.close()


def test_without_the_token_and_its_cookie_nothing_is_served(served: Served) -> None:
    token = urlparse(served.url).path.strip("/")
    reply = urllib.request.urlopen(served.url, timeout=5)
    headers = reply.headers
    assert (
        "script-src 'self'" in headers["Content-Security-Policy"]
        and "unsafe-inline" not in headers["Content-Security-Policy"]
    )
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    pair = cookie.split(";")[0]
    for path in ("/", "/start", "/new", "/check/1/1", f"/{token[:-1]}/", "/check/1/plan.pdf"):
        assert served.status(path) == 403, path
    assert served.status("/start", pair) == 200
    assert served.status("/start", pair[:-2] + "xx") == 401  # an unknown visitor: "this page closed"
    # a POST with the cookie but no CSRF token, from outside any page
    request = urllib.request.Request(f"http://127.0.0.1:{served.port}/new", data=b"name=x", method="POST")
    request.add_header("Cookie", pair)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 403
    # another host name (DNS rebinding) and another site's form: refused before the token
    for host, code in (("evil.example", b"421"), (f"127.0.0.1:{served.port}", b"200")):
        reply_bytes = _raw(served.port, f"GET /{token}/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert reply_bytes.startswith(b"HTTP/1.1 " + code), (host, reply_bytes[:40])
    post = (
        f"POST /new HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\nOrigin: http://evil.example\r\nCookie: {pair}\r\n"
        "Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    assert _raw(served.port, post.encode()).startswith(b"HTTP/1.1 403")
    # a body too large, and a flood of requests: each refused with a status, never a crash
    big = (
        f"POST /new HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\nCookie: {pair}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {200_000}\r\nConnection: close\r\n\r\n"
    ).encode() + b"a" * 200_000
    assert _raw(served.port, big).startswith(b"HTTP/1.1 413")
    codes = [served.status("/start", pair) for _ in range(300)]
    assert 429 in codes and codes[0] == 200
    served.stop()
    console = (served.process.stdout.read() if served.process.stdout else "") + (
        served.process.stderr.read() if served.process.stderr else ""
    )
    assert "Traceback" not in console


def test_a_persons_link_opens_only_their_checks(tmp_path: Path, browser: Any) -> None:
    (tmp_path / "a").mkdir()
    first = Served(tmp_path / "a")
    try:
        context, _ = start_check(browser, first)  # person 1
        context.close()
        other, _ = start_check(browser, first, "Marc")  # person 2
        other.close()
    finally:
        first.stop()
    shutil.move(str(tmp_path / "a" / "data"), str(tmp_path / "data"))
    linked = Served(tmp_path, "--person", "2")
    try:
        out = linked.lines
        person_url = next(line.split(": ", 1)[1] for line in out if "person 2" in line)
        context = browser.new_context()
        page = context.new_page()
        page.goto(person_url)
        assert page.locator("a[href='/check/2/resume']").count() == 1
        assert page.locator("a[href='/check/1/resume']").count() == 0
        page.goto(f"http://127.0.0.1:{linked.port}/check/1/1")
        assert page.locator("h1").inner_text() == "safehome"  # not this person's: nothing of it shown
        page.goto(f"http://127.0.0.1:{linked.port}/check/2/1")
        assert page.locator("#section-form").count() == 1
        context.close()
    finally:
        linked.stop()
    again = Served(tmp_path, "--person", "2")  # the link is the same after a restart
    try:
        token = urlparse(person_url).path
        assert any(token in line for line in again.lines)
    finally:
        again.stop()


# -- WCAG 2.2 AA (issue 30): axe-core on every page type, the widths at each scale, the colours


def page_types(page: Any, port: int) -> list[tuple[str, str]]:
    """(name, address) of each kind of page, for a check begun with a warning sign answered yes."""
    base = f"http://127.0.0.1:{port}"
    first = page.locator("fieldset.question").first.get_attribute("data-item")
    page.locator(f"#q-{first} input[type=radio]").first.check()  # yes: a warning sign
    page.wait_for_function("() => document.querySelector('#alert').innerText.length > 0")
    return [
        ("start", f"{base}/start"),
        ("profile", f"{base}/new"),
        ("section", f"{base}/check/1/1"),
        ("section-3", f"{base}/check/1/3"),
        ("review", f"{base}/check/1/review"),
        ("handout", f"{base}/check/1/handout"),
        ("message", f"{base}/check/99/1"),
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation_on_any_page(
    served: Served, browser: Any, tmp_path: Path, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context, page = start_check(browser, served, color_scheme=scheme)
    found: dict[str, list[str]] = {}
    for name, address in page_types(page, served.port):
        page.goto(address)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = results.response["violations"]
        found[name] = [f"{v['id']} ({v['impact']}): {len(v['nodes'])}" for v in violations]
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert not serious, (name, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious])
        shot(page, tmp_path, f"{scheme}-{name}")
    (shots_dir(tmp_path) / f"axe-{scheme}.json").write_text(json.dumps(found, indent=1))
    context.close()


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SCALES = [(1, 1280, 800), (2, 640, 400), (4, 320, 200), (3, 390, 844)]  # a 1280x800 screen at 100/200/400%; a phone


@pytest.mark.parametrize(("scale", "width", "height"), SCALES)
def test_every_page_reflows_at_each_scale_with_the_question_whole(
    served: Served, browser: Any, tmp_path: Path, scale: int, width: int, height: int
) -> None:
    context, page = start_check(browser, served)
    addresses = page_types(page, served.port)
    context.close()
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
    page = context.new_page()
    page.goto(served.url)  # a visitor of its own: the same link
    measured = {}
    for name, address in addresses:
        page.goto(address)
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert sizes[0] <= sizes[1], (name, sizes)  # no sideways scrolling
        measured[name] = sizes[0]
        if name.startswith("section"):
            box = page.locator("fieldset.question").first.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box)
            legend = page.locator("fieldset.question .prompt").first.bounding_box()
            assert legend["x"] + legend["width"] <= width
        small = page.evaluate(TARGETS)
        assert not small, (name, small[:5])
        shot(page, tmp_path, f"scale{scale}-{width}-{name}")  # what is on the screen, as the person sees it
    (shots_dir(tmp_path) / f"widths-{scale}-{width}.json").write_text(json.dumps(measured))
    context.close()


# every control outside running text at least 24 by 24 CSS pixels (WCAG 2.2 2.5.8)
TARGETS = """() => [...document.querySelectorAll('button, select, textarea, input:not([type=hidden]), summary, .choice, .button-link')]
  .filter(e => e.offsetParent !== null && !(e.type === 'radio' || e.type === 'checkbox'))
  .map(e => [e.tagName + '#' + e.id, e.getBoundingClientRect()])
  .filter(([_, r]) => r.width < 24 || r.height < 24).map(([n, r]) => `${n} ${r.width}x${r.height}`)"""


def test_text_at_200_percent_and_forced_colours(served: Served, browser: Any, tmp_path: Path) -> None:
    context, page = start_check(browser, served, bypass_csp=True)  # to enlarge the text the way a reader's setting does
    addresses = page_types(page, served.port)
    for name, address in addresses:
        page.goto(address)
        page.add_style_tag(content="html { font-size: 200% !important; }")
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert sizes[0] <= sizes[1], (name, sizes)
        if name in ("section", "review"):
            shot(page, tmp_path, f"text200-{name}")
    page.emulate_media(forced_colors="active")
    page.goto(addresses[2][1])
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    shot(page, tmp_path, "forced-colours-section")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    context.close()


def test_the_pages_work_without_scripts(served: Served, browser: Any) -> None:
    """A plain form, a POST and a redirect: an answer saved, a warning said on the same page, a
    typed answer that cannot be taken said beside its question, the next page."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served.url)
    page.locator("a[href='/new']").click()
    page.fill("#f-name", "Zoé")
    page.fill("#f-age", "seventy")  # not a number: said beside the field, nothing started
    page.locator("form button[type=submit]").click()
    assert page.locator("#m-age").is_visible() and page.locator("#f-name").input_value() == "Zoé"
    page.fill("#f-age", "78")
    page.fill("#f-cancer_team_phone", PHONE_TEAM)
    page.locator("form button[type=submit]").click()
    first = page.locator("fieldset.question").first.get_attribute("data-item")
    second = page.locator("fieldset.question").nth(1).get_attribute("data-item")
    page.locator(f"#q-{first} input[type=radio]").first.check()  # yes
    page.locator(f"#q-{second} input[type=radio]").nth(1).check()  # no
    page.locator("button[value=next]").click()
    assert page.url.endswith("/check/1/1#alert")  # the warning first, on the same page
    assert "911" in page.locator("#alert").inner_text()
    values = dict(stored(served, "SELECT item_id, value_json FROM answers WHERE assessment_id = 1"))
    assert json.loads(values[first]) == "yes" and json.loads(values[second]) == "no"
    page.locator("button[value=next]").click()
    assert page.url.endswith("/check/1/2")
    assert "911" in page.locator("#warnings").inner_text()  # and at the top of every later page
    # two answers of 57 and no hazard among them: never "no hazards were found", always "not checked"
    page.goto(f"http://127.0.0.1:{served.port}/check/1/handout")
    actions = page.locator("section[aria-labelledby=h-actions]").inner_text()
    assert "NOT CHECKED" in actions and "Keep doing what you are doing" not in actions
    page.goto(f"http://127.0.0.1:{served.port}/check/1/review")
    assert "will show as not checked" in page.locator("form[action$='/finish'] button").inner_text()
    context.close()


def test_twenty_tabs_at_once_each_saved_and_cheap(served: Served) -> None:
    """No process per tab: twenty visitors answer at once, every answer is stored, and the server
    grows by under 5 MiB a tab (the figure itself is in `make bench`)."""
    from concurrent.futures import ThreadPoolExecutor

    from bench.web import Visitor, _rss_kib

    first = Visitor(served.port, served.url)
    first.start_check("Warm")  # the checklist, the templates and the store opened once
    before = _rss_kib(served.process.pid)

    def one(n: int) -> tuple[int, str]:
        visitor = Visitor(served.port, served.url)
        check = visitor.start_check(f"Tab {n}")
        page = visitor.get(f"/check/{check}/1")
        item = page.split('data-item="', 1)[1].split('"', 1)[0]
        status, _ = visitor.post(f"/check/{check}/answer", {"item": item, "value": "no", "page": "1"})
        assert status == 200
        return check, item

    with ThreadPoolExecutor(20) as pool:
        done = list(pool.map(one, range(20)))
    after = _rss_kib(served.process.pid)
    assert len({check for check, _ in done}) == 20
    for check, item in done:
        value = stored(served, "SELECT value_json FROM answers WHERE assessment_id = ? AND item_id = ?", check, item)
        assert value and json.loads(value[0][0]) == "no"
    assert (after - before) / 20 < 5 * 1024, (before, after)


def test_an_idle_page_warns_first_then_closes_with_every_answer_kept(tmp_path: Path, browser: Any) -> None:
    served = Served(tmp_path, "--idle-minutes", "0.1")  # 6 seconds
    try:
        context, page = start_check(browser, served)
        item = page.locator("fieldset.question").first.get_attribute("data-item")
        page.locator(f"#q-{item} input[type=radio]").nth(1).check()
        page.wait_for_function(f"() => document.querySelector(\"input[name='was-{item}']\").value !== ''")
        page.wait_for_selector("#idle:not([hidden])", timeout=10_000)
        assert page.evaluate("document.activeElement.id") == "idle-title"  # read from its top
        page.wait_for_function("() => document.getElementById('idle').classList.contains('closed')", timeout=10_000)
        assert "Every answer was saved" in page.locator("#idle-text").inner_text()
        page.reload()
        assert "Every answer was saved" in page.locator("main").inner_text()  # the server closed it too
        value = stored(served, "SELECT value_json FROM answers WHERE assessment_id = 1 AND item_id = ?", item)
        assert json.loads(value[0][0]) == "no"
        page.goto(served.url)  # the address opens it again, where it stopped
        assert page.locator("a[href='/check/1/resume']").count() == 1
        context.close()
    finally:
        served.stop()
