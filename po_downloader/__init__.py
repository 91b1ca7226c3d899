"""po-downloader: fetch every attachment of many Coupa purchase orders in parallel."""

__version__ = "0.1.0"
