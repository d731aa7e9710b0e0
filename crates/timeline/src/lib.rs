//! huntviz timelines.
//!
//! [`build::build`] turns one or more results into events on one time axis — lanes by a
//! column, colour series with a legend, durations, values and reference markers — sorted
//! by (lane, series, time). [`density::bin`] counts events per pixel column exactly;
//! [`ticks::axis`] labels the axis from centuries to microseconds in UTC or a fixed
//! offset; [`view::TimelineView`] is the interactive view drawn as a
//! [`huntviz_draw::Scene`].

pub mod build;
pub mod density;
pub mod ticks;
pub mod view;

pub use build::{build, LaneOrder, Mode, Model, Source, TimelineOptions, ValueKind};
pub use huntviz_draw::view::ViewError;

pub use view::TimelineView;
