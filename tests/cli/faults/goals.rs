//! Faults: goals (see RELIABILITY.md).
