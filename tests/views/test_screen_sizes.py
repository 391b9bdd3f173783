"""The officer's inbox on the screens officers have: the default 1280×800 window, a 1080p
laptop at 150 % (1280×688 logical pixels once the taskbar is taken), and the 960×600 minimum.

The comment log keeps its rows in sight, the comment is its widest column, the emergency
banner folds to one line, the detail pane can be hidden, and the status bar's counts are never
cut. One test runs the app in a process of its own with Qt scaling at 150 %.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from desktop.services.session import AppServices
from desktop.views.accounts.accounts_tab import AccountsTab
from desktop.views.comments.comment_log_model import COL_EXCERPT
from desktop.views.comments.comments_tab import CommentsTab
from desktop.views.main_window import BANNER_FOLDED, MainWindow
from desktop.views.status_bar import AppStatusBar
from desktop.views.ui_state import UiState
from tests.factories import Cast
from tests.views.conftest import add_comment, add_emergency, wait_for_tasks

# (width, height, comment rows at least, account rows at least)
SIZES = {
    "1280x800": (1280, 800, 15, 12),
    "1080p at 150 %": (1280, 688, 10, 8),
    "960x600": (960, 600, 6, 5),
}


def visible_rows(table: QTableView) -> int:
    return table.viewport().height() // table.verticalHeader().defaultSectionSize()


def shown_columns(table: QTableView) -> dict[int, int]:
    header = table.horizontalHeader()
    return {
        c: header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c)
    }


def fully_visible(bar: AppStatusBar, name: str) -> bool:
    label = getattr(bar, name)
    inside = bar.rect().contains(label.geometry().translated(0, 0))
    return inside and label.width() >= label.sizeHint().width()


@pytest.fixture
def inbox(
    cast: Cast, make_app: Callable[[str], AppServices], qtbot: QtBot
) -> Callable[[int, int], MainWindow]:
    """The main window at a size, on the Comments tab, during an emergency, with comments."""
    add_emergency(cast, "Wildfire near La Ronge, with evacuations north of Prince Albert")
    for minutes in range(-40, 40, 4):
        add_comment(cast, acknowledge_in=timedelta(minutes=minutes))

    def make(width: int, height: int) -> MainWindow:
        app = make_app("officer")
        window = MainWindow(app, app.actor(), ui_state=UiState.in_memory())
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.status is not None, timeout=30_000)  # a busy machine
        window.resize(width, height)
        # A database in a deep folder: its label must give way to the counts.
        window.status_bar.database.setText("Local file: " + "/very/long/path" * 12 + "/x.sqlite3")
        window.tab_widget.setCurrentIndex(_index(window, "Comments"))
        qtbot.waitUntil(lambda: isinstance(window.current_tab(), CommentsTab))
        wait_for_tasks(qtbot, timeout=30_000)
        qtbot.wait(50)  # the first sharing of the height runs after the layout
        return window

    return make


def _index(window: MainWindow, title: str) -> int:
    return next(
        i for i in range(window.tab_widget.count()) if window.tab_widget.tabText(i) == title
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_the_comment_log_fits_the_screen(
    inbox: Callable[[int, int], MainWindow], size: str, qtbot: QtBot
) -> None:
    width, height, rows, _ = SIZES[size]
    window = inbox(width, height)
    tab = window.current_tab()
    assert isinstance(tab, CommentsTab)
    # The height is shared out after the layout settles: later on a busy machine (14 of 15
    # rows once in CI with the other worker busy), so wait for it, within seconds.
    qtbot.waitUntil(lambda: visible_rows(tab.table) >= rows, timeout=5_000)
    columns = shown_columns(tab.table)
    # The comment is the widest column, and nothing runs off to the right.
    assert columns[COL_EXCERPT] == max(columns.values())
    assert tab.table.horizontalHeader().length() <= tab.table.viewport().width()
    # The emergency is in sight on one line.
    assert window.banner.isVisible()
    assert window.banner.collapsed
    assert window.banner.height() < 50
    assert "24/7 clock" in window.banner.summary.text()
    # The counts of what is due and late are never cut.
    assert fully_visible(window.status_bar, "overdue")
    assert fully_visible(window.status_bar, "due_soon")
    assert window.status_bar.overdue.text().endswith("overdue")


def test_the_detail_pane_can_be_hidden_and_comes_back(
    inbox: Callable[[int, int], MainWindow], qtbot: QtBot
) -> None:
    window = inbox(1280, 800)
    tab = window.current_tab()
    assert isinstance(tab, CommentsTab)
    before = visible_rows(tab.table)
    assert tab.detail_panel.isVisible()
    tab.list_detail.button.click()  # or Ctrl+D
    qtbot.waitUntil(lambda: not tab.detail_panel.isVisible())
    qtbot.waitUntil(lambda: visible_rows(tab.table) > before + 3)
    tab.list_detail.button.click()
    qtbot.waitUntil(lambda: tab.detail_panel.isVisible() and tab.detail_panel.height() > 80)
    # Dragged taller: the splitter keeps what the person chose.
    sizes = tab.splitter.sizes()
    tab.splitter.setSizes([sizes[0] - 150, sizes[1] + 150])
    assert tab.splitter.sizes()[1] >= sizes[1] + 140


def test_the_banner_unfolds_and_the_choice_is_remembered(
    inbox: Callable[[int, int], MainWindow], qtbot: QtBot
) -> None:
    window = inbox(1280, 800)
    folded = window.banner.height()
    window.banner.fold_button.click()
    qtbot.waitUntil(lambda: window.banner.height() > folded + 10)  # a line more at least
    assert not window.banner.collapsed
    assert window.ui_state.flag(BANNER_FOLDED) is False
    window.resize(1280, 720)  # the person's choice stays, whatever the height
    qtbot.wait(20)
    assert not window.banner.collapsed


def test_a_tall_window_shows_the_emergency_in_full(
    inbox: Callable[[int, int], MainWindow],
) -> None:
    window = inbox(1920, 1040)
    assert not window.banner.collapsed
    assert "on call" in " ".join(window.banner.texts)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_accounts_fit_the_screen(
    inbox: Callable[[int, int], MainWindow], qtbot: QtBot, size: str
) -> None:
    width, height, _, rows = SIZES[size]
    window = inbox(width, height)
    window.tab_widget.setCurrentIndex(_index(window, "Accounts"))
    qtbot.waitUntil(lambda: isinstance(window.current_tab(), AccountsTab))
    wait_for_tasks(qtbot, timeout=30_000)
    qtbot.wait(50)
    tab = window.current_tab()
    assert isinstance(tab, AccountsTab)
    assert visible_rows(tab.table) >= rows
    assert tab.table.horizontalHeader().length() <= tab.table.viewport().width()
    assert tab.detail.isVisible()


def test_a_hidden_pane_stays_hidden_next_time(
    cast: Cast, make_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    state = UiState.in_memory()
    window = make_window("officer", ui_state=state)
    window.tab_widget.setCurrentIndex(_index(window, "Comments"))
    qtbot.waitUntil(lambda: isinstance(window.current_tab(), CommentsTab))
    tab = window.current_tab()
    assert isinstance(tab, CommentsTab)
    tab.list_detail.show_pane(False)
    window.save_state()
    again = make_window("officer", ui_state=state)
    again.tab_widget.setCurrentIndex(_index(again, "Comments"))
    qtbot.waitUntil(lambda: isinstance(again.current_tab(), CommentsTab))
    reopened = again.current_tab()
    assert isinstance(reopened, CommentsTab)
    assert not reopened.list_detail.button.isChecked()
    assert reopened.detail_panel.isHidden()


_SCALED = """
import json, sys
from desktop.views import selftest as st
watch = st._Watch()
with st._sandbox() as home, st._demo_window(home, watch) as (qapp, window):
    window.resize(1280, 688)
    st._wait_idle(qapp)
    for i in range(window.tab_widget.count()):
        if window.tab_widget.tabText(i) == "Comments":
            window.tab_widget.setCurrentIndex(i)
    st._wait_idle(qapp)
    tab = window.current_tab()
    table = tab.table
    header = table.horizontalHeader()
    shown = {c: header.sectionSize(c) for c in range(header.count())
             if not header.isSectionHidden(c)}
    print(json.dumps({
        "ratio": window.devicePixelRatio(),
        "physical": [round(window.width() * window.devicePixelRatio()),
                     round(window.height() * window.devicePixelRatio())],
        "rows": table.viewport().height() // table.verticalHeader().defaultSectionSize(),
        "excerpt_widest": shown[4] == max(shown.values()),
        "overdue": window.status_bar.overdue.text(),
        "overdue_cut": (window.status_bar.overdue.width()
                        < window.status_bar.overdue.sizeHint().width()),
    }))
"""


@pytest.mark.slow
def test_a_1080p_laptop_at_150_percent(tmp_path: Path) -> None:
    """The real thing: Qt scaled by 1.5 on a 1920×1032 screen area (the demo data)."""
    env = {**os.environ, "QT_SCALE_FACTOR": "1.5", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _SCALED],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["ratio"] == 1.5
    assert seen["physical"] == [1920, 1032]
    assert seen["rows"] >= 10
    assert seen["excerpt_widest"]
    assert seen["overdue"].endswith("overdue")
    assert not seen["overdue_cut"]
