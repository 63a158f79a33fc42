//! Faults: concurrency (see RELIABILITY.md).
