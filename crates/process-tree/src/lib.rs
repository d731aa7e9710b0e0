//! huntviz process trees.
//!
//! [`build`] turns process-creation events into a [`Forest`] with exact parent links
//! (GUIDs, MDE creation times, or a time-aware PID join per host), inferred parents for
//! processes the result only references, broken cycles, and MSTICPy's summary figures.
//! [`view::TreeView`] is the interactive, virtualized tree-table drawn as a
//! [`huntviz_draw::Scene`].

pub mod build;
pub mod view;

pub use build::{
    base_name, build, parse_pid, Evidence, Forest, Host, Inferred, Link, Linking, Node, NodeId, Summary, NONE, NO_TIME,
};
pub use huntviz_draw::view::ViewError;
pub use view::{PidFormat, TreeOptions, TreeView};
