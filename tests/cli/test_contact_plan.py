"""`voc plan` and `voc plan cadence`: the due list, every account, cadence settings, errors."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from voc_desktop.cli import main
from voc_desktop.domain.accounts import LifecycleStage
from voc_desktop.domain.visit import VisitStatus
from voc_desktop.services.accounts import create_account
from voc_desktop.services.visits import plan_visit
from voc_desktop.services.workspace.workspace import Workspace

TODAY = date.today()
PLAN_KEYS = {"account_id", "account", "lifecycle_stage", "in_icp", "icp_note", "last_contact",
             "due_date", "days_overdue", "status", "basis", "objective", "planned_visit_id"}


def run(capsys, folder: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(folder), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _visit(ws: Workspace, account_id: str, days_ago: int, objective: str = "Learn",
           completed: bool = True) -> None:
    visit = plan_visit(ws, account_id, objective,
                       visit_date=(TODAY - timedelta(days=days_ago)).isoformat())
    if completed:
        with ws.write(["visits"]):
            ws.visits.update(visit.id, status=VisitStatus.COMPLETED)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A workspace with one account overdue, one never visited, one planned, one not due
    and one outside the profile."""
    ws = Workspace.open(tmp_path)
    try:
        _visit(ws, create_account(ws, "Late Co", stage=LifecycleStage.ACTIVE).id, 100)
        create_account(ws, "New Co", stage=LifecycleStage.PROSPECT)
        planned = create_account(ws, "Planned Co", stage=LifecycleStage.RENEWAL)
        _visit(ws, planned.id, 30)
        _visit(ws, planned.id, -5, "Hear what the renewal depends on", completed=False)
        _visit(ws, create_account(ws, "Calm Co", stage=LifecycleStage.ACTIVE).id, 10)
        tiny = create_account(ws, "Tiny Co", stage=LifecycleStage.AT_RISK, in_icp=False,
                              icp_note="too small for us")
        _visit(ws, tiny.id, 60)
    finally:
        ws.close()
    return tmp_path


def test_plan_lists_due_accounts_soonest_first_with_objectives(folder, capsys) -> None:
    """`voc plan` shows overdue, due and planned-soon accounts in date order, each with its
    objective; accounts not due and outside the profile are left for --all."""
    code, out, err = run(capsys, folder, "plan")
    assert code == 0 and err == ""
    assert out.splitlines()[0] == (f"3 accounts due for a contact by "
                                   f"{TODAY + timedelta(days=14)}, 1 overdue:")
    assert out.index("Late Co") < out.index("New Co") < out.index("Planned Co")
    assert "10 days overdue" in out and "due today" in out and "planned in 5 days" in out
    assert "Objective: Gauge satisfaction" in out
    assert "Objective: Hear what the renewal depends on (planned visit" in out
    assert "never visited" in out
    assert "Calm Co" not in out and "Tiny Co" not in out
    assert "2 other accounts not listed" in out and "voc plan --all" in out


def test_plan_all_shows_every_account_and_outside_profile_apart(folder, capsys) -> None:
    """--all adds the accounts not due and, under their own heading, those outside the
    profile with the reason written for them."""
    code, out, _ = run(capsys, folder, "plan", "--all")
    assert code == 0
    inside, outside = " ".join(out.split()).split("Outside the ideal customer profile")
    assert "Calm Co" in inside and "in 80 days" in inside and "Tiny Co" not in inside
    assert "Tiny Co" in outside and "too small for us" in outside
    assert "30 days overdue" in outside
    assert "not listed" not in out


def test_plan_json_lists_due_accounts_with_documented_keys(folder, capsys) -> None:
    """--json gives the same due list as objects with the keys the help names."""
    code, out, _ = run(capsys, folder, "plan", "--json")
    rows = json.loads(out)
    assert code == 0 and all(set(r) == PLAN_KEYS for r in rows)
    assert [r["account"] for r in rows] == ["Late Co", "New Co", "Planned Co"]
    late, new, planned = rows
    assert (late["status"], late["days_overdue"], late["basis"]) == ("overdue", 10, "cadence")
    assert late["last_contact"] == (TODAY - timedelta(days=100)).isoformat()
    assert (new["status"], new["basis"], new["last_contact"]) == ("due", "never_visited", None)
    assert (planned["status"], planned["days_overdue"]) == ("planned", -5)
    assert len(planned["planned_visit_id"]) == 36
    assert planned["objective"] == "Hear what the renewal depends on"


def test_plan_all_json_marks_accounts_outside_the_profile(folder, capsys) -> None:
    """--all --json lists every account soonest first; one outside the profile takes its
    place by date, with in_icp false."""
    code, out, _ = run(capsys, folder, "plan", "--all", "--json")
    rows = json.loads(out)
    assert [r["account"] for r in rows] == ["Tiny Co", "Late Co", "New Co", "Planned Co",
                                            "Calm Co"]
    assert [r["in_icp"] for r in rows] == [False] + [True] * 4
    assert rows[0]["icp_note"] == "too small for us" and rows[-1]["status"] == "ok"


