//! huntviz entity graphs.
//!
//! [`build::build`] turns alerts (their `Entities` JSON, `$id`/`$ref` resolved, entities
//! merged across alerts by Sentinel's strong identifiers) or any source/target table into
//! a petgraph graph. [`layout::Layout`] places it with ForceAtlas2's forces and a
//! Barnes–Hut tree, a few iterations per frame until it settles. [`view::GraphView`] is
//! the interactive view drawn as a [`huntviz_draw::Scene`].

pub mod build;
pub mod layout;
pub mod view;

pub use build::{build, can_build, EntityGraph, GraphOptions, Origin};
pub use huntviz_draw::view::ViewError;
pub use view::GraphView;
