//! The commands of the CLI, each a thin driver of the shared pipeline.

pub mod build;
