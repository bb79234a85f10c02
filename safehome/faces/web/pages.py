"""The web self-check's pages: start, profile, a section of questions per page, review, handout.

Every page works without the page's script (a form, a POST and a redirect); with it, each answer
and note is saved the moment it is given (fetch) and a warning sign is announced on the spot.
Each request reads the assessment from the store afresh, so two tabs, or the app and a tab, see
the same answers. Only self-checks are served, and a person's link only that person's.
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp_jinja2
import jinja2
from aiohttp import web

from safehome import service
from safehome.core.errors import InputError
from safehome.faces.web import forms, views
from safehome.i18n.words import LANGUAGES, speaking, t
from safehome.service.session import SaveFailed, Session

if TYPE_CHECKING:
    from safehome.faces.web.visitors import Visitor


class Site(Protocol):
    """What the pages need of the server that serves them (site.Site)."""

    desk: service.Desk
    scopes: dict[str, int | None]
    idle_seconds: float

    def today(self) -> date: ...
    def visitor(self, request: web.Request) -> Visitor | None: ...
    def welcome(self, request: web.Request, scope: int | None) -> Visitor: ...
    def set_cookie(self, request: web.Request, response: web.StreamResponse, visitor: Visitor) -> None: ...
    def message(self, request: web.Request, text: str, status: int, language: str) -> web.Response: ...


SELF_CHECK = "bone-metastases-self-check"


def install_filters(env: jinja2.Environment, static: Path) -> None:
    versions = {f.name: hashlib.sha256(f.read_bytes()).hexdigest()[:12] for f in static.iterdir() if f.is_file()}
    env.globals["static"] = lambda name: f"/static/{name}?v={versions[name]}"  # a changed file is fetched again
    env.filters["shown"] = views.shown_text
    env.globals["t"] = t
    env.globals["marked"] = views.marked


def message_context(text: str, language: str) -> dict[str, Any]:
    return {
        "lang": language,
        "message": text,
        "csrf": "",
        "idle": 0,
        "title": "safehome",
        "warnings": [],
        "raised": False,
    }


def routes(site: Site) -> list[web.RouteDef]:
    p = Pages(site)
    check = "/check/{id:\\d+}"
    return [
        *[web.get(f"/{token}/", p.welcome) for token in site.scopes],
        *[web.get(f"/{token}", p.slash) for token in site.scopes],
        web.get("/favicon.ico", p.favicon),
        web.get("/start", p.start),
        web.post("/language", p.language),
        web.post("/alive", p.alive),
        web.get("/new", p.new_form),
        web.post("/new", p.new),
        web.get(check + "/about", p.about_form),
        web.post(check + "/about", p.about),
        web.get(check + "/resume", p.resume),
        web.get(check + "/review", p.review),
        web.post(check + "/finish", p.finish),
        web.post(check + "/amend", p.amend),
        web.get(check + "/handout", p.handout),
        web.get(check + "/plan.pdf", p.pdf),
        web.get(check + "/next-check.ics", p.calendar),
        web.post(check + "/answer", p.answer),
        web.post(check + "/note", p.note),
        web.post(check + "/draft", p.draft),
        web.get(check + "/{n:\\d+}", p.section),
        web.post(check + "/{n:\\d+}", p.section_post),
    ]


def see_other(location: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(location)


class Pages:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.desk = site.desk

    # -- what every page needs

    def render(
        self, template: str, request: web.Request, visitor: Visitor, language: str, **context: Any
    ) -> web.Response:
        with speaking(language):
            base = {
                "lang": language,
                "csrf": visitor.csrf,
                "idle": int(self.site.idle_seconds),
                "title": t("web.title"),
                "warnings": [],
                "raised": False,
            }
            return aiohttp_jinja2.render_template(template, request, {**base, **context})

    def visitor(self, request: web.Request) -> Visitor:
        found = self.site.visitor(request)
        assert found is not None  # the site's guard let only visitors through
        return found

    def session(self, request: web.Request) -> tuple[Visitor, Session]:
        """The visitor and the assessment of the address, when it is theirs to see (else 404)."""
        visitor = self.visitor(request)
        assessment_id = int(request.match_info["id"])
        person = self.desk.person_for(assessment_id)
        if person is None or (visitor.scope is not None and person.id != visitor.scope):
            raise self._not_found(request, visitor)
        try:  # in the check's own language, else the visitor's
            session = self.desk.session(assessment_id, visitor.language)
        except InputError:
            raise self._not_found(request, visitor) from None
        if session.mode != "self":
            raise self._not_found(request, visitor)
        if assessment_id in visitor.amending:
            session.amend()
        return visitor, session

    def _not_found(self, request: web.Request, visitor: Visitor) -> web.HTTPException:
        response = self.site.message(request, t("web.not_found"), 404, visitor.language)
        return web.HTTPNotFound(text=response.text, content_type="text/html", headers=self._headers(response))

    @staticmethod
    def _headers(response: web.Response) -> dict[str, str]:
        return {k: v for k, v in response.headers.items() if k.lower() not in ("content-type", "content-length")}

    @staticmethod
    def lang(session: Session, visitor: Visitor) -> str:
        return session.language or visitor.language

    def pages_of(self, session: Session) -> int:
        return len(session.sections())

    def warnings(self, session: Session, visitor: Visitor) -> list[views.Tier]:
        with speaking(self.lang(session, visitor)):
            return views.warnings(session)

    # -- start

    async def welcome(self, request: web.Request) -> web.StreamResponse:
        token = request.path.strip("/")
        visitor = self.site.welcome(request, self.site.scopes[token])
        response = self._start(request, visitor)
        self.site.set_cookie(request, response, visitor)
        return response

    async def slash(self, request: web.Request) -> web.StreamResponse:
        raise see_other(request.path + "/")

    async def favicon(self, request: web.Request) -> web.StreamResponse:
        return web.Response(status=204)

    async def start(self, request: web.Request) -> web.StreamResponse:
        return self._start(request, self.visitor(request))

    def _start(self, request: web.Request, visitor: Visitor) -> web.Response:
        with speaking(visitor.language):
            summaries = [s for s in self.desk.assessments(person_id=visitor.scope) if s.mode == "self"]
            progress = self.desk.progress(summaries)
            checks = [
                {
                    "id": s.id,
                    "person": s.person,
                    "day": t("pdf.date", day=date.fromisoformat(s.assessed_on)),
                    "finished": s.status == "finished",
                    "answered": progress.get(s.id, (s.answered, 0))[0],
                    "asked": progress.get(s.id, (0, 0))[1],
                }
                for s in summaries[:20]
            ]
            languages = [(tag, t(f"language.{tag}")) for tag in LANGUAGES]
        return self.render("start.html", request, visitor, visitor.language, checks=checks, languages=languages)

    async def language(self, request: web.Request) -> web.StreamResponse:
        visitor = self.visitor(request)
        wanted = str((await request.post()).get("language", ""))
        if wanted in LANGUAGES:
            visitor.language = wanted
        raise see_other("/start")

    async def alive(self, request: web.Request) -> web.StreamResponse:
        return web.Response(status=204)  # the guard noted the visitor as seen

    # -- the profile

    async def new_form(self, request: web.Request) -> web.StreamResponse:
        visitor = self.visitor(request)
        kept = None
        if visitor.scope is not None:  # a follow-up starts from what the person said last time
            with contextlib.suppress(IndexError, service.StoreError):
                kept = self.desk.latest(visitor.scope).assessment.profile
        with speaking(visitor.language):
            fields = forms.profile_fields(forms.profile_values(kept), {}, {})
        return self.render(
            "profile.html", request, visitor, visitor.language, fields=fields, action="/new", editing=False
        )

    async def new(self, request: web.Request) -> web.StreamResponse:
        visitor = self.visitor(request)
        form = await request.post()
        today = self.site.today()
        with speaking(visitor.language):
            checked, typed = forms.read_profile(form, None, today, today)
            if not checked.ok or checked.profile is None:
                return self._profile_again(request, visitor, typed, checked, "/new", editing=False)
            from safehome.core import catalog

            checklist = catalog.find(SELF_CHECK, language=visitor.language)
            session = self.desk.start(
                checklist,
                "self",
                checked.profile,
                today,
                person_id=visitor.scope,
                language=visitor.language,  # type: ignore[arg-type]
            )
        raise see_other(f"/check/{session.id}/1")

    def _profile_again(
        self, request: web.Request, visitor: Visitor, typed: dict[str, Any], checked: Any, action: str, *, editing: bool
    ) -> web.Response:
        fields = forms.profile_fields(typed, checked.errors, dict(checked.warnings))
        response = self.render(
            "profile.html",
            request,
            visitor,
            visitor.language,
            fields=fields,
            action=action,
            editing=editing,
            failed=True,
        )
        response.set_status(422)
        return response

    async def about_form(self, request: web.Request) -> web.StreamResponse:
        visitor, session = self.session(request)
        language = self.lang(session, visitor)
        with speaking(language):
            fields = forms.profile_fields(forms.profile_values(session.profile), {}, {})
        return self.render(
            "profile.html", request, visitor, language, fields=fields, action=f"/check/{session.id}/about", editing=True
        )

    async def about(self, request: web.Request) -> web.StreamResponse:
        visitor, session = self.session(request)
        form = await request.post()
        with speaking(self.lang(session, visitor)):
            checked, typed = forms.read_profile(form, session.profile, session.day, self.site.today())
            if not checked.ok or checked.profile is None or checked.day is None:
                return self._profile_again(request, visitor, typed, checked, f"/check/{session.id}/about", editing=True)
            session.update_profile(checked.profile, checked.day)
        raise see_other(f"/check/{session.id}/{views.section_of(session, session.current.item.id)}")

    # -- the questions, a section a page

    async def resume(self, request: web.Request) -> web.StreamResponse:
        _, session = self.session(request)
        if session.finished:
            raise see_other(f"/check/{session.id}/review")
        # a note typed before the tab closed: its question's page; else where the person stopped
        return_to = session.draft[0] if session.draft is not None else session.current.item.id
        raise see_other(f"/check/{session.id}/{views.section_of(session, return_to)}#q-{return_to}")

    async def section(self, request: web.Request) -> web.StreamResponse:
        visitor, session = self.session(request)
        n = int(request.match_info["n"])
        sections = session.sections()
        if not 1 <= n <= len(sections):
            raise see_other(f"/check/{session.id}/review")
        section = sections[n - 1][0]
        language = self.lang(session, visitor)
        errors = {k.removeprefix("err-"): v for k, v in visitor.flash.items() if k.startswith("err-")}
        raised = visitor.flash.pop("raised", "") == str(session.id)
        for key in list(visitor.flash):
            if key.startswith("err-"):
                del visitor.flash[key]
        with speaking(language):
            questions = views.section_questions(session, section, errors)
            context = {
                "check": session.id,
                "n": n,
                "pages": len(sections),
                "section": section,
                "questions": questions,
                "links": views.section_links(session),
                "warnings": views.warnings(session),
                "raised": raised,
                "locked": session.locked,
                "errors": errors,
            }
        return self.render("section.html", request, visitor, language, **context)

    async def section_post(self, request: web.Request) -> web.StreamResponse:
        """The section's form sent without the page's script: each answer and note that changed here
        (and only those: another tab's newer answer is never overwritten by this page's old one)."""
        visitor, session = self.session(request)
        n = int(request.match_info["n"])
        form = await request.post()
        raised = False
        with speaking(self.lang(session, visitor)):
            for step in list(session.steps):
                item = step.item
                given = form.get(f"v-{item.id}")
                if given is None:
                    given = form.get(f"typed-{item.id}")
                was = str(form.get(f"was-{item.id}", ""))
                if given is not None and str(given) != was and not session.locked:
                    error, warned = self._apply(session, item.id, str(given))
                    if error:
                        visitor.flash[f"err-{item.id}"] = error
                    raised = raised or warned
                note = form.get(f"note-{item.id}")
                if note is not None and str(note) != str(form.get(f"wasn-{item.id}", "")) and not session.locked:
                    with contextlib.suppress(SaveFailed, ValueError):
                        session.set_note(item.id, str(note)[:2000])
                        if session.draft_for(item.id) is not None:
                            session.set_draft(item.id, None)
        go = str(form.get("go", "next"))
        if raised:  # a new warning sign: said on this page before anything else
            visitor.flash["raised"] = str(session.id)
            raise see_other(f"/check/{session.id}/{n}#alert")
        if any(k.startswith("err-") for k in visitor.flash):
            raise see_other(f"/check/{session.id}/{n}")
        if go == "back":
            raise see_other(f"/check/{session.id}/{max(1, n - 1)}")
        if go == "review" or n >= self.pages_of(session):
            raise see_other(f"/check/{session.id}/review")
        raise see_other(f"/check/{session.id}/{n + 1}")

    def _apply(self, session: Session, item_id: str, given: str) -> tuple[str | None, bool]:
        """An answer as given in a form ("" takes it back): (a sentence when it cannot be taken,
        whether it raises a warning sign)."""
        item = session.checklist.item(item_id)
        try:
            if given.strip() == "":
                if session.value(item_id) is not None and not session.from_profile(item_id):
                    session.clear(item_id)
                return None, False
            value = item.answer.parse(given)
            was_warning = session.raises_warning(item)
            warned = session.answer(item_id, value)
            return None, warned and not was_warning
        except ValueError as exc:
            return str(exc), False
        except SaveFailed as exc:
            return t("app.q.save_failed", reason=exc), False

    # -- the page's script: one answer, one note, a draft

    async def answer(self, request: web.Request) -> web.StreamResponse:
        visitor, session = self.session(request)
        form = await request.post()
        item_id = str(form.get("item", ""))
        n = int(str(form.get("page", "1")) or 1)
        language = self.lang(session, visitor)
        with speaking(language):
            if item_id not in {s.item.id for s in session.steps}:
                return web.json_response({"error": t("web.not_asked")}, status=409)
            if session.locked:
                return web.json_response({"error": t("web.locked")}, status=409)
            error, raised = self._apply(session, item_id, str(form.get("value", "")))
            return web.json_response(self._page_state(request, session, visitor, n, error, raised, item_id))

    def _page_state(
        self,
        request: web.Request,
        session: Session,
        visitor: Visitor,
        n: int,
        error: str | None,
        raised: bool,
        item_id: str,
    ) -> dict[str, Any]:
        """What the page's script updates after an answer: the warnings, and the questions when
        the answer changed which are asked (a follow-up question appears or goes)."""
        sections = session.sections()
        n = min(max(1, n), len(sections))
        section = sections[n - 1][0]
        env = aiohttp_jinja2.get_env(request.app)
        questions = views.section_questions(session, section, {item_id: error} if error else {})
        tiers = views.warnings(session)
        answered, asked = session.progress()
        return {
            "error": error,
            "raised": raised,
            "alert": env.get_template("_warnings.html").render(warnings=tiers, raised=True) if raised else "",
            "warnings": env.get_template("_warnings.html").render(warnings=tiers, raised=False),
            "ids": [q.item.id for q in questions],
            "questions": env.get_template("_questions.html").render(
                questions=questions, check=session.id, n=n, locked=session.locked
            ),
            "value": views.value_code(session.value(item_id)),
            "progress": t("web.progress", answered=answered, asked=asked),
            "saved": t("app.q.saved"),
        }

    async def note(self, request: web.Request) -> web.StreamResponse:
        _, session = self.session(request)
        form = await request.post()
        item_id = str(form.get("item", ""))
        if item_id not in {s.item.id for s in session.steps} or session.locked:
            return web.json_response({"error": t("web.locked")}, status=409)
        try:
            session.set_note(item_id, str(form.get("text", ""))[:2000])
            if session.draft_for(item_id) is not None:
                session.set_draft(item_id, None)
        except SaveFailed as exc:
            return web.json_response({"error": t("app.q.note_save_failed", reason=exc)}, status=503)
        return web.json_response({"saved": t("app.q.saved")})

    async def draft(self, request: web.Request) -> web.StreamResponse:
        _, session = self.session(request)
        form = await request.post()
        item_id = str(form.get("item", ""))
        if item_id not in {s.item.id for s in session.steps} or session.locked:
            return web.Response(status=204)
        text = str(form.get("text", ""))[:2000]
        with contextlib.suppress(SaveFailed):
            session.set_draft(item_id, text if text != session.note(item_id) else None)
        return web.Response(status=204)

    # -- the review, the end, the handout

    async def review(self, request: web.Request) -> web.StreamResponse:
        visitor, session = self.session(request)
        language = self.lang(session, visitor)
        with speaking(language):
            answered, asked = session.progress()
            context = {
                "check": session.id,
                "reviewed": views.review(session),
                "warnings": views.warnings(session),
                "answered": answered,
                "asked": asked,
                "finished": session.finished,
                "locked": session.locked,
                "name": session.profile.name,
                "reminder": self._reminder(session) is not None,
            }
        return self.render("review.html", request, visitor, language, **context)

    def _reminder(self, session: Session) -> bytes | None:
        return service.reminder_ics(session.checklist, session.assessment(), f"web-check-{session.id}")

    async def calendar(self, request: web.Request) -> web.StreamResponse:
        """The next check as a calendar file (none while the check is incomplete or a sign is urgent)."""
        visitor, session = self.session(request)
        with speaking(self.lang(session, visitor)):
            data = self._reminder(session)
        if data is None:
            raise web.HTTPNotFound()
        return web.Response(
            body=data,
            content_type="text/calendar",
            headers={"Content-Disposition": 'attachment; filename="safehome-next-check.ics"'},
        )

    async def finish(self, request: web.Request) -> web.StreamResponse:
        visitor, session = self.session(request)
        session.finish()
        visitor.amending.discard(session.id)
        raise see_other(f"/check/{session.id}/review")

    async def amend(self, request: web.Request) -> web.StreamResponse:
        visitor, session = self.session(request)
        visitor.amending.add(session.id)
        raise see_other(f"/check/{session.id}/1")

    async def handout(self, request: web.Request) -> web.StreamResponse:
        visitor, session = self.session(request)
        language = self.lang(session, visitor)
        with speaking(language):
            from safehome.faces.web.handout import handout

            context = handout(session)
        return self.render("handout.html", request, visitor, language, check=session.id, **context)

    async def pdf(self, request: web.Request) -> web.StreamResponse:
        visitor, session = self.session(request)
        large = request.query.get("large") == "1"
        language = self.lang(session, visitor)
        options = service.ReportOptions(large_print=large, language=language)
        with speaking(language):
            data = service.render_report(session.checklist, session.assessment(), options)
        name = f"safehome-plan-{session.day.isoformat()}{'-large' if large else ''}.pdf"
        return web.Response(
            body=data,
            content_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
