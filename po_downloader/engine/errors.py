"""Errors the user must read: a kind and the data to word it, never the wording itself.

The engine serves two front ends in two languages, so it does not write the sentence the user reads: the
CLI (``cli/messages.py``) and the window (``ui/error_text.py``) each map an :class:`ErrorKind` and its
``details`` to their own text. ``str(error)`` stays a plain English sentence for logs and developers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any


class ErrorKind(StrEnum):
    """What went wrong; the comment names the ``details`` each kind carries."""

    # the input sheet
    SHEET_UNSUPPORTED_TYPE = "sheet_unsupported_type"  # name, suffixes
    SHEET_NOT_FOUND = "sheet_not_found"  # path
    SHEET_UNREADABLE = "sheet_unreadable"  # name, detail
    SHEET_EXCEL_NAMED_CSV = "sheet_excel_named_csv"  # name, suffix
    SHEET_BAD_CSV = "sheet_bad_csv"  # name, detail
    SHEET_CSV_UNCLOSED_QUOTE = "sheet_csv_unclosed_quote"  # name, line: where the quote opens
    SHEET_NOT_TEXT = "sheet_not_text"  # name, line: a binary file (a NUL byte) named .csv
    SHEET_PASSWORD_PROTECTED = "sheet_password_protected"  # name
    SHEET_BAD_EXCEL = "sheet_bad_excel"  # name, detail
    SHEET_EMPTY = "sheet_empty"  # name
    SHEET_NO_PO_COLUMN = "sheet_no_po_column"  # name, headers
    SHEET_UNKNOWN_COLUMN = "sheet_unknown_column"  # name, column, headers: a column the user named
    SHEET_NO_VALID_PO = "sheet_no_valid_po"  # column, where, invalid, row, reason
    SHEET_NO_DATA_ROWS = "sheet_no_data_rows"  # column, where
    SHEET_ALL_BLANK = "sheet_all_blank"  # column, where
    SHEET_CHANGED_SINCE_READ = "sheet_changed_since_read"  # name, path: edited between reading and Start
    # the results sheet
    RESULTS_BAD_SUFFIX = "results_bad_suffix"  # name
    RESULTS_OVERWRITES_INPUT = "results_overwrites_input"  # name
    RESULTS_LOCKED = "results_locked"  # path, detail
    RESULTS_SAVED_ELSEWHERE = "results_saved_elsewhere"  # path, fallback, detail
    RESULTS_NOT_SAVED = "results_not_saved"  # path, detail
    RESULTS_NOT_WRITABLE = "results_not_writable"  # path, detail: the first write, before any browser
    PREPARE_FILE_FAILED = "prepare_file_failed"  # path, detail: any other file preparing a batch touched
    NOTHING_TO_RESUME = "nothing_to_resume"  # path
    RESUME_INPUT_CHANGED = "resume_input_changed"  # path, started
    # settings
    SETTINGS_INVALID = "settings_invalid"  # the problems are in ``problems``
    NO_BASE_URL = "no_base_url"
    BASE_URL_NOT_WEB = "base_url_not_web"  # url
    BASE_URL_NOT_HTTPS = "base_url_not_https"  # host
    BASE_URL_HAS_CREDENTIALS = "base_url_has_credentials"  # url: the address without them (never echoed)
    BASE_URL_HAS_QUERY = "base_url_has_query"  # url: the address without the query
    BASE_URL_HAS_FRAGMENT = "base_url_has_fragment"  # url: the address without the fragment
    UNKNOWN_BROWSER = "unknown_browser"  # browser, choices
    NEGATIVE_WORKERS = "negative_workers"
    ATTEMPTS_TOO_FEW = "attempts_too_few"
    TIMEOUT_NOT_POSITIVE = "timeout_not_positive"  # setting: "page timeout", "attachment timeout"...
    PROFILE_DIR_NOT_FOUND = "profile_dir_not_found"  # path
    DRIVER_NOT_FOUND = "driver_not_found"  # path
    DOWNLOAD_FOLDER_NOT_WRITABLE = "download_folder_not_writable"  # path, detail
    FOLDER_TEMPLATE_BRACE = "folder_template_brace"  # template, example ("{name}"): a stray brace, a "{}"
    FOLDER_TEMPLATE_NO_PO = "folder_template_no_po"  # template, po ("{po}"), example: not last, or not alone
    FOLDER_TEMPLATE_UNKNOWN_TOKEN = "folder_template_unknown_token"  # token ("{Centro}"), known: every token
    NO_SIGN_IN_PROFILE = "no_sign_in_profile"  # path: the app's own profile; the user has not signed in
    USER_PROFILE_MISSING = "user_profile_missing"  # path: the browser profile the user chose
    SIGN_IN_WITH_OWN_BROWSER = "sign_in_with_own_browser"  # the user chose their own browser profile
    # the selectors file
    SELECTORS_UNREADABLE = "selectors_unreadable"  # path, detail
    SELECTORS_NOT_OBJECT = "selectors_not_object"  # path
    SELECTORS_BAD_VALUE = (
        "selectors_bad_value"  # key (dotted: sign_in.sso_hosts), expected: a selectors.Shape
    )
    SELECTORS_UNKNOWN_KEYS = "selectors_unknown_keys"  # path, keys
    SELECTORS_MISSING_KEY = "selectors_missing_key"  # key
    SELECTORS_KEY_GONE = "selectors_key_gone"  # path, key, replacement
    # the profile copy
    PROFILE_NAME_INVALID = "profile_name_invalid"  # name
    PROFILE_NOT_FOUND = "profile_not_found"  # path
    PROFILE_NO_COOKIES = "profile_no_cookies"  # path
    PROFILE_COOKIES_LOCKED = "profile_cookies_locked"  # detail
    PROFILE_COPY_NO_COOKIES = "profile_copy_no_cookies"  # path
    PROFILE_COPY_TARGET_NOT_EMPTY = "profile_copy_target_not_empty"  # path
    # the browser
    BROWSER_NOT_INSTALLED = "browser_not_installed"  # browser
    NO_BROWSER_INSTALLED = "no_browser_installed"  # none of Edge, Chrome, Chromium is here
    BROWSER_DRIVER_MISMATCH = "browser_driver_mismatch"  # browser
    PROFILE_IN_USE = "profile_in_use"  # path
    BROWSER_START_FAILED = "browser_start_failed"  # browser, detail
    # Coupa and the workers
    NOT_SIGNED_IN = "not_signed_in"  # the profile copy opened on Coupa's sign-in page
    SESSION_EXPIRED = "session_expired"  # Coupa asked to sign in again mid-batch
    SIGN_IN_DID_NOT_TAKE = "sign_in_did_not_take"  # url, page: checked after the user signed in
    PORTAL_TIMEOUT = "portal_timeout"  # detail
    WORKERS_COULD_NOT_START = "workers_could_not_start"  # detail
    WORKER_CRASHED = "worker_crashed"  # detail
    ROOT_BUSY = "root_busy"  # root, input, pid, since: the batch that holds the download folder
    STAGING_IS_LINK = "staging_is_link"  # path: our staging folder in the root, planted as a link or file
    # one PO's folder (the PO fails, the batch goes on)
    ROOT_TOO_DEEP = "root_too_deep"  # root, limit: no PO folder and file name fit the OS's path limit
    ROOT_TOO_DEEP_FOR_DOWNLOADS = "root_too_deep_for_downloads"  # root, limit: the browser's staged files
    FOLDER_IS_LINK = "folder_is_link"  # path: inside the download folder, target: where the link points
    FOLDER_IS_FILE = "folder_is_file"  # path: inside the download folder
    FOLDER_HELD = "folder_held"  # name: the PO's work folder, detail: the OS's error
    # a Selenium Grid (``--grid``)
    GRID_URL_INVALID = "grid_url_invalid"  # url: not an http(s) address, or one with credentials/query
    GRID_UNREACHABLE = "grid_unreachable"  # url, detail: its /status does not answer (before the batch)
    GRID_NO_FREE_SLOT = "grid_no_free_slot"  # url, waited: no free browser slot in that many seconds
    GRID_SESSION_FAILED = "grid_session_failed"  # url, detail: the Grid refused or lost a worker's session
    GRID_NOT_SIGNED_IN = "grid_not_signed_in"  # url: the sign-in carried to a Grid browser did not take
    # the breaker (``run/breaker.py``): a PO not sent because its group kept failing one way
    BREAKER_SKIPPED = "breaker_skipped"  # column ("": whole batch), group, way (FailureWay), count
    BREAKER_UNKNOWN_COLUMN = "breaker_unknown_column"  # column, name, headers: --breaker-group's column
    # a PO's outcome: the window words these in its language; the results sheet, the log and the CLI keep
    # the engine's English ``message`` (which says the same with the engine's own detail)
    PORTAL_SAID = "portal_said"  # said: the portal's own words on this PO (not found, no access)
    PO_NOT_FOUND = "po_not_found"  # the portal said it has no such PO, in words we did not read
    PO_NO_ACCESS = "po_no_access"  # the portal said this user may not see the PO, in words we did not read
    PAGE_NOT_COUPAS = "page_not_coupas"  # detail: who answered what (a proxy's, a CDN's page, a bare 403)
    PORTAL_ERROR_PAGE = "portal_error_page"  # detail: the portal's error (an HTTP status, a page title)
    LIST_UNCONFIRMED = "list_unconfirmed"  # detail: why the page never proved its list (English)
    PAGE_CHANGED = "page_changed"  # the list moved while it was read
    FILES_MISSING = "files_missing"  # missing, total, names: the listed files not saved (names joined)
    # and the notes of SAVED_WITH_NOTES (a success that must tell something) below, when there are any
    WORKER_DIED = "worker_died"  # code: the worker's process ended mid-PO (its exit code)
    SAVED_WITH_NOTES = "saved_with_notes"  # edited, copies (a name per line), kept_in, requisition(_taken)
    # the download disk, mid-batch
    DISK_FULL = "disk_full"  # path: the download folder, free: the space left (human units)
    DISK_READ_ONLY = "disk_read_only"  # path: the download folder

    @property
    def needs_sign_in(self) -> bool:
        """Signing in again (not a retry) is what helps."""
        return self in _SIGN_IN_KINDS

    @property
    def is_config(self) -> bool:
        """A setting or file the user must fix: every worker would meet it, so the batch ends at once."""
        return self in _CONFIG_KINDS

    @property
    def is_outcome(self) -> bool:
        """It names how one PO ended; the engine's English ``message`` already says it with its detail,
        so an English face shows that, and a translated one words the kind."""
        return self in _OUTCOME_KINDS

    @property
    def is_disk(self) -> bool:
        """The download disk is full or read-only: every worker would meet it, so the batch stops at once;
        the unfinished POs stay to do and running again, once the disk is fixed, carries on."""
        return self in _DISK_KINDS


_SIGN_IN_KINDS = frozenset(
    {
        ErrorKind.NOT_SIGNED_IN,
        ErrorKind.SESSION_EXPIRED,
        ErrorKind.SIGN_IN_DID_NOT_TAKE,
        ErrorKind.GRID_NOT_SIGNED_IN,
    }
)
_OUTCOME_KINDS = frozenset(
    {
        ErrorKind.PORTAL_SAID,
        ErrorKind.PO_NOT_FOUND,
        ErrorKind.PO_NO_ACCESS,
        ErrorKind.PAGE_NOT_COUPAS,
        ErrorKind.PORTAL_ERROR_PAGE,
        ErrorKind.LIST_UNCONFIRMED,
        ErrorKind.PAGE_CHANGED,
        ErrorKind.FILES_MISSING,
        ErrorKind.SAVED_WITH_NOTES,
        ErrorKind.WORKER_DIED,
    }
)
_DISK_KINDS = frozenset({ErrorKind.DISK_FULL, ErrorKind.DISK_READ_ONLY})
_CONFIG_KINDS = frozenset(
    {
        ErrorKind.SETTINGS_INVALID,
        ErrorKind.NO_BASE_URL,
        ErrorKind.BASE_URL_NOT_WEB,
        ErrorKind.BASE_URL_NOT_HTTPS,
        ErrorKind.BASE_URL_HAS_CREDENTIALS,
        ErrorKind.BASE_URL_HAS_QUERY,
        ErrorKind.BASE_URL_HAS_FRAGMENT,
        ErrorKind.UNKNOWN_BROWSER,
        ErrorKind.PROFILE_DIR_NOT_FOUND,
        ErrorKind.DRIVER_NOT_FOUND,
        ErrorKind.FOLDER_TEMPLATE_BRACE,
        ErrorKind.FOLDER_TEMPLATE_NO_PO,
        ErrorKind.FOLDER_TEMPLATE_UNKNOWN_TOKEN,
        ErrorKind.NO_SIGN_IN_PROFILE,
        ErrorKind.USER_PROFILE_MISSING,
        ErrorKind.SELECTORS_UNREADABLE,
        ErrorKind.SELECTORS_NOT_OBJECT,
        ErrorKind.SELECTORS_BAD_VALUE,
        ErrorKind.SELECTORS_UNKNOWN_KEYS,
        ErrorKind.SELECTORS_MISSING_KEY,
        ErrorKind.SELECTORS_KEY_GONE,
        ErrorKind.PROFILE_NAME_INVALID,
        ErrorKind.PROFILE_NOT_FOUND,
        ErrorKind.PROFILE_NO_COOKIES,
        ErrorKind.PROFILE_COOKIES_LOCKED,
        ErrorKind.PROFILE_COPY_NO_COOKIES,
        ErrorKind.PROFILE_COPY_TARGET_NOT_EMPTY,
        ErrorKind.BROWSER_NOT_INSTALLED,
        ErrorKind.BROWSER_DRIVER_MISMATCH,
        ErrorKind.GRID_URL_INVALID,
        ErrorKind.GRID_UNREACHABLE,
        ErrorKind.GRID_NO_FREE_SLOT,
    }
)


class PoDownloaderError(Exception):
    """An error for the user: ``kind`` says what, ``details`` hold the data (all text) to word it.

    ``problems`` lists several errors reported at once (``SETTINGS_INVALID``); the edges word each one.
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        problems: Sequence[PoDownloaderError] = (),
        **details: object,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.details: dict[str, str] = {key: str(value) for key, value in details.items()}
        self.problems: tuple[PoDownloaderError, ...] = tuple(problems)

    @property
    def message(self) -> str:
        """The English developer message (what ``str()`` gives)."""
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception pickles as ``cls(*args)``, which would drop the kind and the details.
        return (_rebuild, (type(self), self.kind, self.message, self.details, self.problems))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.kind.value}, {self.message!r})"


def _rebuild(
    cls: type[PoDownloaderError],
    kind: ErrorKind,
    message: str,
    details: Mapping[str, str],
    problems: tuple[PoDownloaderError, ...],
) -> PoDownloaderError:
    error = PoDownloaderError.__new__(cls)
    PoDownloaderError.__init__(error, kind, message, problems=problems, **details)
    return error


def fill(template: str, details: Mapping[str, str]) -> str:
    """``template`` with ``{name}`` replaced from ``details``; a missing name shows as ``?``, never raises.

    Both edges use it so a kind raised without one of its details still yields a readable sentence.
    """
    return template.format_map(_Details(details))


class _Details(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"
