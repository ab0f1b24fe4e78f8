//! PDFs made on the server: the Statusbericht of a Stichtag and the Projektsteckbrief.
//!
//! Typesetting is done by Typst, used as a library (`typst`, `typst-pdf`): it breaks lines and
//! pages, repeats table headers on every page and writes a tagged PDF (PDF/UA-1), with the
//! charts embedded as SVG, so they stay vector. Its fonts come compiled into the binary
//! (`typst-assets`), so a server needs neither system fonts nor network.
//!
//! The split: [`document`] is what a report says (headings, tables, charts, already in the
//! reader's language and formats); `report.typ` is how every report looks; the builders
//! ([`statusbericht`], [`steckbrief`]) read the database; [`routes`] serve the files.

mod document;
mod routes;
mod statusbericht;
mod steckbrief;
mod world;

pub use document::{Block, Cell, Column, Document, Fact, Section, Width};
pub use routes::routes;
pub use statusbericht::statusbericht;
pub use steckbrief::steckbrief;

use crate::error::AppError;

/// Typesetting takes tens of milliseconds of CPU per page. One report at a time keeps the
/// other requests answered however many people press "PDF" at once; the rest wait in line.
static TYPESETTER: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Sets `document` as PDF, off the async threads.
pub async fn render(document: Document) -> Result<Vec<u8>, AppError> {
    let _turn = TYPESETTER.acquire().await.map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(move || world::typeset(&document)).await.map_err(|err| {
        tracing::error!(error = %err, "PDF typesetting task failed");
        AppError::Internal
    })?
}

/// Everything that decides a report's bytes: the program version, the layout, the document's
/// data and its charts. Typst writes the same bytes for the same input, since the file holds
/// no creation time, so a digest of this stands for the PDF's ETag before the PDF exists. (A
/// Typst upgrade without a new program version could leave a client with the earlier
/// rendering of unchanged content; never with outdated content.)
pub fn fingerprint(document: &Document) -> Vec<u8> {
    let mut input = format!("{}\n{}\n", env!("CARGO_PKG_VERSION"), world::LAYOUT).into_bytes();
    // A document that does not serialise fails later, in `render`, with the real error.
    input.extend(serde_json::to_vec(document).unwrap_or_default());
    for (name, svg) in document.charts() {
        input.extend_from_slice(name.as_bytes());
        input.extend_from_slice(svg.as_bytes());
    }
    input
}
