"""The engine's view names and option keys.

Generated from the Rust types by crates/session/tests/types.rs: do not edit.
HUNTVIZ_BLESS=1 cargo test -p huntviz-session --test types writes it again.
"""

VIEWS = (
    "auto",
    "table",
    "process-tree",
    "timeline",
    "graph",
)

OPTIONS = (
    "format",
    "height",
    "columns",
    "color_by",
    "pid_format",
    "expand_depth",
    "highlight",
    "focus",
    "time_column",
    "group_by",
    "end_column",
    "value_column",
    "kind",
    "tooltip",
    "ref_times",
    "lane_order",
    "source",
    "target",
    "directed",
    "size_by",
)
