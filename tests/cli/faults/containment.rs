//! Faults: containment (see RELIABILITY.md).
