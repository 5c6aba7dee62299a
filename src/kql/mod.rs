//! Kusto `has` operator family.
