"""The `voc` command line, run in-process and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from voc_desktop.cli import main
from voc_desktop.services.workspace.workspace import DATA_DIR_ENV, Workspace

REPO = Path(__file__).resolve().parents[2]
# Contacts in the demo who agreed to be quoted by role only.
ROLE_ONLY_NAMES = ("Piotr", "Nowak", "Ruth", "Okoro")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def voc(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}
    base["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-m", "voc_desktop.cli", *argv], cwd=REPO,
                          env={**base, **(env or {})}, capture_output=True, text=True,
                          encoding="utf-8", timeout=60, check=False)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    """A workspace filled by `voc demo`, shared by the tests that only read."""
    folder = tmp_path_factory.mktemp("demo")
    assert main(["--data-dir", str(folder), "demo"]) == 0
    return folder


def visit_ids(capsys, folder: Path) -> dict[str, str]:
    code, out, _ = run(capsys, "--data-dir", str(folder), "visit", "list", "--json")
    assert code == 0
    return {v["objective"].split()[0] + v["account"].split()[0]: v["id"] for v in json.loads(out)}


def first_visit(capsys, folder: Path) -> str:
    """The first Halvorsen visit, whose maintenance lead is quoted by role only."""
    return visit_ids(capsys, folder)["UnderstandHalvorsen"]


def test_subprocess_demo_then_visit_list_json(tmp_path):
    """A real `voc demo` run exits 0, and `visit list --json` then shows 3 completed + 1 planned."""
    made = voc("--data-dir", str(tmp_path), "demo")
    assert made.returncode == 0, made.stderr
    assert "3 completed visits and 1 planned visit" in made.stdout
    listed = voc("--data-dir", str(tmp_path), "visit", "list", "--json")
    assert listed.returncode == 0 and listed.stderr == ""
    visits = json.loads(listed.stdout)
    assert sorted(v["status"] for v in visits) == ["completed"] * 3 + ["planned"]
    assert all(len(v["id"]) == 36 and v["account"] and v["objective"] for v in visits)
    again = voc("--data-dir", str(tmp_path), "demo")
    assert again.returncode == 1 and again.stdout == ""
    assert again.stderr.startswith("voc: error: ") and again.stderr.count("\n") == 1
    assert len(json.loads(voc("--data-dir", str(tmp_path), "visit", "list", "--json").stdout)) == 4


def test_visit_list_table_and_filters(demo_dir, capsys):
    """The table shows short ids; --status and --account narrow the list."""
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "visit", "list")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["ID", "DATE", "ACCOUNT", "STATUS", "OBJECTIVE"]
    assert len(lines) == 5 and all(len(line.split()[0]) == 8 for line in lines[1:])
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "visit", "list", "--status",
                       "planned", "--json")
    assert [v["status"] for v in json.loads(out)] == ["planned"]
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "visit", "list", "--account",
                       "halvorsen food packaging", "--json")
    assert {v["account"] for v in json.loads(out)} == {"Halvorsen Food Packaging"}
    assert len(json.loads(out)) == 2
    code, out, err = run(capsys, "--data-dir", str(demo_dir), "visit", "list", "--account",
                         "Nobody Inc")
    assert code == 1 and out == "" and err.startswith("voc: error: No account matches")


def test_visit_show_text_has_the_whole_visit(demo_dir, capsys):
    """`visit show` prints title, attendees, nested ladders, quotes, closing and action items."""
    visit_id = first_visit(capsys, demo_dir)
    code, out, err = run(capsys, "--data-dir", str(demo_dir), "visit", "show", visit_id[:8])
    assert code == 0 and err == ""
    for expected in ("Halvorsen Food Packaging", "Interviewers: Maria Jensen, David Osei",
                     "Objective:", "Status:       Completed", "version 2", "Attendees",
                     "may be quoted by name", "quote by role only", "photo.png",
                     "tags: changeover", "coaching: leading: wouldn't you agree", "(skipped)",
                     "[Confirmed]", "[Corrected]", "[Rejected]", "customer's correction:",
                     "Notes not tied to a question", "Next contact: "):
        assert expected in out, expected
    lines = out.splitlines()
    # the five-level ladder under "Why do you buy from us?" steps in two spaces per level
    start = next(i for i, line in enumerate(lines) if "Why do you buy from us?" in line)
    whys = [line for line in lines[start:start + 30] if line.lstrip().startswith("why?")]
    indents = [len(line) - len(line.lstrip()) for line in whys[:5]]
    assert indents == [indents[0] + 2 * n for n in range(5)]
    quote = next(line for line in lines if "I keep my own spreadsheet" in line)
    assert "(User, Technical evaluator)" in quote and "the customer's words" in quote
    assert "(Lena Brandt)" in out
    actions = lines[lines.index("Action items"):]
    assert {"  Sales", "  Product", "  Marketing", "  Customer service"} <= set(actions)


def test_role_only_names_never_appear(demo_dir, capsys):
    """People quoted by role only are never named in any visit's text or JSON output."""
    for visit_id in visit_ids(capsys, demo_dir).values():
        for extra in ([], ["--json"]):
            code, out, _ = run(capsys, "--data-dir", str(demo_dir), "visit", "show", visit_id,
                               *extra)
            assert code == 0
            for name in ROLE_ONLY_NAMES:
                assert name not in out


