"""The schedule: runs happen when due, a missed one once at start-up, and the feed grows by
exactly what changed. Real crawls of the demo web, real job store in SQLite; only the clock
that registers jobs is shifted to pretend the scheduler was set up days ago."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from apscheduler.triggers.interval import IntervalTrigger
from click.testing import CliRunner
from helpers_crawl import FAST_CRAWL
from schedule_support import config_toml, ki_monitor, registry_for, runs_of

from monitor.cli import main
from monitor.clock import BERLIN
from monitor.config import Config, ConfigError, load_config
from monitor.demoweb import DemoWeb
from monitor.demoweb.catalog import late_entry
from monitor.scheduler import Scheduler, stored_next_runs


def cfg_for(db: Path, registry: Path, feeds: Path, **schedule) -> Config:
    return Config(db=str(db), sources=str(registry), feeds_dir=str(feeds), settings=dict(FAST_CRAWL), **schedule)


def feed_links(feeds: Path) -> set[str]:
    parsed = feedparser.parse((feeds / "ki-news.xml").read_bytes())
    assert parsed.bozo == 0
    return {e.link for e in parsed.entries}


def test_two_runs_a_few_seconds_apart_add_only_the_release_published_between_them(
        demo_web: DemoWeb, db_path: Path, tmp_path: Path):
    site_id, entry = late_entry()
    registry = registry_for(tmp_path / "sources.toml", [demo_web[site_id]])
    feeds = tmp_path / "feeds"
    scheduler = Scheduler(cfg_for(db_path, registry, feeds, every="2s"))
    feeds_after: list[set[str]] = []
    problems: list[BaseException] = []
    done = threading.Event()

    def after_run(event) -> None:  # runs in the job's thread, before the next run can start
        if event.exception:
            problems.append(event.exception)
        feeds_after.append(feed_links(feeds))
        if len(feeds_after) == 1:
            demo_web[site_id].publish(entry)
        else:
            done.set()

    scheduler.aps.add_listener(after_run, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    scheduler.start()
    try:
        assert done.wait(120), "two scheduled runs did not happen"
    finally:
        scheduler.shutdown()
    assert not problems
    first, second = feeds_after[:2]
    assert first and second - first == {demo_web[site_id].article_url(entry)}
    assert first <= second
    runs = runs_of(db_path)
    assert [(r.trigger, r.status) for r in runs] == [("schedule", "ok"), ("schedule", "ok")]
    assert scheduler.runs[1].diff.count() == {"new": 1, "updated": 0, "removed": 0}


def test_a_run_missed_while_the_machine_was_down_runs_once_at_start_up(
        demo_web: DemoWeb, db_path: Path, tmp_path: Path):
    registry = registry_for(tmp_path / "sources.toml", [demo_web["aachen"]])
    real_now = datetime.now(UTC)
    due = (real_now - timedelta(minutes=10)).strftime("%H:%M")
    # A grace of three days would let an uncoalesced scheduler run all three missed days.
    cfg = cfg_for(db_path, registry, tmp_path / "feeds", time=due, timezone="UTC", misfire_grace=3 * 86400)

    set_up = Scheduler(cfg, clock=lambda: real_now - timedelta(days=3))  # last started three days ago
    set_up.start(paused=True)
    set_up.shutdown()
    missed = stored_next_runs(str(db_path))["daily"]
    assert real_now - timedelta(days=3) < missed < real_now - timedelta(days=2)

    scheduler = Scheduler(cfg)
    finished = threading.Event()
    scheduler.aps.add_listener(lambda e: finished.set(), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    scheduler.start()
    try:
        assert finished.wait(120), "the missed run did not happen at start-up"
        next_run = scheduler.aps.get_job("daily").next_run_time
    finally:
        scheduler.shutdown()
    assert [(r.trigger, r.status) for r in runs_of(db_path)] == [("schedule", "ok")]
    assert real_now < next_run <= real_now + timedelta(days=1)  # back on the daily schedule


def test_a_source_with_a_short_interval_gets_a_job_that_crawls_only_that_source(
        demo_web: DemoWeb, db_path: Path, tmp_path: Path):
    registry = registry_for(tmp_path / "sources.toml", [demo_web["stk-nrw"], demo_web["aachen"]],
                            extra='interval = "30m"\n')  # appended to the last entry: aachen
    scheduler = Scheduler(cfg_for(db_path, registry, tmp_path / "feeds"))
    scheduler.start(paused=True)
    try:
        job = scheduler.aps.get_job("source:aachen")
        assert set(scheduler.next_runs()) == {"daily", "source:aachen"}
        assert isinstance(job.trigger, IntervalTrigger) and job.trigger.interval == timedelta(minutes=30)
        job.func(*job.args, **job.kwargs)  # what the scheduler does when the interval is up
    finally:
        scheduler.shutdown()
    (run,) = runs_of(db_path)
    assert run.trigger == "interval"
    assert [s.source_id for s in scheduler.runs[0].sources] == ["aachen"]


def test_restarting_keeps_the_stored_next_run_and_a_new_time_replaces_it(db_path: Path, tmp_path: Path, registry):
    cfg = Config(db=str(db_path), sources=str(registry), time="05:00", timezone="Europe/Berlin")
    first = Scheduler(cfg, clock=lambda: datetime(2024, 3, 1, 12, 0, tzinfo=UTC))
    first.start(paused=True)
    first.shutdown()
    again = Scheduler(cfg)  # a restart must not push a pending (possibly missed) run into the future
    again.start(paused=True)
    again.shutdown()
    assert stored_next_runs(str(db_path))["daily"] == datetime(2024, 3, 2, 4, 0, tzinfo=UTC)
    moved = Scheduler(Config(db=str(db_path), sources=str(registry), time="07:15", timezone="Europe/Berlin"))
    moved.start(paused=True)
    moved.shutdown()
    assert stored_next_runs(str(db_path))["daily"].astimezone(BERLIN).strftime("%H:%M") == "07:15"


def test_a_second_scheduler_on_the_same_database_is_refused(db_path: Path, tmp_path: Path, registry):
    cfg = Config(db=str(db_path), sources=str(registry))
    running = Scheduler(cfg)
    running.start(paused=True)
    try:
        result = ki_monitor("schedule", "--db", str(db_path), "--sources", str(registry))
    finally:
        running.shutdown()
    assert result.returncode == 1
    assert "another scheduler already runs on this database" in result.stderr


def test_schedule_once_runs_the_job_logs_to_a_rotating_file_and_exits(
        demo_web: DemoWeb, db_path: Path, tmp_path: Path):
    """What the crontab line and the systemd timer of the README call."""
    registry = registry_for(tmp_path / "sources.toml", [demo_web["aachen"]])
    log_file = tmp_path / "log" / "schedule.log"
    config = config_toml(tmp_path / "ki-monitor.toml", schedule={"log_file": str(log_file)},
                         run={"db": str(db_path), "sources": str(registry), "feeds_dir": str(tmp_path / "feeds")},
                         settings=FAST_CRAWL)
    result = ki_monitor("schedule", "--once", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "3 new, 0 updated, 0 removed" in result.stdout
    assert [(r.trigger, r.status) for r in runs_of(db_path)] == [("timer", "ok")]
    log = log_file.read_text("utf-8")
    assert "run 1 ok: 1 sources, 3 new" in log
    assert "[ki_monitor.crawl]" in log  # the crawl's own log lines, through the same rotating file


@pytest.mark.parametrize(("text", "message"), [
    ('[schedule]\ntme = "06:30"\n', "[schedule] unknown key 'tme' (allowed: time, timezone,"),
    ('[schedule]\ntime = "6.30"\n', "[schedule] key 'time' expected HH:MM (24 h), got '6.30'"),
    ('[schedule]\non_busy = "queue"\n', "[schedule] key 'on_busy' must be one of wait, skip, got 'queue'"),
    ('[schedule]\ntimezone = "Europe/Bonn"\n', "[schedule] key 'timezone' is not a known time zone"),
    ('[schedule]\nfailing_after = "3"\n', "[schedule] key 'failing_after' must be int, got '3'"),
    ('[run]\nmax_pages = 0\n', "[run] key 'max_pages' must be at least 1, got 0"),
    ('[mail]\nto = "x@example.org"\n', "unknown table [mail] (allowed: [schedule], [run], [feeds], [digest])"),
])
def test_config_errors_name_the_file_the_table_and_the_key(tmp_path: Path, text: str, message: str):
    path = tmp_path / "ki-monitor.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)


def test_command_line_options_win_over_the_config_file(tmp_path: Path):
    path = config_toml(tmp_path / "ki-monitor.toml", schedule={"time": "06:30", "misfire_grace": "2h"},
                       settings={"DOWNLOAD_DELAY": 2})
    cfg = load_config(path).merged(time="05:45", settings={"RETRY_TIMES": "1"}, on_busy=None)
    assert (cfg.time, cfg.misfire_grace, cfg.on_busy) == ("05:45", 7200, "wait")
    assert cfg.settings == {"DOWNLOAD_DELAY": "2", "RETRY_TIMES": "1"}
    result = ki_monitor("schedule", "--config", str(path), "--time", "25:00")
    assert result.returncode == 1 and "command line: [schedule] key 'time' expected HH:MM" in result.stderr


def test_deployment_files_call_existing_commands_with_a_valid_config():
    """The unit files, the crontab line and the README call what the tests above exercise."""
    deploy = Path(__file__).resolve().parents[1] / "deploy"
    assert load_config(deploy / "ki-monitor.toml").time == "06:30"
    readme = (deploy.parent / "README.md").read_text("utf-8")
    lines = [line for name in ("ki-monitor.service", "ki-monitor-once.service", "crontab")
             for line in (deploy / name).read_text("utf-8").splitlines() if "/bin/ki-monitor " in line]
    assert len(lines) == 3
    for line in lines:
        command = line.split("/bin/ki-monitor ", 1)[1].split(">")[0].split()
        assert command[0] == "schedule" and "--config" in command
        assert " ".join(command) in readme
        result = CliRunner().invoke(main, [*command, "--help"])  # every option named exists
        assert result.exit_code == 0, result.output
