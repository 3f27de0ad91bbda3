"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``, which
``.ci/run`` installs) driven by Playwright, with the network off.

The page must render, every image must load, the leaderboard must hold the suite's runs,
every contents link must land on a section, and the console must stay free of errors. A
screenshot is kept in ``test-artifacts/`` ($GAN_BENCH_TEST_ARTIFACTS)."""

import os
import shutil
from pathlib import Path

import pytest

from gan_bench.commands.run import run_suites

CHROMIUM = os.environ.get("GAN_BENCH_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("GAN_BENCH_TEST_ARTIFACTS", Path(__file__).parent.parent / "test-artifacts"))


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"the report's browser test needs Chromium at {CHROMIUM}: apt-get install chromium "
            "(or set GAN_BENCH_CHROMIUM to its path)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def test_the_report_renders_in_chromium_offline(tiny, browser):
    config, out = tiny
    run_suites(config_path=config, out=out, train_missing=True, progress=False)
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.goto((out / "index.html").resolve().as_uri(), wait_until="load")

    assert page.title() == "gan-bench report"
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.getAttribute('src'), e.naturalWidth])")
    assert len(images) >= 3
    assert [src for src, width in images if width == 0] == [], "every image loads"

    # the suite's leaderboard, with one row per run
    board = page.locator("#tiny-grid25 table").first
    runs = board.locator("tbody tr td:first-child").all_inner_texts()
    assert {"vanilla", "mmgan-sgan"} <= set(runs)
    assert "modes" in board.locator("thead").inner_text()

    # a wide table scrolls sideways with its run column in view (issue 26): the wrapper made
    # narrower than its table, scrolled to the far right, still shows the first column at its left
    wrap = page.locator("#tiny-grid25 .table-wrap").first
    wrap.evaluate("w => { w.style.width = '260px'; w.scrollLeft = 10000; }")
    assert wrap.evaluate("w => w.scrollLeft") > 0, "the narrowed table scrolls"
    first_cell = wrap.locator("tbody tr td:first-child").first
    assert abs(first_cell.bounding_box()["x"] - wrap.bounding_box()["x"]) < 2
    assert first_cell.inner_text() in runs
    wrap.evaluate("w => { w.style.width = ''; w.scrollLeft = 0; }")

    # every contents link lands on a section, and the contents list every suite dataset
    anchors = page.eval_on_selector_all("a[href^='#']", "els => els.map(e => e.getAttribute('href'))")
    assert "#tiny-grid25" in anchors and "#metrics" in anchors
    missing = [a for a in anchors if page.locator(f"[id='{a[1:]}']").count() != 1]
    assert missing == []
    page.click("nav a[href='#metrics']")
    assert page.locator("#metrics dt").count() >= 3  # modes, emd, clustering explained

    assert all(url.startswith("file://") for url in requests), "the report needs no network"
    assert problems == [], problems
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
    context.close()
