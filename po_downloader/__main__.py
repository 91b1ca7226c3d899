"""``python -m po_downloader``."""

import sys

from po_downloader.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
