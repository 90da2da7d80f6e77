pub mod actors;
pub mod code;
pub mod extract;
pub mod query;
pub mod quotes;
pub mod run;
