"""How the CLI words the engine's errors: the one place that turns an ``ErrorKind`` into terminal English.

The engine names no command or flag; here the CLI may point at its own (``po-downloader sign-in``,
``--profile-dir``), because on the terminal those are what the user can act on.
"""

from __future__ import annotations

from collections.abc import Mapping

from po_downloader.engine.errors import ErrorKind, PoDownloaderError, fill
from po_downloader.engine.run.breaker import WAY_WORDS, group_name, way_of
from po_downloader.engine.system.display import terminal_text

SIGN_IN_COMMAND = "po-downloader sign-in"

TEXT: dict[ErrorKind, str] = {
    ErrorKind.SHEET_UNSUPPORTED_TYPE: "'{name}' is not a supported file type (use one of {suffixes})",
    ErrorKind.SHEET_NOT_FOUND: "file not found: {path}",
    ErrorKind.SHEET_UNREADABLE: "cannot read '{name}': {detail}",
    ErrorKind.SHEET_EXCEL_NAMED_CSV: "'{name}' is an Excel workbook, not a CSV file; rename it to end in {suffix}",
    ErrorKind.SHEET_BAD_CSV: "'{name}' is not a readable CSV file: {detail}",
    ErrorKind.SHEET_CSV_UNCLOSED_QUOTE: (
        "'{name}': the quote (\") that opens a cell on line {line} is never closed, so the rest of the file "
        "would be read as one cell; close or remove that quote and run again"
    ),
    ErrorKind.SHEET_NOT_TEXT: (
        "'{name}' is not a CSV text file: it holds binary data (a NUL byte on line {line}); export the sheet "
        "again as CSV, or give the Excel workbook itself"
    ),
    ErrorKind.SHEET_PASSWORD_PROTECTED: (
        "'{name}' is password-protected: save it without a password (Excel: File > Info > Protect Workbook "
        "> Encrypt with Password, clear the password) and run again"
    ),
    ErrorKind.SHEET_BAD_EXCEL: "'{name}' is not a readable Excel file (damaged or not Excel): {detail}",
    ErrorKind.SHEET_EMPTY: "'{name}' has no data",
    ErrorKind.SHEET_NO_PO_COLUMN: (
        "no PO column in '{name}'; headers seen: {headers} (name the PO column with --po-column)"
    ),
    ErrorKind.SHEET_UNKNOWN_COLUMN: "no column '{column}' in '{name}' (--po-column); its columns: {headers}",
    ErrorKind.SHEET_NO_VALID_PO: (
        "no valid PO number in column '{column}' of '{where}' ({invalid} invalid; row {row}: {reason})"
    ),
    ErrorKind.SHEET_NO_DATA_ROWS: (
        "no valid PO number in column '{column}' of '{where}' (the sheet has a header but no data rows)"
    ),
    ErrorKind.SHEET_ALL_BLANK: "no valid PO number in column '{column}' of '{where}' (every row is blank)",
    ErrorKind.SHEET_CHANGED_SINCE_READ: "'{name}' changed after it was read: nothing was started; run again",
    ErrorKind.RESULTS_BAD_SUFFIX: "the results file must end in .csv or .xlsx, not '{name}' (--results)",
    ErrorKind.RESULTS_OVERWRITES_INPUT: (
        "the results file would overwrite the input '{name}'; choose another name with --results"
    ),
    ErrorKind.RESULTS_LOCKED: (
        "cannot write the results file '{path}' ({detail}): it is open in another program (e.g. Excel) "
        "or the folder is not writable; close it and the results will be written at the next update"
    ),
    ErrorKind.RESULTS_SAVED_ELSEWHERE: (
        "the results file '{path}' stayed locked (open in Excel?): the results were saved to '{fallback}' "
        "instead"
    ),
    ErrorKind.RESULTS_NOT_SAVED: (
        "the results could not be written to '{path}' nor beside it ({detail}); the journal keeps them: "
        "close the file and run the same command again"
    ),
    ErrorKind.RESULTS_NOT_WRITABLE: (
        "cannot write the results file '{path}' ({detail}): nothing was started; make its folder writable "
        "or choose another results file with --results, then run again"
    ),
    ErrorKind.PREPARE_FILE_FAILED: (
        "cannot prepare the batch: '{path}' ({detail}); nothing was started; fix that file or its folder "
        "and run again"
    ),
    ErrorKind.NOTHING_TO_RESUME: (
        "there is no unfinished batch of '{path}' to resume; run without --resume to start one"
    ),
    ErrorKind.RESUME_INPUT_CHANGED: (
        "'{path}' has changed since its unfinished batch of {started}, so it cannot be resumed; "
        "run with --fresh to start over"
    ),
    ErrorKind.SETTINGS_INVALID: "the settings cannot run a batch",
    ErrorKind.NO_BASE_URL: "no Coupa URL configured: pass --base-url (e.g. https://yourcompany.coupahost.com)",
    ErrorKind.BASE_URL_NOT_WEB: (
        "not a web address: '{url}' (pass --base-url, e.g. https://yourcompany.coupahost.com)"
    ),
    ErrorKind.BASE_URL_NOT_HTTPS: "use https for {host}: the session cookie must not travel unencrypted",
    ErrorKind.BASE_URL_HAS_CREDENTIALS: (
        "the Coupa URL must not contain a user name or password: pass --base-url {url} and sign in with "
        f"`{SIGN_IN_COMMAND}`"
    ),
    ErrorKind.BASE_URL_HAS_QUERY: "the Coupa URL must not contain a query (?…): pass --base-url {url}",
    ErrorKind.BASE_URL_HAS_FRAGMENT: "the Coupa URL must not contain a fragment (#…): pass --base-url {url}",
    ErrorKind.UNKNOWN_BROWSER: "unknown browser '{browser}': choose one of {choices} (--browser)",
    ErrorKind.NEGATIVE_WORKERS: "the worker count cannot be negative (--workers)",
    ErrorKind.ATTEMPTS_TOO_FEW: "attempts must be at least 1 (--attempts)",
    ErrorKind.TIMEOUT_NOT_POSITIVE: "{setting} must be positive",
    ErrorKind.PROFILE_DIR_NOT_FOUND: "browser profile folder not found: {path} (--profile-dir)",
    ErrorKind.DRIVER_NOT_FOUND: "driver not found: {path} (--driver)",
    ErrorKind.DOWNLOAD_FOLDER_NOT_WRITABLE: "cannot write to the download folder {path}: {detail} (--out)",
    ErrorKind.FOLDER_TEMPLATE_BRACE: (
        "the folder template '{template}' has a stray brace or an empty token: write each token as {example} "
        "(--folders)"
    ),
    ErrorKind.FOLDER_TEMPLATE_NO_PO: (
        "the folder template '{template}' must end with {po} as a folder of its own, and use it only there "
        "(e.g. --folders '{example}')"
    ),
    ErrorKind.FOLDER_TEMPLATE_UNKNOWN_TOKEN: (
        "the folder template uses {token}, which is neither a page token nor a column of the sheet "
        "(--folders; known: {known})"
    ),
    ErrorKind.NO_SIGN_IN_PROFILE: f"no signed-in browser profile at {{path}}: run `{SIGN_IN_COMMAND}` first",
    ErrorKind.USER_PROFILE_MISSING: "no browser profile at {path}: check --profile-dir",
    ErrorKind.SIGN_IN_WITH_OWN_BROWSER: (
        "you chose an existing browser profile (--profile-dir): sign in to Coupa with that browser "
        "itself, close it, then run the batch; po-downloader never writes to your own profile"
    ),
    ErrorKind.SELECTORS_UNREADABLE: "cannot read the selectors file {path}: {detail}",
    ErrorKind.SELECTORS_NOT_OBJECT: "the selectors file {path} must hold a JSON object",
    ErrorKind.SELECTORS_BAD_VALUE: "selectors key '{key}' must be {expected}",
    ErrorKind.SELECTORS_UNKNOWN_KEYS: "the selectors file {path} has unknown keys: {keys}",
    ErrorKind.SELECTORS_KEY_GONE: "the selectors file {path} uses {key}, which is gone: use {replacement}",
    ErrorKind.SELECTORS_MISSING_KEY: "the selectors file is missing or has a malformed key: {key}",
    ErrorKind.PROFILE_NAME_INVALID: "not a profile directory name: '{name}' (--profile-name)",
    ErrorKind.PROFILE_NOT_FOUND: "browser profile not found: {path} (check --profile-dir and --profile-name)",
    ErrorKind.PROFILE_NO_COOKIES: (
        "the profile {path} has no Cookies database: sign in once with it, then close the browser"
    ),
    ErrorKind.PROFILE_COOKIES_LOCKED: (
        "could not copy the sign-in cookies ({detail}); close the browser that uses this profile and try again"
    ),
    ErrorKind.PROFILE_COPY_NO_COOKIES: "the copy of {path} has no Cookies database",
    ErrorKind.PROFILE_COPY_TARGET_NOT_EMPTY: "the profile copy target {path} exists and is not an empty directory",
    ErrorKind.BROWSER_NOT_INSTALLED: (
        "{browser} was not found on this computer: install it or choose another browser (--browser)"
    ),
    ErrorKind.NO_BROWSER_INSTALLED: "no Microsoft Edge, Google Chrome or Chromium found on this computer",
    ErrorKind.BROWSER_DRIVER_MISMATCH: "mismatched driver and options for {browser}",
    ErrorKind.PROFILE_IN_USE: "the profile copy {path} is in use by another browser",
    ErrorKind.BROWSER_START_FAILED: "could not start {browser}: {detail}",
    ErrorKind.NOT_SIGNED_IN: f"the browser profile is not signed in to Coupa: run `{SIGN_IN_COMMAND}`",
    ErrorKind.SESSION_EXPIRED: f"Coupa asks to sign in again: run `{SIGN_IN_COMMAND}`",
    ErrorKind.SIGN_IN_DID_NOT_TAKE: "not signed in: {url} sends the browser to {page}",
    ErrorKind.PORTAL_TIMEOUT: "Coupa did not answer in time: {detail}",
    ErrorKind.GRID_URL_INVALID: "not a usable Selenium Grid address: {url} (pass --grid, e.g. http://gridhost:4444)",
    ErrorKind.GRID_UNREACHABLE: "the Selenium Grid at {url} does not answer ({detail}): check --grid and that it runs",
    ErrorKind.GRID_NO_FREE_SLOT: (
        "the Selenium Grid at {url} had no free browser slot in {waited} s: try again when its sessions end, "
        "or add nodes"
    ),
    ErrorKind.GRID_SESSION_FAILED: "the Selenium Grid at {url} gave no browser session: {detail}",
    ErrorKind.GRID_NOT_SIGNED_IN: (
        f"the sign-in carried to the Selenium Grid's browsers at {{url}} did not take: run `{SIGN_IN_COMMAND}`, "
        "then run again"
    ),
    ErrorKind.WORKERS_COULD_NOT_START: "workers could not start: {detail}",
    ErrorKind.WORKER_CRASHED: "worker error: {detail}",
    ErrorKind.STAGING_IS_LINK: (
        "{path} in the download folder is a link or a file, not a folder: links there are never followed, "
        "so no download started; remove it (po-downloader makes the folder itself) and run again"
    ),
    ErrorKind.ROOT_BUSY: (
        "the download folder {root} is in use by another po-downloader batch: {input}, started {since} "
        "(process {pid}); wait for it to end, or choose another folder with --out"
    ),
    ErrorKind.ROOT_TOO_DEEP: (
        "the download folder {root} is too deep for this system's {limit}-character path limit: "
        "choose a shorter download folder (or enable long paths in Windows)"
    ),
    ErrorKind.ROOT_TOO_DEEP_FOR_DOWNLOADS: (
        "the download folder {root} is too deep for this system's {limit}-character path limit "
        "(the browser's downloads need room in it too): choose a shorter download folder "
        "(or enable long paths in Windows)"
    ),
    ErrorKind.FOLDER_IS_LINK: (
        "{path} in the download folder is a link to {target}; links there are never followed: "
        "replace it with a real folder"
    ),
    ErrorKind.FOLDER_IS_FILE: "{path} in the download folder is a file, not a folder",
    ErrorKind.FOLDER_HELD: "{name} could not be renamed: another program holds a file in it ({detail})",
    ErrorKind.BREAKER_SKIPPED: (
        "skipped: the last {count} POs of {name} all ended with {way}; not worked "
        "(once that is fixed, run again with --retry-skipped)"
    ),
    ErrorKind.BREAKER_UNKNOWN_COLUMN: (
        "no column '{column}' in '{name}' to group POs by (--breaker-group); its columns: {headers}"
    ),
    ErrorKind.PORTAL_SAID: "Coupa: {said}",
    ErrorKind.PO_NOT_FOUND: "PO not found",
    ErrorKind.PO_NO_ACCESS: "not authorised",
    ErrorKind.PAGE_NOT_COUPAS: "an error page that is not Coupa's: {detail}",
    ErrorKind.PORTAL_ERROR_PAGE: "portal error: {detail}",
    ErrorKind.LIST_UNCONFIRMED: "could not confirm the attachments list: {detail}",
    ErrorKind.PAGE_CHANGED: "the page changed while its attachments were read",
    ErrorKind.FILES_MISSING: "missing {missing} of {total}: {names}",
    ErrorKind.SAVED_WITH_NOTES: "saved, with notes",
    ErrorKind.WORKER_DIED: "worker stopped unexpectedly (exit code {code})",
    ErrorKind.DISK_FULL: (
        "the download folder {path} is full ({free} free): the batch stopped and finished files are kept; "
        "free some space, then run again on the results sheet to carry on"
    ),
    ErrorKind.DISK_READ_ONLY: (
        "the download folder {path} became read-only: the batch stopped and finished files are kept; "
        "make it writable, then run again on the results sheet to carry on"
    ),
}


