"""Fixtures for the report tests. Constants and read-back helpers (HIDDEN_NAME, MARKUP,
docx_text, pdf_pages, squeeze, ...) live in tests/support/report_visits.py: import them
with `from support.report_visits import ...`."""

from __future__ import annotations

import pytest
from support.report_visits import build_edge_visit

from voc_desktop.services.workspace.workspace import Workspace

# --- fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def edge_ws(tmp_path_factory):
    """A workspace holding only the edge visit; built once per test module."""
    root = tmp_path_factory.mktemp("edge")
    workspace = Workspace.open(root / "ws")
    visit_id = build_edge_visit(workspace, root)
    yield workspace, visit_id
    workspace.close()


@pytest.fixture(scope="module")
def edge_report(edge_ws):
    """The edge visit's report content."""
    from voc_desktop.services.reports import visit_report

    workspace, visit_id = edge_ws
    return visit_report(workspace, visit_id)


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory):
    """The sample workspace: two accounts, three completed visits and a planned one."""
    from voc_desktop.services.demo.sample_workspace import fill_demo

    workspace = Workspace.open(tmp_path_factory.mktemp("demo") / "ws")
    fill_demo(workspace)
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def demo_reports(demo_ws):
    """The report content of every sample visit, keyed by visit id."""
    from voc_desktop.services.reports import visit_report

    return {v.id: visit_report(demo_ws, v.id) for v in demo_ws.visits.list()}
