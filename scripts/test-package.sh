#!/usr/bin/env bash
# `pip install .` from a clean clone: the wheel must carry the prebuilt labextension
# (wasm included), and a fresh JupyterLab must list huntviz as enabled and OK.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export PATH="$HOME/.cargo/bin:$PATH"
# Reuse compiled dependencies (not our sources: the clone has its own paths).
export CARGO_TARGET_DIR="$root/target/package-test"

git clone -q "$root" "$tmp/src"
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q "jupyterlab>=4.6,<4.7"
"$tmp/venv/bin/pip" wheel -q --no-deps -w "$tmp/dist" "$tmp/src"
wheel=$(ls "$tmp"/dist/huntviz-*.whl)
echo "built $(basename "$wheel") ($(du -h "$wheel" | cut -f1))"

listing=$(python3 -m zipfile -l "$wheel")
for want in \
  'share/jupyter/labextensions/huntviz/package.json' \
  'share/jupyter/labextensions/huntviz/install.json' \
  'share/jupyter/labextensions/huntviz/static/remoteEntry\.' \
  'share/jupyter/labextensions/huntviz/static/[0-9a-f]+\.wasm' \
  'share/jupyter/labextensions/huntviz/schemas/huntviz/settings\.json' \
  'huntviz/report-template\.html' \
  'huntviz/picture\.wasm' \
  'huntviz/__init__\.py'; do
  if ! grep -Eq "$want" <<<"$listing"; then
    echo "FAIL: the wheel has no $want" >&2
    exit 1
  fi
done

# The engine as JavaScript, for pages that refuse WebAssembly: a static chunk of its own
# (the only one over 1 MB; the minified engine is about 2.3 MB).
if ! python3 - "$wheel" <<'PY'
import sys, zipfile
names = [i for i in zipfile.ZipFile(sys.argv[1]).infolist()
         if "/labextensions/huntviz/static/" in i.filename and i.filename.endswith(".js") and i.file_size > 1_000_000]
sys.exit(0 if names else 1)
PY
then
  echo "FAIL: the wheel has no JavaScript engine chunk" >&2
  exit 1
fi

"$tmp/venv/bin/pip" install -q "$wheel"
list=$("$tmp/venv/bin/jupyter" labextension list 2>&1)
if ! grep -Eq 'huntviz v[0-9.]+ .*enabled.*OK' <<<"$(sed 's/\x1b\[[0-9;]*m//g' <<<"$list")"; then
  echo "FAIL: jupyter labextension list does not show huntviz enabled and OK:" >&2
  echo "$list" >&2
  exit 1
fi
"$tmp/venv/bin/python" -c "import huntviz; b = huntviz.show('{\"tables\":[]}')._repr_mimebundle_(); assert huntviz.MIME_TYPE in b"
# The kernel's picture from the installed wheel (wasmtime came with it as a dependency).
"$tmp/venv/bin/python" - "$root/examples/data/process_events.json" <<'PY'
import sys, huntviz
huntviz.options.kernel_picture = True
data, meta = huntviz.show(open(sys.argv[1]).read(), view="timeline")._repr_mimebundle_()
assert "image/png" in data and meta["image/png"]["width"] == 960, sorted(data)
PY
echo "PASS: wheel carries the labextension with its wasm; huntviz is enabled and OK"
