//! The fault catalogue of RELIABILITY.md, one module per class of fault: each test runs the real
//! binary against what real teams and machines do to a KB (concurrent writers, symlinks out of
//! the root, corrupted caches, hostile bytes) and asserts that nothing is lost, nothing outside
//! the root is read or written, and nothing hangs or panics.

mod anchors;
mod concurrency;
mod containment;
mod goals;
mod index;
mod input;