def test_visit_show_json_nests_ladders_and_groups_actions(demo_dir, capsys):
    """The JSON form nests probes recursively and carries speakers, verdicts and team groups."""
    visit_id = first_visit(capsys, demo_dir)
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "visit", "show", visit_id, "--json")
    data = json.loads(out)
    assert code == 0 and data["id"] == visit_id and data["status"] == "completed"
    questions = {q["key"]: q for s in data["sections"] for q in s["questions"]}
    node, depth = questions["buy-why-us"]["answer"], 0
    while node["probes"]:
        node, depth = node["probes"][0], depth + 1
        assert node["kind"] == "probe"
    assert depth == 5
    assert questions["ind-share"]["skipped"] is True and questions["ind-share"]["answer"] is None
    speakers = {n["speaker"]["display_name"] for q in questions.values() for n in q["notes"]
                if n["kind"] == "quote"}
    assert speakers == {"Lena Brandt", "Sofia Marchetti", "User, Technical evaluator"}
    photo = next(n for n in questions["use-how"]["notes"] if n["kind"] == "attachment")
    assert photo["attachment"]["name"] == "photo.png" and len(photo["offset"]) > 2
    assert {kl["status"] for kl in data["key_learnings"]} == {"confirmed", "corrected",
                                                               "rejected"}
    assert [g["team"] for g in data["action_items"]] == ["sales", "product", "marketing",
                                                         "customer_service"]
    assert data["next_contact_date"] > data["visit_date"]
    assert data["other_notes"] and data["guide"]["version"] == 2


def test_visit_show_names_who_owns_each_action(demo_dir, capsys):
    """`visit show` names each action's owner, in text beside its status and due date and
    in JSON as "owner" ('' when no one was named)."""
    visit_id = first_visit(capsys, demo_dir)
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "visit", "show", visit_id, "--json")
    owners = {g["team"]: [i["owner"] for i in g["items"]]
              for g in json.loads(out)["action_items"]}
    assert code == 0 and owners == {"sales": ["David Osei (sales)"],
                                    "product": ["Jonas Berg (product)"], "marketing": [""],
                                    "customer_service": ["Aisha Rahman (service)"]}
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "visit", "show", visit_id)
    assert code == 0 and "owner David Osei (sales), due 20" in " ".join(out.split())
    assert "owner" not in next(line for line in out.splitlines() if "reference" in line)


def test_guide_list_show_export_import_round_trip(tmp_path, capsys):
    """Export then import says already present; a new version is added; a broken file changes
    nothing."""
    d = ["--data-dir", str(tmp_path / "ws")]
    code, out, _ = run(capsys, *d, "guide", "list", "--json")
    (guide,) = json.loads(out)
    assert code == 0 and guide["version"] == 2 and guide["questions"] == 27
    code, out, _ = run(capsys, *d, "guide", "show", guide["name"])
    assert code == 0 and "[How they buy]" in out and "hint: " in out and "probe: " in out
    code, out, _ = run(capsys, *d, "guide", "show", guide["version_id"], "--json")
    assert json.loads(out)["sections"][0]["questions"][0]["key"] == "open-roles"
    exported = tmp_path / "guide.json"
    code, out, _ = run(capsys, *d, "guide", "export", guide["guide_id"], "-o", str(exported))
    assert code == 0 and exported.exists()
    code, out, _ = run(capsys, *d, "guide", "import", str(exported))
    assert code == 0 and "already in this workspace" in out
    body = json.loads(exported.read_text(encoding="utf-8"))
    body["version"] = 3
    body["sections"][0]["questions"][0]["text"] = "What are you responsible for here?"
    newer = tmp_path / "guide-v2.json"
    newer.write_text(json.dumps(body), encoding="utf-8")
    code, out, _ = run(capsys, *d, "guide", "import", str(newer))
    assert code == 0 and out.startswith("Added ") and "version 3" in out
    code, out, _ = run(capsys, *d, "guide", "list", "--json")
    before = json.loads(out)
    assert [g["version"] for g in before] == [3]
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "voc-guide", "format_version": 1,', encoding="utf-8")
    code, out, err = run(capsys, *d, "guide", "import", str(broken))
    assert code == 1 and out == ""
    assert err.startswith("voc: error: broken.json is not a valid guide file") and \
        err.count("\n") == 1
    assert json.loads(run(capsys, *d, "guide", "list", "--json")[1]) == before
    ws = Workspace.open(tmp_path / "ws")
    try:
        assert len(ws.guides.versions(guide["guide_id"])) == 2
    finally:
        ws.close()


