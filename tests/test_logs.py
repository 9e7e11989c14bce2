"""The app's log: owner-only and rotating, exceptions by type and frames only, and never a
word of customer text, whatever happens in a session."""

from __future__ import annotations

import logging
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from voc_desktop import logs
from voc_desktop.logs import describe_exception, setup_logging, shutdown_logging

MARKER = "Zebrafrost-7731"  # stands for anything a customer said or a person typed


@pytest.fixture
def quiet_hooks(monkeypatch):
    """Previous exception hooks that print nothing, so a test may raise on purpose."""
    monkeypatch.setattr(sys, "excepthook", lambda *a: None)
    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    yield
    shutdown_logging()


def log_text(data: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted((data / "logs").iterdir()))


def test_the_log_lives_in_the_workspace_and_only_its_owner_reads_it(tmp_path, quiet_hooks):
    """<data_dir>/logs/voc-desktop.log, folder 0700 and file 0600, lines with time, level and
    logger; the app's records only, not those of the libraries it uses."""
    path = setup_logging(tmp_path / "ws")
    logging.getLogger("voc_desktop.ui.app").info("Main window shown")
    logging.getLogger("PIL.Image").warning("a library's own line")
    shutdown_logging()
    assert path == tmp_path / "ws" / "logs" / "voc-desktop.log"
    text = path.read_text()
    assert " INFO voc_desktop.ui.app: Main window shown" in text
    assert "library" not in text
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_console_copy_is_asked_for_by_flag_or_environment(tmp_path, capsys, monkeypatch,
                                                              quiet_hooks):
    """console=True or VOC_LOG_CONSOLE=1 also writes the log to stderr; 0 does not."""
    for console, env, shown in ((True, "", True), (False, "1", True), (False, "0", False)):
        monkeypatch.setenv(logs.CONSOLE_ENV, env)
        setup_logging(tmp_path / "ws", console=console)
        logging.getLogger("voc_desktop.x").info("started")
        shutdown_logging()
        assert ("INFO voc_desktop.x: started" in capsys.readouterr().err) is shown


def test_the_log_rotates_and_old_files_stay_private(tmp_path, quiet_hooks, monkeypatch):
    """Past its size the log moves aside; three old files are kept, each owner-only."""
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    setup_logging(tmp_path / "ws")
    for n in range(400):
        logging.getLogger("voc_desktop.x").info("line %d of the rotation test", n)
    shutdown_logging()
    files = sorted(p.name for p in (tmp_path / "ws" / "logs").iterdir())
    assert files == ["voc-desktop.log", "voc-desktop.log.1", "voc-desktop.log.2",
                     "voc-desktop.log.3"]
    if os.name == "posix":
        assert {stat.S_IMODE((tmp_path / "ws" / "logs" / f).stat().st_mode)
                for f in files} == {0o600}


def test_a_folder_that_cannot_be_written_leaves_the_app_running(tmp_path, quiet_hooks):
    """No log file is possible (the place is a file): setup says so and logging is silent."""
    blocked = tmp_path / "ws"
    blocked.write_text("not a folder")
    assert setup_logging(blocked) is None
    logging.getLogger("voc_desktop.x").error("nowhere to go")


def test_exceptions_are_described_by_type_and_frames_without_their_message(tmp_path):
    """The type, its cause's type and where they passed; not the text they carry."""
    def inner():
        raise KeyError(MARKER)

    try:
        try:
            inner()
        except KeyError as exc:
            raise RuntimeError(f"wrapped {MARKER}") from exc
    except RuntimeError:
        text = describe_exception(*sys.exc_info())
    assert text.startswith("builtins.RuntimeError (message withheld)")
    assert "caused by:" in text and "builtins.KeyError" in text
    assert f'File "{__file__}"' in text and "in inner" in text
    assert MARKER not in text


def test_uncaught_exceptions_in_any_thread_are_logged(tmp_path, quiet_hooks):
    """sys.excepthook and threading.excepthook both log, critical, with the frames; the
    previous hooks still run; shutdown puts them back."""
    before = sys.excepthook, threading.excepthook
    setup_logging(tmp_path / "ws")
    try:
        raise ValueError(MARKER)
    except ValueError:
        sys.excepthook(*sys.exc_info())

    def work():
        raise OSError(MARKER)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    shutdown_logging()
    assert (sys.excepthook, threading.excepthook) == before
    text = log_text(tmp_path / "ws")
    assert "CRITICAL voc_desktop.crash: Uncaught exception\nbuiltins.ValueError" in text
    assert "Uncaught exception in a background thread\nbuiltins.OSError" in text
    assert "in work" in text and MARKER not in text


