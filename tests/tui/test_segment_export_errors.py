"""The Segments screen's export on a full disk: it says so, leaves no partial file, and says where a good
export went (issues 11 point 7, 15 point 6)."""

from __future__ import annotations

import pytest

from shopkeep import outputs
from shopkeep.tui.screens.segments import MembersScreen
from tests.conftest import record_notifications
from tests.conftest import until as wait_for
from tests.test_outputs import FillingFile, leftovers
from tests.tui.test_segments import open_segments


@pytest.fixture
def out(tmp_path, monkeypatch):
    """The current folder, where the screen exports."""
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


async def test_a_full_disk_during_a_segment_export_is_shown_and_leaves_no_file(make_app, out, monkeypatch):
    real_open = open
    monkeypatch.setattr(outputs, "open", lambda *a, **k: FillingFile(real_open(*a, **k), 200), raising=False)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        shown = record_notifications(app, monkeypatch)
        await open_segments(pilot)
        app.push_screen(MembersScreen("group", "repeat buyers"))
        await wait_for(pilot, lambda: app.screen.members)
        await pilot.press("e")
        target = out / "repeat-buyers-2026-11-23.csv"
        await wait_for(pilot, lambda: shown)
        assert shown == [(f"Export failed: the disk is full: {target} was not written", "error")]
    assert leftovers(out) == []


async def test_a_segment_export_says_how_many_and_where(make_app, out, monkeypatch):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        shown = record_notifications(app, monkeypatch)
        await open_segments(pilot)
        app.push_screen(MembersScreen("group", "repeat buyers"))
        await wait_for(pilot, lambda: app.screen.members)
        await pilot.press("e")
        await wait_for(pilot, lambda: shown)
        assert shown == [(f"Exported 5 customers to {out / 'repeat-buyers-2026-11-23.csv'}", "information")]
    assert leftovers(out) == ["repeat-buyers-2026-11-23.csv"]