# What a selectors value must be (``SELECTORS_BAD_VALUE``'s ``expected``: engine.browser.selectors.Shape).
EXPECTED: dict[str, str] = {
    "strings": "a list of non-empty strings, not empty",
    "optional_strings": "a list of non-empty strings",
    "text": "a non-empty string",
    "comment": "a string",
    "po_url": "a string with exactly the placeholders {base_url} and {digits}",
    "object": "an object (its keys as in the bundled selectors.json)",
}


def describe(kind: ErrorKind, details: Mapping[str, str]) -> str:
    """The terminal's sentence for an error of ``kind`` (from an event or a summary). Details may be the
    portal's text (a page, a name): their control characters and escape sequences are dropped."""
    details = {key: terminal_text(str(value)) for key, value in details.items()}
    if kind is ErrorKind.SELECTORS_BAD_VALUE:
        # Sent without ``expected`` by an older worker: a list is what most keys are.
        details = {
            **details,
            "expected": EXPECTED.get(details.get("expected", ""), EXPECTED["optional_strings"]),
        }
    if kind is ErrorKind.BREAKER_SKIPPED:
        details = {**details, **breaker_words(details)}
    return fill(TEXT[kind], details)


def breaker_words(details: Mapping[str, str]) -> dict[str, str]:
    """A skipped PO's group and failure, as the terminal names them (``Company 2000``, ``no access``)."""
    way = way_of(details.get("way", ""))
    return {
        "name": group_name(details.get("column", ""), details.get("group", "")),
        "way": WAY_WORDS[way] if way else details.get("way", ""),
    }


def error_message(error: BaseException) -> str:
    """The terminal's sentence for ``error``; several problems at once are joined with "; ".

    An exception that is not ours (an OSError from a full disk) has no kind: its own text is shown."""
    if not isinstance(error, PoDownloaderError):
        return terminal_text(str(error))
    if error.problems:
        return "; ".join(error_message(problem) for problem in error.problems)
    return describe(error.kind, error.details)
