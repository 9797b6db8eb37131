"""The Qt window. Uses :mod:`app`; :mod:`app` never imports this package."""

from ui.singletons import protect

protect()  # before any Qt call: the bindings lose references to None, True and False
