//! Faults: anchors (see RELIABILITY.md).
