//! The use cases on a real database (SQLite, or PostgreSQL when
//! `DANGJIAN_TEST_DATABASE_URL` names a server), one module per capability or story, linked
//! into one test binary so that an edit relinks the tests once.

mod activation;
mod common;
mod development;
mod ids;
mod insight;
mod ledgers;
mod meetings;
mod people;
mod platform;
mod roster;
mod scope_property;
mod thought_reports;
mod training;
mod tree;
mod tree_property;
mod whereabouts;
