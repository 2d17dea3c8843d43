"""Email that tells people about their news, in their own language, at once or in a daily digest.

The news itself is kept in the graph when it happens (graph/news.py); this sender looks for what
is due every PEERMAP_MAIL_SECONDS, claims it, and sends it through the mail server set by
PEERMAP_SMTP_* (Python's smtplib, in a thread, so the server keeps answering). What cannot be
sent is given back and tried again at the next look. Run one sender per deployment: each piece of
news is claimed once, but two senders could both claim a piece in the same instant.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

from ..graph import news
from ..graph.database import Graph
from ..graph.model import NewsEmail
from . import i18n
from .rendering import TEMPLATES
from .settings import Smtp

_ = i18n.gettext
DAY = timedelta(days=1)
log = logging.getLogger("peermap.mail")


def compose(email: NewsEmail, sender: str) -> EmailMessage:
    """The email, in plain easy-read words, in the language the person chose it in."""
    with i18n.speaking(email.language):
        body = TEMPLATES.env.get_template("news_email.txt").render(
            digest=email.digest,
            items=[
                {
                    "event": item.event.name,
                    "statement": item.statement,
                    "status": item.status.name if item.status else None,
                    "stage": item.stage.name if item.stage else None,
                    "campaign": item.campaign,
                    "at": item.at.date(),
                }
                for item in email.items
            ],
        )
        subject = _("Your news from Peermap today") if email.digest else _("News about your ideas on Peermap")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, email.email, subject
    message.set_content(body)
    return message


def _send(smtp: Smtp, message: EmailMessage) -> None:
    with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as server:
        if smtp.starttls:
            server.starttls()
        if smtp.user and smtp.password:
            server.login(smtp.user, smtp.password)
        server.send_message(message)


async def send_due(graph: Graph, smtp: Smtp, digest_every: timedelta = DAY) -> int:
    """Send the news due now; how many emails went."""
    sent = 0
    for email in await news.claim_due(graph, digest_every=digest_every):
        try:
            await asyncio.to_thread(_send, smtp, compose(email, smtp.sender))
            sent += 1
        except (OSError, smtplib.SMTPException) as error:
            log.warning("could not email %s their news (%s); it is tried again", email.person_id, error)
            await news.release(graph, email)
    return sent


async def keep_sending(graph: Graph, smtp: Smtp, every: float, digest_every: timedelta = DAY) -> None:
    """Look for news due by email, again and again, until the server stops."""
    while True:
        try:
            await send_due(graph, smtp, digest_every)
        except Exception:  # the database away for a moment: look again next time
            log.exception("looking for news to email failed")
        await asyncio.sleep(every)