def test_a_visit_planned_outside_the_profile_is_listed_without_asking(folder, capsys) -> None:
    """`voc plan` lists a visit planned with an account outside the profile, under its own
    heading, without --all."""
    ws = Workspace.open(folder)
    try:
        tiny = next(a for a in ws.accounts.list() if a.name == "Tiny Co")
        _visit(ws, tiny.id, -9, "Hear why they are leaving", completed=False)
    finally:
        ws.close()
    code, out, _ = run(capsys, folder, "plan")
    assert code == 0
    _, outside = " ".join(out.split()).split("Outside the ideal customer profile")
    assert "Tiny Co" in outside and "planned in 9 days" in outside
    assert "Hear why they are leaving" in outside


def test_plan_of_an_empty_workspace(tmp_path, capsys) -> None:
    """With no accounts, `voc plan` says so and points at the demo; JSON is an empty list."""
    code, out, _ = run(capsys, tmp_path, "plan")
    assert code == 0 and out.startswith("No accounts yet.")
    assert json.loads(run(capsys, tmp_path, "plan", "--json")[1]) == []


def test_plan_when_nothing_is_due(tmp_path, capsys) -> None:
    """Accounts visited recently give a plain 'nothing due' line and the hint to --all."""
    ws = Workspace.open(tmp_path)
    try:
        _visit(ws, create_account(ws, "Calm Co").id, 5)
    finally:
        ws.close()
    code, out, _ = run(capsys, tmp_path, "plan")
    assert code == 0
    assert out.splitlines()[0] == (f"No account is due for a contact by "
                                   f"{TODAY + timedelta(days=14)}.")
    assert "1 other account not listed" in out


def test_cadence_shows_every_stage(folder, capsys) -> None:
    """`voc plan cadence` lists each stage's days, default and next objective."""
    code, out, _ = run(capsys, folder, "plan", "cadence")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["STAGE", "EVERY", "DEFAULT"]
    assert lines[1].split()[:5] == ["Prospect", "30", "days", "30", "days"]
    assert lines[6].split()[:5] == ["Lost", "180", "days", "180", "days"]
    assert "why we lost" in lines[6] and "14 days ahead" in out


def test_cadence_set_changes_the_plan(folder, capsys) -> None:
    """Setting a stage's days is confirmed, shown by the table and used by the plan."""
    code, out, _ = run(capsys, folder, "plan", "cadence", "active", "7")
    assert code == 0 and out == ("Accounts in the active stage are now due for a contact "
                                 "every 7 days (the shipped default is 90 days).\n")
    code, out, _ = run(capsys, folder, "plan", "cadence", "Active")
    assert out.splitlines()[1].split()[:5] == ["Active", "7", "days", "90", "days"]
    rows = {r["account"]: r for r in json.loads(run(capsys, folder, "plan", "--json")[1])}
    assert rows["Calm Co"]["days_overdue"] == 3 and rows["Late Co"]["days_overdue"] == 93


def test_cadence_json_before_or_after_the_action(folder, capsys) -> None:
    """`plan cadence --json` and `plan --json cadence` both print the stages as JSON."""
    for argv in (("plan", "cadence", "at-risk", "45", "--json"), ("plan", "--json", "cadence")):
        code, out, _ = run(capsys, folder, *argv)
        rows = {r["stage"]: r for r in json.loads(out)}
        assert code == 0 and list(rows) == [s.value for s in LifecycleStage]
        assert rows["at_risk"]["days"] == 45 and rows["at_risk"]["default_days"] == 30
        assert set(rows["lost"]) == {"stage", "label", "days", "default_days", "objective"}


@pytest.mark.parametrize(("argv", "code", "message"), [
    (("plan", "cadence", "active", "0"), 1, "from 1 to 730; 0 is not"),
    (("plan", "cadence", "active", "731"), 1, "from 1 to 730"),
    (("plan", "cadence", "dormant", "30"), 1, "'dormant' is not a life-cycle stage"),
    (("plan", "cadence", "dormant"), 1, "'dormant' is not a life-cycle stage"),
    (("plan", "cadence", "active", "ten"), 2, "'ten' is not a whole number of days"),
    (("plan", "soon"), 2, "invalid choice: 'soon'"),
])
def test_plan_errors_are_one_line(folder, capsys, argv, code: int, message: str) -> None:
    """Bad stages and days print one `voc: error:` line, nothing on stdout, and change
    nothing."""
    got, out, err = run(capsys, folder, *argv)
    assert (got, out) == (code, "")
    assert err.startswith("voc: error: ") and err.count("\n") == 1 and message in err
    rows = json.loads(run(capsys, folder, "plan", "cadence", "--json")[1])
    assert all(r["days"] == r["default_days"] for r in rows)