def test_guide_errors_are_one_line(tmp_path, capsys):
    """A missing file, an unknown guide and an unwritable target each give one error line."""
    d = ["--data-dir", str(tmp_path / "ws")]
    for argv in (["guide", "import", str(tmp_path / "nope.json")],
                 ["guide", "show", "No Such Guide"],
                 ["guide", "export", "No Such Guide", "-o", str(tmp_path / "x.json")],
                 ["guide", "export", "Customer visit — full picture", "-o",
                  str(tmp_path / "missing" / "x.json")]):
        code, out, err = run(capsys, *d, *argv)
        assert code == 1 and out == "", argv
        assert err.startswith("voc: error: ") and err.count("\n") == 1, argv


def test_account_list_json(demo_dir, capsys):
    """`account list --json` gives each account's profile, contacts and visits."""
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "account", "list", "--json")
    accounts = {a["name"]: a for a in json.loads(out)}
    assert code == 0 and set(accounts) == {"Halvorsen Food Packaging",
                                           "Brightway Regional Logistics"}
    halvorsen = accounts["Halvorsen Food Packaging"]
    assert halvorsen["in_icp"] is True and halvorsen["lifecycle_stage"] == "active"
    assert halvorsen["contacts"] == 4 and halvorsen["visits"] == 2
    assert accounts["Brightway Regional Logistics"]["in_icp"] is False
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "account", "list")
    assert "IN PROFILE" in out.splitlines()[0] and len(out.splitlines()) == 3


def test_unknown_visit_id_is_one_line_exit_1(demo_dir, capsys):
    """An unknown visit id prints one `voc: error:` line and exits 1, with nothing on stdout."""
    code, out, err = run(capsys, "--data-dir", str(demo_dir), "visit", "show", "ffffffff")
    assert code == 1 and out == ""
    assert err == "voc: error: No visit with id ffffffff. `voc visit list` shows them.\n"


def test_usage_errors_are_one_line_exit_2(tmp_path, capsys):
    """A command line that cannot be understood gives one error line and exit code 2."""
    for argv in ([], ["visit"], ["visit", "lst"], ["visit", "list", "--status", "done"],
                 ["guide", "export", "x"]):
        code, out, err = run(capsys, "--data-dir", str(tmp_path), *argv)
        assert code == 2 and out == "", argv
        assert err.startswith("voc: error: ") and err.count("\n") == 1, argv
    assert main(["--help"]) == 0 and "visit" in capsys.readouterr().out


def test_env_var_is_used_and_data_dir_wins(tmp_path, capsys, monkeypatch):
    """VOC_DATA_DIR picks the workspace, and --data-dir overrides it."""
    from_env, from_flag = tmp_path / "env", tmp_path / "flag"
    monkeypatch.setenv(DATA_DIR_ENV, str(from_env))
    assert run(capsys, "demo")[0] == 0
    assert len(json.loads(run(capsys, "visit", "list", "--json")[1])) == 4
    assert json.loads(run(capsys, "--data-dir", str(from_flag), "visit", "list", "--json")[1]) \
        == []
    assert json.loads(run(capsys, "visit", "list", "--json", "--data-dir", str(from_flag))[1]) \
        == []
    assert (from_flag / "workspace.sqlite3").exists()
    done = voc("account", "list", "--json", env={DATA_DIR_ENV: str(from_env)})
    assert done.returncode == 0 and len(json.loads(done.stdout)) == 2


