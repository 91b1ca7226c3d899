"""The portal over plain HTTP on the browser's session: its cookies, without the browser.

Beside ``browser/`` in the layers: it may import ``download_route``, the vocabulary, ``system/``,
``output/downloads`` and the pure ``browser/page_state``, never Selenium and never ``run/``. It reads PO
pages the way the browser's observer scripts read them (``served_page``, ``served_portal``) and fetches
bytes as a ``DownloadRoute`` (``http_route``); whether a PO may be decided here at all is ``run/``'s choice,
on proof that the served page shows what the browser shows (``run/route_trust.py``).
"""
