//! Exact money. (Filled in by the foundation work.)
