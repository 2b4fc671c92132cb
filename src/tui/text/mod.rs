//! Text built from data, for the state and the views alike: the state measures it
//! (to scroll), the views draw it. Nothing here draws or keeps state.

pub(crate) mod cells;
pub(crate) mod errors;
pub(crate) mod help;
pub(crate) mod review;
pub(crate) mod rotate;
