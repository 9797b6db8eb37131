"""The Qt window. Uses :mod:`app`; :mod:`app` never imports this package."""
