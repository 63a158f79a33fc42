//! Faults: input (see RELIABILITY.md).
