"""huntviz: security-hunting query results as interactive views in JupyterLab.

    import huntviz
    huntviz.show(df)                       # a pandas DataFrame
    huntviz.show(response.text)            # a raw Log Analytics / Kusto / Defender response
    huntviz.show(df, view="table", height=600)

The views are drawn by the huntviz JupyterLab extension (installed with this
package); outputs keep working in saved notebooks, untrusted or offline.
"""

from ._show import MIME_TYPE, View, show
from ._columnar import encode_dataframe

__version__ = "0.1.0"

__all__ = ["MIME_TYPE", "View", "show", "encode_dataframe", "__version__"]


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "huntviz"}]
