//! Leitstand: controlling and reporting for a city's digitisation programme.
//!
//! Layers (see README, "Architektur"): `domain` (pure rules) ← `api` (server functions, the
//! client/server boundary) ← `ui` (components and pages); `server` exists only in the SSR build
//! and owns configuration, the database layer and plain HTTP routes.

// The Sachstand form's view type nests deeper than rustc's default limit allows when the
// browser build computes its layout.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod domain;
pub mod error;
pub mod ui;

// The only feature gate for server code: everything with IO lives below `server`.
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A marker for the browser tests: from here on the page's forms are handled by the app.
    let _ = js_sys::Reflect::set(&leptos::prelude::window(), &"__leitstand_hydrated".into(), &true.into());
}