def test_a_session_leaves_no_customer_text_in_the_log(qtbot, tmp_path, quiet_hooks,
                                                     monkeypatch):
    """A whole session at DEBUG: sample workspace, an interview whose every field holds the
    marker, report and bundle exports, failures whose messages quote it, a file handed to
    the window, Qt warnings and uncaught errors. The log has lines, and no marker."""
    from PySide6.QtCore import qInstallMessageHandler, qWarning
    from PySide6.QtWidgets import QFileDialog

    from voc_desktop.cli import main as voc
    from voc_desktop.domain.accounts import Consent, Role
    from voc_desktop.services import interview
    from voc_desktop.services.accounts import add_contact, create_account
    from voc_desktop.services.bundles.export import export_bundle
    from voc_desktop.services.demo.sample_workspace import fill_demo
    from voc_desktop.services.errors import ServiceError
    from voc_desktop.services.guides import import_guide
    from voc_desktop.services.reports import export_visit_report
    from voc_desktop.services.visits import find_visit, plan_visit, start_visit
    from voc_desktop.services.workspace.workspace import Workspace
    from voc_desktop.ui import app
    from voc_desktop.ui.app import laptop_window

    data = tmp_path / "ws"
    setup_logging(data, level=logging.DEBUG)
    ws = Workspace.open(data)
    fill_demo(ws)
    account = create_account(ws, f"{MARKER} Bakery", vertical=f"{MARKER} food")
    anna = add_contact(ws, account.id, f"Anna {MARKER}", title=MARKER, roles=(Role.USER,),
                       consent=Consent(given=True, quote_by_name=True, method="verbal"))
    visit = plan_visit(ws, account.id, f"Learn about {MARKER}", place=MARKER,
                       interviewers=(MARKER,), attendees=((anna.id, anna.roles),))
    start_visit(ws, visit.id)
    guide = ws.guides.version(visit.guide_version_id).guide
    answer = interview.record_answer(ws, visit.id, guide.sections[0].questions[0].key,
                                     f"The line stops when {MARKER} runs out")
    interview.add_why_probe(ws, answer.id, f"Because {MARKER} is late")
    interview.add_quote(ws, visit.id, f"We call it {MARKER}", speaker_id=anna.id)
    interview.add_observation(ws, visit.id, f"{MARKER} on the wall")
    interview.toggle_key_learning(ws, answer.id)
    export_visit_report(ws, visit.id, tmp_path / f"{MARKER}.pdf")
    export_visit_report(ws, visit.id, tmp_path / f"{MARKER}.docx")
    export_bundle(ws, tmp_path / f"{MARKER}.vocbundle", encrypt=False)
    broken = tmp_path / f"{MARKER}.json"
    broken.write_text(f'{{"name": "{MARKER}"}}')
    careless = logging.getLogger("voc_desktop.test")
    for fails in (lambda: export_visit_report(ws, visit.id, tmp_path / MARKER / "r.pdf"),
                  lambda: find_visit(ws, MARKER), lambda: import_guide(ws, broken)):
        with pytest.raises(ServiceError, match=MARKER):
            try:
                fails()
            except ServiceError:
                careless.exception("The operation failed")  # a message is withheld too
                raise
    window = laptop_window(ws)
    qtbot.addWidget(window)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a: ""))
    (tmp_path / f"{MARKER}.txt").write_text(MARKER)
    window.open_files([tmp_path / f"{MARKER}.txt", tmp_path / f"{MARKER}.vocbundle"])
    previous = qInstallMessageHandler(app._qt_message)
    try:
        qWarning(f"QFile::open: cannot open '{MARKER}.pdf' in /home/sam/{MARKER} ({MARKER})")
    finally:
        qInstallMessageHandler(previous)
    try:
        raise RuntimeError(f"Customer {MARKER} broke it")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    window.close()
    ws.close()
    shutdown_logging()
    assert voc(["--data-dir", str(data), "visit", "show", MARKER]) == 1
    text = log_text(data)
    for expected in ("Report written: pdf", "Report written: docx", "Bundle written",
                     "Handed files: 1 bundle, 1 other", "voc_desktop.qt",
                     "builtins.RuntimeError (message withheld)",
                     "voc visit show ended with exit code 1"):
        assert expected in text
    assert MARKER not in text
