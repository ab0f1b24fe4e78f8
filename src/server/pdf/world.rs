//! The Typst "world" of one report: the layout as the only source file, the report's data as
//! `/data.json`, its charts as `/chart-N.svg`, and the fonts compiled into the binary. Nothing
//! is read from disk or network, whatever the layout asks for.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::Datelike;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use super::Document;
use crate::error::AppError;

/// The layout every report shares.
pub(super) const LAYOUT: &str = include_str!("report.typ");

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Libertinus Serif for text, DejaVu Sans Mono as fallback for symbols, as Typst ships them.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    let book = FontBook::from_fonts(&fonts);
    (LazyHash::new(book), fonts)
});

fn file_id(path: &str) -> FileId {
    // The paths are the few fixed names below and `/chart-N.svg`; all are valid.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| VirtualPath::new("/invalid").expect("fixed path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

struct ReportWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: chrono::NaiveDate,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        let d = self.today;
        Datetime::from_ymd(d.year(), u8::try_from(d.month()).ok()?, u8::try_from(d.day()).ok()?)
    }
}

/// Lays out `document` and writes it as a tagged PDF/UA-1 file.
pub(super) fn typeset(document: &Document) -> Result<Vec<u8>, AppError> {
    let data = serde_json::to_vec(document).map_err(|err| {
        tracing::error!(error = %err, "report data not serialisable");
        AppError::Internal
    })?;
    let mut files = HashMap::new();
    files.insert(file_id("/data.json"), Bytes::new(data));
    for (name, svg) in document.charts() {
        files.insert(file_id(name), Bytes::new(svg.as_bytes().to_vec()));
    }
    let world = ReportWorld {
        main: Source::new(file_id("/report.typ"), LAYOUT.to_string()),
        files,
        today: crate::server::web::today(),
    };
    let laid_out = typst::compile::<PagedDocument>(&world).output.map_err(|errors| failed("layout", &errors));
    let pdf = laid_out.and_then(|pages| {
        let options = PdfOptions {
            ident: Smart::Custom(document.title.clone()),
            standards: PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|err| {
                tracing::error!(error = ?err, "PDF standard refused");
                AppError::Internal
            })?,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&pages, &options).map_err(|errors| failed("PDF export", &errors))
    });
    // Typst memoises layouts across calls; keep only what recent reports used.
    comemo::evict(10);
    pdf
}

/// A layout error is a bug in `report.typ` or a builder, never the user's doing: it is logged
/// in full and reaches the user as the opaque internal error.
fn failed(stage: &str, errors: &[SourceDiagnostic]) -> AppError {
    for error in errors {
        tracing::error!(stage, message = %error.message, hints = ?error.hints, "PDF typesetting failed");
    }
    AppError::Internal
}
