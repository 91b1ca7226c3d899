"""``po-downloader sign-in``: sign in to Coupa once in a visible window on the app's own profile."""

from __future__ import annotations

import argparse

from po_downloader.cli.messages import describe, error_message
from po_downloader.cli.run import complain, say, settings_from_args
from po_downloader.engine.browser.launch import BrowserError, BrowserSpec, interactive_sign_in
from po_downloader.engine.browser.signin import verify_signed_in
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.run.batch import ConfigError, sign_in_setup
from po_downloader.engine.status import EXIT_BAD_INPUT, EXIT_FAILURES, EXIT_OK
from po_downloader.engine.system.paths import AppDirs, private_dir
from po_downloader.engine.system.settings import validate_base_url


def sign_in_command(args: argparse.Namespace, dirs: AppDirs) -> int:
    settings = settings_from_args(args, dirs)
    if err := validate_base_url(settings.base_url):
        complain(error_message(err))
        return EXIT_BAD_INPUT
    if settings.profile_dir:
        complain(describe(ErrorKind.SIGN_IN_WITH_OWN_BROWSER, {}))
        return EXIT_BAD_INPUT
    say(f"A browser window opens at {settings.base_url}. Sign in, then close the window.")
    try:
        interactive_sign_in(
            BrowserSpec(settings.browser, False, settings.driver),
            private_dir(dirs.signin_profile),
            settings.base_url,
        )
        setup = sign_in_setup(settings, dirs)
    except (BrowserError, ConfigError) as exc:
        complain(error_message(exc))
        return EXIT_BAD_INPUT
    check = verify_signed_in(setup, dirs)
    if check.error is None:
        say(f"Signed in: workers will use this session ({check.url}).")
        return EXIT_OK
    complain(
        f"the sign-in did not take: {error_message(check.error)}. "
        "Try again and wait for the Coupa home page before closing."
    )
    return EXIT_FAILURES
