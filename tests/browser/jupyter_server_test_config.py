"""JupyterLab server for the browser tests (galata's test settings: no token, temporary root)."""

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 (c is the config object Jupyter passes in)
c.ServerApp.allow_root = True  # noqa: F821 (CI machines run as root)
