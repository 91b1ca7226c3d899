"""How the window words the engine's errors: an ``ErrorKind`` and its details become translated text.

The engine only says what went wrong; the sentence is chosen here, in the user's language, and points at
the window's own controls (Settings…, Sign in to Coupa…) instead of CLI commands and flags.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from po_downloader.engine.errors import ErrorKind, PoDownloaderError, fill
from po_downloader.ui.breaker_words import breaker_words

_CONTEXT = "ErrorText"

# Marked for lupdate here, translated on every call so a language switch shows at once.
TEXT = cast(
    "dict[ErrorKind, str]",
    {
        ErrorKind.SHEET_UNSUPPORTED_TYPE: QT_TRANSLATE_NOOP(
            "ErrorText", "“{name}” is not a supported file type (use one of {suffixes})"
        ),
        ErrorKind.SHEET_NOT_FOUND: QT_TRANSLATE_NOOP("ErrorText", "file not found: {path}"),
        ErrorKind.SHEET_UNREADABLE: QT_TRANSLATE_NOOP("ErrorText", "cannot read “{name}”: {detail}"),
        ErrorKind.SHEET_EXCEL_NAMED_CSV: QT_TRANSLATE_NOOP(
            "ErrorText", "“{name}” is an Excel workbook, not a CSV file: rename it to end in {suffix}"
        ),
        ErrorKind.SHEET_BAD_CSV: QT_TRANSLATE_NOOP(
            "ErrorText", "“{name}” is not a readable CSV file: {detail}"
        ),
        ErrorKind.SHEET_CSV_UNCLOSED_QUOTE: QT_TRANSLATE_NOOP(
            "ErrorText",
            '“{name}”: the quote (") that opens a cell on line {line} is never closed, so the rest of the file would be read as one cell. Close or remove that quote and open the file again.',
        ),
        ErrorKind.SHEET_NOT_TEXT: QT_TRANSLATE_NOOP(
            "ErrorText",
            "“{name}” is not a CSV text file: it holds binary data (a NUL byte on line {line}). Export the sheet again as CSV, or open the Excel workbook itself.",
        ),
        ErrorKind.SHEET_PASSWORD_PROTECTED: QT_TRANSLATE_NOOP(
            "ErrorText",
            "“{name}” is password-protected: save it without a password (Excel: File › Info › Protect Workbook › Encrypt with Password, clear the password) and open that file.",
        ),
        ErrorKind.SHEET_BAD_EXCEL: QT_TRANSLATE_NOOP(
            "ErrorText", "“{name}” is not a readable Excel file (damaged or not Excel): {detail}"
        ),
        ErrorKind.SHEET_EMPTY: QT_TRANSLATE_NOOP("ErrorText", "“{name}” has no data"),
        ErrorKind.SHEET_NO_PO_COLUMN: QT_TRANSLATE_NOOP(
            "ErrorText", "no PO column in “{name}”; headers seen: {headers}"
        ),
        ErrorKind.SHEET_UNKNOWN_COLUMN: QT_TRANSLATE_NOOP(
            "ErrorText", "“{name}” has no column “{column}”; its columns: {headers}"
        ),
        ErrorKind.SHEET_NO_VALID_PO: QT_TRANSLATE_NOOP(
            "ErrorText",
            "no valid PO number in column “{column}” of “{where}” ({invalid} invalid; row {row}: {reason})",
        ),
        ErrorKind.SHEET_NO_DATA_ROWS: QT_TRANSLATE_NOOP(
            "ErrorText",
            "no valid PO number in column “{column}” of “{where}”: it has a header but no data rows",
        ),
        ErrorKind.SHEET_ALL_BLANK: QT_TRANSLATE_NOOP(
            "ErrorText", "no valid PO number in column “{column}” of “{where}”: every row is blank"
        ),
        ErrorKind.SHEET_CHANGED_SINCE_READ: QT_TRANSLATE_NOOP(
            "ErrorText", "“{name}” changed after it was read: nothing was started; open it again, then Start"
        ),
        ErrorKind.RESULTS_BAD_SUFFIX: QT_TRANSLATE_NOOP(
            "ErrorText", "the results file must end in .csv or .xlsx, not “{name}”"
        ),
        ErrorKind.RESULTS_OVERWRITES_INPUT: QT_TRANSLATE_NOOP(
            "ErrorText", "the results file would overwrite the input “{name}”: rename the input file"
        ),
        ErrorKind.RESULTS_LOCKED: QT_TRANSLATE_NOOP(
            "ErrorText",
            "cannot write the results file “{path}” ({detail}): it is open in another program (e.g. Excel) or the folder is not writable. Close it and the results will be written at the next update.",
        ),
        ErrorKind.RESULTS_SAVED_ELSEWHERE: QT_TRANSLATE_NOOP(
            "ErrorText",
            "the results file “{path}” stayed locked (open in Excel?): the results were saved to “{fallback}” instead",
        ),
        ErrorKind.RESULTS_NOT_SAVED: QT_TRANSLATE_NOOP(
            "ErrorText",
            "the results could not be written to “{path}” nor beside it ({detail}). The journal keeps them: close the file and start the sheet again to write them.",
        ),
        ErrorKind.RESULTS_NOT_WRITABLE: QT_TRANSLATE_NOOP(
            "ErrorText",
            "cannot write the results file “{path}” ({detail}): nothing was started. Make its folder writable, or copy the sheet to a folder you can write to, and start again.",
        ),
        ErrorKind.PREPARE_FILE_FAILED: QT_TRANSLATE_NOOP(
            "ErrorText",
            "cannot prepare the batch: “{path}” ({detail}); nothing was started. Fix that file or its folder and start again.",
        ),
        ErrorKind.NOTHING_TO_RESUME: QT_TRANSLATE_NOOP(
            "ErrorText", "there is no unfinished batch of “{path}” to resume"
        ),
        ErrorKind.RESUME_INPUT_CHANGED: QT_TRANSLATE_NOOP(
            "ErrorText",
            "“{path}” has changed since its unfinished batch of {started}, so it cannot be resumed: start a new batch",
        ),
        ErrorKind.SETTINGS_INVALID: QT_TRANSLATE_NOOP("ErrorText", "the settings cannot run a batch"),
        ErrorKind.NO_BASE_URL: QT_TRANSLATE_NOOP(
            "ErrorText",
            "no Coupa URL configured: enter it in Settings (e.g. https://yourcompany.coupahost.com)",
        ),
        ErrorKind.BASE_URL_NOT_WEB: QT_TRANSLATE_NOOP(
            "ErrorText", "not a web address: “{url}” (expected e.g. https://yourcompany.coupahost.com)"
        ),
        ErrorKind.BASE_URL_NOT_HTTPS: QT_TRANSLATE_NOOP(
            "ErrorText", "use https for {host}: the session cookie must not travel unencrypted"
        ),
        ErrorKind.BASE_URL_HAS_CREDENTIALS: QT_TRANSLATE_NOOP(
            "ErrorText",
            "the Coupa address must not contain a user name or password: enter {url} in Settings and use “Sign in to Coupa…”",
        ),
        ErrorKind.BASE_URL_HAS_QUERY: QT_TRANSLATE_NOOP(
            "ErrorText", "the Coupa address must not contain a query (?…): enter {url} in Settings"
        ),
        ErrorKind.BASE_URL_HAS_FRAGMENT: QT_TRANSLATE_NOOP(
            "ErrorText", "the Coupa address must not contain a fragment (#…): enter {url} in Settings"
        ),
        ErrorKind.UNKNOWN_BROWSER: QT_TRANSLATE_NOOP(
            "ErrorText", "unknown browser “{browser}”: choose one of {choices}"
        ),
        ErrorKind.NEGATIVE_WORKERS: QT_TRANSLATE_NOOP(
            "ErrorText", "the number of workers cannot be negative"
        ),
        ErrorKind.ATTEMPTS_TOO_FEW: QT_TRANSLATE_NOOP("ErrorText", "attempts per PO must be at least 1"),
        ErrorKind.TIMEOUT_NOT_POSITIVE: QT_TRANSLATE_NOOP(
            "ErrorText", "the {setting} must be more than zero"
        ),
        ErrorKind.PROFILE_DIR_NOT_FOUND: QT_TRANSLATE_NOOP(
            "ErrorText", "browser profile folder not found: {path}"
        ),
        ErrorKind.DRIVER_NOT_FOUND: QT_TRANSLATE_NOOP("ErrorText", "browser driver not found: {path}"),
        ErrorKind.DOWNLOAD_FOLDER_NOT_WRITABLE: QT_TRANSLATE_NOOP(
            "ErrorText", "cannot write to the download folder {path}: {detail}"
        ),
        ErrorKind.FOLDER_TEMPLATE_BRACE: QT_TRANSLATE_NOOP(
            "ErrorText",
            "the folder layout “{template}” has a stray brace or an empty token: write each token as {example}",
        ),
        ErrorKind.FOLDER_TEMPLATE_NO_PO: QT_TRANSLATE_NOOP(
            "ErrorText",
            "the folder layout “{template}” must end with {po} as a folder of its own, and use it only there (e.g. {example})",
        ),
        ErrorKind.FOLDER_TEMPLATE_UNKNOWN_TOKEN: QT_TRANSLATE_NOOP(
            "ErrorText",
            "the folder layout uses {token}, which is neither a page token nor a column of the sheet (known: {known})",
        ),
        ErrorKind.NO_SIGN_IN_PROFILE: QT_TRANSLATE_NOOP(
            "ErrorText", "not signed in to Coupa yet: use “Sign in to Coupa…” first"
        ),
        ErrorKind.USER_PROFILE_MISSING: QT_TRANSLATE_NOOP(
            "ErrorText", "no browser profile at {path}: check the profile folder in Settings"
        ),
        ErrorKind.SIGN_IN_WITH_OWN_BROWSER: QT_TRANSLATE_NOOP(
            "ErrorText", "you chose an existing browser profile: sign in to Coupa with that browser itself."
        ),
        ErrorKind.SELECTORS_UNREADABLE: QT_TRANSLATE_NOOP(
            "ErrorText", "cannot read the selectors file {path}: {detail}"
        ),
        ErrorKind.SELECTORS_NOT_OBJECT: QT_TRANSLATE_NOOP(
            "ErrorText", "the selectors file {path} must hold a JSON object"
        ),
        ErrorKind.SELECTORS_BAD_VALUE: QT_TRANSLATE_NOOP(
            "ErrorText", "the selectors key “{key}” must be {expected}"
        ),
        ErrorKind.SELECTORS_UNKNOWN_KEYS: QT_TRANSLATE_NOOP(
            "ErrorText", "the selectors file {path} has unknown keys: {keys}"
        ),
        ErrorKind.SELECTORS_KEY_GONE: QT_TRANSLATE_NOOP(
            "ErrorText", "the selectors file {path} uses {key}, which is gone: use {replacement}"
        ),
        ErrorKind.SELECTORS_MISSING_KEY: QT_TRANSLATE_NOOP(
            "ErrorText", "the selectors file is missing or has a malformed key: {key}"
        ),
        ErrorKind.PROFILE_NAME_INVALID: QT_TRANSLATE_NOOP("ErrorText", "not a profile folder name: “{name}”"),
        ErrorKind.PROFILE_NOT_FOUND: QT_TRANSLATE_NOOP("ErrorText", "browser profile not found: {path}"),
        ErrorKind.PROFILE_NO_COOKIES: QT_TRANSLATE_NOOP(
            "ErrorText",
            "the profile {path} has no sign-in cookies: sign in to Coupa once with it, then close the browser",
        ),
        ErrorKind.PROFILE_COOKIES_LOCKED: QT_TRANSLATE_NOOP(
            "ErrorText",
            "could not copy the sign-in cookies ({detail}): close the browser that uses this profile and try again",
        ),
        ErrorKind.PROFILE_COPY_NO_COOKIES: QT_TRANSLATE_NOOP(
            "ErrorText", "the copy of {path} has no sign-in cookies"
        ),
        ErrorKind.PROFILE_COPY_TARGET_NOT_EMPTY: QT_TRANSLATE_NOOP(
            "ErrorText", "the profile copy folder {path} exists and is not empty"
        ),
        ErrorKind.NO_BROWSER_INSTALLED: QT_TRANSLATE_NOOP(
            "ErrorText", "no Microsoft Edge, Google Chrome or Chromium found on this computer"
        ),
        ErrorKind.BROWSER_NOT_INSTALLED: QT_TRANSLATE_NOOP(
            "ErrorText",
            "{browser} was not found on this computer: install it or choose another browser in Settings",
        ),
        ErrorKind.BROWSER_DRIVER_MISMATCH: QT_TRANSLATE_NOOP(
            "ErrorText", "the browser driver does not match {browser}"
        ),
        ErrorKind.PROFILE_IN_USE: QT_TRANSLATE_NOOP(
            "ErrorText", "the profile copy {path} is in use by another browser"
        ),
        ErrorKind.BROWSER_START_FAILED: QT_TRANSLATE_NOOP("ErrorText", "could not start {browser}: {detail}"),
        ErrorKind.NOT_SIGNED_IN: QT_TRANSLATE_NOOP(
            "ErrorText", "the browser profile is not signed in to Coupa"
        ),
        ErrorKind.SESSION_EXPIRED: QT_TRANSLATE_NOOP("ErrorText", "Coupa asked to sign in again"),
        ErrorKind.SIGN_IN_DID_NOT_TAKE: QT_TRANSLATE_NOOP(
            "ErrorText", "still not signed in: {url} sends the browser to {page}"
        ),
        ErrorKind.PORTAL_TIMEOUT: QT_TRANSLATE_NOOP("ErrorText", "Coupa did not answer in time: {detail}"),
        ErrorKind.GRID_URL_INVALID: QT_TRANSLATE_NOOP(
            "ErrorText", "not a usable Selenium Grid address: “{url}” (expected e.g. http://gridhost:4444)"
        ),
        ErrorKind.GRID_UNREACHABLE: QT_TRANSLATE_NOOP(
            "ErrorText",
            "the Selenium Grid at {url} does not answer ({detail}): check its address and that it runs",
        ),
        ErrorKind.GRID_NO_FREE_SLOT: QT_TRANSLATE_NOOP(
            "ErrorText", "the Selenium Grid at {url} had no free browser slot in {waited} s"
        ),
        ErrorKind.GRID_SESSION_FAILED: QT_TRANSLATE_NOOP(
            "ErrorText", "the Selenium Grid at {url} gave no browser session: {detail}"
        ),
        ErrorKind.GRID_NOT_SIGNED_IN: QT_TRANSLATE_NOOP(
            "ErrorText",
            "the sign-in carried to the Selenium Grid's browsers at {url} did not take: sign in again",
        ),
        ErrorKind.WORKERS_COULD_NOT_START: QT_TRANSLATE_NOOP(
            "ErrorText", "the workers could not start: {detail}"
        ),
        ErrorKind.WORKER_CRASHED: QT_TRANSLATE_NOOP("ErrorText", "a worker failed: {detail}"),
        ErrorKind.STAGING_IS_LINK: QT_TRANSLATE_NOOP(
            "ErrorText",
            "{path} in the download folder is a link or a file, not a folder: links there are never "
            "followed, so no download started. Remove it (the app makes the folder itself) and start again.",
        ),
        ErrorKind.ROOT_BUSY: QT_TRANSLATE_NOOP(
            "ErrorText",
            "the download folder {root} is in use by another batch: {input}, started {since} (process {pid}). Wait for it to end, or choose another download folder in Settings.",
        ),
        ErrorKind.ROOT_TOO_DEEP: QT_TRANSLATE_NOOP(
            "ErrorText",
            "the download folder {root} is too deep for this system's {limit}-character path limit: choose a shorter download folder (or enable long paths in Windows)",
        ),
        ErrorKind.ROOT_TOO_DEEP_FOR_DOWNLOADS: QT_TRANSLATE_NOOP(
            "ErrorText",
            "the download folder {root} is too deep for this system's {limit}-character path limit (the browser's downloads need room in it too): choose a shorter download folder (or enable long paths in Windows)",
        ),
        ErrorKind.FOLDER_IS_LINK: QT_TRANSLATE_NOOP(
            "ErrorText",
            "{path} in the download folder is a link to {target}; links there are never followed: replace it with a real folder",
        ),
        ErrorKind.FOLDER_IS_FILE: QT_TRANSLATE_NOOP(
            "ErrorText", "{path} in the download folder is a file, not a folder"
        ),
        ErrorKind.FOLDER_HELD: QT_TRANSLATE_NOOP(
            "ErrorText", "{name} could not be renamed: another program holds a file in it ({detail})"
        ),
        ErrorKind.BREAKER_SKIPPED: QT_TRANSLATE_NOOP(
            "ErrorText",
            "skipped: the last {count} POs of {name} all ended with {way}; not worked",
        ),
        ErrorKind.BREAKER_UNKNOWN_COLUMN: QT_TRANSLATE_NOOP(
            "ErrorText", "no column '{column}' in '{name}' to group POs by; its columns: {headers}"
        ),
        ErrorKind.PORTAL_SAID: QT_TRANSLATE_NOOP("ErrorText", "Coupa: {said}"),
        ErrorKind.PO_NOT_FOUND: QT_TRANSLATE_NOOP("ErrorText", "Coupa has no such PO"),
        ErrorKind.PO_NO_ACCESS: QT_TRANSLATE_NOOP("ErrorText", "Coupa does not let this user see the PO"),
        ErrorKind.PAGE_NOT_COUPAS: QT_TRANSLATE_NOOP(
            "ErrorText", "an error page that is not Coupa's came back; the PO is tried again"
        ),
        ErrorKind.PORTAL_ERROR_PAGE: QT_TRANSLATE_NOOP("ErrorText", "Coupa showed an error: {detail}"),
        ErrorKind.LIST_UNCONFIRMED: QT_TRANSLATE_NOOP(
            "ErrorText", "the page never proved its list of attachments"
        ),
        ErrorKind.PAGE_CHANGED: QT_TRANSLATE_NOOP(
            "ErrorText", "the page changed while its attachments were read"
        ),
        ErrorKind.FILES_MISSING: QT_TRANSLATE_NOOP(
            "ErrorText", "files not saved: {missing} of {total} ({names})"
        ),
        ErrorKind.SAVED_WITH_NOTES: QT_TRANSLATE_NOOP("ErrorText", "saved, with notes"),
        ErrorKind.WORKER_DIED: QT_TRANSLATE_NOOP(
            "ErrorText", "the worker's browser stopped unexpectedly (exit code {code})"
        ),
        ErrorKind.DISK_FULL: QT_TRANSLATE_NOOP(
            "ErrorText",
            "the download folder {path} is full ({free} free): the batch stopped and finished files are "
            "kept; free some space, then press Retry failed to carry on",
        ),
        ErrorKind.DISK_READ_ONLY: QT_TRANSLATE_NOOP(
            "ErrorText",
            "the download folder {path} became read-only: the batch stopped and finished files are kept; "
            "make it writable, then press Retry failed to carry on",
        ),
    },
)


# The engine names a setting in English (its ``details`` are data); the window shows its own label.
_SETTING_NAMES = cast(
    "dict[str, str]",
    {
        "page timeout": QT_TRANSLATE_NOOP("ErrorText", "page load time limit"),
        "attachment timeout": QT_TRANSLATE_NOOP("ErrorText", "attachment list time limit"),
        "download timeout": QT_TRANSLATE_NOOP("ErrorText", "download time limit"),
    },
)


# What a selectors value must be (``SELECTORS_BAD_VALUE``'s ``expected``: engine.browser.selectors.Shape).
_EXPECTED = cast(
    "dict[str, str]",
    {
        "strings": QT_TRANSLATE_NOOP("ErrorText", "a list of non-empty texts, not empty"),
        "optional_strings": QT_TRANSLATE_NOOP("ErrorText", "a list of non-empty texts"),
        "text": QT_TRANSLATE_NOOP("ErrorText", "a non-empty text"),
        "comment": QT_TRANSLATE_NOOP("ErrorText", "a text"),
        "po_url": QT_TRANSLATE_NOOP(
            "ErrorText", "a text with exactly the placeholders {base_url} and {digits}"
        ),
        "object": QT_TRANSLATE_NOOP("ErrorText", "an object with the keys of the bundled selectors.json"),
    },
)


def kind_text(kind: ErrorKind, details: Mapping[str, str]) -> str:
    """The window's sentence, in the current language, for an error of ``kind`` (an event, a summary)."""
    shown = dict(details)
    if kind is ErrorKind.SELECTORS_BAD_VALUE:
        # Sent without ``expected`` by an older worker: a list is what most keys are.
        expected = _EXPECTED.get(shown.get("expected", ""), _EXPECTED["optional_strings"])
        shown["expected"] = QCoreApplication.translate(_CONTEXT, expected)
    shown.update(breaker_words(shown) if kind is ErrorKind.BREAKER_SKIPPED else {})
    if (setting := shown.get("setting")) in _SETTING_NAMES:
        shown["setting"] = QCoreApplication.translate(_CONTEXT, _SETTING_NAMES[setting])
    return fill(QCoreApplication.translate(_CONTEXT, TEXT[kind]), shown)


def error_text(error: BaseException) -> str:
    """The window's sentence for ``error``; an unexpected exception (not ours) shows as ``str()``."""
    if not isinstance(error, PoDownloaderError):
        return str(error)
    if error.problems:
        return "; ".join(error_text(problem) for problem in error.problems)
    return kind_text(error.kind, error.details)
