"""Debian's Chromium driven straight through Selenium, for the browser tests that start their own browser
(not through the app's ``launch``): headless, no first-run or background traffic to wait on."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

needs_debian_chromium = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()), reason="needs Debian's chromium and chromedriver"
)


def chromium_options(user_data_dir: Path | str) -> webdriver.ChromeOptions:
    """Options for a headless Chromium on ``user_data_dir``; add a test's own switches before starting it."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_data_dir}")
    return options


def start_chromium(options: webdriver.ChromeOptions) -> WebDriver:
    return webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
