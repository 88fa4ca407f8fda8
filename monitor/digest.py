"""The daily digest: the visits and funding found since the last digest, as one German mail
(plain text and HTML) to the ``[digest]`` recipients — for people who read mail, not feeds.

Sent at most once a day: the day is claimed in the ``digests`` table before the mail goes out,
so repeated runs and a restarted scheduler find it taken. A day without news sends nothing; a
failed delivery is recorded and tried again after the next run. Each digest covers the events
found since the previous one was sent, so news found after a digest waits for the next.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html import escape
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from monitor.clock import aware
from monitor.clock import now as default_now
from monitor.config import DigestConfig, parse_time
from monitor.web.happenings import Happening, happenings
from storage.models import Digest, Event

log = logging.getLogger("ki_monitor.digest")
FIRST_WINDOW = timedelta(days=1)  # the very first digest looks back one day
SMTP_TIMEOUT = 30
HEADINGS = {"visit": "Besuche", "funding": "Förderung"}


@dataclass(frozen=True)
class Outcome:
    status: str  # sent | not-yet | already | no-news | failed
    detail: str = ""


def _euro(value: float) -> str:
    return f"{value:,.0f} €".replace(",", ".")


def _de(day) -> str:
    return day.strftime("%d.%m.%Y")


def subject(items: list[Happening], day) -> str:
    visits = sum(h.label == "visit" for h in items)
    grants = len(items) - visits
    parts = [f"{visits} Besuch{'e' if visits != 1 else ''}"] if visits else []
    parts += [f"{grants} Förderung{'en' if grants != 1 else ''}"] if grants else []
    return f"KI-Monitor NRW am {_de(day)}: {', '.join(parts)}"


def _facts(h: Happening) -> list[str]:
    facts = [f"KI: {', '.join(h.kis)}"] if h.kis else []
    if h.visitors:
        facts.append(f"Besuch: {'; '.join(h.visitors)}")
    if h.amounts:
        facts.append(f"Beträge: {', '.join(_euro(a) for a in h.amounts)}")
    return facts


def compose(items: list[Happening], day, cfg: DigestConfig, base_url: str) -> EmailMessage:
    """The mail: plain text first, the same as HTML as the alternative."""
    base = base_url.rstrip("/")
    text = [f"Neu gefunden seit dem letzten Überblick ({len(items)} Ereignis{'se' if len(items) != 1 else ''}):", ""]
    html = [f"<p>Neu gefunden seit dem letzten Überblick ({len(items)} Ereignis{'se' if len(items) != 1 else ''}):</p>"]
    for label, heading in HEADINGS.items():
        chosen = [h for h in items if h.label == label]
        if not chosen:
            continue
        text += [heading, "=" * len(heading), ""]
        html.append(f"<h2>{heading}</h2><ul>")
        for h in chosen:
            review = f"{base}/release/{h.sources[0].release_id}"
            text += [f"* {_de(h.day)}: {h.title}", *(f"  {f}" for f in _facts(h)),
                     f"  Prüfen: {review}", *(f"  Quelle: {s.url}" for s in h.sources), ""]
            html.append(
                f"<li><strong>{_de(h.day)}: <a href=\"{escape(review)}\">{escape(h.title)}</a></strong><br>"
                + "<br>".join(escape(f) for f in _facts(h))
                + "<br>Quellen: " + ", ".join(f"<a href=\"{escape(s.url)}\">{escape(s.source_id)}</a>" for s in h.sources)
                + "</li>")
        html.append("</ul>")
    footer = f"Alle Ereignisse: {base}/ · Feeds: {base}/feeds/"
    text += ["--", footer]
    html.append(f"<hr><p><a href=\"{escape(base)}/\">Alle Ereignisse</a> · <a href=\"{escape(base)}/feeds/\">Feeds</a></p>")
    mail = EmailMessage()
    mail["Subject"] = subject(items, day)
    mail["From"] = cfg.from_address
    mail["To"] = ", ".join(cfg.recipients)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid("ki-monitor-digest")
    mail.set_content("\n".join(text))
    mail.add_alternative('<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"></head><body>'
                         + "".join(html) + "</body></html>", subtype="html")
    return mail


def deliver(mail: EmailMessage, cfg: DigestConfig) -> None:
    """Hand the mail to the SMTP server (STARTTLS, implicit TLS or plain on a trusted host)."""
    password = cfg.password()
    context = ssl.create_default_context()
    if cfg.tls == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.smtp_port, timeout=SMTP_TIMEOUT, context=context)
    else:
        server = smtplib.SMTP(cfg.host, cfg.smtp_port, timeout=SMTP_TIMEOUT)
    with server:
        if cfg.tls == "starttls":
            server.starttls(context=context)
        if cfg.user:
            server.login(cfg.user, password or "")
        server.send_message(mail)


def digest_day(local: datetime, cfg: DigestConfig):
    """The day a digest now would be for, or None before the configured time."""
    hour, minute, second = parse_time(cfg.time)
    return local.date() if local.time() >= time(hour, minute, second) else None


def news(session: Session, since: datetime, until: datetime) -> list[Happening]:
    return happenings(session, Event.created_at > since, Event.created_at <= until)


def send_digest_if_due(factory: sessionmaker[Session], cfg: DigestConfig, tz: ZoneInfo, base_url: str,
                       clock: Callable[[], datetime] = default_now,
                       send: Callable[[EmailMessage, DigestConfig], None] = deliver) -> Outcome:
    """Send today's digest unless it is too early, already sent, or there is no news."""
    now = clock()
    day = digest_day(now.astimezone(tz), cfg)
    if day is None:
        return Outcome("not-yet", f"the digest goes out from {cfg.time}")
    with factory() as session:
        claimed = session.scalar(select(Digest).where(Digest.day == day))
        if claimed is not None and claimed.status != "failed":
            return Outcome("already", f"the digest of {day} is {claimed.status}")
        previous = session.scalar(select(Digest).where(Digest.status == "sent").order_by(Digest.until.desc()).limit(1))
        since = aware(previous.until) if previous else now - FIRST_WINDOW
        items = news(session, since, now)
        if not items:
            return Outcome("no-news", f"nothing new since {since.isoformat()}")
        row = claimed or Digest(day=day)
        row.since, row.until, row.status = since, now, "sending"
        row.recipients, row.event_ids, row.error = list(cfg.recipients), [h.id for h in items], None
        session.add(row)
        try:
            session.commit()  # the claim: a second sender finds the day taken
        except IntegrityError:
            session.rollback()
            return Outcome("already", f"the digest of {day} was claimed meanwhile")
        try:
            send(compose(items, day, cfg, base_url), cfg)
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            row.status, row.error = "failed", f"{type(exc).__name__}: {exc}"
            session.commit()
            log.warning("daily digest of %s not delivered (tried again after the next run): %s", day, row.error)
            return Outcome("failed", row.error)
        row.status, row.sent_at = "sent", clock()
        session.commit()
    log.info("daily digest of %s sent to %s: %d events", day, ", ".join(cfg.recipients), len(items))
    return Outcome("sent", f"{len(items)} events")
