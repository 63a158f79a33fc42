//! Faults: index (see RELIABILITY.md).
