"""The portal over plain HTTP on the browser's session: its cookies, without the browser.

Beside ``browser/`` in the layers: it may import ``download_route``, the vocabulary, ``system/``,
``output/downloads`` and the pure ``browser/page_state``, never Selenium and never ``run/``.
"""
