//! huntviz timelines.
//!
//! [`model::build`] turns one or more results into events on one time axis — lanes by a
//! column, colour series with a legend, durations, values and reference markers — sorted
//! by (lane, series, time). [`density::bin`] counts events per pixel column exactly;
//! [`ticks::axis`] labels the axis from centuries to microseconds in UTC or a fixed
//! offset; [`view::TimelineView`] is the interactive view drawn as a
//! [`huntviz_draw::Scene`].

pub mod density;
pub mod model;
pub mod ticks;
pub mod view;

pub use model::{build, BuildError, LaneOrder, Mode, Model, Options, Source, ValueKind};

pub use view::TimelineView;
