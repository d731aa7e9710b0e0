"""huntviz: security-hunting query results as interactive views in JupyterLab.

    import huntviz
    huntviz.show(df)                       # a pandas DataFrame
    huntviz.show(response.text)            # a raw Log Analytics / Kusto / Defender response
    huntviz.show(df, view="table", height=600)
    df.huntviz.process_tree(color_by="AccountName")   # the same, as a DataFrame accessor
    huntviz.show(logs_client.query_workspace(...))    # azure-monitor-query, azure-kusto-data,
                                                      # polars, pyarrow: as the clients return them

The views are drawn by the huntviz JupyterLab extension (installed with this
package); outputs keep working in saved notebooks, untrusted or offline.
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from ._accessor import register as _register_accessors
from ._columnar import encode_dataframe
from ._pivot import pivot
from ._provider import use_provider
from ._report import save
from ._show import MIME_TYPE, View, options, show

try:
    # Written once, in package.json; the wheel's metadata carries it.
    __version__ = _version("huntviz")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["MIME_TYPE", "View", "options", "save", "show", "encode_dataframe", "pivot", "use_provider", "__version__"]


# `df.huntviz.process_tree(...)` on pandas and polars DataFrames.
_register_accessors()


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "huntviz"}]
