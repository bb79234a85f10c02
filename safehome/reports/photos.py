"""Photos in the documents: each with the item it shows and its caption, as taken (upright,
cleaned of every camera detail before it was kept)."""

from __future__ import annotations

import io
from typing import Any

from reportlab.platypus import CondPageBreak, Image, KeepTogether, Paragraph, Spacer

from safehome.core.models import Checklist
from safehome.core.records import Photo
from safehome.core.score import Score
from safehome.i18n.words import t
from safehome.reports.styles import Styles, para_text

MAX_HEIGHT_SHARE = 0.33  # of the page's frame: two photos with their captions fit a page, in large print too


def photo_section(
    checklist: Checklist,
    result: Score,
    photos: tuple[Photo, ...],
    mode: str,
    s: Styles,
    width: float,
    height: float,
    *,
    home: bool,
) -> list[Any]:
    """A heading, then every photo at a size that keeps two on a page, in checklist order, each
    under what was found there (a hazard as its statement, a measurement with its number) or its
    question."""
    if not photos:
        return []
    statuses = {r.item_id: r for r in result.items}
    order = {item_id: n for n, item_id in enumerate(checklist.index)}
    shown = sorted(photos, key=lambda p: (order.get(p.item_id, len(order)), p.id))
    heading_style = s.h1 if home else s.ch1
    text_style = s.body if home else s.cell
    story: list[Any] = [CondPageBreak(height * 0.5), Paragraph(t("pdf.photos.title", count=len(shown)), heading_style)]
    for n, photo in enumerate(shown, start=1):
        box_w, box_h = width * 0.8, height * MAX_HEIGHT_SHARE
        scale = min(box_w / photo.width, box_h / photo.height)
        w, h = photo.width * scale, photo.height * scale
        if photo.item_id in checklist.index:
            section, item = checklist.index[photo.item_id]
            found = statuses.get(item.id)
            said = item.reported_as(mode) if found and found.status == "hazard" else item.prompt_for(mode)
            if found and found.value is not None and item.answer.typed():
                said = t("answer.finding", statement=item.reported_as(mode), value=item.answer.shown(found.value))
            where = section.plain_title or section.title
            what = t("pdf.photos.item", section=para_text(where), item=para_text(said))
        else:
            what = para_text(photo.item_id)
        lines = [f"<b>{t('pdf.photos.number', n=n)}</b> {what}"]
        if photo.caption:
            lines.append(t("pdf.photos.caption", caption=para_text(photo.caption)))
        picture = Image(io.BytesIO(photo.jpeg), width=w, height=h)
        picture.hAlign = "LEFT"
        story.append(KeepTogether([picture, Paragraph("<br/>".join(lines), text_style), Spacer(1, s.base * 0.6)]))
    return story
