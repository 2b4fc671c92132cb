//! Text built from data, for the state and the views alike: the state measures it
//! (to scroll), the views draw it. Nothing here draws or keeps state.

pub mod cells;
pub mod errors;
pub mod help;
pub mod review;
pub mod rotate;
