"""Takes the README's screenshot (docs/screenshot.png) from a running demo.

    make demo            # in one terminal
    .venv/bin/python scripts/screenshot.py [--url http://127.0.0.1:8000] [--as social.worker]

Needs Debian's chromium at /usr/bin/chromium. Demo users sign in without two-factor.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--as", dest="user", default="social.worker")
    parser.add_argument("--path", default="/", help="the page to photograph")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument(
        "--password-file",
        default=str(ROOT / "var" / "demo_password"),
        help="where the running demo keeps its password",
    )
    options = parser.parse_args()
    password = Path(options.password_file).read_text().strip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page.goto(f"{options.url}/account/sign-in/")
        page.get_by_label("Email address").fill(f"{options.user}@demo.haven.test")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("networkidle")
        page.goto(f"{options.url}{options.path}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=options.out)
        browser.close()
    print(f"saved {options.out}")


if __name__ == "__main__":
    main()
