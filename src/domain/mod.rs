//! The rules of the portfolio as pure functions over plain data: no HTTP, no SQL.

pub mod identity;
pub mod scope;
pub mod standard;
pub mod standard_formats;
