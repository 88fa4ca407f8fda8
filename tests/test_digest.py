"""The daily digest mail, delivered to a real SMTP server on 127.0.0.1 (aiosmtpd, started
here): German text and HTML, nothing on a day without news, exactly once however often runs
repeat or the scheduler restarts; the clock is injected."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pictures_support import Writer, Year
from sqlalchemy import select

from monitor.clock import BERLIN
from monitor.config import Config, ConfigError, DigestConfig, parse_config
from monitor.digest import send_digest_if_due
from monitor.scheduler import DIGEST, Scheduler
from storage.db import open_db
from storage.models import Digest

BASE = "https://ki.example.org/monitor"
VISITOR = "Serap Güler (Staatssekretärin)"


class Inbox:
    """What the SMTP server received, and who logged in."""

    def __init__(self) -> None:
        self.mails: list = []
        self.logins: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.mails.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"

    def __call__(self, server, session, envelope, mechanism, auth_data):  # the authenticator
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"geheim"
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=inbox, auth_require_tls=False)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def berlin(y: int, m: int, d: int, hour: int, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def digest_cfg(port: int, **kw) -> DigestConfig:
    return DigestConfig(**{"host": "127.0.0.1", "port": port, "tls": "none", "recipients": ("team@example.org",),
                           "sender": "ki-monitor@example.org", "time": "07:00", **kw})


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Two events found on the evening of 7 July 2025, one found half a year earlier."""
    path = tmp_path / "ki.db"
    with open_db(str(path))() as s:
        w = Writer(s, Year(path))
        w.event("visit", date(2025, 7, 7), ["Kreis Borken"], visitors=[VISITOR], sources=2,
                created=berlin(2025, 7, 7, 19))
        w.event("funding", date(2025, 7, 6), ["Köln"], amounts=[125_000.0], created=berlin(2025, 7, 7, 20))
        w.event("visit", date(2025, 1, 3), ["Bonn"], visitors=[VISITOR], created=berlin(2025, 1, 3, 12))
        s.commit()
    return path


def send(db: Path, cfg: DigestConfig, at: datetime):
    return send_digest_if_due(open_db(str(db)), cfg, BERLIN, BASE, clock=lambda: at)


def test_a_day_with_news_sends_one_german_mail_in_text_and_html(db: Path, smtp):
    inbox, port = smtp
    assert send(db, digest_cfg(port), berlin(2025, 7, 8, 7, 5)).status == "sent"
    assert len(inbox.mails) == 1
    rcpt, mail = inbox.mails[0]
    assert rcpt == ["team@example.org"] and mail["From"] == "ki-monitor@example.org"
    assert mail["Subject"] == "KI-Monitor NRW am 08.07.2025: 1 Besuch, 1 Förderung"
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = mail.get_body(("html",)).get_content()
    for part in (text, html):
        assert "Kreis Borken" in part and VISITOR in part and "125.000 €" in part
        assert "Bonn" not in part  # found in January: in an earlier digest
        assert f"{BASE}/release/" in part
    assert "Besuche\n=======" in text and "<h2>Förderung</h2>" in html
    assert text.count("Quelle: http://127.0.0.1:9/gen/1/") == 2  # every source of the visit


def test_runs_that_repeat_and_a_restarted_scheduler_send_the_digest_once(db: Path, smtp):
    inbox, port = smtp
    cfg = Config(db=str(db), digest=digest_cfg(port))
    first = Scheduler(cfg, clock=lambda: berlin(2025, 7, 8, 7, 0))
    first.offer_digest()  # the digest job at 07:00
    first.offer_digest()  # a run that ends at 07:00 as well
    restarted = Scheduler(cfg, clock=lambda: berlin(2025, 7, 8, 18, 0))
    restarted.offer_digest()
    assert len(inbox.mails) == 1
    with open_db(str(db))() as s:
        assert [(d.day, d.status) for d in s.scalars(select(Digest))] == [(date(2025, 7, 8), "sent")]


