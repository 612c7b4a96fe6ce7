//! Database-free tables of the pure planner's behaviour, one row per kind of change (at least)
//! for each property: its phase, the locks it takes, its reverse, and its place in an order.
//! `variants` lists every kind of change, so that a new one fails each table until it has rows.

mod fixtures;
mod locks;
mod make_objects;
mod make_security;
mod make_tables;
mod make_textsearch;
mod make_types;
mod order;
mod order_objects;
mod order_row;
mod order_tables;
mod order_types;
mod phase;
mod reverse;
mod variants;