def test_import_does_nothing_and_ascii_terminal_survives(tmp_path, demo_dir):
    """Importing the module writes nothing; a terminal without UTF-8 gets '?' not a crash."""
    folder = tmp_path / "untouched"
    env = {**os.environ, "PYTHONPATH": str(REPO), DATA_DIR_ENV: str(folder)}
    subprocess.run([sys.executable, "-c", "import voc_desktop.cli"], env=env, check=True,
                   timeout=60)
    assert not folder.exists()
    visits = json.loads(voc("--data-dir", str(demo_dir), "visit", "list", "--json").stdout)
    brightway = next(v["id"] for v in visits if v["objective"].startswith("Find out why"))
    shown = voc("--data-dir", str(demo_dir), "visit", "show", brightway,
                env={"PYTHONIOENCODING": "ascii"})
    assert shown.returncode == 0 and "Tomasz W?jcik" in shown.stdout


def test_report_pdf_and_docx(demo_dir, capsys, tmp_path):
    """`voc report ID -o FILE` writes the format the name or --format says."""
    visit = first_visit(capsys, demo_dir)
    code, out, err = run(capsys, "--data-dir", str(demo_dir), "report", visit[:8],
                         "-o", str(tmp_path / "visit.pdf"))
    assert (code, err) == (0, "")
    assert out.startswith("Wrote the report to ") and "(PDF document, " in out
    assert (tmp_path / "visit.pdf").read_bytes().startswith(b"%PDF-")
    code, out, err = run(capsys, "--data-dir", str(demo_dir), "report", visit,
                         "--format", "docx", "-o", str(tmp_path / "visit"))
    assert code == 0 and (tmp_path / "visit").read_bytes().startswith(b"PK")


def test_report_into_a_folder_uses_the_suggested_name(demo_dir, capsys, tmp_path):
    """Given a folder, the report gets a name made of the visit's date and account."""
    visit = first_visit(capsys, demo_dir)
    code, _, _ = run(capsys, "--data-dir", str(demo_dir), "report", visit, "--format", "docx",
                     "-o", str(tmp_path))
    written = [p.name for p in tmp_path.iterdir()]
    assert code == 0 and len(written) == 1
    assert written[0].endswith("Halvorsen Food Packaging visit report.docx")


def test_report_errors_are_one_line_and_write_nothing(demo_dir, capsys, tmp_path):
    """Disagreeing names, unknown visits and missing folders fail cleanly."""
    visit = first_visit(capsys, demo_dir)
    cases = [
        (["report", visit, "--format", "docx", "-o", str(tmp_path / "x.pdf")],
         "names a pdf file but --format is docx"),
        (["report", "ffffffff", "-o", str(tmp_path / "x.pdf")], "No visit"),
        (["report", visit, "-o", str(tmp_path / "x.txt")], "Cannot tell the format"),
        (["report", visit, "-o", str(tmp_path / "no" / "x.pdf")], "the folder does not exist"),
    ]
    for argv, message in cases:
        code, out, err = run(capsys, "--data-dir", str(demo_dir), *argv)
        assert code == 1 and out == "", argv
        assert err.startswith("voc: error: ") and message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_visit_show_masks_hidden_names_in_free_text(tmp_path, capsys):
    """A role-only attendee's name written into a note, a tag or an action item is shown as
    their role by `visit show`, in text and in JSON."""
    from voc_desktop.domain.accounts import Consent, Role
    from voc_desktop.domain.visit import Team
    from voc_desktop.services import closing, interview
    from voc_desktop.services.accounts import add_contact, create_account
    from voc_desktop.services.visits import plan_visit, start_visit
    from voc_desktop.services.workspace.workspace import Workspace

    ws = Workspace.open(tmp_path)
    try:
        account = create_account(ws, "Halden Mill")
        hidden = add_contact(ws, account.id, "Σωκράτης Παπαδόπουλος", roles=(Role.USER,),
                             consent=Consent(given=True, quote_by_name=False))
        visit = plan_visit(ws, account.id, "Learn", attendees=((hidden.id, ()),)).id
        start_visit(ws, visit)
        note = interview.add_observation(ws, visit, "ΣΩΚΡΑΤΗΣ showed the line")
        interview.set_tags(ws, note.id, ["παπαδοπουλου"])
        closing.add_action_item(ws, visit, "Call Παπαδόπουλο", Team.SALES)
    finally:
        ws.close()
    for extra in ((), ("--json",)):
        code, out, _ = run(capsys, "--data-dir", str(tmp_path), "visit", "show", visit[:8],
                           *extra)
        assert code == 0
        assert "[User]" in out
        assert "ΣΩΚΡΑΤΗΣ" not in out and "Παπαδόπουλο" not in out and "παπαδοπουλου" not in out
