pub mod code;
pub mod extract;
pub mod query;
pub mod run;
