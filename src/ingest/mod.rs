//! The file formats: the export (NDJSON and CSV, streamed) and the import of the same files,
//! through the domain's validator and the store's bulk writers. (The full backup, which is the
//! tables themselves, is [`crate::store::backup`].)

pub mod check;
pub mod export;
pub mod import;
pub mod record;
