"""huntviz: security-hunting query results as interactive views in JupyterLab.

    import huntviz
    huntviz.show(df)                       # a pandas DataFrame
    huntviz.show(response.text)            # a raw Log Analytics / Kusto / Defender response
    huntviz.show(df, view="table", height=600)

The views are drawn by the huntviz JupyterLab extension (installed with this
package); outputs keep working in saved notebooks, untrusted or offline.
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from ._columnar import encode_dataframe
from ._report import save
from ._show import MIME_TYPE, View, options, show

try:
    # Written once, in package.json; the wheel's metadata carries it.
    __version__ = _version("huntviz")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["MIME_TYPE", "View", "options", "save", "show", "encode_dataframe", "__version__"]


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "huntviz"}]