def test_a_day_without_news_sends_nothing(db: Path, smtp):
    inbox, port = smtp
    assert send(db, digest_cfg(port), berlin(2025, 7, 8, 8)).status == "sent"
    outcome = send(db, digest_cfg(port), berlin(2025, 7, 9, 8))
    assert outcome.status == "no-news" and len(inbox.mails) == 1
    with open_db(str(db))() as s:
        assert s.scalar(select(Digest).where(Digest.day == date(2025, 7, 9))) is None


def test_nothing_goes_out_before_the_time_and_later_news_waits_for_the_next_digest(db: Path, smtp):
    inbox, port = smtp
    cfg = digest_cfg(port)
    assert send(db, cfg, berlin(2025, 7, 8, 6, 59)).status == "not-yet"
    assert send(db, cfg, berlin(2025, 7, 8, 7, 30)).status == "sent"
    with open_db(str(db))() as s:
        Writer(s, Year(db)).event("visit", date(2025, 7, 8), ["Hamm"], visitors=[VISITOR],
                                  created=berlin(2025, 7, 8, 12))
        s.commit()
    assert send(db, cfg, berlin(2025, 7, 8, 13)).status == "already"
    assert send(db, cfg, berlin(2025, 7, 9, 7, 1)).status == "sent"
    assert len(inbox.mails) == 2
    second = inbox.mails[1][1].get_body(("plain",)).get_content()
    assert "Hamm" in second and "Kreis Borken" not in second


def test_a_failed_delivery_is_recorded_and_sent_after_the_next_run(db: Path, smtp):
    inbox, port = smtp
    closed = free_port()
    failed = send(db, digest_cfg(closed), berlin(2025, 7, 8, 8))
    assert failed.status == "failed" and "Connection refused" in failed.detail
    with open_db(str(db))() as s:
        assert s.scalar(select(Digest.status)) == "failed"
    assert send(db, digest_cfg(port), berlin(2025, 7, 8, 9)).status == "sent"
    assert len(inbox.mails) == 1


def test_the_server_login_uses_the_password_from_the_environment(db: Path, smtp, monkeypatch):
    inbox, port = smtp
    monkeypatch.setenv("KI_TEST_SMTP_PASSWORD", "geheim")
    cfg = digest_cfg(port, user="ki-monitor", password_env="KI_TEST_SMTP_PASSWORD")
    assert send(db, cfg, berlin(2025, 7, 8, 8)).status == "sent"
    assert inbox.logins == ["ki-monitor"] and len(inbox.mails) == 1


def test_the_digest_table_is_read_checked_and_scheduled(tmp_path: Path):
    cfg = parse_config('[digest]\nhost = "mail.example.org"\nrecipients = ["a@example.org"]\ntls = "ssl"\n'
                       'time = "06:45"\n', "ki.toml")
    assert cfg.digest == DigestConfig("mail.example.org", ("a@example.org",), tls="ssl", time="06:45")
    assert cfg.digest.smtp_port == 465
    for body, error in (('host = "m"', "[digest] key 'recipients' is required"),
                        ('host = "m"\nrecipients = ["x"]', "must be a list of mail addresses"),
                        ('host = "m"\nrecipients = ["a@b"]\ntls = "yes"', "[digest] key 'tls' must be one of"),
                        ('host = "m"\nrecipients = ["a@b"]\nwhen = "7"', "[digest] unknown key 'when'")):
        with pytest.raises(ConfigError, match=error.replace("[", r"\[").replace("]", r"\]")):
            parse_config(f"[digest]\n{body}\n", "ki.toml")
    registry = tmp_path / "sources.toml"
    registry.write_text("", "utf-8")
    scheduler = Scheduler(Config(db=str(tmp_path / "ki.db"), sources=str(registry), digest=cfg.digest))
    trigger, kwargs, _ = scheduler.wanted_jobs()[DIGEST]
    assert kwargs == {"digest": True} and "hour='6', minute='45'" in str(trigger)
